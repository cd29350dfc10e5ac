package dev.skillhost.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, loopback", "127.255.0.9, loopback", "::1, loopback", "10.1.2.3, private", "172.16.0.1, private",
      "172.31.255.255, private", "192.168.1.1, private", "169.254.169.254, cloud metadata", "169.254.3.3, link-local",
      "fe80::1, link-local", "fd00:ec2::254, cloud metadata", "fd12::1, unique local", "224.0.0.251, multicast",
      "ff02::1, multicast", "0.0.0.0, unspecified", "::, unspecified", "100.64.0.1, carrier-grade",
      "100.100.100.200, cloud metadata", "::ffff:127.0.0.1, loopback", "::ffff:10.0.0.1, private",
      "64:ff9b::a9fe:a9fe, cloud metadata", "240.0.0.1, reserved", "255.255.255.255, reserved"})
  void refuses_every_address_that_is_not_public_unicast_and_says_what_it_is(String address, String why) throws Exception {
    assertThat(AddressPolicy.publicOnly().refusal(InetAddress.getByName(address))).hasValueSatisfying(r -> assertThat(r).contains(why));
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::6810:85e5", "::ffff:8.8.8.8"})
  void allows_public_addresses(String address) throws Exception {
    assertThat(AddressPolicy.publicOnly().refusal(InetAddress.getByName(address))).isEmpty();
  }

  @Test
  void an_explicit_allowance_opens_exactly_its_range() throws Exception {
    AddressPolicy p = AddressPolicy.allowing(List.of("127.0.0.1", "10.1.2.0/24"));
    assertThat(p.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
    assertThat(p.refusal(InetAddress.getByName("127.0.0.2"))).isPresent();
    assertThat(p.refusal(InetAddress.getByName("10.1.2.200"))).isEmpty();
    assertThat(p.refusal(InetAddress.getByName("10.1.3.1"))).isPresent();
    assertThat(p.refusal(InetAddress.getByName("169.254.169.254"))).isPresent();
  }

  @Test
  void a_bad_allowance_is_refused_with_what_was_expected() {
    assertThatThrownBy(() -> AddressPolicy.allowing(List.of("localhost"))).hasMessageContaining("names are not allowed");
    assertThatThrownBy(() -> AddressPolicy.allowing(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
  }
}
