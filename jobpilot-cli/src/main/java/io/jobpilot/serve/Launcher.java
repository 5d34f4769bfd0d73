package io.jobpilot.serve;

import io.jobpilot.run.Run;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts runs in the background for the long-lived runtime. The caller (an API request, a Quartz fire) returns at
 * once; a small starter pool sends the run into {@code direct:jobpilot-run} asynchronously, and its thread is free again
 * at the run's first asynchronous wait. Knows which runs this node follows, for leases, stop and metrics.
 */
public final class Launcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final java.util.function.Supplier<CamelContext> context;
    private final ExecutorService starters;
    private final Map<String, Run> following = new ConcurrentHashMap<>();
    private final Set<String> launching = ConcurrentHashMap.newKeySet();
    /** Stops asked for while the run was being started here, before it was followed: given to the run once it is. */
    private final Map<String, String> pendingStops = new ConcurrentHashMap<>();
    private AsyncProducer producer;
    private AsyncProducer stopper;

    public Launcher(java.util.function.Supplier<CamelContext> context, int starterThreads) {
        this.context = context;
        this.starters = Executors.newFixedThreadPool(starterThreads, r -> {
            Thread t = new Thread(r, "jobpilot-start");
            t.setDaemon(true);
            return t;
        });
    }

    /** Body: an opened {@link Run}, or a RunRequest naming an existing run to resume. */
    public void launch(String runId, Object body) {
        if (!launching.add(runId)) {
            return;
        }
        starters.submit(() -> {
            try {
                Exchange exchange = new DefaultExchange(context.get());
                exchange.getMessage().setBody(body);
                producer().process(exchange, doneSync -> {
                    Run run = exchange.getProperty("run", Run.class);
                    following.remove(runId);
                    launching.remove(runId);
                    pendingStops.remove(runId);
                    if (exchange.getException() != null) {
                        // one that stopped unended was released as its exchange ended (RunLeases says so), and is resumed
                        LOG.warn("run {} {}: {}", runId, run == null ? "could not be started" : "stopped on an error",
                                exchange.getException().getMessage());
                    } else if (run != null && run.outcome() != null) {
                        LOG.debug("run {} ended {}", runId, run.outcome());
                    }
                });
                Run run = exchange.getProperty("run", Run.class);
                if (run != null && run.outcome() == null) {
                    following.put(runId, run);
                    String stop = pendingStops.remove(runId);
                    if (stop != null) {
                        run.requestStop(stop);
                    }
                }
            } catch (Exception e) {
                launching.remove(runId);
                LOG.error("run {} could not be started", runId, e);
            }
        });
    }

    /**
     * A stop for a run this node is starting: the run gets it as soon as it is followed (at its first wait), so a
     * Stop pressed just after a start is not refused. Whichever side takes the pending stop out acts on it, once.
     */
    public void stopOnceFollowed(String runId, String reason) {
        pendingStops.put(runId, reason);
        Run run = following.get(runId);
        if (run != null && pendingStops.remove(runId) != null) {
            run.requestStop(reason);
        }
    }

    /**
     * A run another node follows (or none does): its remote job is stopped from here, as {@code jobpilot stop} does
     * from any machine; the node that follows it then sees it ended. In the background: the caller answers at once.
     */
    public void stopFollowedElsewhere(String runId) {
        starters.submit(() -> {
            try {
                Exchange exchange = new DefaultExchange(context.get());
                exchange.getMessage().setBody(runId);
                stopper().process(exchange, doneSync -> {
                    if (exchange.getException() != null) {
                        LOG.warn("run {} could not be stopped: {}", runId, exchange.getException().getMessage());
                    }
                });
            } catch (Exception e) {
                LOG.error("run {} could not be stopped", runId, e);
            }
        });
    }

    private synchronized AsyncProducer stopper() throws Exception {
        if (stopper == null) {
            stopper = context.get().getEndpoint("direct:jobpilot-stop").createAsyncProducer();
            stopper.start();
        }
        return stopper;
    }

    private synchronized AsyncProducer producer() throws Exception {
        if (producer == null) {
            producer = context.get().getEndpoint("direct:jobpilot-run").createAsyncProducer();
            producer.start();
        }
        return producer;
    }

    /** The runs this node is following now (started, adopted or resumed here and not ended). */
    public Map<String, Run> following() {
        return Map.copyOf(following);
    }

    public Optional<Run> followed(String runId) {
        return Optional.ofNullable(following.get(runId));
    }

    public boolean isBusy(String runId) {
        return launching.contains(runId);
    }

    /** Without interrupting: a starter may be writing the ledger (see JobpilotBeans#close). */
    @Override
    public void close() {
        starters.shutdown();
        try {
            starters.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
