package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code X-Request-Id} of a request: the one thing a client, the proxy's access log, a proxy-made error
 * and the backend's own logs all name the request by.
 *
 * <ul>
 *   <li><b>Kept</b> when the client sent exactly one valid id: 1 to {@value #MAX_LENGTH} visible ASCII
 *       characters (0x21–0x7E). An id made by a proxy or client in front of this one is worth keeping, and
 *       so is a format the user's tracing chose (a UUID, a W3C trace id, a Heroku router id, which may be up
 *       to 200 characters). Envoy keeps a client's id too.</li>
 *   <li><b>Replaced</b> when it is empty, longer, holds spaces or control or non-ASCII bytes, or is sent more
 *       than once: it then goes into log lines and JSON bodies, where such bytes could forge or break a line,
 *       and two ids name nothing.</li>
 *   <li><b>Made</b> otherwise: 32 lowercase hex digits (128 random bits), the form of NGINX's
 *       {@code $request_id}, so existing log parsers take it. It comes from {@link ThreadLocalRandom}: an id
 *       names a request, it is no secret and nothing is granted by knowing one, so an unpredictable source
 *       ({@code SecureRandom}, a lock or a system call per request on the event loop) would buy nothing.</li>
 * </ul>
 * The backend is sent the id, and the client gets it back on the response, the backend's answer or the
 * proxy's: what Envoy does with {@code always_set_request_id_in_response} and NGINX users do with
 * {@code add_header X-Request-Id $request_id}. A backend's own {@code X-Request-Id} on its response is
 * replaced by the request's: the client correlates by the id it sent or was given.
 */
final class RequestId {

    static final AsciiString HEADER = AsciiString.cached("x-request-id");
    /** The longest id kept: Heroku's router accepts ids up to 200 characters. */
    static final int MAX_LENGTH = 200;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestId() {
    }

    /**
     * The id of the request whose headers (as the backend is to get them) are {@code headers}: the client's if
     * it sent one valid id, else a new one, which is then set in {@code headers}.
     */
    static String assign(HttpHeaders headers) {
        String sent = headers.get(HEADER);
        if (sent != null && isValid(sent) && headers.getAll(HEADER).size() == 1) {
            return sent;
        }
        String made = generate();
        headers.set(HEADER, made);
        return made;
    }

    /** Whether a client's {@code id} is kept: 1 to {@value #MAX_LENGTH} visible ASCII characters. */
    static boolean isValid(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A new id: 32 lowercase hex digits from 128 random bits. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Bytes, not chars: a Latin-1 String is made from them in one copy, where chars cost a second array and a
        // compression pass (one id per request that brings none).
        byte[] out = new byte[32];
        hex(random.nextLong(), out, 0);
        hex(random.nextLong(), out, 16);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void hex(long bits, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) bits & 0xf];
            bits >>>= 4;
        }
    }
}
