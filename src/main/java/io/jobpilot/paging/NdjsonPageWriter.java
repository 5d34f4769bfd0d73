package io.jobpilot.paging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The entries of one JSON page as NDJSON, one entry per line. A page is a bare array, or an object wrapping one array
 * (the first array-valued field); anything else is refused.
 */
public final class NdjsonPageWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private NdjsonPageWriter() {
    }

    /**
     * Copies the entries of a page held in memory, each entry's own bytes as they came (no decoding and re-encoding of
     * every field): the parser only finds where each entry starts and ends, and checks the JSON on the way. A raw line
     * break inside an entry (pretty-printed JSON) can only be whitespace between tokens, as JSON strings cannot hold
     * one, so it becomes a space and every entry stays on one line.
     * @return the number of entries written
     */
    public static int copyEntries(byte[] page, OutputStream out) throws IOException {
        try (JsonParser parser = FACTORY.createParser(page)) {
            openArray(parser);
            int count = 0;
            JsonToken t;
            while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedPageException("the JSON ends in the middle of an array");
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    int from = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    writeOneLine(page, from, (int) parser.currentTokenLocation().getByteOffset() + 1, out);
                } else {
                    writeScalar(parser, out);
                }
                count++;
            }
            return count;
        }
    }

    /** Positions the parser just past the page's array: a bare array, or the first array-valued field of an object. */
    private static void openArray(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new MalformedPageException("the page is empty");
        }
        if (first == JsonToken.START_OBJECT && !seekArrayField(parser)) {
            throw new MalformedPageException("the page is a JSON object without an array of entries");
        } else if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            throw new MalformedPageException("the page is a JSON " + first.asString() + ", not an array of entries");
        }
    }

    private static void writeOneLine(byte[] page, int from, int to, OutputStream out) throws IOException {
        int start = from;
        for (int i = from; i < to; i++) {
            if (page[i] == '\n' || page[i] == '\r') {
                out.write(page, start, i - start);
                out.write(' ');
                start = i + 1;
            }
        }
        out.write(page, start, to - start);
        out.write('\n');
    }

    /** An entry that is a bare string, number or literal (no report looks like that, but a page may). */
    private static void writeScalar(JsonParser parser, OutputStream out) throws IOException {
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            gen.copyCurrentEvent(parser);
        }
        out.write('\n');
    }

    /**
     * With the parser just past an array's START_ARRAY: writes each element as one line, up to the END_ARRAY.
     * @return the number of elements
     */
    public static long copyElements(JsonParser parser, OutputStream out) throws IOException {
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.setRootValueSeparator(null);
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            long count = 0;
            JsonToken t;
            while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedPageException("the JSON ends in the middle of an array");
                }
                gen.copyCurrentStructure(parser);
                gen.writeRaw('\n');
                count++;
            }
            gen.flush();
            return count;
        }
    }

    /** Advances to the first array-valued field of the object the parser is at. */
    private static boolean seekArrayField(JsonParser parser) throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_ARRAY) {
                return true;
            }
            parser.skipChildren();
        }
        return false;
    }

    /** The page's JSON is well-formed but not a page. */
    public static final class MalformedPageException extends IOException {
        public MalformedPageException(String message) {
            super(message);
        }
    }
}
