package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

    private static final String TOKEN = "a-long-enough-secret-token";
    private final AdminAccess guarded = AdminAccess.of(Optional.of(TOKEN));

    @Test
    void withoutATokenEverythingIsOpen() {
        AdminAccess open = AdminAccess.of(Optional.empty());

        assertThat(open.tokenRequired()).isFalse();
        assertThat(open.allows(new DefaultHttpHeaders())).isTrue();
        assertThat(open.isToken("")).isFalse();
    }

    @Test
    void theRightBearerHeaderIsLetIn() {
        assertThat(guarded.allows(headers("Authorization", "Bearer " + TOKEN))).isTrue();
        assertThat(guarded.allows(headers("Authorization", "Bearer " + TOKEN + "x"))).isFalse();
        assertThat(guarded.allows(headers("Authorization", TOKEN))).isFalse();
        assertThat(guarded.allows(new DefaultHttpHeaders())).isFalse();
    }

    @Test
    void theLoginCookieLetsABrowserInAndHoldsADigestNotTheToken() {
        String setCookie = guarded.sessionCookie();
        String pair = setCookie.substring(0, setCookie.indexOf(';'));

        // Cookie attribute names are case-insensitive (RFC 6265); Netty writes "HTTPOnly".
        assertThat(setCookie).startsWith(AdminAccess.COOKIE + "=").contains("; Path=/").containsIgnoringCase("; HttpOnly")
                .contains("; SameSite=Strict").doesNotContain(TOKEN).doesNotContain("Max-Age").doesNotContain("Expires");
        assertThat(guarded.allows(headers("Cookie", "other=1; " + pair))).isTrue();
        assertThat(guarded.allows(headers("Cookie", AdminAccess.COOKIE + "=" + TOKEN))).isFalse();
        assertThat(guarded.allows(headers("Cookie", pair.substring(0, pair.length() - 1) + "0"))).isFalse();
    }

    @Test
    void anotherTokenGivesAnotherCookie() {
        AdminAccess rotated = AdminAccess.of(Optional.of(TOKEN + "-rotated"));
        String pair = guarded.sessionCookie().split(";")[0];

        assertThat(rotated.allows(headers("Cookie", pair))).isFalse();
    }

    @Test
    void theLoginFormAcceptsOnlyTheToken() {
        assertThat(guarded.isToken(TOKEN)).isTrue();
        assertThat(guarded.isToken(TOKEN.substring(1))).isFalse();
        assertThat(guarded.isToken("")).isFalse();
    }

    private static HttpHeaders headers(String name, String value) {
        return new DefaultHttpHeaders().add(name, value);
    }
}
