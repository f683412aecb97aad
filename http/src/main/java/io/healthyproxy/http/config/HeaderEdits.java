package io.healthyproxy.http.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A route's changes to the request headers before the request goes to the backend, made in this order:
 * {@code remove} the named headers, {@code set} each header to one value (replacing what the client sent:
 * NGINX's {@code proxy_set_header}, what a header the client must not choose needs), {@code add} a value
 * after any the client sent (Envoy's {@code request_headers_to_add}, appending).
 *
 * <p>Headers that frame the message or belong to the connection ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Keep-Alive}, {@code TE}, {@code Trailer},
 * {@code Upgrade}, {@code Proxy-Connection}) cannot be changed: the proxy decides them. {@code Host} may be set
 * (the backend's virtual host), not added or removed. A header may appear in one of the three only.
 *
 * @param set    header name (lower case) to value, replacing
 * @param add    header name (lower case) to value, appending
 * @param remove header names (lower case)
 */
public record HeaderEdits(Map<String, String> set, Map<String, String> add, List<String> remove) {

    public static final HeaderEdits NONE = new HeaderEdits(Map.of(), Map.of(), List.of());

    public HeaderEdits {
        set = checked("set", set, true);
        add = checked("add", add, false);
        List<String> names = new ArrayList<>();
        for (String name : remove) {
            names.add(checkedName("remove", name, false));
        }
        remove = List.copyOf(new LinkedHashSet<>(names));
        Set<String> seen = new LinkedHashSet<>();
        for (String name : concat(set.keySet(), add.keySet(), remove)) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("requestHeaders: '" + name + "' (expected: in one of set, add, "
                        + "remove; it is in two)");
            }
        }
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    private static Map<String, String> checked(String field, Map<String, String> entries, boolean hostAllowed) {
        Map<String, String> result = new LinkedHashMap<>();
        entries.forEach((name, value) -> {
            String lower = checkedName(field, name, hostAllowed);
            HeaderNames.checkValue(lower, Objects.requireNonNull(value, "value"));
            result.put(lower, value);
        });
        return Collections.unmodifiableMap(result);
    }

    private static String checkedName(String field, String name, boolean hostAllowed) {
        String lower = HeaderNames.check(name);
        if (HeaderNames.RESERVED.contains(lower) || lower.equals("host") && !hostAllowed) {
            throw new IllegalArgumentException("requestHeaders." + field + ": '" + name + "' (expected: a header "
                    + "the proxy does not decide itself; " + (lower.equals("host") ? "Host may only be set"
                    : "it frames the message or belongs to the connection") + ")");
        }
        return lower;
    }

    private static List<String> concat(Set<String> a, Set<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }
}
