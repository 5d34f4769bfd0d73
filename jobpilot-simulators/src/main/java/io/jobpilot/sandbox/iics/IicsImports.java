package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;

/**
 * Import jobs (v3, docs/iics-import-facts.md): the package upload (multipart, a part named {@code package} holding a
 * zip; {@code relaxChecksum}), the start ({@code POST /import/<id>}, refused unless the job is NOT_STARTED), the status
 * with and without objects (a read either way moves the job along), and the log as text.
 */
final class IicsImports {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private final Map<String, ImportScript> scripts = new ConcurrentHashMap<>();
    private final Map<String, SimImport> imports = new ConcurrentHashMap<>();
    private final List<SimImport> started = new CopyOnWriteArrayList<>();
    private volatile byte[] lastPackage;

    private static final class SimImport {
        final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        final Instant created = Instant.now();
        final boolean relaxChecksum;
        String name;
        JsonNode specification;
        ImportScript script;
        Instant startedAt;
        int reads;

        SimImport(boolean relaxChecksum) {
            this.relaxChecksum = relaxChecksum;
        }

        synchronized String state() {
            if (script == null) {
                return "NOT_STARTED";
            }
            return reads > script.runningPolls ? script.finalState : "IN_PROGRESS";
        }
    }

    void script(String name, ImportScript script) {
        scripts.put(name, script);
    }

    /** How many import jobs were started with this name. */
    long startsOf(String name) {
        return started.stream().filter(i -> name.equals(i.name)).count();
    }

    /** The importSpecification the last import of this name was started with (null: none). */
    JsonNode specificationOf(String name) {
        return started.stream().filter(i -> name.equals(i.name)).reduce((a, b) -> b).map(i -> i.specification).orElse(null);
    }

    /** The zip the latest upload carried, as it arrived. */
    byte[] lastPackage() {
        return lastPackage == null ? null : lastPackage.clone();
    }

    void upload(SimRequest r) throws IOException {
        Map<String, byte[]> parts = parts(r);
        byte[] zip = parts == null ? null : parts.get("package");
        if (zip == null) {
            error(r, false, 400, "MigrationSvc_010", "The request must be multipart/form-data with a part named package.");
            return;
        }
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            error(r, false, 400, "MigrationSvc_011", "The package is not a valid export ZIP file.");
            return;
        }
        lastPackage = zip;
        byte[] relax = parts.get("relaxChecksum");
        SimImport job = new SimImport(relax != null && new String(relax, StandardCharsets.UTF_8).trim().equalsIgnoreCase("true"));
        imports.put(job.id, job);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("jobId", job.id);
        answer.putObject("jobStatus").put("state", "NOT_STARTED").putNull("message");
        answer.put("checksumValid", true);
        r.json(200, Json.write(answer));
    }

    void start(SimRequest r, String id) throws IOException {
        SimImport job = imports.get(id);
        if (job == null) {
            error(r, false, 404, "MigrationSvc_004", "Import job " + id + " not found.");
            return;
        }
        JsonNode body = r.body() == null || r.body().isBlank() ? Json.MAPPER.createObjectNode() : IicsAnswers.parse(r.body());
        if (body == null) {
            error(r, false, 400, "MigrationSvc_001", "Malformed request body.");
            return;
        }
        synchronized (job) {
            if (job.script != null) {
                error(r, false, 400, "MigrationSvc_012", "Import job " + id + " has already been started.");
                return;
            }
            job.name = body.path("name").asText("job-" + System.currentTimeMillis());
            job.specification = body.path("importSpecification").isObject() ? body.get("importSpecification") : null;
            job.script = scripts.getOrDefault(job.name, ImportScript.create());
            job.startedAt = Instant.now();
        }
        started.add(job);
        r.json(200, Json.write(status(job, false)));
    }

    /** @param what "" (the status) or "/log" */
    void get(SimRequest r, String id, String what) throws IOException {
        SimImport job = imports.get(id);
        if (job == null) {
            error(r, false, 404, "MigrationSvc_004", "Import job " + id + " not found.");
            return;
        }
        if (what.equals("/log")) {
            r.send(200, "text/plain", log(job).getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        ObjectNode answer;
        synchronized (job) {
            if (job.script != null) {
                job.reads++;
            }
            answer = status(job, "objects".equals(r.query("expand")));
        }
        r.json(200, Json.write(answer));
    }

    private static ObjectNode status(SimImport job, boolean objects) {
        String state = job.state();
        boolean ended = !state.equals("NOT_STARTED") && !state.equals("IN_PROGRESS");
        ObjectNode o = Json.MAPPER.createObjectNode().put("id", job.id).put("createTime", job.created.toString())
                .put("updateTime", Instant.now().toString()).put("name", job.name)
                .put("startTime", job.startedAt == null ? null : job.startedAt.toString())
                .put("endTime", ended ? Instant.now().toString() : null).put("sourceOrgId", "0119Y4");
        o.putObject("status").put("state", state).put("message", ended ? job.script.finalMessage : null);
        if (objects && job.script != null) {
            ArrayNode list = o.putArray("objects");
            int n = 0;
            for (Map.Entry<String, String> object : job.script.objects.entrySet()) {
                String id = "src" + (++n) + job.id.substring(0, 6);
                ObjectNode one = list.addObject();
                one.putObject("sourceObject").put("id", id).put("name", object.getKey()).put("path", "/Default").put("type", object.getValue())
                        .put("description", "");
                one.putObject("targetObject").put("id", "tgt" + n + job.id.substring(0, 6)).put("name", object.getKey())
                        .put("path", "/Default").put("type", object.getValue()).put("description", "");
                String failure = job.script.failingObjects.get(object.getKey());
                one.putObject("status").put("state", !ended ? "IN_PROGRESS" : failure != null ? "FAILED" : "SUCCESSFUL")
                        .put("message", failure != null && ended ? failure : ended ? "Overwrite existing object" : null);
            }
        }
        return o;
    }

    private static String log(SimImport job) {
        StringBuilder log = new StringBuilder("Import job " + job.id + " (" + job.name + ") " + job.state() + "\n");
        if (job.script != null) {
            job.script.objects.keySet().forEach(name -> log.append("Object ").append(name).append(": ")
                    .append(job.script.failingObjects.getOrDefault(name, "imported")).append('\n'));
        }
        return log.toString();
    }

    /** The parts of a multipart/form-data body by name, or null when the body is not one. */
    private static Map<String, byte[]> parts(SimRequest r) {
        String type = r.header("Content-Type");
        Matcher m = type == null || !type.startsWith("multipart/form-data") ? null : BOUNDARY.matcher(type);
        if (m == null || !m.find()) {
            return null;
        }
        byte[] body = r.bodyBytes();
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length + 2;                 // past the delimiter's CRLF
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            int next = indexOf(body, delimiter, headersStart);
            if (headersEnd < 0 || next < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            if (name.find()) {
                int contentStart = headersEnd + 4;
                parts.put(name.group(1), java.util.Arrays.copyOfRange(body, contentStart, Math.max(contentStart, next - 2)));
            }
            at = next;
        }
        return parts;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
