package io.jobpilot.paging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams the entries of one JSON page to NDJSON, one entry per line, without building the page in memory.
 * A page is a bare array, or an object wrapping one array (the first array-valued field); anything else is refused.
 */
public final class NdjsonPageWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private NdjsonPageWriter() {
    }

    /** @return the number of entries written */
    public static int copyEntries(InputStream page, OutputStream out) throws IOException {
        try (JsonParser parser = FACTORY.createParser(page)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedPageException("the page is empty");
            }
            if (first == JsonToken.START_OBJECT && !seekArrayField(parser)) {
                throw new MalformedPageException("the page is a JSON object without an array of entries");
            } else if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                throw new MalformedPageException("the page is a JSON " + first.asString() + ", not an array of entries");
            }
            return (int) copyElements(parser, out);
        }
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
