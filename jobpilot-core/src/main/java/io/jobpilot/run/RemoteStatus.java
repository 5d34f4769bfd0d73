package io.jobpilot.run;

/**
 * One status reading of a remote job.
 *
 * @param vendorStatus the vendor's own word, as seen ("Finished", "IN_PROGRESS", "3")
 * @param message      the vendor's text that goes with it (error message), or null
 */
public record RemoteStatus(RemoteState state, String vendorStatus, String message) {

    public RemoteState getState() {
        return state;
    }

    public boolean isTerminal() {
        return state.isTerminal();
    }

    public boolean isFailed() {
        return state == RemoteState.FAILED;
    }
}
