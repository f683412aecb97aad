package io.healthyproxy.app.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads one JSON log line, a flat object, strictly: anything but one object of plain values is an error. */
public final class FlatJson {

    private static final JsonFactory JSON = new JsonFactory();

    private FlatJson() {
    }

    /** Its fields in order: strings, {@code Long}s, {@code Double}s, booleans and nulls. */
    public static Map<String, Object> parse(String line) {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an object: " + line);
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                Object v = switch (value) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    case VALUE_TRUE -> true;
                    case VALUE_FALSE -> false;
                    case VALUE_NULL -> null;
                    default -> throw new IllegalArgumentException("not a flat object: " + line);
                };
                if (fields.containsKey(name)) {
                    throw new IllegalArgumentException("field " + name + " twice: " + line);
                }
                fields.put(name, v);
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("more than one value: " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
        return fields;
    }
}
