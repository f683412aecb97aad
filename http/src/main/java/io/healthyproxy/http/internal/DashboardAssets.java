package io.healthyproxy.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard's files, bundled in the jar under {@code io/healthyproxy/http/dashboard/} and read once: plain
 * HTML, CSS and JavaScript with hand-drawn SVG, no build step and nothing fetched from elsewhere, so the page works
 * on a machine without internet access. Immutable, thread-safe.
 */
final class DashboardAssets {

    /** A file as it is served. */
    record Asset(byte[] bytes, String contentType) {
    }

    /**
     * The dashboard's own policy: scripts, styles and fetches from the admin listener only, no inline script, no
     * framing; so a backend name or a check's detail that looks like markup can never run.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** The login page has no script at all and one inline style block of its own. */
    static final String LOGIN_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private static final String HTML = "text/html; charset=utf-8";
    private static final Map<String, Asset> BY_PATH = Map.of(
            "/", load("index.html", HTML),
            "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
            "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            "/charts.js", load("charts.js", "text/javascript; charset=utf-8"),
            "/favicon.svg", load("favicon.svg", "image/svg+xml"));
    private static final String LOGIN = new String(load("login.html", HTML).bytes(), StandardCharsets.UTF_8);
    private static final Asset LOGIN_PAGE = login("");
    private static final Asset LOGIN_FAILED_PAGE = login("<p class=\"failed\" role=\"alert\">That is not the admin token.</p>");

    private DashboardAssets() {
    }

    /** The asset served at {@code path}, or null. */
    static Asset at(String path) {
        return BY_PATH.get(path.equals("/index.html") ? "/" : path);
    }

    /** The form that asks for the admin token; {@code failed} after a wrong one. */
    static Asset loginPage(boolean failed) {
        return failed ? LOGIN_FAILED_PAGE : LOGIN_PAGE;
    }

    private static Asset login(String message) {
        return new Asset(LOGIN.replace("<!--message-->", message).getBytes(StandardCharsets.UTF_8), HTML);
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream("/io/healthyproxy/http/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset missing from the jar: " + name);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
