package io.jobpilot.run;

import java.time.Instant;

/** Where one run's status polling stands. Lives in the exchange property {@code poll}; routes read its getters. */
public final class PollState {
    private final Instant deadline;
    private long nextDelayMs;
    private int polls;
    private int transientFailures;
    private boolean finalCheck;
    private boolean active = true;
    private boolean timedOut;
    private RemoteStatus last;
    private String lastVendorStatus;
    private Instant unknownSince;
    private String lastTransientError;

    private final java.time.Duration fixedInterval;

    PollState(Instant deadline, long firstDelayMs, java.time.Duration fixedInterval) {
        this.deadline = deadline;
        this.nextDelayMs = firstDelayMs;
        this.fixedInterval = fixedInterval;
    }

    /** The interval of every wait, when the workflow asked for a fixed one (property pollInterval); else null. */
    java.time.Duration fixedInterval() {
        return fixedInterval;
    }

    public Instant deadline() {
        return deadline;
    }

    public long getNextDelayMs() {
        return nextDelayMs;
    }

    void delayNext(long ms) {
        this.nextDelayMs = ms;
    }

    public int polls() {
        return polls;
    }

    void countPoll() {
        polls++;
    }

    public int transientFailures() {
        return transientFailures;
    }

    void countTransientFailure(String error) {
        transientFailures++;
        lastTransientError = error;
    }

    public String lastTransientError() {
        return lastTransientError;
    }

    public boolean isFinalCheck() {
        return finalCheck;
    }

    void finalCheck(boolean b) {
        finalCheck = b;
    }

    public boolean isActive() {
        return active;
    }

    public boolean getActive() {
        return active;
    }

    public boolean isTimedOut() {
        return timedOut;
    }

    public boolean getTimedOut() {
        return timedOut;
    }

    void finish(RemoteStatus status) {
        this.last = status;
        this.active = false;
    }

    void timeOut() {
        this.timedOut = true;
        this.active = false;
    }

    public RemoteStatus last() {
        return last;
    }

    void last(RemoteStatus s) {
        this.last = s;
    }

    String lastVendorStatus() {
        return lastVendorStatus;
    }

    void lastVendorStatus(String s) {
        lastVendorStatus = s;
    }

    Instant unknownSince() {
        return unknownSince;
    }

    void unknownSince(Instant i) {
        unknownSince = i;
    }
}
