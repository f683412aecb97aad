package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressTextTest {

    @Test
    void connectionsFromOneAddressInARowShareItsTextAndAnotherAddressGetsItsOwn() throws Exception {
        String first = AddressText.of(InetAddress.getByName("10.0.0.7"));
        String again = AddressText.of(InetAddress.getByAddress(new byte[] {10, 0, 0, 7}));
        String other = AddressText.of(InetAddress.getByName("10.0.0.8"));
        String back = AddressText.of(InetAddress.getByName("10.0.0.7"));

        assertThat(first).isEqualTo("10.0.0.7").isSameAs(again);
        assertThat(other).isEqualTo("10.0.0.8");
        assertThat(back).isEqualTo("10.0.0.7");
    }

    @Test
    void anIpv6AddressIsWrittenAsTheJdkWritesItAndItsScopeIsNeverLost() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();

        String plain = AddressText.of(InetAddress.getByName("2001:db8::1"));
        String scope1 = AddressText.of(Inet6Address.getByAddress(null, linkLocal, 1));
        String scope2 = AddressText.of(Inet6Address.getByAddress(null, linkLocal, 2));

        assertThat(plain).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(scope1).isEqualTo("fe80:0:0:0:0:0:0:1%1");
        assertThat(scope2).isEqualTo("fe80:0:0:0:0:0:0:1%2");
    }
}
