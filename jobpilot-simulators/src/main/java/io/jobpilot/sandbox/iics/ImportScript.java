package io.jobpilot.sandbox.iics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a simulated import job behaves once started: how many status reads it stays IN_PROGRESS, how it ends, which
 * of its objects fail. Set per import job name from Java ({@link IicsSimulator#scriptImport}); unscripted imports
 * import two objects and succeed after two reads.
 */
public final class ImportScript {
    int runningPolls = 2;
    String finalState = "SUCCESSFUL";
    String finalMessage = "Import completed successfully.";
    /** Object name to its type, in the package's order. */
    final Map<String, String> objects = new LinkedHashMap<>(Map.of("m_load_orders", "DTEMPLATE"));
    final Map<String, String> failingObjects = new LinkedHashMap<>();

    private ImportScript() {
        objects.put("mt_load_orders", "MTT");
    }

    public static ImportScript create() {
        return new ImportScript();
    }

    public ImportScript runningPolls(int n) {
        runningPolls = n;
        return this;
    }

    public ImportScript endsWith(String state, String message) {
        finalState = state;
        finalMessage = message;
        return this;
    }

    /** This object (by name) ends FAILED with the message (the job itself ends as scripted). */
    public ImportScript failObject(String name, String message) {
        failingObjects.put(name, message);
        return this;
    }
}
