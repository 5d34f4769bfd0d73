package io.jobpilot.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.http.VendorRequest;
import io.jobpilot.http.VendorResponse;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.run.Json;
import io.jobpilot.run.Run;
import io.jobpilot.run.UsageException;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.jobpilot.iics.IicsExchange.call;
import static io.jobpilot.iics.IicsExchange.response;
import static io.jobpilot.iics.IicsExchange.save;
import static io.jobpilot.run.RunExchange.run;

/**
 * Paths to ids through {@code POST /public/core/v3/lookup} (vendor-apis-more.md §c): {@code {"objects": [{"path":
 * "Project/Folder/Name", "type": "MTT"}]}} answers each object's federated {@code id}. iics-job's {@code -p task-path}
 * (with {@code -p task-type}) becomes remote id {@code taskFederatedId}, iics-export's {@code -p object-paths} remote id
 * {@code objectIds}; recorded once, so a resumed run never looks again. The answer is saved as lookup.json. A path
 * IICS does not know (a 404, or an answer without its id: which one real IICS gives is UNCONFIRMED) is a usage error
 * naming it: the run is not started.
 */
public final class IicsLookup {
    /** The remote id an iics-export run keeps its resolved object ids under (comma-separated, in the order given). */
    public static final String OBJECT_IDS = "objectIds";
    static final String TASK_FEDERATED_ID = "taskFederatedId";
    private static final String URL = "/public/core/v3/lookup";

    private final Ledger ledger;

    public IicsLookup(Ledger ledger) {
        this.ledger = ledger;
    }

    /** A path and its type. */
    record Wanted(String path, String type) {
        @Override
        public String toString() {
            return path + " (" + type + ")";
        }
    }

    /** The run names objects by path, and their ids are not recorded yet. */
    public boolean needed(Exchange e) {
        Run run = run(e);
        return !wanted(run).isEmpty() && run.remoteId(remoteId(run)) == null;
    }

    public void request(Exchange e) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode objects = body.putArray("objects");
        wanted(run(e)).forEach(w -> objects.addObject().put("path", w.path()).put("type", w.type()));
        call(e, VendorRequest.json(IicsSession.VENDOR, "look up paths", "POST", URL, Json.write(body)).asLookup());
    }

    /** Records the ids (in the order the paths were given), or names the paths IICS does not know. */
    public void resolved(Exchange e) throws IOException {
        Run run = run(e);
        VendorResponse r = response(e);
        JsonNode answer = r.status() == 404 ? Json.MAPPER.createObjectNode() : r.json();
        List<Wanted> wanted = wanted(run);
        List<String> ids = new ArrayList<>();
        List<Wanted> missing = new ArrayList<>();
        for (Wanted w : wanted) {
            String id = idOf(answer, w);
            if (id == null) {
                missing.add(w);
            } else {
                ids.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new UsageException(run.workflow() + ": IICS has no " + String.join(", ", missing.stream().map(Wanted::toString).toList())
                    + " (paths are Project/Folder/Name, without a leading /, as IICS shows them in Explore)");
        }
        if (r.status() != 404) {
            save(run, "lookup.json", Json.pretty(answer).getBytes(StandardCharsets.UTF_8));
        }
        ledger.remoteId(run, remoteId(run), String.join(",", ids));
    }

    /** The id of the object IICS answered for this path and type (path and type compared as IICS does, ignoring case). */
    private static String idOf(JsonNode answer, Wanted w) {
        for (JsonNode o : answer.path("objects")) {
            if (o.path("path").asText("").replaceAll("^/+", "").equalsIgnoreCase(w.path())
                    && o.path("type").asText(w.type()).equalsIgnoreCase(w.type()) && o.hasNonNull("id") && !o.get("id").asText().isBlank()) {
                return o.get("id").asText();
            }
        }
        return null;
    }

    private static String remoteId(Run run) {
        return run.param("task-path") != null ? TASK_FEDERATED_ID : OBJECT_IDS;
    }

    /** What the run asks for: -p task-path with -p task-type, or -p object-paths (PATH:TYPE, comma-separated). */
    static List<Wanted> wanted(Run run) {
        if (run.param("task-path") != null) {
            return List.of(new Wanted(trimPath(run.param("task-path")), run.param("task-type").toUpperCase(Locale.ROOT)));
        }
        if (run.param("object-paths") != null) {
            return IicsExportSpec.objectPaths(run.param("object-paths")).stream()
                    .map(p -> new Wanted(trimPath(p.getKey()), p.getValue().toUpperCase(Locale.ROOT))).toList();
        }
        return List.of();
    }

    /** IICS paths have no leading slash. */
    static String trimPath(String path) {
        return path.trim().replaceAll("^/+", "").replaceAll("/+$", "");
    }
}
