package io.healthyproxy.maelstrom.protocol;

import java.util.Arrays;

/**
 * One top-level value cut from the input stream, still unparsed.
 *
 * @param bytes   the value's bytes; for {@link Problem#TOO_LARGE} only the first {@code maxMessageBytes}
 * @param problem what the framer already knows is wrong with it, or {@link Problem#NONE}
 */
public record Frame(byte[] bytes, Problem problem) {

    public enum Problem {
        NONE,
        /** Longer than the message size limit; the rest of it was read and dropped. */
        TOO_LARGE,
        /** The stream ended, or a new message began at the start of a line, before this value was closed. */
        TRUNCATED
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.problem == problem && Arrays.equals(f.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + problem.hashCode();
    }

    @Override
    public String toString() {
        return "Frame[" + problem + ", " + new String(bytes, 0, Math.min(bytes.length, 80),
                java.nio.charset.StandardCharsets.UTF_8) + "]";
    }
}
