package io.jobpilot.run;

import org.apache.camel.Exchange;

import java.time.Duration;
import java.time.Instant;

/**
 * Exactly once, for every remote start: the intent is durable before the request leaves, the answer is durable right
 * after it; a start whose answer was lost (a crash, a read timeout, a reset connection) is reconciled with the vendor
 * by the {@code reconcile-start} route, and what reconciliation concludes is decided here.
 */
public final class StartIntents {
    /** Exchange property: the {@link Verdict} of the latest look at the vendor. */
    public static final String VERDICT = RunExchange.START_VERDICT;
    /** Exchange property: true when reconciliation found the start did not reach the vendor: send it (once more). */
    public static final String SEND = "sendStart";

    /** What one look at the vendor says of an interrupted start. */
    public enum Verdict {
        /** The vendor has it (its id is recorded by the vendor bean): go on as if the answer had arrived. */
        STARTED,
        /** The vendor certainly does not have it: sending it is safe. */
        NOT_STARTED,
        /** Not visible (yet): look again; when the looks run out, it did not happen. */
        NOT_SEEN_YET,
        /** The vendor cannot tell: look again; when the looks run out, the user decides. */
        UNKNOWN
    }

    /** Exchange properties the vendor bean sets before {@code direct:start-call}: which start, and its note. */
    public static final String START = RunExchange.START;
    public static final String DETAIL = RunExchange.START_DETAIL;
    /** Exchange property: the vendor's call route that direct:retried-call sends through (iics-call, oneintegrate-call...). */
    public static final String CALL = RunExchange.VENDOR_CALL;
    /** Exchange property: the vendor's route that looks once for what became of an interrupted start. */
    public static final String CHECK = RunExchange.START_CHECK;
    /** Exchange property set by {@code direct:start-call}: true when the answer was lost after sending. */
    public static final String ANSWER_LOST = RunExchange.START_ANSWER_LOST;
    private static final String LOOKS = "startLooks";
    private static final String SENDS = "startSends";

    private final RunLedger ledger;
    private final Progress progress;
    private final int looks;
    private final long lookIntervalMs;

    public StartIntents(RunLedger ledger, Progress progress, int looks, Duration lookInterval) {
        this.ledger = ledger;
        this.progress = progress;
        this.looks = Math.max(1, looks);
        this.lookIntervalMs = lookInterval.toMillis();
    }

    /** Before the request goes out, with what reconciliation will need (the vendor's state before, for instance). */
    public void sending(Run run, RemoteStart start, String detail) {
        ledger.stepDone(run, start.sent(), detail);
    }

    /** For {@code direct:start-call}: the intent of property {@code start}, unless an earlier send recorded it. */
    public void sending(Exchange e) {
        Run run = RunExchange.run(e);
        RemoteStart start = e.getProperty(START, RemoteStart.class);
        String sendsOfStart = SENDS + "." + start.sent();    // counted per start: a run may have several (upload, start)
        int sends = e.getProperty(sendsOfStart, 0, Integer.class) + 1;
        if (sends > 2) {     // sent, lost, reconciled as not started, sent again and lost again: stop there
            throw uncertain(run, start, "its answer was lost twice");
        }
        e.setProperty(sendsOfStart, sends);
        e.setProperty(ANSWER_LOST, false);
        e.removeProperty(SEND);
        sending(run, start, e.getProperty(DETAIL, String.class));
        e.removeProperty(DETAIL);
    }

    /** The request may have reached the vendor but its answer did not come (or is unreadable): reconciliation follows. */
    public void answerLost(Exchange e) {
        Run run = RunExchange.run(e);
        RemoteStart start = e.getProperty(START, RemoteStart.class);
        Throwable t = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        e.setProperty(ANSWER_LOST, true);
        progress.say(run, "the answer to the " + start.what() + " was lost (" + Secrets.scrub(t == null
                ? "an HTML page instead of the vendor's answer" : String.valueOf(t.getMessage()))
                + "); asking the vendor what it did instead of sending it again");
    }

    /** A resumed run found the intent of {@code start} without its answer. */
    public void reconciling(Exchange e, RemoteStart start) {
        Run run = RunExchange.run(e);
        e.setProperty(START, start);
        e.removeProperty(VERDICT);
        e.removeProperty(LOOKS);
        progress.say(run, "the " + start.what() + " was sent at " + sentAt(run, start) + " but its answer was never recorded; "
                + "asking the vendor what it did");
    }

    /**
     * A lost start that the vendor offers no way to look up, and that is harmless to send again (an export only reads,
     * an upload imports nothing): it is sent once more, and {@code warning} in run.json says a first one may exist.
     */
    public void resendHarmless(Exchange e, RemoteStart start, String warning, String why) {
        reconciling(e, start);
        RunExchange.run(e).warn(warning);
        verdict(e, Verdict.NOT_STARTED);
        conclude(e, why);
    }

    /** For the reconcile loop's doWhile (no side effects: Camel may evaluate it on a copy): another look is due. */
    public boolean lookAgain(Exchange e) {
        int done = e.getProperty(LOOKS, 0, Integer.class);
        return done < looks && (done == 0 || undecided(e));
    }

    /** Counts a look (a step of the loop, so it changes the exchange itself). */
    public void looking(Exchange e) {
        e.setProperty(LOOKS, e.getProperty(LOOKS, 0, Integer.class) + 1);
    }

    /** No wait before the first look; the configured interval before each later one. */
    public long lookDelayMs(Exchange e) {
        return e.getProperty(LOOKS, 0, Integer.class) == 0 ? 0 : lookIntervalMs;
    }

    /** The start was sent and never answered, and no reconciliation has concluded yet that it must be sent. */
    public static boolean mustReconcile(Exchange e, RemoteStart start) {
        return start.unanswered(RunExchange.run(e)) && !sendNow(e);
    }

    /** True when reconciliation concluded the start must be sent (never true for a start the vendor has). */
    public static boolean sendNow(Exchange e) {
        return Boolean.TRUE.equals(e.getProperty(SEND, Boolean.class));
    }

    /** The answer (and the remote id in it) is recorded: the start is done. */
    public void answered(Run run, RemoteStart start) {
        ledger.stepDone(run, start.answered());
    }

    /** When the intent was recorded: a remote job begun after it can be the run's own. */
    public static Instant sentAt(Run run, RemoteStart start) {
        StepRecord r = run.stepRecord(start.sent());
        return r == null ? null : r.at();
    }

    public static String sentDetail(Run run, RemoteStart start) {
        StepRecord r = run.stepRecord(start.sent());
        return r == null ? null : r.detail();
    }

    public static Verdict verdictOf(Exchange e) {
        return e.getProperty(VERDICT, Verdict.class);
    }

    public static void verdict(Exchange e, Verdict v) {
        e.setProperty(VERDICT, v);
    }

    /** For the reconcile loop: look again while the vendor could not tell and looks are left. */
    public static boolean undecided(Exchange e) {
        Verdict v = e.getProperty(VERDICT, Verdict.class);
        return v == null || v == Verdict.NOT_SEEN_YET || v == Verdict.UNKNOWN;
    }

    /**
     * After the looks: STARTED goes on, NOT_STARTED (or not seen after every look) sends the start; UNKNOWN ends the run
     * with an uncertain start that names what the user can check and how to go on.
     */
    public void conclude(Exchange e, String whatWasSeen) {
        Run run = RunExchange.run(e);
        RemoteStart start = e.getProperty(START, RemoteStart.class);
        Verdict v = e.getProperty(VERDICT, Verdict.UNKNOWN, Verdict.class);
        e.removeProperty(VERDICT);
        e.removeProperty(LOOKS);
        boolean send = v == Verdict.NOT_STARTED || v == Verdict.NOT_SEEN_YET;
        e.setProperty(SEND, send);
        if (v == Verdict.UNKNOWN) {
            throw uncertain(run, start, whatWasSeen);
        }
        if (send) {
            progress.say(run, "the " + start.what() + " did not reach the vendor (" + whatWasSeen + "); sending it");
        }
    }

    /** The run ends FAILED (not START_FAILED: the remote job may exist), resumable with --restart-start. */
    public static RunFailure uncertain(Run run, RemoteStart start, String why) {
        return new RunFailure(ErrorKind.UNCERTAIN_START, start.what(), null, "the " + start.what() + " of run " + run.runId()
                + " may have reached the vendor (it was interrupted before its answer was recorded) and was not sent again: "
                + why + ". `jobpilot resume " + run.runId() + "` asks the vendor again; if it did not run, `jobpilot resume "
                + run.runId() + " --restart-start` sends it once more", Outcome.FAILED, null);
    }
}
