#include "scanner/checks/org_domain/punycode.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mxscan::checks::org_domain {
namespace {

// Bootstring parameters for Punycode, RFC 3492 section 5.
constexpr uint32_t kBase = 36;
constexpr uint32_t kTMin = 1;
constexpr uint32_t kTMax = 26;
constexpr uint32_t kSkew = 38;
constexpr uint32_t kDamp = 700;
constexpr uint32_t kInitialBias = 72;
constexpr uint32_t kInitialN = 0x80;

char EncodeDigit(uint32_t d) {
  return d < 26 ? static_cast<char>('a' + d) : static_cast<char>('0' + d - 26);
}

// Adapt is the bias adaptation function of RFC 3492 section 6.1.
uint32_t Adapt(uint32_t delta, uint32_t num_points, bool first_time) {
  delta = first_time ? delta / kDamp : delta / 2;
  delta += delta / num_points;
  uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

// DecodeUtf8 rejects overlong forms, surrogates and values past U+10FFFF.
absl::StatusOr<std::vector<char32_t>> DecodeUtf8(absl::string_view s) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int extra;
    char32_t cp;
    char32_t min;
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      extra = 1, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
      return absl::InvalidArgumentError("invalid UTF-8 lead byte");
    }
    if (i + extra >= s.size()) {
      return absl::InvalidArgumentError("truncated UTF-8 sequence");
    }
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        return absl::InvalidArgumentError("invalid UTF-8 continuation byte");
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return absl::InvalidArgumentError("invalid UTF-8 code point");
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> PunycodeEncode(absl::Span<const char32_t> input) {
  std::string out;
  for (char32_t c : input) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      return absl::InvalidArgumentError("not a Unicode scalar value");
    }
    if (c < 0x80) out.push_back(static_cast<char>(c));
  }
  const uint32_t basic = static_cast<uint32_t>(out.size());
  if (basic > 0) out.push_back('-');

  constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();
  uint32_t n = kInitialN;
  uint32_t delta = 0;
  uint32_t bias = kInitialBias;
  uint32_t handled = basic;
  while (handled < input.size()) {
    uint32_t m = kMax;
    for (char32_t c : input) {
      if (c >= n && c < m) m = c;
    }
    if ((m - n) > (kMax - delta) / (handled + 1)) {
      return absl::OutOfRangeError("punycode overflow");
    }
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n && ++delta == 0) {
        return absl::OutOfRangeError("punycode overflow");
      }
      if (c != n) continue;
      uint32_t q = delta;
      for (uint32_t k = kBase;; k += kBase) {
        const uint32_t t =
            k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
        if (q < t) break;
        out.push_back(EncodeDigit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(EncodeDigit(q));
      bias = Adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

absl::StatusOr<std::string> DomainToALabels(absl::string_view utf8_domain) {
  std::string out;
  bool first = true;
  for (absl::string_view label : absl::StrSplit(utf8_domain, '.')) {
    if (!first) out.push_back('.');
    first = false;
    bool ascii = true;
    for (char c : label) ascii &= static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      absl::StrAppend(&out, absl::AsciiStrToLower(label));
      continue;
    }
    absl::StatusOr<std::vector<char32_t>> points = DecodeUtf8(label);
    if (!points.ok()) return points.status();
    for (char32_t& c : *points) {
      if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    }
    absl::StatusOr<std::string> encoded = PunycodeEncode(*points);
    if (!encoded.ok()) return encoded.status();
    absl::StrAppend(&out, "xn--", *encoded);
  }
  return out;
}

}  // namespace mxscan::checks::org_domain
