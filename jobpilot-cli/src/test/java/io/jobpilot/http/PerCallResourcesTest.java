package io.jobpilot.http;

import io.jobpilot.sandbox.infolink.InfoLinkSimulator;
import io.jobpilot.sandbox.infolink.JobScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run is one exchange for its whole life; whatever one HTTP call holds must be released when that call is done,
 * not when the run ends, or a long job's memory grows with every poll. Counted on the live heap of this JVM (the
 * class histogram runs a full GC first) while a run that has made hundreds of calls is still in flight.
 */
class PerCallResourcesTest extends JobpilotTestSupport {
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)", Pattern.MULTILINE);

    @Override
    protected Map<String, String> testProperties() {
        Map<String, String> p = super.testProperties();
        p.put("jobpilot.poll.initial-interval", "2ms");
        p.put("jobpilot.poll.max-interval", "2ms");
        return p;
    }

    @Test
    void aLongPollingRunHoldsNothingPerCallItHasMade() throws Exception {
        String scenario = "Long" + System.nanoTime();
        sandbox.infoLink().script(scenario, JobScript.create().runningPolls(600).result("rows", 2));
        CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> jobpilot("run", "infolink-job",
                "-p", "app-id=" + InfoLinkSimulator.APP_ID, "-p", "scenario=" + scenario, "--json"));

        await().atMost(Duration.ofMinutes(2)).until(() -> statusCalls() >= 400 || run.isDone());
        assertThat(run.isDone()).as("the run is still polling").isFalse();
        long calls = statusCalls();
        Map<String, Long> live = liveInstances();

        assertThat(live.getOrDefault("org.apache.camel.component.http.HttpProducer$1", 0L))
                .as("camel-http completion callbacks alive after %d calls", calls).isLessThan(10);
        assertThat(live.getOrDefault("io.jobpilot.http.VendorResponse", 0L))
                .as("vendor answers alive after %d calls", calls).isLessThan(10);
        Cli done = run.get();
        assertThat(done.exitCode()).as(done.toString()).isZero();
    }

    private long statusCalls() {
        return sandbox.journal().matching("GET", "api/v1/getJobStatus(\\.jsp)?").size();
    }

    /** Live instances per class name, from the JVM's own class histogram (taken after a full GC). */
    static Map<String, Long> liveInstances() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> counts = new java.util.HashMap<>();
        Matcher m = HISTOGRAM_ROW.matcher(histogram);
        while (m.find()) {
            counts.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
        }
        return counts;
    }
}
