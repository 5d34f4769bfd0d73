package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.iics.ExportScript;
import io.jobpilot.sandbox.iics.IicsSimulator;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The iics-export workflow through the command line, the real routes and the IICS simulator over HTTP. */
class IicsExportTest extends JobpilotTestSupport {
    private static final String EXPORTS = "pod/saas/public/core/v3/export";

    private Cli last;

    private String export(String name, ExportScript script, String... extra) {
        sandbox.iics().scriptExport(name, script);
        String runId = "x" + System.nanoTime();
        List<String> args = new ArrayList<>(List.of("run", "iics-export", "-p", "objects=l7bgB85m5oGiXObDxwnvK9,iIVBNZSpUKFg4N6g2PKUox",
                "-p", "name=" + name, "--run-id", runId, "--json"));
        args.addAll(List.of(extra));
        last = jobpilot(args.toArray(String[]::new));
        return runId;
    }

    @Test
    void objectPathsAreResolvedThroughTheLookupAndExportedByTheirIds() throws Exception {
        sandbox.iics().asset("6OZL5GLp1wckJzwhTG30kD", "Sales/Nightly/mt_load", "MTT")
                .asset("9qXcVb3LmN0pQrStUvWxYz", "Sales/Nightly/m_load", "DTEMPLATE");
        String runId = newRunId();

        Cli cli = jobpilot("run", "iics-export", "-p", "object-paths=Sales/Nightly/mt_load:MTT, /Sales/Nightly/m_load:dtemplate",
                "--run-id", runId, "--json");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.json().path("remoteIds").path("objectIds").asText()).isEqualTo("6OZL5GLp1wckJzwhTG30kD,9qXcVb3LmN0pQrStUvWxYz");
        JsonNode lookup = Json.MAPPER.readTree(sandbox.journal().matching("POST", "pod/saas/public/core/v3/lookup").get(0).body());
        assertThat(lookup.path("objects").path(1).path("path").asText()).isEqualTo("Sales/Nightly/m_load");
        assertThat(lookup.path("objects").path(1).path("type").asText()).isEqualTo("DTEMPLATE");
        assertThat(sandbox.journal().matching("POST", EXPORTS).get(0).body()).contains("6OZL5GLp1wckJzwhTG30kD", "9qXcVb3LmN0pQrStUvWxYz");
        assertThat(runDir(runId).resolve("lookup.json")).exists();
    }

    @Test
    void anObjectPathIicsDoesNotKnowIsAUsageErrorNamingIt() {
        sandbox.iics().asset("6OZL5GLp1wckJzwhTG30kD", "Sales/Nightly/mt_load", "MTT");

        Cli cli = jobpilot("run", "iics-export", "-p", "object-paths=Sales/Nightly/mt_load:MTT,Sales/Nightly/gone:MTT");
        Cli badForm = jobpilot("run", "iics-export", "-p", "object-paths=Sales/Nightly/mt_load");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.err()).contains("IICS has no Sales/Nightly/gone (MTT)").doesNotContain("mt_load (MTT)").doesNotContain("\tat ");
        assertThat(badForm.exitCode()).as(badForm.toString()).isEqualTo(2);
        assertThat(badForm.err()).contains("is not Project/Folder/Name:TYPE");
        assertThat(sandbox.journal().count("POST", EXPORTS)).isZero();
    }

    @Test
    void successfulExportWritesStatusLogAndPackage() throws Exception {
        String runId = export("nightly-" + System.nanoTime(), ExportScript.create().runningPolls(2).packagePadding(3_000_000));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        JsonNode result = last.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        String exportId = result.path("remoteIds").path("export").asText();
        assertThat(exportId).isNotBlank();
        Path dir = runDir(runId);
        JsonNode exportJson = Json.MAPPER.readTree(dir.resolve("export.json").toFile());
        assertThat(exportJson.path("status").path("state").asText()).isEqualTo("SUCCESSFUL");
        assertThat(exportJson.path("objects")).hasSize(2);
        assertThat(Files.readString(dir.resolve("export.log"))).contains("OIE_002").contains("Status: SUCCESSFUL");
        try (ZipFile zip = new ZipFile(dir.resolve("export-package.zip").toFile())) {
            assertThat(zip.stream().map(e -> e.getName()).toList()).contains("exportMetadata.v2.json", "padding.bin");
        }
        assertThat(result.path("counts").path("packageBytes").asLong()).isGreaterThan(3_000_000);
        assertThat(result.path("counts").path("objects").asInt()).isEqualTo(2);
        assertThat(result.path("artifacts").toString()).contains("export.json", "export.log", "export-package.zip", "run.json");
        assertThat(sandbox.journal().count("POST", EXPORTS)).isEqualTo(1);
        assertThat(sandbox.journal().matching("POST", EXPORTS).get(0).body()).contains("\"includeDependencies\":true");
        assertThat(sandbox.journal().count("GET", EXPORTS + "/" + exportId)).isGreaterThanOrEqualTo(3);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        assertSecretsAbsent(dir);
    }

    @Test
    void failedExportIsFailedWithTheObjectsAndTheLogButNoPackage() throws Exception {
        String runId = export("broken-" + System.nanoTime(), ExportScript.create().runningPolls(1)
                .endsWith("FAILED", "Export failed.").failObject("iIVBNZSpUKFg4N6g2PKUox", "Object is locked by another user"));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        JsonNode error = last.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("REMOTE_JOB");
        assertThat(error.path("vendorCode").asText()).isEqualTo("FAILED");
        assertThat(error.path("message").asText()).contains("ended FAILED (Export failed.)")
                .contains("1 object(s) failed").contains("iIVBNZSpUKFg4N6g2PKUox").contains("Object is locked by another user");
        assertThat(last.json().path("warnings").toString()).contains("Object is locked by another user");
        Path dir = runDir(runId);
        assertThat(dir.resolve("export.json")).exists();
        assertThat(Files.readString(dir.resolve("export.log"))).contains("OIE_005 ERROR");
        assertThat(dir.resolve("export-package.zip")).doesNotExist();
        assertThat(sandbox.journal().count("GET", EXPORTS + "/.+/package")).isZero();
    }

    @Test
    void anObjectThatFailsInASuccessfulExportFailsTheRun() throws Exception {
        export("partial-" + System.nanoTime(), ExportScript.create().runningPolls(0)
                .failObject("l7bgB85m5oGiXObDxwnvK9", "Dependency missing"));

        assertThat(last.exitCode()).as(last.toString()).isEqualTo(3);
        assertThat(last.json().path("error").path("message").asText()).contains("ended SUCCESSFUL").contains("Dependency missing");
        assertThat(last.json().path("counts").path("failedObjects").asInt()).isEqualTo(1);
    }

    @Test
    void followsAnExistingExportWithoutStartingOne() throws Exception {
        String exportId = sandbox.iics().existingExport(ExportScript.create().runningPolls(1), "5FA0DnMzeuDbYZnn3hdto9");
        String runId = "follow" + System.nanoTime();

        last = jobpilot("run", "iics-export", "-p", "export-id=" + exportId, "-p", "package=false", "--run-id", runId, "--json");

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(last.json().path("remoteIds").path("export").asText()).isEqualTo(exportId);
        assertThat(sandbox.journal().count("POST", EXPORTS)).isZero();
        assertThat(runDir(runId).resolve("export.json")).exists();
        assertThat(runDir(runId).resolve("export.log")).exists();
        assertThat(runDir(runId).resolve("export-package.zip")).doesNotExist();
    }

    @Test
    void aTimedOutExportIsResumedWithoutASecondExport() {
        String runId = export("slow-" + System.nanoTime(), ExportScript.create().runningPolls(8), "--timeout", "50ms");
        assertThat(last.exitCode()).as(last.toString()).isEqualTo(4);

        Cli refused = jobpilot("resume", runId, "--timeout", "20s", "--on-timeout", "stop");
        Cli resumed = jobpilot("resume", runId, "--timeout", "20s", "--json");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(runDir(runId).resolve("export-package.zip")).exists();
        assertThat(sandbox.journal().count("POST", EXPORTS)).isEqualTo(1);
    }

    @Test
    void sessionExpiryMidRunLogsInAgainAndCarriesOn() throws Exception {
        int loginsBefore = sandbox.iics().logins();

        export("expiring-" + System.nanoTime(), ExportScript.create().runningPolls(3).expireSessionsAtPoll(2));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(sandbox.iics().logins() - loginsBefore).as("the first login and one after the 401").isEqualTo(2);
        assertThat(sandbox.journal().count("POST", "saas/public/core/v3/login")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void tooManyRequestsAndUnavailableWhilePollingAreRetried() throws Exception {
        sandbox.faults().add(Fault.on("GET", EXPORTS + "/[^/]+").status(429).retryAfter(0)
                .body("application/json", "{\"error\":{\"code\":null,\"message\":\"too many requests\",\"requestId\":\"r1\",\"details\":null}}"));
        sandbox.faults().add(Fault.on("GET", EXPORTS + "/[^/]+").status(503).times(1));

        export("busy-" + System.nanoTime(), ExportScript.create().runningPolls(1));

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(last.err()).as(sandbox.journal().all().toString()).contains("HTTP 429").contains("HTTP 503");
    }

    @Test
    void badParametersExitTwoWithoutAnyHttpCall() {
        for (String[] args : List.of(
                new String[] {"run", "iics-export"},
                new String[] {"run", "iics-export", "-p", "objects=a1", "-p", "export-id=b2"},
                new String[] {"run", "iics-export", "-p", "objects=a1", "-p", "package=maybe"},
                new String[] {"run", "iics-export", "-p", "export-id=b2", "-p", "name=x"},
                new String[] {"run", "iics-export", "-p", "objects=not an id"},
                new String[] {"run", "iics-export", "-p", "objects=a1", "--on-timeout", "stop"})) {
            Cli cli = jobpilot(args);
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err()).contains("iics-export");
        }
        assertThat(sandbox.journal().all()).isEmpty();
    }

    /** Neither the password nor a session id is in any file of the run. */
    private static void assertSecretsAbsent(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".zip")).toList()) {
                assertThat(Files.readString(f)).doesNotContain(IicsSimulator.PASSWORD).doesNotContain("sessionId").doesNotContain("icSessionId");
            }
        }
    }
}
