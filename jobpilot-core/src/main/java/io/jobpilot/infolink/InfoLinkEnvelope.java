package io.jobpilot.infolink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;

/**
 * The envelope every InfoLink answer has (doc L1, L7): {@code {"status":"success"|"error","result":{...}}}, read
 * with a streaming parser that skips {@code result.results}, so a reply of hundreds of MB costs one pass over the
 * file and no memory. The fields may come in any order (the documented sample has {@code status} last).
 *
 * @param status       the call's status: success or error (null: not an envelope)
 * @param jobStatus    {@code result.status}: the job's status (getJobStatus) or the stop answer (stopJob)
 * @param message      {@code result.message}, the vendor's text on error
 * @param jobId        {@code result.jobId} (executeJob, async)
 * @param hasResults   whether {@code result.results} is there (completed jobs, sync executeJob)
 */
public record InfoLinkEnvelope(String status, String jobStatus, String message, String jobId, boolean hasResults) {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    public boolean isEnvelope() {
        return status != null;
    }

    public boolean isError() {
        return "error".equalsIgnoreCase(status);
    }

    public boolean isSuccess() {
        return "success".equalsIgnoreCase(status);
    }

    /** Reads the envelope; malformed JSON is an IOException, a JSON value that is not an envelope gives status null. */
    public static InfoLinkEnvelope read(InputStream in) throws IOException {
        String status = null;
        String jobStatus = null;
        String message = null;
        String jobId = null;
        boolean hasResults = false;
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new InfoLinkEnvelope(null, null, null, null, false);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("status") && value.isScalarValue()) {
                    status = p.getText();
                } else if (field.equals("result") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (name) {
                            case "status" -> jobStatus = v.isScalarValue() ? p.getText() : jobStatus;
                            case "message" -> message = v.isScalarValue() ? p.getText() : message;
                            case "jobId" -> jobId = v.isScalarValue() ? p.getText() : jobId;
                            case "results" -> hasResults = v == JsonToken.START_ARRAY;
                            default -> {
                            }
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new InfoLinkEnvelope(status, jobStatus, message, jobId, hasResults);
    }
}
