package io.jobpilot.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The 1Integrate session workflow through the command line, the real routes and the simulator over HTTP. */
class OneIntegrateSessionTest extends JobpilotTestSupport {

    private String newPath() {
        return "Tests/Session " + System.nanoTime();
    }

    private String run(String path, SessionScript script, String... extra) throws Exception {
        sandbox.oneIntegrate().script(path, script);
        String runId = "r" + System.nanoTime();
        List<String> args = new java.util.ArrayList<>(List.of("run", "oneintegrate-session", "-p", "path=" + path,
                "-p", "session=" + sessionFile("{\"name\":\"test\"}"), "--run-id", runId, "--json"));
        args.addAll(List.of(extra));
        last = jobpilot(args.toArray(String[]::new));
        return runId;
    }

    private Cli last;

    @Test
    void happyPathWritesEveryArtifactAndRecordsTheRun() throws Exception {
        String path = newPath();
        String runId = run(path, SessionScript.create().runningPolls(2).task("geometry", 1500).task("attributes", 0));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        JsonNode result = last.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("remoteIds").path("session").asText()).isEqualTo(path);
        assertThat(result.path("counts").path("reports").asLong()).isEqualTo(1500);
        Path dir = runDir(runId);
        assertThat(dir.resolve("session.json")).exists();
        assertThat(dir.resolve("tasks/geometry/summary.json")).exists();
        assertThat(lines(dir.resolve("tasks/geometry/reports.ndjson"))).hasSize(1500);
        assertThat(lines(dir.resolve("tasks/attributes/reports.ndjson"))).isEmpty();
        assertThat(runJson(runId).path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(last.err()).contains("remote status Running").contains("remote status Finished")
                .contains("task geometry: 1500/1500 reports fetched");

        Cli show = jobpilot("show", runId, "--json");
        assertThat(show.exitCode()).isZero();
        JsonNode shown = show.json();
        assertThat(shown.path("run").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(shown.path("steps").toString()).contains("session-put", "played", "task:geometry", "task:attributes");
        assertThat(shown.path("events").toString()).contains("PENDING", "RUNNING", "COLLECTING", "SUCCEEDED");
        Cli runs = jobpilot("runs", "--json");
        assertThat(runs.json().findValuesAsText("runId")).contains(runId);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 999, 1000, 1001, 6570})
    void everyReportIsWrittenOnceInOrder(int count) throws Exception {
        String runId = run(newPath(), SessionScript.create().runningPolls(0).task("t", count));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        List<String> lines = lines(runDir(runId).resolve("tasks/t/reports.ndjson"));
        assertThat(lines).hasSize(count);
        List<Long> indexes = lines.stream().map(l -> readIndex(l)).toList();
        assertThat(indexes).containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> (long) i).toList());
        assertThat(last.json().path("warnings")).isEmpty();
        // the stop rule: the pages reportCount implies, plus one more only when the last of them was full
        long pages = sandbox.journal().count("GET", "results/.+/report");
        assertThat(pages).isEqualTo(count / 1000 + 1);
    }

    @Test
    void pagesThatArriveOutOfOrderOrAfterRetriesAreWrittenInOrderOnce() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/report").delay(400).times(1));   // answered after the others
        sandbox.faults().add(Fault.on("GET", "results/.+/report").status(503).times(2));  // retried
        String runId = run(newPath(), SessionScript.create().runningPolls(0).task("t", 12_345));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        List<Long> indexes = lines(runDir(runId).resolve("tasks/t/reports.ndjson")).stream().map(l -> readIndex(l)).toList();
        assertThat(indexes).containsExactlyElementsOf(IntStream.range(0, 12_345).mapToObj(i -> (long) i).toList());
        assertThat(sandbox.journal().count("GET", "results/.+/report")).isEqualTo(13 + 2);
        assertThat(runDir(runId).resolve("tasks/t/.reports.ndjson.pages")).doesNotExist();
    }

    @Test
    void reportPagesWrappedInAnObjectAndAReportCountThatDisagreesAreHandled() throws Exception {
        String runId = run(newPath(), SessionScript.create().runningPolls(0).task("t", 2500).wrapReports().claimReportCount(2000));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(lines(runDir(runId).resolve("tasks/t/reports.ndjson"))).hasSize(2500);
        assertThat(last.json().path("warnings").toString()).contains("reportCount is 2000 but 2500 reports were returned");
    }

    @Test
    void smallerPageSizeIsHonoured() throws Exception {
        String runId = run(newPath(), SessionScript.create().runningPolls(0).task("t", 250), "-p", "page-size=100");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(lines(runDir(runId).resolve("tasks/t/reports.ndjson"))).hasSize(250);
        assertThat(sandbox.journal().matching("GET", "results/.+/report")).allSatisfy(e -> assertThat(e.query()).contains("count=100"));
    }

    private static long readIndex(String line) {
        try {
            return Json.MAPPER.readTree(line).path("reportIndex").asLong();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
