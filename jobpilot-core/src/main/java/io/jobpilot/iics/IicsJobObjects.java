package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunFailure;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static io.jobpilot.run.RunExchange.run;

/**
 * The objects of a v3 export or import job ({@code ?expand=objects}), each with its own {@code status.state}: any
 * that did not succeed fails the run, even when the job itself says SUCCESSFUL.
 */
final class IicsJobObjects {
    private static final String FAILED_OBJECTS = "failedObjects";

    private IicsJobObjects() {
    }

    /** Counts the objects in run.json and lists each that failed in its warnings (and for {@link #requireSuccess}). */
    static void record(Exchange e, JsonNode job, BiFunction<JsonNode, String, String> describe) {
        Run run = run(e);
        List<String> failed = new ArrayList<>();
        int objects = 0;
        for (JsonNode object : job.path("objects")) {
            objects++;
            String state = object.path("status").path("state").asText(null);
            if (!IicsExportStatus.isSuccessful(state)) {
                String failure = describe.apply(object, state);
                failed.add(failure);
                run.warn(failure);
            }
        }
        run.count("objects", objects);
        run.count(FAILED_OBJECTS, failed.size());
        e.setProperty(FAILED_OBJECTS, failed);
    }

    /** A failed job, or any failed object, ends the run FAILED with what IICS said; {@code what} names the job. */
    @SuppressWarnings("unchecked")
    static void requireSuccess(Exchange e, String what, String step, String log) {
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        List<String> failed = e.getProperty(FAILED_OBJECTS, List.class);
        if (remote.state() == RemoteState.SUCCEEDED && failed.isEmpty()) {
            return;
        }
        String ended = what + " ended " + remote.vendorStatus() + (remote.message() == null ? "" : " (" + remote.message() + ")");
        String objects = failed.isEmpty() ? "" : "; " + failed.size() + " object(s) failed: " + String.join("; ", failed);
        throw new RunFailure(ErrorKind.REMOTE_JOB, step, remote.vendorStatus(), ended + objects + " (see " + log + ")");
    }
}
