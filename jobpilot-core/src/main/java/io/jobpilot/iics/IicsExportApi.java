package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.PollPolicy;
import io.jobpilot.run.RemoteState;
import io.jobpilot.run.RemoteStatus;
import io.jobpilot.run.Run;
import io.jobpilot.run.RemoteStart;
import io.jobpilot.run.Runs;
import io.jobpilot.run.StartIntents;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static io.jobpilot.iics.IicsExchange.call;
import static io.jobpilot.iics.IicsExchange.response;
import static io.jobpilot.run.RunExchange.run;

/**
 * The IICS v3 export resource (seed 001), one method per documented call: start (or follow) an export job, read its
 * status, then its status with objects, its log and its package. Artifacts: export.json, export.log,
 * export-package.zip.
 */
public final class IicsExportApi {
    static final String EXPORT_ID = "export";
    private static final String VENDOR = IicsSession.VENDOR;
    private static final String EXPORTS = "/public/core/v3/export";
    private static final String FAILED_OBJECTS = "failedObjects";

    /** POST /public/core/v3/export, bracketed in the ledger: sent, then answered with the export id. */
    public static final RemoteStart EXPORT_START = new RemoteStart("export-start-sent", "export-started", "start export",
            "IICS export start");

    private final Ledger ledger;
    private final Runs runs;
    private final StartIntents startIntents;

    public IicsExportApi(Ledger ledger, Runs runs, StartIntents startIntents) {
        this.ledger = ledger;
        this.runs = runs;
        this.startIntents = startIntents;
    }

    private static String exportUrl(Run run, String suffix) {
        return EXPORTS + "/" + run.remoteId(EXPORT_ID) + suffix;
    }

    // ---- 1. start, or follow an existing export job -------------------------------------------------------------------

    /** False once an export id is recorded, or a start was sent and not reconciled. */
    public boolean needsStart(Exchange e) {
        Run run = run(e);
        return run.remoteId(EXPORT_ID) == null && (EXPORT_START.needed(run) || StartIntents.sendNow(e));
    }

    /** A start was sent (by this run, perhaps by a process that died) and its answer never recorded. */
    public boolean startUnanswered(Exchange e) {
        return run(e).remoteId(EXPORT_ID) == null && StartIntents.mustReconcile(e, EXPORT_START);
    }

    /**
     * IICS documents no way to list export jobs, so a lost start cannot be looked up. An export only reads, so a second
     * one is harmless: it is started, and run.json's warnings say that an export job without an owner may exist.
     */
    public void reconcileStart(Exchange e) {
        startIntents.resendHarmless(e, EXPORT_START, "an earlier start of this export was interrupted before IICS's answer was "
                + "recorded, and IICS offers no way to look export jobs up; a new export job was started (exports only read, so a "
                + "first one, if IICS ran it, is harmless)", "IICS cannot list export jobs");
    }

    public boolean followsExisting(Exchange e) {
        return run(e).param("export-id") != null;
    }

    /** POST /public/core/v3/export with the objects (-p objects, or the ids -p object-paths resolved to), name (default: the
     *  run id) and includeDependencies. */
    public void startRequest(Exchange e) {
        Run run = run(e);
        boolean dependencies = Boolean.parseBoolean(run.param("include-dependencies"));
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", run.param("name", run.runId()));
        ArrayNode objects = body.putArray("objects");
        IicsExportSpec.objectIds(run.param("objects", run.remoteId(IicsLookup.OBJECT_IDS))).forEach(id -> objects.addObject().put("id", id)
                .put("includeDependencies", dependencies));
        call(e, VendorRequest.json(VENDOR, "start export", "POST", EXPORTS, Json.write(body)));
        e.setProperty(StartIntents.START, EXPORT_START);
        e.setProperty(StartIntents.CALL, "iics-call");
    }

    /** The export id goes to the ledger the moment IICS returns it. */
    public void started(Exchange e) {
        Run run = run(e);
        VendorResponse r = response(e);
        String id = r.json().path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw r.malformed("an export job without an 'id'");
        }
        ledger.together(() -> {
            ledger.remoteId(run, EXPORT_ID, id);
            startIntents.answered(run, EXPORT_START);
            runs.started(run, "export job " + id + " started");
        });
    }

    public void follow(Exchange e) {
        Run run = run(e);
        ledger.together(() -> {
            ledger.remoteId(run, EXPORT_ID, run.param("export-id"));
            runs.started(run, "following export job " + run.param("export-id"));
        });
    }

    // ---- 2. status ---------------------------------------------------------------------------------------------------

    public void statusRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "get export status", exportUrl(run(e), "")));
    }

    /** Sets {@code remote} from {@code status.state} (never from the message). */
    public void readStatus(Exchange e) {
        e.setProperty(PollPolicy.REMOTE, status(response(e)));
    }

    private static RemoteStatus status(VendorResponse r) {
        return IicsExportStatus.read(r, "an export status");
    }

    // ---- 3. results: status with objects, log, package ---------------------------------------------------------------

    public void collecting(Exchange e) {
        runs.collecting(run(e), "collecting status, log and package");
    }

    public void objectsRequest(Exchange e) {
        call(e, VendorRequest.get(VENDOR, "get export status with objects", exportUrl(run(e), "?expand=objects")));
    }

    /** Writes export.json; counts the objects and lists every one that did not export in run.json's warnings. */
    public void saveStatus(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode export = r.json();
        e.setProperty(PollPolicy.REMOTE, status(r));
        r.saveAs(run, "export.json");
        IicsJobObjects.record(e, export, IicsExportApi::describeObject);
    }

    private static String describeObject(JsonNode object, String state) {
        String path = object.path("path").asText("");
        String message = object.path("status").path("message").asText(null);
        return "object " + (path.isEmpty() || path.equals("/") ? "/" : path + "/") + object.path("name").asText("?") + " ("
                + object.path("type").asText("?") + ", id " + object.path("id").asText("?") + ") ended " + state
                + (message == null ? "" : ": " + message);
    }

    public void logRequest(Exchange e) {
        call(e, new VendorRequest(VENDOR, "get export log", "GET", exportUrl(run(e), "/log"), Map.of("Accept", "text/plain, */*"),
                null));
    }

    public void saveLog(Exchange e) throws IOException {
        response(e).saveAs(run(e), "export.log");
    }

    /** The package exists only after SUCCESSFUL, and is skipped with -p package=false. */
    public boolean wantsPackage(Exchange e) {
        RemoteStatus remote = e.getProperty(PollPolicy.REMOTE, RemoteStatus.class);
        return remote.state() == RemoteState.SUCCEEDED && Boolean.parseBoolean(run(e).param("package"));
    }

    /**
     * GET /package: the zip is streamed to disk as it arrives, and becomes export-package.zip once IICS said 200 and it
     * is a zip archive (an HTML page, an empty or a truncated body fails the run saying what came). Any content type
     * is accepted: the body is judged by what it is (a real client asks for application/json and gets the zip).
     */
    public void packageRequest(Exchange e) {
        Run run = run(e);
        call(e, new VendorRequest(VENDOR, "download export package", "GET", exportUrl(run, "/package"),
                Map.of("Accept", "*/*"), null).spooledTo(run.file(".export-package.download")));
    }

    public void savedPackage(Exchange e) throws IOException {
        Run run = run(e);
        response(e).saveAs(run, "export-package.zip");
        run.count("packageBytes", Files.size(run.file("export-package.zip")));
    }

    // ---- 4. outcome --------------------------------------------------------------------------------------------------

    /** A failed export job, or any object that did not export, ends the run FAILED with what IICS said. */
    public void requireSuccess(Exchange e) {
        IicsJobObjects.requireSuccess(e, "IICS export job " + run(e).remoteId(EXPORT_ID), "export status", "export.log");
    }
}
