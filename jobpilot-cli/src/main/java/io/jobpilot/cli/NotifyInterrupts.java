package io.jobpilot.cli;

import io.jobpilot.notify.NotifyWaits;
import io.jobpilot.app.JobpilotRuntime;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ctrl-C (SIGINT) and SIGTERM while `run` or `resume` waits for its run's notification: no further attempt from this
 * process, the delivery stays PENDING in the outbox, and the command goes on to print the run and exit with its
 * outcome's code. At any other moment (the run itself still going), or at a second signal, a signal keeps its usual
 * meaning: the JVM exits at once (an unfinished run stays resumable).
 */
final class NotifyInterrupts implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final JobpilotRuntime runtime;
    private final PrintWriter err;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile boolean interrupted;

    private NotifyInterrupts(JobpilotRuntime runtime, PrintWriter err) {
        this.runtime = runtime;
        this.err = err;
    }

    static NotifyInterrupts install(JobpilotRuntime runtime, PrintWriter err) {
        NotifyInterrupts interrupts = new NotifyInterrupts(runtime, err);
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            interrupts.previous.put(signal, Signal.handle(signal, interrupts::handle));
        }
        return interrupts;
    }

    /** True once a signal has cut the notification's schedule short. */
    boolean interrupted() {
        return interrupted;
    }

    private void handle(Signal signal) {
        NotifyWaits waits = runtime.beans().notifyWaits();
        if (waits.delivering(runtime.context())) {
            interrupted = true;   // before the waits end: the command goes on to its last lines at once
            err.println("jobpilot: interrupted (SIG" + signal.getName() + "): no further attempt of the notification from here"
                    + " (one under way finishes first); it stays PENDING in the outbox. Again to quit at once.");
            err.flush();
            waits.interrupt();
            return;
        }
        SignalHandler usual = previous.get(signal);
        if (usual == SignalHandler.SIG_IGN) {
            return;
        }
        if (usual == null || usual == SignalHandler.SIG_DFL) {
            System.exit(128 + signal.getNumber());
        }
        usual.handle(signal);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
