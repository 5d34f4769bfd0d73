package io.jobpilot.notify;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Notification;
import io.jobpilot.run.OnTimeout;
import io.jobpilot.run.Progress;
import io.jobpilot.run.RunRequest;
import io.jobpilot.run.RunResult;
import io.jobpilot.app.JobpilotRuntime;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Completion-notification tests: a WireMock receiver over real HTTP, the notify schedule in milliseconds
 * (3 immediate attempts, then 50ms doubling to 200ms, giving up 1500ms after the first attempt; 300ms per attempt),
 * and a 1Integrate run on the sandbox that ends quickly.
 */
abstract class NotifyTestSupport extends JobpilotTestSupport {
    static final String HOOK = "/hooks/jobpilot";
    /** The route a delivery's exchange runs in, redeliveries included (routes/jobpilot-notify.camel.yaml). */
    private static final String DELIVER_ROUTE = "jobpilot-notify-deliver";

    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private int runs;

    @BeforeEach
    void aSessionThatEndsQuickly() {
        sandbox.oneIntegrate().existingSession("Notify/Session", SessionScript.create().runningPolls(0).task("t", 3));
    }

    @Override
    protected Map<String, String> testProperties() {
        Map<String, String> p = new LinkedHashMap<>(super.testProperties());
        p.put("jobpilot.notify.immediate-attempts", "3");
        p.put("jobpilot.notify.initial-backoff", "50ms");
        p.put("jobpilot.notify.max-backoff", "200ms");
        p.put("jobpilot.notify.give-up-after", "1500ms");
        p.put("jobpilot.notify.attempt-timeout", "300ms");
        p.put("jobpilot.notify.poll-interval", "50ms");
        return p;
    }

    String hookUrl() {
        return receiver.baseUrl() + HOOK;
    }

    /** The receiver's requests, oldest first. */
    static List<LoggedRequest> attempts() {
        List<LoggedRequest> all = new ArrayList<>(receiver.getAllServeEvents().stream().map(e -> e.getRequest()).toList());
        all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    /** Milliseconds between consecutive requests, as the receiver saw them. */
    static List<Long> gaps() {
        List<LoggedRequest> a = attempts();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            gaps.add(a.get(i).getLoggedDate().getTime() - a.get(i - 1).getLoggedDate().getTime());
        }
        return gaps;
    }

    /** The receiver fails {@code failures} times (HTTP 500, or with a delay: answering too late), then answers 200. */
    static void failThenAccept(int failures, int failureDelayMs) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= failures; i++) {
            receiver.stubFor(post(urlPathEqualTo(HOOK)).inScenario("receiver").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(failureDelayMs > 0 ? 200 : 500).withFixedDelay(failureDelayMs))
                    .willSetStateTo("failed " + i));
            state = "failed " + i;
        }
        receiver.stubFor(post(urlPathEqualTo(HOOK)).inScenario("receiver").whenScenarioStateIs(state).willReturn(aResponse().withStatus(200)));
    }

    /** A long-lived runtime (serve, embedded) on this test's ledger: it runs whole schedules. */
    JobpilotRuntime startRuntime(Map<String, String> more) {
        Map<String, String> p = new LinkedHashMap<>(testProperties());
        p.putAll(more);
        return JobpilotRuntime.start(JobpilotConfig.of(p), new Progress(Progress.Mode.OFF, new PrintWriter(new StringWriter())));
    }

    JobpilotRuntime startRuntime() {
        return startRuntime(Map.of());
    }

    /**
     * One delivery that fails once and then succeeds, so that the measured ones that follow see the schedule and not
     * the first use of the code path (class loading, bean introspection); then the receiver is reset.
     */
    void warmUp(JobpilotRuntime runtime) {
        receiver.stubFor(post(HOOK).inScenario("warm-up").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("warm"));
        receiver.stubFor(post(HOOK).inScenario("warm-up").whenScenarioStateIs("warm").willReturn(aResponse().withStatus(200)));
        String runId = runWithNotify(runtime).runId();
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(notification(runtime, runId).state()));
        receiver.resetAll();
    }

    /** Runs the quick session with --notify and returns its result. */
    RunResult runWithNotify(JobpilotRuntime runtime) {
        String runId = "notify-" + (++runs) + "-" + System.nanoTime();
        return runtime.run(new RunRequest("oneintegrate-session", Map.of("path", "Notify/Session"), runId, null, null, OnTimeout.FAIL,
                false, hookUrl()));
    }

    /**
     * Asserts that nothing in this process will send a notification any more, without waiting to see: an attempt comes
     * only from a delivery's exchange (a redelivery waits on the scheduler as an in-flight exchange) or from a delivery
     * the outbox finds due. The first is awaited to end; the second is asked for by running the outbox's own pass over
     * due deliveries, which answers what it claimed.
     */
    static void assertNothingMoreToSend(JobpilotRuntime runtime) {
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.context().getInflightRepository().size(DELIVER_ROUTE) == 0);
        List<?> due = runtime.context().createFluentProducerTemplate().to("direct:jobpilot-notify-continue-due").request(List.class);
        assertThat(due).as("deliveries the outbox finds due").isEmpty();
    }

    static Notification notification(JobpilotRuntime runtime, String runId) {
        return runtime.beans().ledger().find(runId).orElseThrow().result().notification();
    }
}
