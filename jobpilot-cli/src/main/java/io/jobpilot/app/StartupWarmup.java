package io.jobpilot.app;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.runtime.WorkflowCatalog;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Start-up work that a command starting the runtime needs whatever its arguments, done on a thread of its own while
 * the command line is parsed and the command reads its configuration: in the order the command needs them, the
 * workflow definitions (Jackson's start and the YAML, about 0.1 s), Log4j's configuration (about 0.1 s), then what
 * the first vendor call would otherwise do on the run's own thread: the public suffix list of httpclient5's cookie
 * rules and the JDK's TLS set-up (security providers, cipher suites, the trust store: about 0.1 s together). A class
 * the main thread reaches while this thread initialises it waits for that, so nothing is done twice. Nothing of it
 * has an effect outside this process.
 */
public final class StartupWarmup {
    private static CompletableFuture<Void> logging;

    private StartupWarmup() {
    }

    /** Once per process; later calls do nothing. */
    public static synchronized void begin() {
        if (logging != null) {
            return;
        }
        CompletableFuture<Void> logs = new CompletableFuture<>();
        logging = logs;
        Thread warmup = new Thread(() -> {
            ahead(() -> WorkflowCatalog.workflows(JobpilotConfig.of(Map.of())));
            ahead(() -> LoggerFactory.getLogger(StartupWarmup.class));
            logs.complete(null);
            ahead(PublicSuffixMatcherLoader::getDefault);
            ahead(() -> {
                try {
                    SSLContext.getInstance("TLS").init(null, null, null);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }, "jobpilot-warmup");
        warmup.setDaemon(true);
        warmup.start();
    }

    /** A failure here is met again, and reported, by the thread that needs the work done. */
    private static void ahead(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | LinkageError e) {
            // left to the command's own thread
        }
    }

    /**
     * Waits for Log4j's configuration when {@link #begin} started it: a thread that asks for its first logger while
     * another configures Log4j gets Log4j's defaults until the configuration is done, and would log with them.
     */
    static void awaitLogging() {
        CompletableFuture<Void> logs;
        synchronized (StartupWarmup.class) {
            logs = logging;
        }
        if (logs != null) {
            logs.join();
        }
    }
}
