package io.jobpilot.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.iics.ExportScript;
import io.jobpilot.sandbox.oneintegrate.SessionScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor answering 200 with something that is not what the artifact must be, through the command line and the real
 * routes over HTTP: the run fails saying what came back, and nothing is saved under the artifact's name.
 */
class SavedAnswersTest extends JobpilotTestSupport {
    private static final String PACKAGE = "pod/saas/public/core/v3/export/[^/]+/package";

    private Cli last;

    private String export() {
        String name = "pkg-" + System.nanoTime();
        sandbox.iics().scriptExport(name, ExportScript.create().runningPolls(0));
        String runId = "x" + System.nanoTime();
        last = jobpilot("run", "iics-export", "-p", "objects=l7bgB85m5oGiXObDxwnvK9", "-p", "name=" + name, "--run-id", runId, "--json");
        return runId;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an HTML page    | text/html        | <!DOCTYPE html><html><head><title>Sign in</title></head></html> | text/html, 63 bytes starting '<!DOCTYPE html><html><head><title>Sign in</title'… | not a zip archive (no zip signature)",
            "an empty body   | application/zip  |                                                                  | application/zip, an empty body                                                  | not a zip archive (no zip signature)",
            "truncated JSON  | application/json | '{\"status\": \"Runn'                                            | application/json, 16 bytes starting '{\"status\": \"Runn'                      | not a zip archive (no zip signature)",
            "a truncated zip | application/zip  | PK\u0003\u0004\u0014\u0000\u0000\u0000broken                          | application/zip, 14 bytes starting 0x504b0304140000006272                         | not a readable zip archive ("})
    void anExportPackageThatIsNotAZipFailsTheRunSayingWhatCame(String what, String type, String body, String seen, String problem)
            throws Exception {
        sandbox.faults().add(Fault.on("GET", PACKAGE).status(200).body(type, body == null ? "" : body).always());
        String runId = export();

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        JsonNode result = runJson(runId);
        assertThat(result.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(result.path("error").path("kind").asText()).isEqualTo("PROTOCOL");
        assertThat(result.path("error").path("step").asText()).isEqualTo("download export package");
        assertThat(result.path("error").path("message").asText())
                .startsWith("IICS answered " + seen.strip())
                .contains(problem, "instead of export-package.zip (not saved) at step 'download export package'", "HTTP 200");
        Path dir = runDir(runId);
        assertThat(dir.resolve("export-package.zip")).doesNotExist();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("package"));
        assertThat(result.path("artifacts").toString()).doesNotContain("export-package.zip");
    }

    @Test
    void aJsonAnswerWithSomethingAfterTheDocumentIsNotSavedAsJson() throws Exception {
        String path = "Saved/Session" + System.nanoTime();
        sandbox.oneIntegrate().existingSession(path, SessionScript.create().runningPolls(0).task("t", 2));
        sandbox.faults().add(Fault.on("GET", "results/.+/task").status(200)
                .body("application/json", "{\"reportCount\":2}{\"reportCount\":3}").always());
        String runId = "s" + System.nanoTime();
        last = jobpilot("run", "oneintegrate-session", "-p", "path=" + path, "--run-id", runId, "--json");

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        JsonNode error = runJson(runId).path("error");
        assertThat(error.path("kind").asText()).isEqualTo("PROTOCOL");
        assertThat(error.path("message").asText()).startsWith("1Integrate answered application/json, 34 bytes starting '{\"reportCount\":2}{\"reportCount\":3}'")
                .contains("not one JSON document (more follows the first value), instead of tasks/t/summary.json (not saved)");
        assertThat(runDir(runId).resolve("tasks/t/summary.json")).doesNotExist();
    }
}
