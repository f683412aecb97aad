package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void hopByHopHeadersAndThoseNamedInConnectionAreRemoved() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Secret-Hop")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Trailer", "Expires")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "websocket")
                .add("Proxy-Authorization", "Basic x")
                .add("X-Secret-Hop", "1")
                .add("X-End-To-End", "kept")
                .add("Host", "example.com");

        Headers.removeHopByHop(h);

        // Trailer is not hop-by-hop (RFC 9110 §7.6.1, unlike RFC 2616): it announces fields that are passed on.
        assertThat(h.names()).containsExactlyInAnyOrder("X-End-To-End", "Host", "Trailer");
    }

    @Test
    void everyConnectionHeaderIsReadWithEmptyTokensSpacesAndAnyCase() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "CLOSE,, x-a ,")
                .add("Connection", "X-B")
                .add("X-A", "1")
                .add("x-b", "2")
                .add("X-C", "kept");

        Headers.removeHopByHop(h);

        assertThat(h.names()).containsExactly("X-C");
    }

    @Test
    void forwardingHeadersAppendTheClientAndKeepHost() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "shop.example:8080").add("X-Forwarded-For", "203.0.113.7");

        Headers.addForwarded(h, "127.0.0.1", "http");

        assertThat(h.get("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example:8080");
        assertThat(h.get("Host")).isEqualTo("shop.example:8080");
    }

    @Test
    void theFirstHopStartsXForwardedFor() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "a");

        Headers.addForwarded(h, "10.0.0.1", "http");

        assertThat(h.get("X-Forwarded-For")).isEqualTo("10.0.0.1");
    }

    @Test
    void aClientOverTlsIsForwardedAsHttps() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "a").add("X-Forwarded-Proto", "http");

        Headers.addForwarded(h, "10.0.0.1", "https");

        assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("https");
    }

    @Test
    void contentLengthIsReadAsNettyReadsItButANonNumberIsNoLength() {
        for (String value : new String[] {"12", "0", "000", "+7", "-1", " 12", "12 ", "abc", "", "1.5",
                "9223372036854775807", "9223372036854775808", "123456789012345678", "1234567890123456789"}) {
            DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders());
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, value);
            long netty;
            try {
                netty = HttpUtil.getContentLength(response, -1L);
            } catch (NumberFormatException e) {
                netty = -1L;                        // Netty throws; ours answers "no usable length"
            }
            assertThat(Headers.contentLength(response.headers(), -1L)).as("Content-Length: '%s'", value).isEqualTo(netty);
        }
        assertThat(Headers.contentLength(new DefaultHttpHeaders(), -1L)).as("absent").isEqualTo(-1L);
    }
}
