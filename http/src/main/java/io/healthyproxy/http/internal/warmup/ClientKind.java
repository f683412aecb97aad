package io.healthyproxy.http.internal.warmup;

/**
 * The kinds of client whose request fields the warm-up sends, in turn (the compiled code is shaped by the
 * inputs it has seen: a Host with a port or without, a Cookie, a Connection field, a long User-Agent).
 */
enum ClientKind {
    /** A command-line client naming the proxy by address. */
    CURL("Host: 127.0.0.1:%d\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n"),
    /** A browser: a name and a port, the Accept family, Connection: keep-alive, cookies. */
    BROWSER("Host: localhost:%d\r\nConnection: keep-alive\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) "
            + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate, br\r\n"
            + "Cookie: session=warm-up; theme=dark\r\n"),
    /** A service client behind another proxy: a plain name, a request id, a forwarding chain, a token. */
    SERVICE("Host: warm-up.internal\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n"
            + "X-Request-Id: 7f2c1e9a-warm-up\r\nX-Forwarded-For: 203.0.113.7\r\nAuthorization: Bearer warm-up\r\n"),
    /** A load generator: as few fields as HTTP/1.1 allows. */
    MINIMAL("Host: 127.0.0.1:%d\r\n");

    private final String fields;

    ClientKind(String fields) {
        this.fields = fields;
    }

    /** This kind's field lines, CRLF each, for a proxy listening on {@code port}. */
    String fields(int port) {
        return fields.replace("%d", Integer.toString(port));
    }
}
