package io.jobpilot.sandbox.iics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a simulated export job behaves: how many status reads it stays IN_PROGRESS, how it ends, which objects fail,
 * how big its package is. Set per export name from Java ({@link IicsSimulator#scriptExport}); unscripted exports
 * succeed after two reads.
 */
public final class ExportScript {
    int runningPolls = 2;
    String finalState = "SUCCESSFUL";
    String finalMessage = "Export completed successfully.";
    final Map<String, String> failingObjects = new LinkedHashMap<>();
    int packagePaddingBytes = 1024;
    /** Every session stops working just before this status read is answered (-1: never). */
    int expireSessionsAtPoll = -1;

    public static ExportScript create() {
        return new ExportScript();
    }

    public ExportScript runningPolls(int n) {
        runningPolls = n;
        return this;
    }

    public ExportScript endsWith(String state, String message) {
        finalState = state;
        finalMessage = message;
        return this;
    }

    /** This object ends FAILED with the message (the job itself ends as scripted). */
    public ExportScript failObject(String id, String message) {
        failingObjects.put(id, message);
        return this;
    }

    /** Extra bytes in the package, to exercise streaming of large packages. */
    public ExportScript packagePadding(int bytes) {
        packagePaddingBytes = bytes;
        return this;
    }

    public ExportScript expireSessionsAtPoll(int n) {
        expireSessionsAtPoll = n;
        return this;
    }
}
