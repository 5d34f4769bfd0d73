package io.jobpilot.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The JSON documents a run takes as parameters (a batch, a session, an operation), read with errors that say where a
 * document is wrong and never what it contains: Jackson's own messages quote the offending token, which for a file
 * that is not JSON at all (/etc/passwd) is its content.
 */
public final class JsonDocuments {
    private JsonDocuments() {
    }

    /** The document in {@code file}; {@code what} names it in errors, e.g. "exago-batch: -p batch=b.json". */
    public static JsonNode read(String what, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(what + ": no such file");
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new UsageException(what + " is " + invalid(e));
        } catch (IOException e) {
            throw new UsageException(what + ": the file cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The document written inline. */
    public static JsonNode parse(String what, String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UsageException(what + " is " + invalid(e));
        }
    }

    /**
     * A JSON object written inline ({"region":"EMEA"}) or a file holding one: a {@code type: json} parameter.
     *
     * @param what names the parameter in errors, e.g. "infolink-job: -p parameters"
     */
    public static JsonNode object(String what, String value) {
        JsonNode node = value.startsWith("{") ? parse(what, value) : read(what + "=" + value, Path.of(value));
        if (!node.isObject()) {
            throw new UsageException(what + " must be a JSON object (inline or in a file), not a JSON "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /** "not valid JSON at line L column C", from where the parser stopped. */
    public static String invalid(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "not valid JSON" : "not valid JSON at line " + at.getLineNr() + " column " + at.getColumnNr();
    }
}
