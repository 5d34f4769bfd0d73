package io.jobpilot.oneintegrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The 1Integrate session workflow through the command line, the real routes and the simulator over HTTP. */
class OneIntegrateSessionTest extends JobpilotTestSupport {

    private String newPath() {
        return "Tests/Session " + System.nanoTime();
    }

    @Test
    void happyPathWritesEveryArtifactAndRecordsTheRun() throws Exception {
        String path = newPath();
        Ran ran = sessionRun(path, SessionScript.create().runningPolls(2).task("geometry", 1500).task("attributes", 0)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        JsonNode result = ran.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("remoteIds").path("session").asText()).isEqualTo(path);
        assertThat(result.path("counts").path("reports").asLong()).isEqualTo(1500);
        Path dir = runDir(ran.runId());
        assertThat(dir.resolve("session.json")).exists();
        assertThat(dir.resolve("tasks/geometry/summary.json")).exists();
        assertThat(lines(dir.resolve("tasks/geometry/reports.ndjson"))).hasSize(1500);
        assertThat(lines(dir.resolve("tasks/attributes/reports.ndjson"))).isEmpty();
        assertThat(runJson(ran.runId()).path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(ran.err()).contains("remote status Running").contains("remote status Finished")
                .contains("task geometry: 1,500/1,500 reports fetched (100%)");

        Cli show = jobpilot("show", ran.runId(), "--json");
        assertThat(show.exitCode()).isZero();
        JsonNode shown = show.json();
        assertThat(shown.path("run").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(shown.path("steps").toString()).contains("session-put", "played", "task:geometry", "task:attributes");
        assertThat(shown.path("events").toString()).contains("PENDING", "RUNNING", "COLLECTING", "SUCCEEDED");
        Cli runs = jobpilot("runs", "--json");
        assertThat(runs.json().findValuesAsText("runId")).contains(ran.runId());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 999, 1000, 1001, 6570})
    void everyReportIsWrittenOnceInOrder(int count) throws Exception {
        Ran ran = sessionRun(newPath(), SessionScript.create().runningPolls(0).task("t", count)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        List<String> lines = lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"));
        assertThat(lines).hasSize(count);
        List<Long> indexes = lines.stream().map(l -> readIndex(l)).toList();
        assertThat(indexes).containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> (long) i).toList());
        assertThat(ran.json().path("warnings")).isEmpty();
        // the stop rule: the pages reportCount implies, plus one more only when the last of them was full
        long pages = sandbox.journal().count("GET", "results/.+/report");
        assertThat(pages).isEqualTo(count / 1000 + 1);
    }

    @Test
    void pagesThatArriveOutOfOrderOrAfterRetriesAreWrittenInOrderOnce() throws Exception {
        sandbox.faults().add(Fault.on("GET", "results/.+/report").delay(400).times(1));   // answered after the others
        sandbox.faults().add(Fault.on("GET", "results/.+/report").status(503).times(2));  // retried
        Ran ran = sessionRun(newPath(), SessionScript.create().runningPolls(0).task("t", 12_345)).run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        List<Long> indexes = lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson")).stream().map(l -> readIndex(l)).toList();
        assertThat(indexes).containsExactlyElementsOf(IntStream.range(0, 12_345).mapToObj(i -> (long) i).toList());
        assertThat(sandbox.journal().count("GET", "results/.+/report")).isEqualTo(13 + 2);
        assertThat(runDir(ran.runId()).resolve("tasks/t/.reports.ndjson.pages")).doesNotExist();
    }

    @Test
    void reportPagesWrappedInAnObjectAndAReportCountThatDisagreesAreHandled() throws Exception {
        Ran ran = sessionRun(newPath(), SessionScript.create().runningPolls(0).task("t", 2500).wrapReports().claimReportCount(2000))
                .run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(2500);
        assertThat(ran.json().path("warnings").toString()).contains("reportCount is 2000 but 2500 reports were returned");
    }

    @Test
    void smallerPageSizeIsHonoured() throws Exception {
        Ran ran = sessionRun(newPath(), SessionScript.create().runningPolls(0).task("t", 250)).with("-p", "page-size=100").run();

        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(lines(runDir(ran.runId()).resolve("tasks/t/reports.ndjson"))).hasSize(250);
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
