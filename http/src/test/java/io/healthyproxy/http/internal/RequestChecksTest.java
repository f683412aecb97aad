package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.Limits;
import io.netty.handler.codec.DecoderResult;
import io.healthyproxy.http.internal.h1.MalformedMessageException;
import io.healthyproxy.http.internal.h1.UnsupportedCodingException;
import io.healthyproxy.http.internal.h1.UnsupportedVersionException;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
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
    @ValueSource(strings = {"xchunked", "chunked, identity", "identity", "chunked;q=1", "chunkedx", ", chunked",
        "chunked, chunked"})
    void rfc9112s6_3_aFinalCodingOtherThanOneChunkedIs400(String coding) {
        assertThat(status(get("Transfer-Encoding", coding))).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "deflate ,chunked"})
    void rfc9112s6_1_codingsBeforeAFinalChunkedAre501(String coding) {
        assertThat(status(get("Transfer-Encoding", coding))).isEqualTo(501);
        assertThat(status(get("Transfer-Encoding", "gzip", "Transfer-Encoding", "chunked"))).isEqualTo(501);
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

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "127.0.0.1:80", "[::1]:8443", "[2001:db8::7]",
        "xn--caf-dma.example", "my_host.internal", "a%2Db.example"})
    void rfc9110s7_2_aValidHostPasses(String host) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        r.headers().add("Host", host);
        assertThat(status(r)).as(host).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.com", "a,b", "user@example.com", "example.com:", "example.com:99999",
        "example.com:8o", "example.com:80:81", "[::1", "[::1]x", "[]", "exa\u0001mple", "a/b", "a%zz", "a%2"})
    void rfc9110s7_2_anInvalidHostIs400(String host) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders());
        r.headers().add("Host", host);
        assertThat(status(r)).as(host).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a?b", "http://other.example/x", "HTTPS://other.example", "http://[::1]:8080/?q"})
    void rfc9112s3_2_originAndAbsoluteFormTargetsPass(String target) {
        assertThat(status(request(HttpMethod.GET, target))).as(target).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "*", "ftp://other.example/", "http://user@other.example/", "http:///x",
        "http://other.example/x#frag", "example.com:443"})
    void rfc9112s3_2_aTargetOfNoFormOrTheWrongFormIs400(String target) {
        assertThat(status(request(HttpMethod.GET, target))).as(target).isEqualTo(400);
    }

    @Test
    void rfc9112s3_2_4_theAsteriskFormIsForOptions() {
        assertThat(status(request(HttpMethod.OPTIONS, "*"))).isZero();
    }

    private static HttpRequest request(HttpMethod method, String target) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target);
        r.headers().add("Host", "example.com");
        return r;
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

    @Test
    void theH1DecodersRefusalsMapToTheirStatus() {
        assertThat(RequestChecks.decodingFailed(new MalformedMessageException("a bare LF")))
                .isEqualTo(new RequestChecks.Refusal(HttpResponseStatus.BAD_REQUEST, "bad_request", "a bare LF"));
        assertThat(RequestChecks.decodingFailed(new UnsupportedVersionException("HTTP/2.0 is not supported")).status())
                .isEqualTo(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
        assertThat(RequestChecks.decodingFailed(new UnsupportedCodingException("gzip")).status())
                .isEqualTo(HttpResponseStatus.NOT_IMPLEMENTED);
        assertThat(RequestChecks.decodingFailed(new TooLongHttpLineException("line")).status().code()).isEqualTo(414);
        assertThat(RequestChecks.decodingFailed(new TooLongHttpHeaderException("headers")).status().code()).isEqualTo(431);
    }
}
