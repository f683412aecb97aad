package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who may read the admin API when an admin token is configured: a request with
 * {@code Authorization: Bearer <token>} (scripts, Prometheus), or a browser holding the session cookie that
 * {@code POST /login} hands out for the right token (the dashboard). {@code /healthz} is open to all; the
 * {@link AdminHandler} decides that.
 *
 * <p>Why a cookie and a form, not {@code /?token=...}: a browser cannot put an {@code Authorization} header on a
 * page it navigates to, nor on the scripts and styles that page loads, so the page needs something the browser
 * sends by itself. A token in the address would stay in the browser's history and could leave in a
 * {@code Referer}; typed into a password field and posted, it appears in no URL. The cookie is {@code HttpOnly}
 * (the page's scripts cannot read it), {@code SameSite=Strict} (no other site's page can make the browser send
 * it), lives until the browser closes, and holds not the token but a SHA-256 digest of it with a fixed label: a
 * stolen cookie does not reveal the token (which may open {@code /metrics} elsewhere too), and changing the token
 * ends every session. It is not {@code Secure} because the admin listener speaks plain HTTP.
 *
 * <p>Every comparison takes the same time whatever the given value (digests of equal length,
 * {@link MessageDigest#isEqual}); nothing here logs a token or a cookie. Immutable, thread-safe.
 */
final class AdminAccess {

    static final String COOKIE = "healthyproxy_admin";

    /** {@code "Bearer <token>"}, or null when no token is configured (everything open). */
    private final byte[] bearer;
    /** The session cookie's value for the configured token, or null. */
    private final byte[] session;

    private AdminAccess(byte[] bearer, byte[] session) {
        this.bearer = bearer;
        this.session = session;
    }

    static AdminAccess of(Optional<String> token) {
        return token.map(t -> new AdminAccess(("Bearer " + t).getBytes(StandardCharsets.UTF_8), sessionFor(t)))
                .orElseGet(() -> new AdminAccess(null, null));
    }

    boolean tokenRequired() {
        return bearer != null;
    }

    /** Whether a request with these headers may read the guarded paths. */
    boolean allows(HttpHeaders headers) {
        if (bearer == null) {
            return true;
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            return MessageDigest.isEqual(bearer, authorization.getBytes(StandardCharsets.UTF_8));
        }
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decode(header)) {
                if (cookie.name().equals(COOKIE)
                        && MessageDigest.isEqual(session, cookie.value().getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code given}, typed into the login form, is the token. */
    boolean isToken(String given) {
        return bearer != null && MessageDigest.isEqual(session, sessionFor(given));
    }

    /** The {@code Set-Cookie} value that lets a browser in after a successful login. */
    String sessionCookie() {
        DefaultCookie cookie = new DefaultCookie(COOKIE, new String(session, StandardCharsets.US_ASCII));
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        return ServerCookieEncoder.STRICT.encode(cookie);
    }

    private static byte[] sessionFor(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("healthy-proxy admin session\n".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha256.digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
