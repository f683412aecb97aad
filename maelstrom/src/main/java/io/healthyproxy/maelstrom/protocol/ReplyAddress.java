package io.healthyproxy.maelstrom.protocol;

/**
 * Where an error about a malformed message can be sent: the sender, and the id to answer, as far as they
 * could be made out.
 *
 * @param src       the sender
 * @param msgId     the id of the message to answer, or null if it had none (or none could be read)
 * @param wasReply  the message looked like a reply (it has {@code in_reply_to}); such messages are never
 *                  answered, so that two nodes can never bounce errors at each other forever
 */
public record ReplyAddress(String src, Long msgId, boolean wasReply) {
}
