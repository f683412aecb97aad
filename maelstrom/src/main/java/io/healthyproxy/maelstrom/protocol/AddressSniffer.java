package io.healthyproxy.maelstrom.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.util.Optional;

/**
 * Makes out {@code src}, {@code dest} and {@code body.msg_id} from a message that failed to parse, reading
 * tokens until the first error, so that even a truncated or oversized message gets its error 12 when it named
 * its sender before it went wrong. A number is taken as the id only if something follows it: in a message cut
 * short, {@code "msg_id":12} may be what is left of {@code "msg_id":1234}.
 */
final class AddressSniffer {

    private final JsonFactory lenient;

    AddressSniffer(int maxBytes) {
        this.lenient = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(maxBytes).maxNestingDepth(1000).maxNumberLength(maxBytes).build())
                .build();
    }

    Optional<ReplyAddress> sniff(byte[] bytes) {
        String src = null;
        String dest = null;
        Long msgId = null;
        boolean reply = false;
        try (JsonParser p = lenient.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("src") && value == JsonToken.VALUE_STRING) {
                    src = p.getText();
                } else if (name.equals("dest") && value == JsonToken.VALUE_STRING) {
                    dest = p.getText();
                } else if (name.equals("body") && value == JsonToken.START_OBJECT) {
                    for (JsonToken b = p.nextToken(); b == JsonToken.FIELD_NAME; b = p.nextToken()) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("msg_id") && v == JsonToken.VALUE_NUMBER_INT && followedByMore(p, bytes)) {
                            msgId = p.getLongValue();
                        } else if (field.equals("in_reply_to")) {
                            reply = true;
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (Exception stoppedAtTheFirstError) {
            // keep what was made out so far
        }
        return src == null ? Optional.empty() : Optional.of(new ReplyAddress(src, dest, msgId, reply));
    }

    /** Whether the current token ends before the input does, i.e. something came after it. */
    private static boolean followedByMore(JsonParser p, byte[] bytes) throws java.io.IOException {
        return p.currentTokenLocation().getByteOffset() + p.getTextLength() < bytes.length;
    }
}
