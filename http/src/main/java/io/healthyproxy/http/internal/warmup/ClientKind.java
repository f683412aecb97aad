package io.healthyproxy.http.internal.warmup;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** The kinds of client whose request headers the warm-up sends, in turn: each adds the fields its kind sends. */
enum ClientKind {
    /** A command-line client naming the proxy by address. */
    CURL {
        @Override
        void addHeaders(HttpHeaders h, int port) {
            h.set(HttpHeaderNames.HOST, "127.0.0.1:" + port)
                    .set(HttpHeaderNames.USER_AGENT, "curl/7.88.1")
                    .set(HttpHeaderNames.ACCEPT, "*/*");
        }
    },
    /** A browser: a name and a port, a cookie, the Accept family, Connection: keep-alive. */
    BROWSER {
        @Override
        void addHeaders(HttpHeaders h, int port) {
            h.set(HttpHeaderNames.HOST, "localhost:" + port)
                    .set(HttpHeaderNames.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                            + "Gecko) Chrome/120.0.0.0 Safari/537.36")
                    .set(HttpHeaderNames.ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                    .set(HttpHeaderNames.ACCEPT_LANGUAGE, "en-US,en;q=0.9")
                    .set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate, br")
                    .set(HttpHeaderNames.CONNECTION, "keep-alive")
                    .set(HttpHeaderNames.COOKIE, "session=warm-up; theme=dark");
        }
    },
    /** A service client behind another proxy: a plain name, a request id, a forwarding chain, a token. */
    SERVICE {
        @Override
        void addHeaders(HttpHeaders h, int port) {
            h.set(HttpHeaderNames.HOST, "warm-up.internal")
                    .set(HttpHeaderNames.USER_AGENT, "Go-http-client/1.1")
                    .set(HttpHeaderNames.ACCEPT_ENCODING, "gzip")
                    .set("X-Request-Id", "7f2c1e9a-warm-up")
                    .set("X-Forwarded-For", "203.0.113.7")
                    .set(HttpHeaderNames.AUTHORIZATION, "Bearer warm-up");
        }
    },
    /** A load generator: as few fields as HTTP/1.1 allows. */
    MINIMAL {
        @Override
        void addHeaders(HttpHeaders h, int port) {
            h.set(HttpHeaderNames.HOST, "127.0.0.1:" + port);
        }
    };

    private static final ClientKind[] KINDS = values();

    /** The kind of the {@code n}th request. */
    static ClientKind of(int n) {
        return KINDS[n % KINDS.length];
    }

    abstract void addHeaders(HttpHeaders headers, int port);
}
