package jp.nanbyo.fhir.server.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Counts the elements of a FHIR body as its bytes go past, before HAPI parses it: in JSON each object and each value
 * (a string, number, boolean or null; arrays themselves are not counted), in XML each tag that opens an element. What
 * a body is comes from its first byte that is not white space ({@code {} or {@code [} JSON, {@code <} XML), not from
 * its Content-Type, since HAPI also guesses. Anything else, and JSON the counter cannot read, is not counted: HAPI
 * refuses it with its own message.
 */
final class ElementCounter {

    private static final JsonFactory JSON = new JsonFactory();

    private enum Kind { UNKNOWN, JSON, XML, NOT_COUNTED }

    private Kind kind = Kind.UNKNOWN;
    private JsonParser json;
    private boolean afterTagStart;
    private long elements;

    /** Counts the elements in the next bytes of the body; answers the count so far. */
    long count(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        if (kind == Kind.UNKNOWN) {
            start = firstSignificantByte(bytes, offset, end);
            if (start == end) {
                return elements;
            }
            kind = switch (bytes[start]) {
                case '{', '[' -> Kind.JSON;
                case '<' -> Kind.XML;
                default -> Kind.NOT_COUNTED;
            };
        }
        switch (kind) {
            case JSON -> countJson(bytes, start, end);
            case XML -> countXml(bytes, start, end);
            default -> { }
        }
        return elements;
    }

    /** Skips white space and a UTF-8 byte order mark. */
    private static int firstSignificantByte(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && (Character.isWhitespace(bytes[i]) || bytes[i] == (byte) 0xEF || bytes[i] == (byte) 0xBB
                || bytes[i] == (byte) 0xBF)) {
            i++;
        }
        return i;
    }

    private void countJson(byte[] bytes, int start, int end) {
        try {
            if (json == null) {
                json = JSON.createNonBlockingByteArrayParser();
            }
            ((ByteArrayFeeder) json.getNonBlockingInputFeeder()).feedInput(bytes, start, end);
            for (JsonToken token = json.nextToken(); token != null && token != JsonToken.NOT_AVAILABLE; token = json.nextToken()) {
                if (token == JsonToken.START_OBJECT || token.isScalarValue()) {
                    elements++;
                }
            }
        } catch (IOException unreadable) {
            // Not JSON after all: HAPI's parser says what is wrong with it.
            kind = Kind.NOT_COUNTED;
            close();
        }
    }

    private void countXml(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            if (afterTagStart && bytes[i] != '/') {
                elements++;
            }
            afterTagStart = bytes[i] == '<';
        }
    }

    void close() {
        if (json != null) {
            try {
                json.close();
            } catch (IOException nothingToRelease) {
                // A parser fed from memory holds no resource.
            }
            json = null;
        }
    }
}
