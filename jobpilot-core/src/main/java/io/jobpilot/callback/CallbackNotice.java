package io.jobpilot.callback;

/**
 * One IICS callback that passed the intake's checks: a hint that the run ended, never the truth (the activity log is).
 *
 * @param runId       the jobpilot run the token belongs to
 * @param tokenHash   SHA-256 of the token (the token itself is not kept)
 * @param objectId    the task id IICS sent
 * @param remoteRunId IICS's runId
 * @param status      COMPLETED or FAILED, as sent
 */
public record CallbackNotice(String runId, String tokenHash, String objectId, String remoteRunId, String status) {
}
