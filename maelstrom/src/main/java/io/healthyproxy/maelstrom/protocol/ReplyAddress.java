package io.healthyproxy.maelstrom.protocol;

/**
 * Where an error about a malformed message can be sent: the sender, and the id to answer, as far as they
 * could be made out.
 *
 * @param src       the sender
 * @param dest      the node the message was addressed to, or null if that could not be made out: an error
 *                  sent before {@code init} is sent in its name, as every other answer before {@code init} is
 * @param msgId     the id of the message to answer, or null if it had none (or none could be read)
 * @param wasReply  the message looked like a reply (it has {@code in_reply_to}); such messages are never
 *                  answered, so that two nodes can never bounce errors at each other forever
 */
public record ReplyAddress(String src, String dest, Long msgId, boolean wasReply) {
}
