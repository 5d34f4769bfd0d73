package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.ORG;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/** Export jobs (v3): start, status with and without objects, the log, and a real zip package. */
final class IicsExports {
    private final IicsSessions sessions;
    private final Map<String, ExportScript> scripts = new ConcurrentHashMap<>();
    private final Map<String, SimExport> exports = new ConcurrentHashMap<>();

    IicsExports(IicsSessions sessions) {
        this.sessions = sessions;
    }

    private static final class SimExport {
        final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        final String name;
        final List<String> objectIds;
        final ExportScript script;
        final Instant created = Instant.now();
        volatile int reads;
        volatile boolean sessionsExpired;

        SimExport(String name, List<String> objectIds, ExportScript script) {
            this.name = name;
            this.objectIds = objectIds;
            this.script = script;
        }

        synchronized String state() {
            return reads > script.runningPolls ? script.finalState : "IN_PROGRESS";
        }
    }

    void script(String name, ExportScript script) {
        scripts.put(name, script);
    }

    String existing(ExportScript script, List<String> objectIds) {
        SimExport export = new SimExport("started-elsewhere", objectIds, script);
        exports.put(export.id, export);
        return export.id;
    }

    void start(SimRequest r) throws IOException {
        JsonNode body = IicsAnswers.parse(r.body());
        if (body == null || !body.path("objects").isArray() || body.path("objects").isEmpty()) {
            error(r, false, 400, "MigrationSvc_001", "The request must list the objects to export.");
            return;
        }
        List<String> ids = new ArrayList<>();
        body.path("objects").forEach(o -> ids.add(o.path("id").asText()));
        String name = body.path("name").asText("job-" + System.currentTimeMillis());
        SimExport export = new SimExport(name, ids, scripts.getOrDefault(name, ExportScript.create()));
        exports.put(export.id, export);
        r.json(200, Json.write(status(export, false)));
    }

    /** @param what "" (the status), "/log" or "/package" */
    void get(SimRequest r, String id, String what) throws IOException {
        SimExport export = exports.get(id);
        if (export == null) {
            error(r, false, 404, "MigrationSvc_004", "Export job " + id + " does not exist.");
            return;
        }
        switch (what) {
            case "/log" -> r.send(200, "text/plain", log(export).getBytes(StandardCharsets.UTF_8), Map.of());
            case "/package" -> {
                if (!export.state().equals("SUCCESSFUL")) {
                    error(r, false, 400, "MigrationSvc_032", "The export job " + export.id + " did not complete successfully.");
                } else {
                    r.send(200, "application/zip", zip(export), Map.of());
                }
            }
            default -> {
                // a job moves along with every status read, with ?expand=objects or without (a client may poll either)
                synchronized (export) {
                    export.reads++;
                    if (export.reads == export.script.expireSessionsAtPoll && !export.sessionsExpired) {
                        export.sessionsExpired = true;
                        sessions.expireAll();
                        IicsAnswers.invalidSession(r, false);
                        return;
                    }
                }
                r.json(200, Json.write(status(export, "objects".equals(r.query("expand")))));
            }
        }
    }

    private static ObjectNode status(SimExport export, boolean withObjects) {
        String state = export.state();
        boolean done = !state.equals("IN_PROGRESS");
        ObjectNode body = Json.MAPPER.createObjectNode().put("id", export.id).put("createTime", export.created.toString())
                .put("updateTime", Instant.now().toString()).put("name", export.name).put("startTime", export.created.toString())
                .put("endTime", done ? Instant.now().toString() : null);
        body.putObject("status").put("state", state).put("message", done ? export.script.finalMessage : "In Progress");
        if (!withObjects) {
            body.putNull("objects");
            return body;
        }
        ArrayNode objects = body.putArray("objects");
        for (int i = 0; i < export.objectIds.size(); i++) {
            String id = export.objectIds.get(i);
            String failure = export.script.failingObjects.get(id);
            ObjectNode o = objects.addObject().put("id", id).put("name", "Object " + id).put("path", "/Explore/Sandbox")
                    .put("type", i % 2 == 0 ? "MTT" : "DTEMPLATE").putNull("description");
            o.putObject("status").put("state", !done ? "IN_PROGRESS" : failure == null ? "SUCCESSFUL" : "FAILED")
                    .put("message", failure);
        }
        return body;
    }

    private static String log(SimExport export) {
        StringBuilder log = new StringBuilder("OIE_002 INFO " + export.created + " Starting export operation. Execution Client: API Job Name: "
                + export.name + " Organization: " + ORG + " User: " + USER + "\n");
        for (String id : export.objectIds) {
            String failure = export.script.failingObjects.get(id);
            log.append(failure == null ? "OIE_004 INFO " + Instant.now() + " Successfully exported object [/Explore/Sandbox/Object " + id
                    + "] id [" + id + "]\n" : "OIE_005 ERROR " + Instant.now() + " Failed to export object id [" + id + "]: " + failure + "\n");
        }
        return log.append("OIE_003 INFO ").append(Instant.now()).append(" Finished export operation. Job Name: ").append(export.name)
                .append(" Status: ").append(export.state()).append('\n').toString();
    }

    /** A real zip: the metadata, one inner zip per object (as IICS packages hold), and optional padding. */
    private static byte[] zip(SimExport export) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("exportMetadata.v2.json"));
            zip.write(Json.write(Map.of("jobName", export.name, "objects", export.objectIds)).getBytes(StandardCharsets.UTF_8));
            for (String id : export.objectIds) {
                zip.putNextEntry(new ZipEntry("Explore/Sandbox/Object " + id + ".MTT.zip"));
                ByteArrayOutputStream inner = new ByteArrayOutputStream();
                try (ZipOutputStream in = new ZipOutputStream(inner)) {
                    in.putNextEntry(new ZipEntry("mtTask.json"));
                    in.write(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                zip.write(inner.toByteArray());
            }
            if (export.script.packagePaddingBytes > 0) {
                byte[] padding = new byte[export.script.packagePaddingBytes];
                new Random(42).nextBytes(padding);
                zip.putNextEntry(new ZipEntry("padding.bin"));
                zip.write(padding);
            }
        }
        return bytes.toByteArray();
    }
}
