#include "scanner/checks/mta_sts/utf8.h"

#include <cstdint>
#include <cstring>

#include "absl/strings/str_format.h"

namespace mxscan::checks::mta_sts {
namespace {

// Length of the well-formed UTF-8 sequence at `s[i]`, or 0.
size_t SequenceLength(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t length;
  unsigned char min_second = 0x80, max_second = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    length = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    length = 3;
    if (c == 0xe0) min_second = 0xa0;  // overlong
    if (c == 0xed) max_second = 0x9f;  // surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    length = 4;
    if (c == 0xf0) min_second = 0x90;  // overlong
    if (c == 0xf4) max_second = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = static_cast<unsigned char>(s[i + k]);
    const unsigned char lo = k == 1 ? min_second : 0x80;
    const unsigned char hi = k == 1 ? max_second : 0xbf;
    if (next < lo || next > hi) return 0;
  }
  return length;
}

}  // namespace

size_t FirstInvalidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    // Records are mostly ASCII: skip it eight octets at a time.
    while (i + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof(word));
      if ((word & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const size_t length = SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return absl::string_view::npos;
}

std::string TextForProto(absl::string_view text) {
  if (FirstInvalidUtf8(text) == absl::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "\\%03d", u);
    }
  }
  return out;
}

}  // namespace mxscan::checks::mta_sts
