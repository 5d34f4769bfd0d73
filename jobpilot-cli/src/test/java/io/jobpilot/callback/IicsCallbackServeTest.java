package io.jobpilot.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.iics.IicsSimulator;
import io.jobpilot.sandbox.iics.TaskScript;
import io.jobpilot.support.ServeTestSupport;
import io.jobpilot.support.TestHttp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * IICS callbacks in serve mode, over real HTTP, through the real routes: the simulator calls the callbackURL jobpilot
 * sent, or the test POSTs to it itself. The activity log always has the last word.
 */
class IicsCallbackServeTest extends ServeTestSupport {
    private static final String JOB = "pod/saas/api/v2/job";
    private static final String READS = "pod/saas/api/v2/activity/activity(Monitor|Log)";
    private static final String LOG = "pod/saas/api/v2/activity/activityLog";
    private static final String MONITOR = "pod/saas/api/v2/activity/activityMonitor";
    private static final Pattern CALLBACK_URL = Pattern.compile("\"callbackURL\":\"([^\"]+)\"");
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    private static TaskScript newTask() {
        return TaskScript.create("0119CB0Z" + String.format("%012d", IDS.incrementAndGet()));
    }

    /** Serve mode receiving callbacks; polls tick every 50 ms, the backstop comes after {@code backstop}. */
    private void serveWithCallbacks(String backstop) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jobpilot.callback.public-url", "http://127.0.0.1:" + freePort());
        p.put("jobpilot.callback.tick", "50ms");
        p.put("jobpilot.callback.backstop-interval", backstop);
        p.put("jobpilot.callback.max-body", "4096");
        serve(p);
    }

    private String start(TaskScript task, String runId) throws Exception {
        sandbox.iics().task(task);
        HttpResponse<String> r = call("POST", "/api/runs", "{\"workflow\":\"iics-job\",\"params\":{\"task-id\":\"" + task.taskId()
                + "\",\"task-type\":\"MTT\",\"callback\":\"true\"},\"runId\":\"" + runId + "\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return runId;
    }

    /** The callbackURL jobpilot sent with the start of the task (the simulator's journal has it). */
    private String callbackUrl(TaskScript task) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.journal().matching("POST", JOB).stream()
                .anyMatch(e -> e.body().contains(task.taskId())));
        String body = sandbox.journal().matching("POST", JOB).stream().filter(e -> e.body().contains(task.taskId())).findFirst()
                .orElseThrow().body();
        Matcher m = CALLBACK_URL.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return call("POST", url.substring(url.indexOf("/callbacks/")), body, null);
    }

    private List<Instant> receipts(String runId) throws Exception {
        List<Instant> at = new ArrayList<>();
        try (Connection c = runtime.beans().ledger().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT r.received_at FROM jp_callback_receipt r JOIN jp_callback_token t "
                     + "ON r.token_hash = t.token_hash WHERE t.run_id = '" + runId + "'")) {
            while (rs.next()) {
                at.add(rs.getTimestamp(1).toInstant());
            }
        }
        return at;
    }

    private List<RequestJournal.Entry> reads(TaskScript task) {
        return sandbox.journal().all().stream().filter(e -> e.path().matches(READS))
                .filter(e -> e.path().endsWith("activityMonitor") || e.query().contains(task.taskId())).toList();
    }

    @Test
    void aCallbackFinishesTheRunOnceTheActivityLogConfirmsIt() throws Exception {
        serveWithCallbacks("1m");
        TaskScript task = newTask().phases(1, 2, 1);
        int sent = sandbox.iics().callbacksSent();
        Instant before = Instant.now();
        String runId = start(task, "cb-valid");

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCEEDED".equals(outcomeOf(runId)));

        assertThat(Duration.between(before, Instant.now())).as("ended long before the 1m backstop").isLessThan(Duration.ofSeconds(15));
        assertThat(sandbox.iics().callbacksSent() - sent).isEqualTo(1);
        List<Instant> received = receipts(runId);
        assertThat(received).hasSize(1);
        List<RequestJournal.Entry> logReads = sandbox.journal().matching("GET", LOG).stream()
                .filter(e -> e.query().contains(task.taskId())).toList();
        assertThat(logReads).as("the activity log confirmed the end").isNotEmpty();
        assertThat(reads(task)).as("nothing was read before the callback: the run waited without polling")
                .allSatisfy(e -> assertThat(e.at()).isAfterOrEqualTo(received.get(0).minusMillis(5)));
        assertThat(runJson(runId).path("counts").path("successTargetRows").asLong()).isEqualTo(1000);
    }

    @Test
    void duplicateCallbacksAreAnsweredAndRecordedOnceAndAfterTheEndDoNothing() throws Exception {
        serveWithCallbacks("1m");
        TaskScript task = newTask().phases(1, 2, 1).callbackTimes(4);
        int sent = sandbox.iics().callbacksSent();
        String runId = start(task, "cb-dup");

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCEEDED".equals(outcomeOf(runId)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.iics().callbacksSent() - sent >= 4);
        String url = callbackUrl(task);
        String again = "{\"@type\":\"callbackUrlResponse\",\"objectId\":\"" + task.taskId() + "\",\"runId\":1,\"status\":\"COMPLETED\"}";
        Instant retried = Instant.now();
        assertThat(post(url, again).statusCode()).as("a retry after the end is still answered 200").isEqualTo(200);

        assertThat(receipts(runId)).as("one record for the four identical callbacks and the retry").hasSize(1);
        // The retry's processing goes on after its 200; all it can do is wake the run, and only a run whose poll loop
        // still waits is woken (reads come from that loop alone). The loop ended with the run: nothing is left to read.
        CallbackInbox inbox = runtime.context().getRegistry().lookupByNameAndType("callbackInbox", CallbackInbox.class);
        assertThat(inbox.isWaiting(runId)).as("the ended run's loop no longer waits for callbacks").isFalse();
        assertThat(sandbox.journal().matching("GET", LOG).stream().filter(e -> e.query().contains(task.taskId())))
                .as("the one read of the activity log that confirmed the end").hasSize(1);
        assertThat(checks()).as("nothing read for the ended run").allSatisfy(t -> assertThat(t).isBefore(retried));
    }

    /** The start of each status check (its activity-monitor read), oldest first. */
    private List<Instant> checks() {
        return sandbox.journal().matching("GET", MONITOR).stream().map(RequestJournal.Entry::at).toList();
    }

    /** Stops the task's run in IICS itself, as a user would in its UI: IICS then calls back (FAILED) once. */
    private void stopInIics(TaskScript task) throws Exception {
        String base = sandbox.connectionProperties().get("jobpilot.iics.login-url");
        HttpResponse<String> login = TestHttp.send(client, HttpRequest.newBuilder(URI.create(base + "/ma/api/v2/user/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + IicsSimulator.USER + "\",\"password\":\""
                        + IicsSimulator.PASSWORD + "\"}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode session = json(login);
        HttpResponse<String> stop = TestHttp.send(client, HttpRequest.newBuilder(URI.create(session.path("serverUrl").asText() + "/api/v2/job/stop"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"taskId\":\"" + task.taskId() + "\",\"taskType\":\"MTT\"}"))
                .header("Content-Type", "application/json").header("icSessionId", session.path("icSessionId").asText()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
    }

    @Test
    void theVendorsCopyOfACallbackThatCameBeforeTheActivityLogHadTheEndWakesTheRunAgain() throws Exception {
        serveWithCallbacks("10m");   // the backstop explains no read in this test
        TaskScript task = newTask().runsForever();   // ends when stopped in IICS, which then calls back once
        String runId = start(task, "cb-early");
        String url = callbackUrl(task);
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(json(call("GET", "/api/runs/" + runId, null, null))
                .path("run").path("state").asText()));

        // the callback IICS is going to send, come early: the activity monitor still lists the run, which goes back to
        // waiting and confirms 1, 2, 4... ticks later; after 7 checks the next one is 64 ticks (3.2s) away
        int before = checks().size();
        String callback = "{\"@type\":\"callbackUrlResponse\",\"objectId\":\"" + task.taskId() + "\",\"runId\":1,"
                + "\"status\":\"FAILED\"}";
        assertThat(post(url, callback).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> checks().size() >= before + 7);
        List<Instant> confirming = checks().subList(before, checks().size());
        Instant lastConfirming = confirming.get(confirming.size() - 1);
        Duration nextConfirming = Duration.ofMillis(50L << (confirming.size() - 1));
        int sent = sandbox.iics().callbacksSent();

        stopInIics(task);   // the activity log lists the end now, and IICS sends the same callback again

        await().atMost(Duration.ofSeconds(20)).until(() -> outcomeOf(runId) != null);
        assertThat(sandbox.iics().callbacksSent() - sent).as("the copy was sent and answered").isEqualTo(1);
        assertThat(receipts(runId)).as("the copy is not recorded again").hasSize(1);
        List<Instant> after = checks().stream().filter(t -> t.isAfter(lastConfirming)).toList();
        assertThat(after).as("one more check, and it saw the end").hasSize(1);
        assertThat(Duration.between(lastConfirming, after.get(0))).as("woken by the copy: the confirmations would have come "
                + "%s after the last one, the backstop 10m", nextConfirming).isLessThan(nextConfirming.dividedBy(2));
        assertThat(sandbox.journal().matching("GET", LOG).stream().filter(e -> e.query().contains(task.taskId()))
                .filter(e -> e.at().isAfter(lastConfirming))).as("the activity log confirmed the end").isNotEmpty();
        assertThat(outcomeOf(runId)).isEqualTo("STOPPED");
    }

    @Test
    void badCallbacksGetFourHundreds() throws Exception {
        serveWithCallbacks("1m");
        TaskScript task = newTask().runsForever();
        start(task, "cb-bad");
        String url = callbackUrl(task);
        String prefix = url.substring(0, url.lastIndexOf('/') + 1);

        HttpResponse<String> unknown = post(prefix + "A".repeat(43), "{\"objectId\":\"x\",\"runId\":1,\"status\":\"COMPLETED\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(post(prefix + "short", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> garbage = post(url, "<html>not json");
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertThat(json(garbage).path("error").asText()).contains("JSON object");
        HttpResponse<String> incomplete = post(url, "{\"@type\":\"callbackUrlResponse\",\"objectId\":\"" + task.taskId() + "\"}");
        assertThat(incomplete.statusCode()).isEqualTo(400);
        assertThat(json(incomplete).path("error").asText()).contains("runId").contains("status");
        HttpResponse<String> big = post(url, "{\"objectId\":\"" + "x".repeat(5000) + "\",\"runId\":1,\"status\":\"COMPLETED\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(call("GET", url.substring(url.indexOf("/callbacks/")), null, null).statusCode()).isEqualTo(405);
        assertThat(receipts("cb-bad")).isEmpty();
    }

    @Test
    void aForgedCallbackDoesNotFinishTheRun() throws Exception {
        serveWithCallbacks("1m");
        TaskScript task = newTask().runsForever();
        String runId = start(task, "cb-forged");
        String url = callbackUrl(task);
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(json(call("GET", "/api/runs/" + runId, null, null))
                .path("run").path("state").asText()));

        Instant forged = Instant.now();
        String body = "{\"@type\":\"callbackUrlResponse\",\"endTime\":\"2026-01-01T00:00:00.000Z\",\"objectId\":\""
                + task.taskId() + "\",\"objectName\":\"t\",\"runId\":1,\"status\":\"COMPLETED\"}";
        HttpResponse<String> r = post(url, body);
        assertThat(r.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> reads(task).stream().anyMatch(e -> e.at().isAfter(forged)));
        // the check the forged callback caused must not end the run afterwards either: a copy of the callback wakes the
        // run again, and its poll loop starts another check (an activity-monitor read) only once it has dealt with the
        // answer of the one before
        Instant copied = Instant.now();
        assertThat(post(url, body).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> checks().stream().anyMatch(t -> t.isAfter(copied)));
        assertThat(outcomeOf(runId)).as("the activity monitor still lists the run: it goes on").isNull();
        assertThat(runtime.beans().ledger().find(runId).orElseThrow().result().state()).isEqualTo("RUNNING");
    }

    @Test
    void aLostCallbackIsMadeUpForByTheBackstopPoll() throws Exception {
        serveWithCallbacks("600ms");
        TaskScript task = newTask().phases(1, 2, 1).callbackTimes(0);
        int sent = sandbox.iics().callbacksSent();
        Instant before = Instant.now();
        String runId = start(task, "cb-lost");

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCEEDED".equals(outcomeOf(runId)));

        assertThat(sandbox.iics().callbacksSent()).isEqualTo(sent);
        assertThat(receipts(runId)).isEmpty();
        assertThat(reads(task)).isNotEmpty().allSatisfy(e -> assertThat(e.at()).as("first read at the backstop")
                .isAfterOrEqualTo(before.plusMillis(600)));
    }

    @Test
    void theTokenIsNeverStoredOrWrittenInClear() throws Exception {
        serveWithCallbacks("1m");
        TaskScript task = newTask().phases(1, 2, 1).callbackTimes(2);
        String runId = start(task, "cb-secret");
        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCEEDED".equals(outcomeOf(runId)));
        String url = callbackUrl(task);
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(token).hasSize(43).doesNotContain(runId);

        try (var files = Files.walk(runDir(runId))) {
            for (var f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(token);
            }
        }
        assertThat(Files.readString(runDir(runId).resolve("job.json"))).contains("/callbacks/iics/****");
        StringBuilder dump = new StringBuilder();
        try (Connection c = runtime.beans().ledger().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SCRIPT")) {
            while (rs.next()) {
                dump.append(rs.getString(1)).append('\n');
            }
        }
        assertThat(dump).contains(CallbackTokens.hash(token)).doesNotContain(token);
        assertThat(json(call("GET", "/api/runs/" + runId, null, null)).toString()).doesNotContain(token);
    }
}
