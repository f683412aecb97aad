package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/** What RFC 9110 says about methods that matters to a proxy deciding whether to repeat a request. */
final class Methods {

    /** RFC 9110 §9.2.2: sending these twice has the same effect as once. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private Methods() {
    }

    static boolean isIdempotent(HttpMethod method) {
        return IDEMPOTENT.contains(method);
    }
}
