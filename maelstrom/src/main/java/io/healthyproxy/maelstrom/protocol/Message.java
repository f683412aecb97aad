package io.healthyproxy.maelstrom.protocol;

import java.util.Objects;

/**
 * A Maelstrom message: who sent it, to whom, and its body.
 *
 * <p>On the wire: <code>{"src":…,"dest":…,"body":{"type":…,"in_reply_to":…,"msg_id":…, …}}</code>, keys in
 * that order, as {@link MessageCodec} writes them.
 */
public record Message(String src, String dest, Body body) {

    public Message {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dest, "dest");
        Objects.requireNonNull(body, "body");
    }

    /** Whether this message answers an earlier one. */
    public boolean isReply() {
        return body.inReplyTo() != null;
    }
}
