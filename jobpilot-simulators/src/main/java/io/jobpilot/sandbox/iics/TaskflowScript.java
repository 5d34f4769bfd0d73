package io.jobpilot.sandbox.iics;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated published taskflow (by its API name) and how each of its runs behaves, counted in status reads
 * ({@code GET .../tf/status/<RunId>}): {@link #noStatusReads} answers without a {@code status} (just started), then
 * RUNNING, then the end ({@code SUCCESS} or {@code FAILED} with an errorMessage). A taskflow that {@link #suspends}
 * answers SUSPENDED until it is resumed ({@code PUT .../resumeWithFaultRetry/<RunId>} or {@link IicsSimulator#resumeTaskflows}),
 * then runs on to its end. A terminated run answers {@code FAILED}: how real IICS reports one is UNCONFIRMED.
 */
public final class TaskflowScript {
    /** One subtask of the run, with its own row counts (subtaskDetails.details.tasks[]). */
    record Subtask(String name, String type, long rowsProcessed, long erroredRows, String status) {
    }

    final String apiName;
    String assetName;
    int noStatusReads;
    int runningReads = 2;
    String endStatus = "SUCCESS";
    String errorMessage;
    /** SUSPENDED after this many RUNNING reads (-1: never). */
    int suspendAfter = -1;
    String suspendMessage = "The Data Task step failed: [MTT_Orders] failed.";
    volatile boolean runsForever;
    final List<Subtask> subtasks = new ArrayList<>();

    private TaskflowScript(String apiName) {
        this.apiName = apiName;
        this.assetName = apiName;
    }

    public static TaskflowScript create(String apiName) {
        return new TaskflowScript(apiName);
    }

    public String apiName() {
        return apiName;
    }

    /** Status reads answered without a status, then RUNNING ones. */
    public TaskflowScript phases(int noStatus, int running) {
        noStatusReads = noStatus;
        runningReads = running;
        return this;
    }

    /** FAILED with this errorMessage instead of SUCCESS. */
    public TaskflowScript fails(String message) {
        endStatus = "FAILED";
        errorMessage = message;
        return this;
    }

    /** SUSPENDED (paused on a fault) after this many RUNNING reads, until resumed. */
    public TaskflowScript suspendsAfter(int runningReads, String message) {
        suspendAfter = runningReads;
        suspendMessage = message;
        return this;
    }

    public TaskflowScript subtask(String name, String type, long rowsProcessed, long erroredRows) {
        subtasks.add(new Subtask(name, type, rowsProcessed, erroredRows, erroredRows > 0 ? "WARNING" : "SUCCESS"));
        return this;
    }

    /** Never ends by itself (only a terminate ends it). */
    public TaskflowScript runsForever() {
        runsForever = true;
        return this;
    }
}
