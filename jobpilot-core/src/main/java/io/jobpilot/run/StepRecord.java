package io.jobpilot.run;

import java.time.Instant;

/** When a step was recorded done, and what was noted with it (null when nothing was). */
public record StepRecord(Instant at, String detail) {
}
