package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/**
 * The organisation's assets by path, and {@code POST /public/core/v3/lookup} (vendor-apis-more.md §c): each object of
 * the request by {@code id}, or by {@code path} (Project/Folder/Name, no leading /) and {@code type} (any casing). The
 * answer lists the objects found, in the real shape; when none is found it is the v3 error object with 404 (what real
 * IICS answers for an unknown path is UNCONFIRMED, so a client must take both a missing entry and an error as "not there").
 */
final class IicsObjects {
    private record Asset(String id, String path, String type) {
    }

    private final List<Asset> assets = new CopyOnWriteArrayList<>();

    void add(String id, String path, String type) {
        assets.add(new Asset(id, path, type.toUpperCase(Locale.ROOT)));
    }

    void lookup(SimRequest r) throws IOException {
        JsonNode body = IicsAnswers.parse(r.body());
        if (body == null || !body.path("objects").isArray()) {
            error(r, false, 400, "CORE_001", "The request must list objects to look up.");
            return;
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode found = answer.putArray("objects");
        for (JsonNode wanted : body.path("objects")) {
            if (!wanted.hasNonNull("id") && (!wanted.hasNonNull("path") || !wanted.hasNonNull("type"))) {
                error(r, false, 400, "CORE_002", "Each object needs an id, or a path and a type.");
                return;
            }
            assets.stream().filter(a -> wanted.hasNonNull("id") ? a.id.equals(wanted.get("id").asText())
                            : a.path.equalsIgnoreCase(wanted.get("path").asText()) && a.type.equalsIgnoreCase(wanted.get("type").asText()))
                    .findFirst().ifPresent(a -> found.addObject().put("id", a.id).put("path", a.path).put("type", a.type)
                            .put("description", "").put("updatedBy", USER).put("updateTime", Instant.now().toString()));
        }
        if (found.isEmpty()) {
            error(r, false, 404, "CORE_404", "Object not found.");
            return;
        }
        r.json(200, Json.write(answer));
    }
}
