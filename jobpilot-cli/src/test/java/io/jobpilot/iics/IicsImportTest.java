package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.sandbox.Fault;
import io.jobpilot.sandbox.RequestJournal;
import io.jobpilot.sandbox.iics.ImportScript;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The iics-import workflow through the command line, the real routes and the IICS simulator over HTTP. */
class IicsImportTest extends JobpilotTestSupport {
    private static final String UPLOAD = "pod/saas/public/core/v3/import/package";
    private static final String START = "pod/saas/public/core/v3/import/(?!package)[^/]+";
    private static final String STATUS = "pod/saas/public/core/v3/import/[^/]+";

    /** A small export package: a zip with the metadata file IICS writes and one object. */
    private Path exportPackage() throws IOException {
        Path zip = tmp.resolve("export-" + System.nanoTime() + ".zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("exportMetadata.v2.json"));
            out.write("{\"name\":\"nightly\",\"exportedObjects\":[]}".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("Explore/Default/m_load_orders.DTEMPLATE.zip"));
            out.write(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 13, 10, 45, 45});   // binary, with CRLF and dashes
            out.closeEntry();
        }
        return zip;
    }

    private RunCommand importOf(Path zip, String runId, ImportScript script) {
        sandbox.iics().scriptImport(runId, script);
        return workflow("iics-import").param("package", zip).runId(runId);
    }

    @Test
    void aPackageIsUploadedImportedAndItsStatusAndLogSaved() throws Exception {
        Path zip = exportPackage();
        String runId = newRunId();

        Ran cli = importOf(zip, runId, ImportScript.create().runningPolls(2)).param("conflict", "overwrite")
                .param("objects", "src1,src2").param("relax-checksum", "true").run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        JsonNode result = cli.json();
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        String jobId = result.path("remoteIds").path("import").asText();
        assertThat(jobId).isNotBlank();
        assertThat(result.path("counts").path("objects").asInt()).isEqualTo(2);
        assertThat(result.path("counts").path("failedObjects").asInt()).isZero();
        assertThat(result.path("counts").path("sourceOrgId").asText()).isEqualTo("0119Y4");
        JsonNode status = Json.MAPPER.readTree(runDir(runId).resolve("import.json").toFile());
        assertThat(status.path("status").path("state").asText()).isEqualTo("SUCCESSFUL");
        assertThat(status.path("objects")).hasSize(2);
        assertThat(status.path("objects").get(0).path("targetObject").path("name").asText()).isEqualTo("m_load_orders");
        assertThat(Files.readString(runDir(runId).resolve("import.log"))).contains("m_load_orders");
        assertThat(runDir(runId).resolve(".import-upload.multipart")).doesNotExist();

        RequestJournal.Entry upload = sandbox.journal().matching("POST", UPLOAD).get(0);
        assertThat(upload.body()).contains("name=\"package\"; filename=\"" + zip.getFileName() + "\"")
                .contains("name=\"relaxChecksum\"");
        assertThat(sandbox.journal().count("POST", UPLOAD)).isEqualTo(1);
        assertThat(sandbox.journal().matching("POST", START)).singleElement()
                .satisfies(e -> assertThat(e.path()).endsWith("/" + jobId));
        assertThat(sandbox.iics().importStartsOf(runId)).isOne();
        assertThat(sandbox.iics().importSpecificationOf(runId))
                .isEqualTo(Json.MAPPER.readTree("{\"defaultConflictResolution\":\"OVERWRITE\",\"includeObjects\":[\"src1\",\"src2\"]}"));
        assertThat(sandbox.journal().matching("GET", STATUS + "/log")).hasSize(1);
    }

    @Test
    void theZipReachesIicsByteForByte() throws Exception {
        Path zip = exportPackage();
        String runId = newRunId();

        Ran cli = importOf(zip, runId, ImportScript.create().runningPolls(0)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.iics().lastImportPackage()).isEqualTo(Files.readAllBytes(zip));
        assertThat(sandbox.journal().matching("POST", UPLOAD).get(0).body()).doesNotContain("relaxChecksum");
        assertThat(sandbox.journal().matching("POST", START).get(0).body()).isEqualTo("{\"name\":\"" + runId + "\"}");
    }

    @Test
    void anObjectThatDidNotImportFailsTheRun() throws Exception {
        String runId = newRunId();

        Ran cli = importOf(exportPackage(), runId, ImportScript.create().runningPolls(1)
                .failObject("mt_load_orders", "The connection Orders_DB does not exist in the target organization.")).run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("message").asText()).contains("1 object(s) failed")
                .contains("object /Default/mt_load_orders (MTT").contains("Orders_DB does not exist").contains("see import.log");
        assertThat(cli.json().path("warnings").toString()).contains("mt_load_orders");
        assertThat(runDir(runId).resolve("import.log")).exists();
    }

    @Test
    void aFailedImportJobFailsTheRun() throws Exception {
        Ran cli = importOf(exportPackage(), newRunId(), ImportScript.create().runningPolls(1).endsWith("FAILED", "Import failed."))
                .run();

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(3);
        assertThat(cli.json().path("error").path("vendorCode").asText()).isEqualTo("FAILED");
        assertThat(cli.json().path("error").path("message").asText()).contains("ended FAILED (Import failed.)");
    }

    @Test
    void unavailableAndTooManyRequestsOnTheStatusAreRetried() throws Exception {
        sandbox.faults().add(Fault.on("GET", STATUS).status(429).retryAfter(0)
                .body("application/json", "{\"error\":{\"code\":\"429\",\"message\":\"Too many requests\"}}"));
        sandbox.faults().add(Fault.on("GET", STATUS).status(503));

        Ran cli = importOf(exportPackage(), newRunId(), ImportScript.create().runningPolls(2)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.err()).contains("HTTP 429").contains("HTTP 503");
        assertThat(sandbox.journal().count("POST", START)).isEqualTo(1);
    }

    @Test
    void anUploadWhoseAnswerWasLostIsSentAgainWithAWarning() throws Exception {
        String runId = newRunId();
        sandbox.faults().add(Fault.on("POST", UPLOAD).afterActing().drop().times(1));

        Ran cli = importOf(exportPackage(), runId, ImportScript.create().runningPolls(1)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", UPLOAD)).isEqualTo(2);
        assertThat(sandbox.iics().importStartsOf(runId)).isOne();
        assertThat(cli.json().path("warnings").toString()).contains("the package was uploaded again");
    }

    @Test
    void aStartWhoseAnswerWasLostIsFoundOnTheJobAndNotSentAgain() throws Exception {
        String runId = newRunId();
        sandbox.faults().add(Fault.on("POST", START).afterActing().drop().times(1));

        Ran cli = importOf(exportPackage(), runId, ImportScript.create().runningPolls(1)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", START)).isEqualTo(1);
        assertThat(sandbox.iics().importStartsOf(runId)).isOne();
        assertThat(cli.json().path("warnings").toString()).contains("is followed instead of being started again");
    }

    @Test
    void aStartThatNeverReachedIicsIsSentOnceMore() throws Exception {
        String runId = newRunId();
        sandbox.faults().add(Fault.on("POST", START).drop().times(1));

        Ran cli = importOf(exportPackage(), runId, ImportScript.create().runningPolls(1)).run();

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(sandbox.journal().count("POST", START)).isEqualTo(2);
        assertThat(sandbox.iics().importStartsOf(runId)).as("the job was started once").isOne();
        assertThat(cli.err()).contains("did not reach the vendor");
    }

    @Test
    void resumeNeverStartsTheImportAgain() throws Exception {
        String runId = newRunId();
        Ran timedOut = importOf(exportPackage(), runId, ImportScript.create().runningPolls(12)).with("--timeout", "60ms").run();
        assertThat(timedOut.exitCode()).as(timedOut.toString()).isEqualTo(4);

        Cli resumed = jobpilot("resume", runId, "--timeout", "20s", "--json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(sandbox.iics().importStartsOf(runId)).isOne();
        assertThat(sandbox.journal().count("POST", UPLOAD)).isEqualTo(1);
    }

    @Test
    void badParametersExitTwoWithoutAnyHttpCall() throws Exception {
        Path notZip = tmp.resolve("notes.txt");
        Files.writeString(notZip, "not a zip");
        Path zip = exportPackage();
        for (String[] args : List.of(
                new String[] {"run", "iics-import"},
                new String[] {"run", "iics-import", "-p", "package=" + tmp.resolve("missing.zip")},
                new String[] {"run", "iics-import", "-p", "package=" + notZip},
                new String[] {"run", "iics-import", "-p", "package=" + zip, "-p", "conflict=maybe"},
                new String[] {"run", "iics-import", "-p", "package=" + zip, "-p", "objects= , "},
                new String[] {"run", "iics-import", "-p", "package=" + zip, "--on-timeout", "stop"})) {
            Cli cli = jobpilot(args);
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.err()).contains("iics-import").doesNotContain("Exception");
        }
        assertThat(jobpilot("run", "iics-import", "-p", "package=" + notZip).err()).contains("is not a zip archive");
        assertThat(sandbox.journal().all()).isEmpty();
    }
}
