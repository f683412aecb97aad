package io.healthyproxy.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The admin API: {@code GET /} (the dashboard, with {@code /dashboard.css}, {@code /dashboard.js}, {@code /charts.js},
 * {@code /favicon.svg}), {@code GET /status} (JSON), {@code GET /timeline} (JSON, recent transitions),
 * {@code GET /metrics} (Prometheus text format), {@code GET /healthz} (200 while serving, 503 while draining).
 * When a token is configured every path but {@code /healthz} requires it ({@link AdminAccess}: the bearer header,
 * or the cookie that {@code POST /login} gives a browser); an unauthorised {@code GET /} gets the login form.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final PrometheusTextFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();

    private final ProxyContext proxy;
    private final String listen;
    private final AdminAccess access;
    private final Timeline timeline;

    AdminHandler(ProxyContext proxy, String listen, AdminAccess access, Timeline timeline) {
        this.proxy = proxy;
        this.listen = listen;
        this.access = access;
        this.timeline = timeline;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
        String path = new QueryStringDecoder(request.uri()).path();
        DashboardAssets.Asset asset = DashboardAssets.at(path);
        boolean read = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response;
        if (!request.decoderResult().isSuccess()) {
            response = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        } else if (path.equals("/login")) {
            response = request.method().equals(HttpMethod.POST) ? login(request) : notAllowed("POST");
        } else if (path.equals("/reload")) {
            response = reload(ctx, request);
            if (response == null) {
                return;                             // answered when the reload is done
            }
        } else if (!read) {
            response = notAllowed("GET, HEAD");
        } else if (path.equals("/healthz")) {
            response = proxy.isDraining() ? text(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining\n")
                    : text(HttpResponseStatus.OK, "ok\n");
        } else if (!access.allows(request.headers())) {
            response = asset != null && asset.contentType().startsWith("text/html")
                    ? page(HttpResponseStatus.UNAUTHORIZED, DashboardAssets.loginPage(false), DashboardAssets.LOGIN_POLICY)
                    : text(HttpResponseStatus.UNAUTHORIZED, "unauthorized\n");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"healthy-proxy admin\"");
        } else if (path.equals("/status")) {
            response = bytes(HttpResponseStatus.OK, StatusJson.render(proxy, listen,
                    proxy.ticker.read() - timeline.originNanos()), "application/json");
        } else if (path.equals("/timeline")) {
            response = bytes(HttpResponseStatus.OK, TimelineJson.render(timeline, proxy.ticker.read()),
                    "application/json");
        } else if (path.equals("/metrics")) {
            ByteBuf body = ctx.alloc().buffer(4096);
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                PROMETHEUS.write(out, proxy.metrics.registry().scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
            }
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        } else if (asset != null) {
            response = page(HttpResponseStatus.OK, asset, DashboardAssets.PAGE_POLICY);
        } else {
            response = text(HttpResponseStatus.NOT_FOUND,
                    "not found: try / (the dashboard), /status, /timeline, /metrics or /healthz\n");
        }
        finish(ctx, response, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD));
    }

    private static void finish(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (head) {
            response.content().clear();
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * {@code POST /reload}: reads the config again (the app's hook) off the event loop and answers with what
     * changed (200) or every problem of the new config (422, the running one serving on). Returns null when
     * the answer will come later. A request with an {@code Origin} of another site is refused: a page in a
     * browser on the same machine must not be able to trigger it (a cross-site form POST carries no token but
     * always an Origin).
     */
    private FullHttpResponse reload(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.POST)) {
            return notAllowed("POST");
        }
        if (!access.allows(request.headers())) {
            return text(HttpResponseStatus.UNAUTHORIZED, "unauthorized\n");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (origin != null && (host == null || !origin.endsWith("//" + host))) {
            return text(HttpResponseStatus.FORBIDDEN, "a reload from another site's page is refused\n");
        }
        var hook = proxy.reloadHook;
        if (hook == null) {
            return text(HttpResponseStatus.NOT_FOUND, "no config file to reload (serve --config FILE)\n");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        java.util.concurrent.CompletableFuture.supplyAsync(hook).whenComplete((outcome, error) ->
                ctx.executor().execute(() -> {
                    FullHttpResponse answer = error != null
                            ? text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "reload failed: " + error + "\n")
                            : bytes(outcome.applied() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY,
                                    ReloadJson.render(outcome), "application/json");
                    finish(ctx, answer, keepAlive, false);
                }));
        return null;
    }

    /** {@code POST /login} with the form's {@code token}: the session cookie and back to the dashboard, or the form again. */
    private FullHttpResponse login(FullHttpRequest request) {
        if (!access.tokenRequired()) {
            return seeDashboard();
        }
        String form = request.content().toString(StandardCharsets.UTF_8);
        List<String> given = new QueryStringDecoder(form, false).parameters().getOrDefault("token", List.of());
        if (given.size() != 1 || !access.isToken(given.get(0).strip())) {
            return page(HttpResponseStatus.UNAUTHORIZED, DashboardAssets.loginPage(true), DashboardAssets.LOGIN_POLICY);
        }
        FullHttpResponse response = seeDashboard();
        response.headers().set(HttpHeaderNames.SET_COOKIE, access.sessionCookie());
        return response;
    }

    private static FullHttpResponse seeDashboard() {
        FullHttpResponse response = text(HttpResponseStatus.SEE_OTHER, "see /\n");
        response.headers().set(HttpHeaderNames.LOCATION, "/");
        return response;
    }

    private static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only " + allow + "\n");
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private static FullHttpResponse page(HttpResponseStatus status, DashboardAssets.Asset asset, String policy) {
        FullHttpResponse response = bytes(status, asset.bytes(), asset.contentType());
        if (asset.contentType().startsWith("text/html")) {
            response.headers().set("Content-Security-Policy", policy);
            response.headers().set("Referrer-Policy", "no-referrer");
        }
        return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return bytes(status, body.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    private static FullHttpResponse bytes(HttpResponseStatus status, byte[] body, String type) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
