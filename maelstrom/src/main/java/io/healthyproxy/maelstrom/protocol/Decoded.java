package io.healthyproxy.maelstrom.protocol;

import java.util.Optional;

/** The result of decoding one frame: a valid message, or a reason it is not one. */
public sealed interface Decoded {

    record Valid(Message message) implements Decoded {
    }

    /**
     * @param reason  one line saying what is wrong, for the error reply's {@code text} and the log
     * @param address where to send the error, if a sender could be made out
     */
    record Malformed(String reason, Optional<ReplyAddress> address) implements Decoded {
    }
}
