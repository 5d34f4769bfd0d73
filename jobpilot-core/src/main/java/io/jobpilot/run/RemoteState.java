package io.jobpilot.run;

/** A vendor status, mapped to what jobpilot does with it. */
public enum RemoteState {
    RUNNING, SUCCEEDED, WARNING, FAILED, STOPPED,
    /** A status word no mapping knows: polled on for a grace period, then the run fails naming the word. */
    UNKNOWN;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == WARNING || this == FAILED || this == STOPPED;
    }
}
