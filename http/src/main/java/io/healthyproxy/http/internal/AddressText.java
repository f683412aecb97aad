package io.healthyproxy.http.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The text of a client's IP address (for X-Forwarded-For and the access log), shared by the connections that
 * come from one address in a row on one event loop: behind a load balancer, a NAT or a service mesh, most
 * do. Each connection keeps its client's address as text for its whole life, so with many thousands of idle
 * keep-alive connections one string per address rather than one per connection is memory that counts
 * (56 bytes each for an IPv4 address). A different address simply takes the last one's place. An IPv6
 * address with a scope (link-local, {@code fe80::1%eth0}) is never shared: {@link InetAddress#equals} ignores
 * the scope, which its text shows.
 */
final class AddressText {

    private static final FastThreadLocal<AddressText> LAST = new FastThreadLocal<>() {
        @Override
        protected AddressText initialValue() {
            return new AddressText();
        }
    };

    private InetAddress address;
    private String text;

    private AddressText() {
    }

    /** {@code address} as text ({@link InetAddress#getHostAddress()}), the same string as last time if it is the same. */
    static String of(InetAddress address) {
        if (address instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            return address.getHostAddress();
        }
        AddressText last = LAST.get();
        if (!address.equals(last.address)) {
            last.text = address.getHostAddress();
            last.address = address;
        }
        return last.text;
    }
}
