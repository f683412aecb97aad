package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.Limits;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestChecksTest {

    private static HttpRequest get(String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        r.headers().add("Host", "example.com");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static int status(HttpRequest r) {
        RequestChecks.Refusal refusal = RequestChecks.check(r, Limits.DEFAULTS);
        return refusal == null ? 0 : refusal.status().code();
    }

    @Test
    void anOrdinaryRequestPasses() {
        assertThat(status(get())).isZero();
        assertThat(status(get("Transfer-Encoding", "chunked"))).isZero();
        assertThat(status(get("Transfer-Encoding", "Chunked"))).isZero();
        assertThat(status(get("Content-Length", "10"))).isZero();
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() {
        assertThat(status(get("Transfer-Encoding", "chunked", "Content-Length", "5"))).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xchunked", "chunked, identity", "gzip, chunked", "identity", "chunked;q=1", "chunkedx"})
    void anyTransferEncodingButOneChunkedIsRefused(String coding) {
        assertThat(status(get("Transfer-Encoding", coding))).isEqualTo(400);
    }

    @Test
    void transferEncodingTwiceIsRefused() {
        assertThat(status(get("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"))).isEqualTo(400);
    }

    @Test
    void http11WithoutHostOrWithTwoHostsIsRefused() {
        HttpRequest noHost = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        assertThat(status(noHost)).isEqualTo(400);
        assertThat(status(get("Host", "other.example"))).isEqualTo(400);
    }

    @Test
    void http10NeedsNoHostButMayNotChunk() {
        HttpRequest old = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
        assertThat(status(old)).isZero();
        old.headers().add("Transfer-Encoding", "chunked");
        assertThat(status(old)).isEqualTo(400);
    }

    @Test
    void bodiesOverTheLimitAre413() {
        assertThat(status(get("Content-Length", Long.toString(Limits.DEFAULTS.maxBodyBytes() + 1)))).isEqualTo(413);
    }

    @Test
    void nonsenseContentLengthIs400() {
        assertThat(status(get("Content-Length", "-3"))).isEqualTo(400);
        assertThat(status(get("Content-Length", "ten"))).isEqualTo(400);
    }

    @Test
    void tooManyHeadersIs431() {
        HttpRequest r = get();
        for (int i = 0; i < Limits.DEFAULTS.maxHeaders(); i++) {
            r.headers().add("X-H" + i, "v");
        }
        assertThat(status(r)).isEqualTo(431);
    }

    @Test
    void connectIsNotForAReverseProxy() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "example.com:443");
        r.headers().add("Host", "example.com:443");
        assertThat(status(r)).isEqualTo(405);
    }

    @Test
    void decoderFailuresMapToTheirStatus() {
        HttpRequest longLine = get();
        longLine.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("line")));
        HttpRequest longHeaders = get();
        longHeaders.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("headers")));
        HttpRequest garbage = get();
        garbage.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid version format: XYZ")));

        assertThat(status(longLine)).isEqualTo(414);
        assertThat(status(longHeaders)).isEqualTo(431);
        assertThat(status(garbage)).isEqualTo(400);
        assertThat(RequestChecks.check(garbage, Limits.DEFAULTS).message()).contains("invalid version format");
    }
}
