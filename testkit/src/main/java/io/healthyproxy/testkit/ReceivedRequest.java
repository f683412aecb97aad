package io.healthyproxy.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a {@link ControllableBackend} read it off the wire, recorded once it had been read whole: what a test checks
 * to see what the proxy forwarded (headers added or removed, body relayed in full, method and target kept).
 *
 * @param method     the method, e.g. {@code "POST"}
 * @param uri        the request target as sent, query included, e.g. {@code "/orders?id=7"}
 * @param protocol   the protocol version as sent, e.g. {@code "HTTP/1.1"}
 * @param headers    every header as received, by lower-case name, values in the order they came
 * @param bodyLength how many body bytes were received (after de-chunking)
 */
public record ReceivedRequest(String method, String uri, String protocol, Map<String, List<String>> headers,
                              long bodyLength) {

    public ReceivedRequest {
        Map<String, List<String>> copy = new HashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Map.copyOf(copy);
    }

    /** The header's values joined with {@code ", "}, or empty if the request did not carry it. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? Optional.empty() : Optional.of(String.join(", ", values));
    }
}
