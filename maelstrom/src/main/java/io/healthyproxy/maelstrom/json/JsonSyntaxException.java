package io.healthyproxy.maelstrom.json;

/** The input was not one valid JSON value within the limits; the message says why, in one line. */
public final class JsonSyntaxException extends RuntimeException {

    public JsonSyntaxException(String reason) {
        super(reason, null, false, false);
    }
}
