package io.healthyproxy.http.internal.h1;

import io.netty.handler.codec.http.HttpMethod;

/**
 * A request-target classified by its form (RFC 9112 §3.2), with what a proxy needs of it.
 *
 * <p>For the absolute-form ({@code GET http://other.example/x?y HTTP/1.1}), RFC 9110 §7.2 (and RFC 9112
 * §3.2.2) has a proxy replace the Host header with the target's {@link #authority()} and forward the
 * {@link #originForm()} ({@code /x?y}); for the origin-form both are as received (the authority is then the
 * Host header's business).
 *
 * <pre>{@code
 * RequestTarget target = RequestTarget.parse(request.method(), request.uri());
 * if (target.form() == RequestTarget.Form.ABSOLUTE) {
 *     request.headers().set(HttpHeaderNames.HOST, target.authority());
 *     request.setUri(target.originForm());
 * }
 * }</pre>
 *
 * @param form       which of the four forms it is
 * @param authority  the authority of an absolute- or authority-form target, else null
 * @param originForm the path and query to forward: the target itself in origin-form, the absolute-form's
 *                   path and query ({@code /} if it has no path), else null
 */
public record RequestTarget(Form form, String authority, String originForm) {

    /** RFC 9112 §3.2.1–3.2.4. */
    public enum Form {
        /** {@code /path?query}: what a client sends a server. */
        ORIGIN,
        /** {@code http://host/path?query}: what a client sends a proxy. */
        ABSOLUTE,
        /** {@code host:port}: CONNECT only. */
        AUTHORITY,
        /** {@code *}: OPTIONS only. */
        ASTERISK
    }

    /**
     * Classifies {@code target}, sent with {@code method}.
     *
     * @throws MalformedMessageException (400) if it is none of the forms, or a form the method may not use:
     *         CONNECT takes only the authority-form, only OPTIONS may use {@code *}; an absolute-form target
     *         must be {@code http} or {@code https} with a valid authority, and carry no fragment
     */
    public static RequestTarget parse(HttpMethod method, String target) {
        if (method.equals(HttpMethod.CONNECT)) {
            if (!Authority.isValid(target, true)) {
                throw new MalformedMessageException("CONNECT needs a host:port target");
            }
            return new RequestTarget(Form.AUTHORITY, target, null);
        }
        if (!target.isEmpty() && target.charAt(0) == '/') {
            return new RequestTarget(Form.ORIGIN, null, target);
        }
        if (target.equals("*")) {
            if (!method.equals(HttpMethod.OPTIONS)) {
                throw new MalformedMessageException("only OPTIONS may have the target *");
            }
            return new RequestTarget(Form.ASTERISK, null, null);
        }
        int afterScheme = schemeEnd(target);
        if (afterScheme < 0) {
            throw new MalformedMessageException("a request-target that is neither a path nor an absolute http URI");
        }
        if (target.indexOf('#') >= 0) {
            throw new MalformedMessageException("a fragment in the request-target");
        }
        int pathStart = afterScheme;
        while (pathStart < target.length() && target.charAt(pathStart) != '/' && target.charAt(pathStart) != '?') {
            pathStart++;
        }
        String authority = target.substring(afterScheme, pathStart);
        if (!Authority.isValid(authority, false)) {
            throw new MalformedMessageException("an invalid authority in the request-target");
        }
        String rest = target.substring(pathStart);
        return new RequestTarget(Form.ABSOLUTE, authority, rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest);
    }

    /** Where the authority starts after {@code http://} or {@code https://} (in any case), or -1. */
    private static int schemeEnd(String target) {
        for (String scheme : new String[] {"http://", "https://"}) {
            if (target.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return scheme.length();
            }
        }
        return -1;
    }
}
