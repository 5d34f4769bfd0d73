package io.jobpilot.run;

/** run.json's error object. */
public record RunError(ErrorKind kind, String step, String vendorCode, String message) {
}
