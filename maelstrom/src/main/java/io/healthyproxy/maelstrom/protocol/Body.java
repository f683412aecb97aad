package io.healthyproxy.maelstrom.protocol;

import io.healthyproxy.maelstrom.json.JsonNumber;
import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.json.JsonString;
import io.healthyproxy.maelstrom.json.JsonValue;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A message body: its {@code type}, the two ids, and every other field, in order, as {@code fields}.
 *
 * @param type      the message type
 * @param msgId     the sender's id for this message, or null
 * @param inReplyTo the id of the message this answers, or null
 * @param fields    every other field of the body, untouched
 */
public record Body(String type, Long msgId, Long inReplyTo, JsonObject fields) {

    public Body {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fields, "fields");
    }

    public static Body of(String type) {
        return new Body(type, null, null, JsonObject.EMPTY);
    }

    public static Body of(String type, JsonObject fields) {
        return new Body(type, null, null, fields);
    }

    /** An error body, as Maelstrom defines it. */
    public static Body error(ErrorCode code, String text) {
        return of("error", JsonObject.EMPTY.with("code", code.code()).with("text", text));
    }

    public Body withMsgId(long id) {
        return new Body(type, id, inReplyTo, fields);
    }

    public Body inReplyTo(Long id) {
        return new Body(type, msgId, id, fields);
    }

    public Body with(String name, JsonValue value) {
        return new Body(type, msgId, inReplyTo, fields.with(name, value));
    }

    public Body with(String name, String value) {
        return with(name, new JsonString(value));
    }

    public Body with(String name, long value) {
        return with(name, JsonNumber.of(value));
    }

    public Optional<String> string(String name) {
        return fields.get(name).filter(JsonString.class::isInstance).map(v -> ((JsonString) v).value());
    }

    public OptionalLong integer(String name) {
        Optional<JsonValue> value = fields.get(name);
        return value.isPresent() && value.get() instanceof JsonNumber n ? n.asLong() : OptionalLong.empty();
    }
}
