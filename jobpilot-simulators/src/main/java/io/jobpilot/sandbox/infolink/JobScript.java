package io.jobpilot.sandbox.infolink;

import java.util.ArrayList;
import java.util.List;

/**
 * How a simulated InfoLink job behaves: how many status polls it stays running (and the undocumented word it uses
 * meanwhile), how it ends, and the result sets it returns (generated record by record, any size). Set per scenario
 * (or opName) with {@link InfoLinkSimulator#script}.
 */
public final class JobScript {
    /** One named result set of {@code records} generated records, each about {@code recordBytes} bytes of JSON. */
    public record ResultSpec(String name, long records, int recordBytes) {
    }

    final List<ResultSpec> results = new ArrayList<>();
    int runningPolls = 2;
    String runningWord = "running";
    String finalStatus = "completed";
    String message;
    boolean resultsOnError = true;
    String rejection;
    int errorHttpStatus = 200;
    int stopPolls = 1;

    public static JobScript create() {
        return new JobScript();
    }

    public JobScript result(String name, long records) {
        return result(name, records, 0);
    }

    /** @param recordBytes pad each record to about this size (0: natural size, ~80 bytes) */
    public JobScript result(String name, long records, int recordBytes) {
        results.add(new ResultSpec(name, records, recordBytes));
        return this;
    }

    public JobScript runningPolls(int n) {
        runningPolls = n;
        return this;
    }

    /** The status word while running (InfoLink's is undocumented). */
    public JobScript runningWord(String word) {
        runningWord = word;
        return this;
    }

    /** Ends completedWithError with this message; with or without (partial) results. */
    public JobScript completesWithError(String msg, boolean withResults) {
        finalStatus = "completedWithError";
        message = msg;
        resultsOnError = withResults;
        return this;
    }

    /** The job stops by itself (someone stopped it in InfoLink). */
    public JobScript endsStopped() {
        finalStatus = "stopped";
        return this;
    }

    /** executeJob answers {"status":"error"} with this message (and this HTTP status: the real one is undocumented). */
    public JobScript rejectWith(String msg, int httpStatus) {
        rejection = msg;
        errorHttpStatus = httpStatus;
        return this;
    }

    /** Status polls after "stop started" until the job reports stopped. */
    public JobScript stopPolls(int n) {
        stopPolls = n;
        return this;
    }

    /** Never finishes on its own. */
    public JobScript runsForever() {
        runningPolls = Integer.MAX_VALUE;
        return this;
    }
}
