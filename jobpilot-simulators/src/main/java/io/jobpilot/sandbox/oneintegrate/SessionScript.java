package io.jobpilot.sandbox.oneintegrate;

import java.util.ArrayList;
import java.util.List;

/**
 * How a simulated session behaves once played: its tasks (and their report counts), how many status polls it stays
 * "Running", and how it ends. Scripts are set per path from Java, or read from a PUT body's optional "sandbox"
 * object (see examples/oneintegrate/*.json), so users can drive the simulator without code.
 */
public final class SessionScript {
    public record Task(String id, long reportCount, long errors, long objectsProcessed) {
    }

    final List<Task> tasks = new ArrayList<>();
    /** Read at every poll: a test can end a session that runs "forever" by lowering it while the session runs. */
    volatile int runningPolls = 2;
    String finalStatus = "Finished";
    String failureMessage;
    /** Paused (at a Pause task) after this many running polls; -1: never. Playing again continues. */
    int pauseAfterPolls = -1;
    /** Report pages as {"reports":[...]} instead of a bare array. */
    boolean wrapReports;
    /** A reportCount in the summary that differs from the real number of reports (null: the truth). */
    Long claimedReportCount;
    /** A status word to report while running, instead of "Running". */
    String runningStatus = "Running";
    /** Return "taskIndentifier" (the documented misspelling) instead of "taskIdentifier". */
    boolean misspellTaskIdentifier;

    /** Every token stops working just before this status poll is answered (a 401 mid-run); -1: never. */
    int expireTokensAtPoll = -1;

    public static SessionScript create() {
        return new SessionScript();
    }

    public SessionScript task(String id, long reportCount) {
        tasks.add(new Task(id, reportCount, 0, reportCount * 3 + 10));
        return this;
    }

    public SessionScript task(String id, long reportCount, long errors) {
        tasks.add(new Task(id, reportCount, errors, reportCount * 3 + 10));
        return this;
    }

    public SessionScript runningPolls(int n) {
        runningPolls = n;
        return this;
    }

    public SessionScript endsWith(String status, String message) {
        finalStatus = status;
        failureMessage = message;
        return this;
    }

    public SessionScript pauseAfterPolls(int n) {
        pauseAfterPolls = n;
        return this;
    }

    public SessionScript wrapReports() {
        wrapReports = true;
        return this;
    }

    public SessionScript claimReportCount(long n) {
        claimedReportCount = n;
        return this;
    }

    public SessionScript runningStatus(String word) {
        runningStatus = word;
        return this;
    }

    public SessionScript expireTokensAtPoll(int n) {
        expireTokensAtPoll = n;
        return this;
    }

    public SessionScript misspellTaskIdentifier() {
        misspellTaskIdentifier = true;
        return this;
    }
}
