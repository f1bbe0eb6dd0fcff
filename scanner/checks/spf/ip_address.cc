#include "scanner/checks/spf/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mxscan::checks::spf {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

absl::Status BadAddress(absl::string_view kind, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "invalid ", kind, " address \"", absl::CHexEscape(text), "\""));
}

}  // namespace

absl::StatusOr<IpAddress> IpAddress::ParseIp4(absl::string_view text) {
  IpAddress address;
  size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.')
        return BadAddress("IPv4", text);
      ++pos;
    }
    const size_t start = pos;
    int value = 0;
    while (pos < text.size() && absl::ascii_isdigit(text[pos]) &&
           pos - start < 3) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    const size_t digits = pos - start;
    // RFC 7208's qnum has no leading zeros and stops at 255.
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) {
      return BadAddress("IPv4", text);
    }
    address.bytes_[octet] = static_cast<uint8_t>(value);
  }
  if (pos != text.size()) return BadAddress("IPv4", text);
  return address;
}

absl::StatusOr<IpAddress> IpAddress::ParseIp6(absl::string_view text) {
  // inet_pton reads a C string: refuse anything it could misread (an
  // embedded NUL would cut the text short) before handing it over.
  if (text.empty() || text.size() > 45) return BadAddress("IPv6", text);
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) && c != ':' && c != '.') {
      return BadAddress("IPv6", text);
    }
  }
  const std::string copy(text);
  IpAddress address;
  address.ip6_ = true;
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes_.data()) != 1) {
    return BadAddress("IPv6", text);
  }
  return address;
}

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view text) {
  if (text.find(':') != absl::string_view::npos) return ParseIp6(text);
  return ParseIp4(text);
}

IpAddress IpAddress::FromOctets(absl::Span<const uint8_t> octets) {
  IpAddress ip;
  if (octets.size() != 4 && octets.size() != 16) return ip;
  ip.ip6_ = octets.size() == 16;
  std::copy(octets.begin(), octets.end(), ip.bytes_.begin());
  return ip;
}

IpAddress IpAddress::Unmapped() const {
  if (!ip6_) return *this;
  for (int i = 0; i < 10; ++i) {
    if (bytes_[i] != 0) return *this;
  }
  if (bytes_[10] != 0xff || bytes_[11] != 0xff) return *this;
  IpAddress v4;
  std::memcpy(v4.bytes_.data(), bytes_.data() + 12, 4);
  return v4;
}

bool IpAddress::InNetwork(const IpAddress& network, int prefix_length) const {
  if (ip6_ != network.ip6_) return false;
  int bits = prefix_length < 0 ? 0 : prefix_length;
  if (bits > this->bits()) bits = this->bits();
  const int whole = bits / 8;
  if (std::memcmp(bytes_.data(), network.bytes_.data(), whole) != 0) {
    return false;
  }
  const int rest = bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (bytes_[whole] & mask) == (network.bytes_[whole] & mask);
}

std::string IpAddress::ToString() const {
  if (!ip6_) {
    return absl::StrCat(int{bytes_[0]}, ".", int{bytes_[1]}, ".",
                        int{bytes_[2]}, ".", int{bytes_[3]});
  }
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) {
    groups[i] = static_cast<uint16_t>(bytes_[2 * i] << 8 | bytes_[2 * i + 1]);
  }
  // RFC 5952 section 4.2: compress the longest run of two or more zero
  // groups, the first one on a tie.
  int best_start = -1;
  int best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    absl::StrAppend(&out, absl::Hex(groups[i]));
  }
  return out;
}

std::string IpAddress::DottedForm() const {
  if (!ip6_) return ToString();
  std::string out;
  out.reserve(63);
  for (int i = 0; i < 16; ++i) {
    if (i > 0) out += '.';
    out += kHexDigits[bytes_[i] >> 4];
    out += '.';
    out += kHexDigits[bytes_[i] & 0xf];
  }
  return out;
}

std::string IpAddress::ReverseName() const {
  std::string out;
  if (!ip6_) {
    for (int i = 3; i >= 0; --i) absl::StrAppend(&out, int{bytes_[i]}, ".");
    return out + "in-addr.arpa";
  }
  for (int i = 15; i >= 0; --i) {
    out += kHexDigits[bytes_[i] & 0xf];
    out += '.';
    out += kHexDigits[bytes_[i] >> 4];
    out += '.';
  }
  return out + "ip6.arpa";
}

}  // namespace mxscan::checks::spf
