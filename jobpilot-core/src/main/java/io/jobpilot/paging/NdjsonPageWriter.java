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
     * Copies the entries of a page held in memory, each entry's own bytes as they came: no decoding and re-encoding of
     * every field, only one pass that finds where each entry ends and checks the page's shape on the way (strings
     * closed, brackets matched, one comma between entries, the array closed). A raw line break inside an entry
     * (pretty-printed JSON) can only be whitespace between tokens, as a JSON string cannot hold one, so it becomes a
     * space and every entry stays on one line.
     * @return the number of entries written
     */
    public static int copyEntries(byte[] page, OutputStream out) throws IOException {
        int p;
        try (JsonParser parser = FACTORY.createParser(page)) {
            openArray(parser);
            p = (int) parser.currentTokenLocation().getByteOffset() + 1;
        }
        int count = 0;
        byte[] open = new byte[16];
        while (true) {
            p = skipWhitespace(page, p);
            if (p < page.length && page[p] == ']') {
                return count;
            }
            if (count > 0) {
                if (p >= page.length || page[p] != ',') {
                    throw malformed(page, p, "a comma or the end of the array");
                }
                p = skipWhitespace(page, p + 1);
            }
            int from = p;
            boolean lineBreaks = false;
            byte first = p < page.length ? page[p] : 0;
            if (first == '{' || first == '[') {
                int depth = 0;
                do {
                    if (p >= page.length) {
                        throw new MalformedPageException("the JSON ends in the middle of an array");
                    }
                    byte b = page[p];
                    if (b == '"') {
                        p = endOfString(page, p);
                    } else if (b == '{' || b == '[') {
                        if (depth == open.length) {
                            open = java.util.Arrays.copyOf(open, depth * 2);
                        }
                        open[depth++] = b;
                    } else if (b == '}' || b == ']') {
                        if (open[--depth] != (b == '}' ? '{' : '[')) {
                            throw malformed(page, p, "'" + (open[depth] == '{' ? '}' : ']') + "'");
                        }
                    } else if (b == '\n' || b == '\r') {
                        lineBreaks = true;
                    }
                    p++;
                } while (depth > 0);
            } else if (first == '"') {
                p = endOfString(page, p) + 1;
            } else {
                while (p < page.length && isScalarByte(page[p])) {   // a number, true, false or null
                    p++;
                }
                if (p == from) {
                    throw malformed(page, p, "a value");
                }
            }
            writeLine(page, from, p, lineBreaks, out);
            count++;
        }
    }

    /** The position after the closing quote of the string that starts at {@code p}. */
    private static int endOfString(byte[] page, int p) throws MalformedPageException {
        for (int i = p + 1; i < page.length; i++) {
            byte b = page[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\') {
                i++;
            } else if (b >= 0 && b < 0x20) {
                throw malformed(page, i, "a string without a raw control character");
            }
        }
        throw new MalformedPageException("the JSON ends in the middle of a string");
    }

    private static boolean isScalarByte(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b == '-' || b == '+' || b == '.' || b == 'E';
    }

    private static int skipWhitespace(byte[] page, int p) {
        while (p < page.length && (page[p] == ' ' || page[p] == '\n' || page[p] == '\r' || page[p] == '\t')) {
            p++;
        }
        return p;
    }

    private static MalformedPageException malformed(byte[] page, int p, String expected) {
        if (p >= page.length) {
            return new MalformedPageException("the JSON ends in the middle of an array");
        }
        return new MalformedPageException("expected " + expected + " at byte " + p + ", found '" + (char) (page[p] & 0xff) + "'");
    }

    private static void writeLine(byte[] page, int from, int to, boolean lineBreaks, OutputStream out) throws IOException {
        if (!lineBreaks) {
            out.write(page, from, to - from);
        } else {
            byte[] line = java.util.Arrays.copyOfRange(page, from, to);
            for (int i = 0; i < line.length; i++) {
                if (line[i] == '\n' || line[i] == '\r') {
                    line[i] = ' ';
                }
            }
            out.write(line);
        }
        out.write('\n');
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
