package io.healthyproxy.maelstrom.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value from bytes into a {@link JsonValue} tree, and writes trees out, with jackson-core's
 * streaming parser and generator (not databind, whose start-up cost the node cannot afford).
 *
 * <p>Reading is strict: duplicate keys, trailing content and anything beyond {@link JsonLimits} are errors.
 * Thread-safe.
 */
public final class JsonCodec {

    private final JsonFactory factory;
    private final JsonLimits limits;

    public JsonCodec(JsonLimits limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNumberLength(limits.maxNumberLength())
                        .maxDocumentLength(limits.maxMessageBytes())
                        .build())
                .build();
    }

    public JsonLimits limits() {
        return limits;
    }

    /**
     * Parses exactly one JSON value.
     *
     * @throws JsonSyntaxException with a short reason when the bytes are not exactly one valid value
     */
    public JsonValue read(byte[] bytes, int offset, int length) {
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonSyntaxException("no JSON value");
            }
            JsonValue value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonSyntaxException("unexpected content after the JSON value");
            }
            return value;
        } catch (JsonSyntaxException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new JsonSyntaxException(shortReason(e));
        }
    }

    public JsonValue read(byte[] bytes) {
        return read(bytes, 0, bytes.length);
    }

    private static JsonValue readValue(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    members.put(name, readValue(parser, parser.nextToken()));
                }
                return new JsonObject(members);
            }
            case START_ARRAY: {
                List<JsonValue> values = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    values.add(readValue(parser, t));
                }
                return new JsonArray(values);
            }
            case VALUE_STRING:
                return new JsonString(parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonNumber(parser.getText());
            case VALUE_TRUE:
                return JsonBoolean.TRUE;
            case VALUE_FALSE:
                return JsonBoolean.FALSE;
            case VALUE_NULL:
                return JsonNull.INSTANCE;
            default:
                throw new JsonSyntaxException("unexpected " + token);
        }
    }

    /** A generator writing compact JSON to {@code out}; the caller closes it. */
    public JsonGenerator generator(OutputStream out) {
        try {
            return factory.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} with {@code generator}. */
    public static void write(JsonGenerator generator, JsonValue value) throws IOException {
        if (value instanceof JsonObject object) {
            generator.writeStartObject();
            for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
                generator.writeFieldName(member.getKey());
                write(generator, member.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof JsonArray array) {
            generator.writeStartArray();
            for (JsonValue v : array.values()) {
                write(generator, v);
            }
            generator.writeEndArray();
        } else if (value instanceof JsonString string) {
            generator.writeString(string.value());
        } else if (value instanceof JsonNumber number) {
            generator.writeNumber(number.text());
        } else if (value instanceof JsonBoolean bool) {
            generator.writeBoolean(bool.value());
        } else {
            generator.writeNull();
        }
    }

    /** Jackson's messages carry a source excerpt and location; keep the first line, which says what went wrong. */
    private static String shortReason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
