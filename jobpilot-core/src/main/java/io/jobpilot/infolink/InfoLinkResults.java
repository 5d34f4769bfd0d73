package io.jobpilot.infolink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jobpilot.paging.NdjsonPageWriter;
import io.jobpilot.run.Artifacts;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Streams the named result sets of an InfoLink answer ({@code result.results[]}, each
 * {@code {"name", "result": {"schema": [...], "records": [...]}}}, doc L1) to {@code <name>.ndjson}, one record per
 * line, and {@code <name>.schema.json}. One pass, one record in memory at a time; each file is written under a
 * temporary name and renamed into place once its set is complete (the name may come after the records).
 */
public final class InfoLinkResults {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** One result set on disk. {@code schemaFile} is null when the answer had no schema (noResultSchema). */
    public record ResultSet(String name, String file, String schemaFile, long records) {
    }

    private InfoLinkResults() {
    }

    /**
     * @param answer the answer body (a getJobStatus or sync executeJob reply)
     * @param dir    where the files go (the run's results/ directory)
     */
    public static List<ResultSet> write(InputStream answer, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<ResultSet> sets = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !seek(p, "result", JsonToken.START_OBJECT)
                    || !seek(p, "results", JsonToken.START_ARRAY)) {
                return sets;
            }
            Set<String> taken = new HashSet<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException("result set " + (sets.size() + 1) + " is a JSON " + t.asString() + ", not an object");
                }
                sets.add(writeSet(p, dir, sets.size() + 1, taken));
            }
        }
        return sets;
    }

    /** Moves the parser, inside an object, to the value of {@code field}; false when the object has no such field. */
    private static boolean seek(JsonParser p, String field, JsonToken expected) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(field) && value == expected) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    private static ResultSet writeSet(JsonParser p, Path dir, int number, Set<String> taken) throws IOException {
        Path records = dir.resolve(".set-" + number + ".ndjson.tmp");
        Path schema = dir.resolve(".set-" + number + ".schema.json.tmp");
        String name = null;
        long count = 0;
        boolean hasSchema = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("name") && value.isScalarValue()) {
                name = p.getText();
            } else if (field.equals("result") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String part = p.currentName();
                    JsonToken v = p.nextToken();
                    if (part.equals("records") && v == JsonToken.START_ARRAY) {
                        count += copyRecords(p, records);
                    } else if (part.equals("schema") && v == JsonToken.START_ARRAY) {
                        copySchema(p, schema);
                        hasSchema = true;
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (!Files.exists(records)) {
            Files.write(records, new byte[0]);
        }
        String base = unique(Artifacts.safeName(name == null || name.isBlank() ? "result-" + number : name), taken);
        Artifacts.moveIntoPlace(records, dir.resolve(base + ".ndjson"));
        if (hasSchema) {
            Artifacts.moveIntoPlace(schema, dir.resolve(base + ".schema.json"));
        }
        return new ResultSet(name == null ? base : name, base + ".ndjson", hasSchema ? base + ".schema.json" : null, count);
    }

    private static long copyRecords(JsonParser p, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return NdjsonPageWriter.copyElements(p, out);
        }
    }

    private static void copySchema(JsonParser p, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.useDefaultPrettyPrinter();
            gen.copyCurrentStructure(p);
        }
    }

    private static String unique(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }
}
