package io.healthyproxy.testkit;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request on its way through a connection: its head, the behaviour chosen for it when the head arrived, and
 * what has been read of its body. Confined to the connection's event loop.
 */
final class Exchange {

    /** Largest body {@value ControllableBackend#ECHO_PATH} sends back; beyond it the answer is 413. */
    static final int ECHO_LIMIT = 16 * 1024 * 1024;

    private final HttpMethod method;
    private final String uri;
    private final HttpVersion version;
    private final HttpHeaders headers;
    private final boolean keepAlive;
    private final boolean echo;
    private final boolean healthCheck;
    private final Behaviour behaviour;
    private final ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    private long bodyLength;

    Exchange(HttpRequest request, String path, Behaviour behaviour) {
        this.method = request.method();
        this.uri = request.uri();
        this.version = request.protocolVersion();
        this.headers = request.headers();
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.echo = path.equals(ControllableBackend.ECHO_PATH);
        this.healthCheck = path.equals(ControllableBackend.HEALTH_PATH);
        this.behaviour = behaviour;
    }

    /** Whether it is on {@value ControllableBackend#HEALTH_PATH}. */
    boolean isHealthCheck() {
        return healthCheck;
    }

    /**
     * The path of a request target, without query or fragment; absolute-form targets
     * ({@code http://host/path}) are reduced to their path too.
     */
    static String pathOf(String uri) {
        String target = uri;
        int scheme = target.indexOf("://");
        if (scheme > 0 && target.indexOf('/') > scheme) {
            int slash = target.indexOf('/', scheme + 3);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int end = target.length();
        int query = target.indexOf('?');
        int fragment = target.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        target = target.substring(0, end);
        return target.isEmpty() ? "/" : target;
    }

    void onContent(HttpContent content) {
        int readable = content.content().readableBytes();
        bodyLength += readable;
        if (echo && bodyLength <= ECHO_LIMIT) {
            echoed.write(ByteBufUtil.getBytes(content.content()), 0, readable);
        }
    }

    Behaviour behaviour() {
        return behaviour;
    }

    boolean isHead() {
        return HttpMethod.HEAD.equals(method);
    }

    boolean keepAlive() {
        return keepAlive;
    }

    HttpVersion version() {
        return version;
    }

    HttpHeaders headers() {
        return headers;
    }

    String uri() {
        return uri;
    }

    String method() {
        return method.name();
    }

    long bodyLength() {
        return bodyLength;
    }

    boolean isEcho() {
        return echo;
    }

    boolean echoTooLarge() {
        return bodyLength > ECHO_LIMIT;
    }

    byte[] echoedBody() {
        return echoed.toByteArray();
    }

    ReceivedRequest toReceivedRequest() {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            byName.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(header.getValue());
        }
        return new ReceivedRequest(method.name(), uri, version.text(), byName, bodyLength);
    }
}
