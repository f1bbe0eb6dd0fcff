#ifndef MXSCAN_SCANNER_CHECKS_SPF_IP_ADDRESS_H_
#define MXSCAN_SCANNER_CHECKS_SPF_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::checks::spf {

// IpAddress is an IPv4 or IPv6 address as SPF compares them: the client
// <ip> of check_host() and the networks of ip4/ip6 mechanisms. A value
// type; it owns nothing.
class IpAddress {
 public:
  // A default-constructed address is the IPv4 address 0.0.0.0.
  IpAddress() = default;

  // ParseIp4 accepts exactly the ip4-network form of RFC 7208 section 5.6:
  // four decimal octets, no leading zeros, nothing else. Fails with
  // InvalidArgument otherwise.
  static absl::StatusOr<IpAddress> ParseIp4(absl::string_view text);
  // ParseIp6 accepts the text forms of RFC 4291 section 2.2 (including an
  // embedded dotted quad). Fails with InvalidArgument otherwise.
  static absl::StatusOr<IpAddress> ParseIp6(absl::string_view text);
  // Parse accepts either form (IPv6 when the text holds a ':').
  static absl::StatusOr<IpAddress> Parse(absl::string_view text);
  // FromOctets takes the 4 or 16 octets of an A or AAAA record's RDATA in
  // network order; other lengths give 0.0.0.0.
  static IpAddress FromOctets(absl::Span<const uint8_t> octets);

  bool is_ip6() const { return ip6_; }
  // Size in bits: 32 or 128.
  int bits() const { return ip6_ ? 128 : 32; }

  // Unmapped returns the IPv4 address an IPv4-mapped IPv6 address
  // (::ffff:a.b.c.d) stands for, and any other address unchanged: RFC 7208
  // section 5 treats such a client as IPv4.
  IpAddress Unmapped() const;

  // InNetwork tells whether the first `prefix_length` bits equal those of
  // `network`. Addresses of different families never match; a prefix
  // longer than the address is treated as the full length.
  bool InNetwork(const IpAddress& network, int prefix_length) const;

  // ToString is the readable form (the %{c} macro): dotted quad, or the
  // RFC 5952 form for IPv6 ("2001:db8::1", lowercase, longest zero run
  // compressed).
  std::string ToString() const;
  // DottedForm is the %{i} macro: the dotted quad, or the 32 nibbles of an
  // IPv6 address in lowercase hex separated by dots (RFC 7208 section 7.3).
  std::string DottedForm() const;
  // ReverseName is the PTR question for this address, without trailing dot
  // ("4.3.2.1.in-addr.arpa", "...ip6.arpa").
  std::string ReverseName() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.ip6_ == b.ip6_ && a.bytes_ == b.bytes_;
  }
  friend bool operator!=(const IpAddress& a, const IpAddress& b) {
    return !(a == b);
  }

 private:
  bool ip6_ = false;
  // IPv4 addresses use the first 4 bytes; the rest stay zero.
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_IP_ADDRESS_H_
