package io.jobpilot.run;

/**
 * The call to a vendor a run is making, in exchange property {@value #PROPERTY}: what the run's own code names when a
 * call fails or is counted (a poll's vendor, an unreachable host's step). The HTTP code's request implements it, so the
 * run needs no knowledge of how a call is sent.
 */
public interface RemoteCall {
    String PROPERTY = "request";

    /** Display name for messages ("1Integrate"). */
    String vendor();

    /** What this call is for ("get session status"). */
    String step();

    /** The method and the URL, with secrets masked: safe for any message. */
    @Override
    String toString();
}
