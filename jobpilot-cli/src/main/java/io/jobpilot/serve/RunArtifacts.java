package io.jobpilot.serve;

import io.jobpilot.ledger.Ledger;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static io.jobpilot.http.JsonReplies.error;
import static io.jobpilot.http.JsonReplies.reply;

/**
 * GET /api/runs/{runId}/artifacts/{path}: one file of a run's folder, as the run wrote it (run.json, reports.ndjson,
 * an export package). Confined to that folder: a path that leaves it (.., an absolute path, a link to elsewhere)
 * answers 404 like a file that is not there, so the endpoint tells nothing of the rest of the disk.
 */
public final class RunArtifacts {
    private static final String PREFIX = "/api/runs/";
    private static final String ARTIFACTS = "/artifacts/";
    private static final Map<String, String> TYPES = Map.of("json", "application/json", "ndjson", "application/x-ndjson",
            "log", "text/plain; charset=utf-8", "txt", "text/plain; charset=utf-8", "zip", "application/zip");

    private final Ledger ledger;

    public RunArtifacts(Ledger ledger) {
        this.ledger = ledger;
    }

    public void download(Exchange exchange) {
        // the request's whole path (Camel's HTTP_PATH is the part after the route's own path)
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null ? null : java.net.URLDecoder.decode(uri.split("\\?")[0], java.nio.charset.StandardCharsets.UTF_8);
        int at = path == null ? -1 : path.indexOf(ARTIFACTS);
        if (path == null || !path.startsWith(PREFIX) || at < 0) {
            reply(exchange, 404, error("use GET /api/runs/{runId}/artifacts/{path}"));
            return;
        }
        String runId = path.substring(PREFIX.length(), at);
        String file = path.substring(at + ARTIFACTS.length());
        var run = ledger.find(runId);
        if (run.isEmpty() || run.get().result().outDir() == null) {
            reply(exchange, 404, error("no run '" + runId + "'"));
            return;
        }
        Path found = inside(Path.of(run.get().result().outDir()).resolve(runId), file);   // outDir is the runs' folder
        if (found == null) {
            reply(exchange, 404, error("run '" + runId + "' has no artifact '" + file + "'"));
            return;
        }
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, type(found));
        m.setHeader("Content-Disposition", "inline; filename=\"" + found.getFileName().toString().replace("\"", "") + "\"");
        m.setBody(found.toFile());
    }

    /** The regular file {@code relative} names under {@code folder}, links resolved; null when it is elsewhere or absent. */
    static Path inside(Path folder, String relative) {
        try {
            if (relative.isBlank() || Path.of(relative).isAbsolute()) {
                return null;
            }
            Path root = folder.toRealPath();
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
                return null;
            }
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    private static String type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
