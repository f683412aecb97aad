package io.healthyproxy.maelstrom.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.healthyproxy.maelstrom.json.JsonCodec;
import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.json.JsonNumber;
import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.json.JsonString;
import io.healthyproxy.maelstrom.json.JsonSyntaxException;
import io.healthyproxy.maelstrom.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns frames into {@link Message}s, checking every field the protocol requires, and messages into the
 * exact bytes of one output line.
 *
 * <p>Output is compact JSON, keys in the order {@code src, dest, body} and, in the body,
 * {@code type, in_reply_to, msg_id}, then the other fields in their order; absent ids are left out.
 * Thread-safe.
 */
public final class MessageCodec {

    private static final String[] HEADER_FIELDS = {"type", "msg_id", "in_reply_to"};

    private final JsonCodec json;
    private final AddressSniffer sniffer;

    public MessageCodec(JsonLimits limits) {
        this.json = new JsonCodec(limits);
        this.sniffer = new AddressSniffer(limits.maxMessageBytes());
    }

    public JsonLimits limits() {
        return json.limits();
    }

    public Decoded decode(Frame frame) {
        switch (frame.problem()) {
            case TOO_LARGE:
                return malformed("message larger than " + json.limits().maxMessageBytes() + " bytes",
                        sniffer.sniff(frame.bytes()));
            case TRUNCATED:
                return malformed("incomplete JSON: the message ended before it was closed",
                        sniffer.sniff(frame.bytes()));
            default:
                break;
        }
        JsonValue value;
        try {
            value = json.read(frame.bytes());
        } catch (JsonSyntaxException e) {
            return malformed("invalid JSON: " + e.getMessage(), sniffer.sniff(frame.bytes()));
        }
        return decode(value);
    }

    /** Checks a parsed value against the message format. */
    public Decoded decode(JsonValue value) {
        if (!(value instanceof JsonObject message)) {
            return malformed("a message must be a JSON object, not " + value.typeName(), Optional.empty());
        }
        Optional<JsonValue> src = message.get("src");
        if (src.isEmpty() || !(src.get() instanceof JsonString srcString)) {
            return malformed(src.isEmpty() ? "missing field src" : "src must be a string, not " + src.get().typeName(),
                    Optional.empty());
        }
        String sender = srcString.value();
        Optional<JsonValue> bodyValue = message.get("body");
        JsonObject body = bodyValue.filter(JsonObject.class::isInstance).map(JsonObject.class::cast).orElse(null);
        Long msgId = body == null ? null : integer(body, "msg_id").stream().boxed().findFirst().orElse(null);
        boolean looksLikeReply = body != null && body.get("in_reply_to").isPresent();
        Optional<JsonValue> dest = message.get("dest");
        String addressee = dest.filter(JsonString.class::isInstance).map(d -> ((JsonString) d).value()).orElse(null);
        Optional<ReplyAddress> address = Optional.of(new ReplyAddress(sender, addressee, msgId, looksLikeReply));

        if (dest.isEmpty() || !(dest.get() instanceof JsonString destString)) {
            return malformed(dest.isEmpty() ? "missing field dest" : "dest must be a string, not "
                    + dest.get().typeName(), address);
        }
        if (body == null) {
            return malformed(bodyValue.isEmpty() ? "missing field body" : "body must be an object, not "
                    + bodyValue.get().typeName(), address);
        }
        Optional<JsonValue> type = body.get("type");
        if (type.isEmpty() || !(type.get() instanceof JsonString typeString) || typeString.value().isEmpty()) {
            return malformed(type.isEmpty() ? "missing field body.type"
                    : "body.type must be a non-empty string", address);
        }
        Optional<String> badId = checkId(body, "msg_id").or(() -> checkId(body, "in_reply_to"));
        if (badId.isPresent()) {
            return malformed(badId.get(), address);
        }
        Long inReplyTo = integer(body, "in_reply_to").stream().boxed().findFirst().orElse(null);
        Body decoded = new Body(typeString.value(), msgId, inReplyTo, body.without(HEADER_FIELDS));
        return new Decoded.Valid(new Message(sender, destString.value(), decoded));
    }

    /** The bytes of {@code message} as one output line, newline included. */
    public byte[] encode(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("src", message.src());
            g.writeStringField("dest", message.dest());
            g.writeFieldName("body");
            g.writeStartObject();
            Body body = message.body();
            g.writeStringField("type", body.type());
            if (body.inReplyTo() != null) {
                g.writeNumberField("in_reply_to", body.inReplyTo());
            }
            if (body.msgId() != null) {
                g.writeNumberField("msg_id", body.msgId());
            }
            for (Map.Entry<String, JsonValue> field : body.fields().members().entrySet()) {
                if (!isHeaderField(field.getKey())) {
                    g.writeFieldName(field.getKey());
                    JsonCodec.write(g, field.getValue());
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static boolean isHeaderField(String name) {
        return name.equals("type") || name.equals("msg_id") || name.equals("in_reply_to");
    }

    private static Optional<String> checkId(JsonObject body, String name) {
        Optional<JsonValue> value = body.get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong id = value.get() instanceof JsonNumber n ? n.asLong() : OptionalLong.empty();
        if (id.isEmpty() || id.getAsLong() < 0) {
            return Optional.of("body." + name + " must be a non-negative integer");
        }
        return Optional.empty();
    }

    private static OptionalLong integer(JsonObject body, String name) {
        Optional<JsonValue> value = body.get(name);
        if (value.isPresent() && value.get() instanceof JsonNumber n) {
            OptionalLong id = n.asLong();
            return id.isPresent() && id.getAsLong() >= 0 ? id : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static Decoded malformed(String reason, Optional<ReplyAddress> address) {
        return new Decoded.Malformed(reason, address);
    }
}
