package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.http.Multipart;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.Runs;
import io.jobpilot.run.StartIntents;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static io.jobpilot.iics.IicsExchange.call;
import static io.jobpilot.iics.IicsExchange.response;
import static io.jobpilot.run.RunExchange.run;

/**
 * The IICS v3 import resource (docs/iics-import-facts.md), one method per documented call: upload the package
 * (multipart, streamed from disk), start the import job, read its status, then its status with objects and its log.
 * Artifacts: import.json, import.log.
 */
public final class IicsImportApi {
    static final String IMPORT_ID = "import";
    private static final String VENDOR = IicsSession.VENDOR;
    private static final String IMPORTS = "/public/core/v3/import";
    /** The multipart body of the upload, built in the run's folder and removed once IICS answered. */
    private static final String UPLOAD_BODY = ".import-upload.multipart";

    /** POST /import/package: creates an import job and imports nothing, so a lost answer is followed by a new upload. */
    public static final RemoteStart UPLOAD = new RemoteStart("import-upload-sent", "import-uploaded", "upload import package",
            "IICS import package upload");
    /** POST /import/{id}: the call that changes the organisation. */
    public static final RemoteStart IMPORT_START = new RemoteStart("import-start-sent", "import-started", "start import",
            "IICS import start");

    private final Ledger ledger;
    private final Runs runs;
    private final StartIntents startIntents;

    public IicsImportApi(Ledger ledger, Runs runs, StartIntents startIntents) {
        this.ledger = ledger;
        this.runs = runs;
        this.startIntents = startIntents;
    }

    private static String importUrl(Run run, String suffix) {
        return IMPORTS + "/" + run.remoteId(IMPORT_ID) + suffix;
    }

    // ---- 1. upload ---------------------------------------------------------------------------------------------------

    public boolean uploadUnanswered(Exchange e) {
        return run(e).remoteId(IMPORT_ID) == null && StartIntents.mustReconcile(e, UPLOAD);
    }

    public boolean needsUpload(Exchange e) {
        Run run = run(e);
        return run.remoteId(IMPORT_ID) == null && (UPLOAD.needed(run) || StartIntents.sendNow(e));
    }

    /**
     * IICS documents no way to list import jobs, so a lost upload cannot be looked up; an upload imports nothing, so a
     * second one is harmless: it is sent, and run.json's warnings say that an unused import job may exist.
     */
    public void reconcileUpload(Exchange e) {
        startIntents.resendHarmless(e, UPLOAD, "an earlier upload of this package was interrupted before IICS's answer was "
                + "recorded, and IICS offers no way to look import jobs up; the package was uploaded again (an upload imports "
                + "nothing, so a first one, if IICS has it, is an unused import job)", "IICS cannot list import jobs");
    }

    /** POST /import/package: the zip as the part named package (and relaxChecksum when asked), streamed from disk. */
    public void uploadRequest(Exchange e) throws IOException {
        Run run = run(e);
        Path zip = Path.of(run.param("package").trim());
        Map<String, String> fields = new LinkedHashMap<>();
        if (Boolean.parseBoolean(run.param("relax-checksum"))) {
            fields.put("relaxChecksum", "true");
        }
        String contentType = Multipart.write(run.file(UPLOAD_BODY), fields, "package", zip, zip.getFileName().toString(),
                "application/zip");
        call(e, VendorRequest.upload(VENDOR, UPLOAD.step(), IMPORTS + "/package", run.file(UPLOAD_BODY), contentType));
        e.setProperty(StartIntents.START, UPLOAD);
        e.setProperty(StartIntents.CALL, "iics-call");
        e.setProperty(StartIntents.DETAIL, "package " + zip.getFileName());
    }

    /** The import job id goes to the ledger the moment IICS returns it. */
    public void uploaded(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode answer = r.json();
        String id = answer.path("jobId").asText(null);
        if (id == null || id.isBlank()) {
            throw r.malformed("an import package upload answer without a 'jobId': " + r.snippet());
        }
        ledger.together(() -> {
            ledger.remoteId(run, IMPORT_ID, id);
            startIntents.answered(run, UPLOAD);
        });
        if (answer.path("checksumValid").isBoolean()) {
            run.count("checksumValid", answer.get("checksumValid").asBoolean());
        }
        Files.deleteIfExists(run.file(UPLOAD_BODY));
    }

    // ---- 2. start ----------------------------------------------------------------------------------------------------

    public boolean startUnanswered(Exchange e) {
        return StartIntents.mustReconcile(e, IMPORT_START);
    }

    /** False once the start is answered, or was sent and not reconciled: a resumed run never imports twice on its own. */
    public boolean needsStart(Exchange e) {
        Run run = run(e);
        return !run.done(IMPORT_START.answered()) && (IMPORT_START.needed(run) || StartIntents.sendNow(e));
    }

    /** POST /import/{id} with the name (default: the run id) and, when given, the conflict resolution and the objects. */
    public void startRequest(Exchange e) {
        Run run = run(e);
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", run.param("name", run.runId()));
        String conflict = run.param("conflict");
        String objects = run.param("objects");
        if (conflict != null || objects != null) {
            ObjectNode spec = body.putObject("importSpecification");
            if (conflict != null) {
                spec.put("defaultConflictResolution", conflict.trim().toUpperCase(Locale.ROOT));
            }
            if (objects != null) {
                ArrayNode include = spec.putArray("includeObjects");
                IicsImportSpec.objectIds(objects).forEach(include::add);
            }
        }
        call(e, VendorRequest.json(VENDOR, IMPORT_START.step(), "POST", importUrl(run, ""), Json.write(body)));
        e.setProperty(StartIntents.START, IMPORT_START);
        e.setProperty(StartIntents.CALL, "iics-call");
        e.setProperty(StartIntents.DETAIL, "import job " + run.remoteId(IMPORT_ID));
    }

    public void started(Exchange e) {
        Run run = run(e);
        ledger.together(() -> {
            startIntents.answered(run, IMPORT_START);
            runs.started(run, "import job " + run.remoteId(IMPORT_ID) + " started");
        });
    }

    // ---- 2b. a start whose answer was lost: the job says whether a start reached it -----------------------------------

    public void reconcilingStart(Exchange e) {
        startIntents.reconciling(e, IMPORT_START);
        e.setProperty(StartIntents.CHECK, "iics-import-find-start");
    }

    /** NOT_STARTED: no start has reached the job (yet); any other state: it was started, and is followed. */
    public void findStart(Exchange e) {
        Run run = run(e);
        RemoteStatus status = IicsExportStatus.read(response(e), "an import status");
        if (IicsExportStatus.normalise(status.vendorStatus()).equals("NOT_STARTED")) {
            StartIntents.verdict(e, StartIntents.Verdict.NOT_SEEN_YET);
            return;
        }
        run.warn("the start of import job " + run.remoteId(IMPORT_ID) + " was interrupted before IICS's answer was recorded; the job "
                + "was found " + status.vendorStatus() + " and is followed instead of being started again");
        ledger.together(() -> {
            startIntents.answered(run, IMPORT_START);
            runs.started(run, "import job " + run.remoteId(IMPORT_ID) + " found " + status.vendorStatus() + " after an interrupted start");
        });
        StartIntents.verdict(e, StartIntents.Verdict.STARTED);
    }

    public void concludeStart(Exchange e) {
        startIntents.conclude(e, "import job " + run(e).remoteId(IMPORT_ID) + " is still NOT_STARTED");
    }

    // ---- 3. status ---------------------------------------------------------------------------------------------------

    public void statusRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "get import status", importUrl(run(e), "")));
    }

    /** Sets {@code remote} from {@code status.state} (never from the message). */
    public void readStatus(Exchange e) {
        e.setProperty(PollPolicy.REMOTE, IicsExportStatus.read(response(e), "an import status"));
    }

    // ---- 4. results: status with objects, log ------------------------------------------------------------------------

    public void collecting(Exchange e) {
        runs.collecting(run(e), "collecting status and log");
    }

    public void objectsRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "get import status with objects", importUrl(run(e), "?expand=objects")));
    }

    /** Writes import.json; counts the objects and lists every one that did not import in run.json's warnings. */
    public void saveStatus(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode job = r.json();
        e.setProperty(PollPolicy.REMOTE, IicsExportStatus.read(r, "an import status"));
        r.saveAs(run, "import.json");
        IicsJobObjects.record(e, job, IicsImportApi::describeObject);
        if (job.hasNonNull("sourceOrgId")) {
            run.count("sourceOrgId", job.get("sourceOrgId").asText());
        }
    }

    /** "object /Project/Folder/m_orders (DTEMPLATE, id 0pXC...) to /Project/Folder/m_orders ended FAILED: message". */
    private static String describeObject(JsonNode object, String state) {
        JsonNode source = object.path("sourceObject");
        JsonNode target = object.path("targetObject");
        String message = object.path("status").path("message").asText(null);
        return "object " + pathOf(source) + " (" + source.path("type").asText("?") + ", id " + source.path("id").asText("?") + ")"
                + (target.isObject() ? " to " + pathOf(target) : "") + " ended " + state + (message == null ? "" : ": " + message);
    }

    private static String pathOf(JsonNode object) {
        String path = object.path("path").asText("");
        return (path.isEmpty() || path.equals("/") ? "/" : path.endsWith("/") ? path : path + "/") + object.path("name").asText("?");
    }

    public void logRequest(Exchange e) {
        call(e, new VendorRequest(VENDOR, "get import log", "GET", importUrl(run(e), "/log"), Map.of("Accept", "text/plain, */*"), null));
    }

    public void saveLog(Exchange e) throws IOException {
        response(e).saveAs(run(e), "import.log");
    }

    // ---- 5. outcome --------------------------------------------------------------------------------------------------

    /** A failed import job, or any object that did not import, ends the run FAILED with what IICS said. */
    public void requireSuccess(Exchange e) {
        IicsJobObjects.requireSuccess(e, "IICS import job " + run(e).remoteId(IMPORT_ID), "import status", "import.log");
    }
}
