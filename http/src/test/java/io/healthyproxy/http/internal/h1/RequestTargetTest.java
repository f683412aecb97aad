package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.http.internal.h1.RequestTarget.Form;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The four forms of a request-target, RFC 9112 §3.2, and what RFC 9110 §7.2 has a proxy do with them. */
class RequestTargetTest {

    @Test
    void rfc9112s3_2_1_theOriginFormIsForwardedAsItIs() {
        assertThat(RequestTarget.parse(HttpMethod.GET, "/a/b?c=d"))
                .isEqualTo(new RequestTarget(Form.ORIGIN, null, "/a/b?c=d"));
    }

    @ParameterizedTest
    @CsvSource({
        "http://other.example/x?y,     other.example,      /x?y",
        "http://other.example,         other.example,      /",
        "http://other.example?q,       other.example,      /?q",
        "HTTPS://Other.Example:8443/p, Other.Example:8443, /p",
        "http://[::1]:8080/,           [::1]:8080,         /"})
    void rfc9110s7_2_theAbsoluteFormGivesTheAuthorityForHostAndTheOriginFormToForward(String target, String authority,
            String originForm) {
        assertThat(RequestTarget.parse(HttpMethod.GET, target))
                .isEqualTo(new RequestTarget(Form.ABSOLUTE, authority, originForm));
    }

    @Test
    void rfc9112s3_2_3_connectTakesTheAuthorityFormWithAPort() {
        assertThat(RequestTarget.parse(HttpMethod.CONNECT, "example.com:443"))
                .isEqualTo(new RequestTarget(Form.AUTHORITY, "example.com:443", null));
        assertThatThrownBy(() -> RequestTarget.parse(HttpMethod.CONNECT, "example.com"))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> RequestTarget.parse(HttpMethod.CONNECT, "/"))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rfc9112s3_2_4_theAsteriskFormIsOptionsOnly() {
        assertThat(RequestTarget.parse(HttpMethod.OPTIONS, "*").form()).isEqualTo(Form.ASTERISK);
        assertThatThrownBy(() -> RequestTarget.parse(HttpMethod.GET, "*")).isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "index.html", "ftp://x/", "mailto:a@b", "http:/x", "http://", "http://a@b/",
        "http://a b/", "http://x/#f", "http://x:99999/"})
    void aTargetOfNoFormAProxyTakesIsRefused(String target) {
        assertThatThrownBy(() -> RequestTarget.parse(HttpMethod.GET, target)).as(target)
                .isInstanceOf(MalformedMessageException.class);
    }
}
