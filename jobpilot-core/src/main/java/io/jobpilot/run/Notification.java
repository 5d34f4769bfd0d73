package io.jobpilot.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;

/**
 * Where a run's completion notification (--notify URL) stands, as the outbox holds it: shown by {@code jobpilot show},
 * the command line's output and the API, never part of the document that is posted. Times marshal as ISO-8601 text
 * with any ObjectMapper, as in {@link RunResult}.
 *
 * @param idempotencyKey the Idempotency-Key header of every attempt (the runId)
 * @param state          PENDING (attempts continue at {@code nextAttemptAt}), DELIVERED or DEAD (given up)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String idempotencyKey, String url, String state, int attempts,
                           @JsonSerialize(using = ToStringSerializer.class) Instant firstAttemptAt,
                           @JsonSerialize(using = ToStringSerializer.class) Instant lastAttemptAt,
                           @JsonSerialize(using = ToStringSerializer.class) Instant nextAttemptAt, String lastError,
                           @JsonSerialize(using = ToStringSerializer.class) Instant finishedAt) {

    public boolean isPending() {
        return "PENDING".equals(state);
    }
}
