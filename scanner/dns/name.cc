#include "scanner/dns/name.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mxscan::dns {
namespace {

// Presentation text of a label holds at most 4 characters per octet
// (\DDD); a whole name at most 4 per wire octet, dots included.
constexpr size_t kMaxLabelText = 4 * kMaxLabelLength;
constexpr size_t kMaxNameText = 4 * kMaxNameWireLength;

// kPlainLower[c] is the octet c as it appears in a canonical name when it
// needs no escape (printable ASCII but '.' and '\\', lowercased), else 0.
constexpr std::array<char, 256> MakePlainLower() {
  std::array<char, 256> table{};
  for (int c = 0x21; c <= 0x7e; ++c) {
    if (c == '.' || c == '\\') continue;
    table[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  return table;
}
constexpr std::array<char, 256> kPlainLower = MakePlainLower();

// EscapeOctets writes `n` octets in RFC 1035 presentation form to `out`
// (room for 4 * n characters) and returns the end of what it wrote.
char* EscapeOctets(const unsigned char* octets, size_t n, bool lowercase,
                   bool escape_dot, char* out) {
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = octets[i];
    const char plain = kPlainLower[c];
    if (plain != 0) {
      *out++ = lowercase ? plain : static_cast<char>(c);
    } else if (c == '\\' || (c == '.' && escape_dot)) {
      *out++ = '\\';
      *out++ = static_cast<char>(c);
    } else if (c == '.') {
      *out++ = '.';
    } else {
      *out++ = '\\';
      *out++ = static_cast<char>('0' + c / 100);
      *out++ = static_cast<char>('0' + (c / 10) % 10);
      *out++ = static_cast<char>('0' + c % 10);
    }
  }
  return out;
}

// CanonicalLabel is EscapeOctets for a label of a canonical name
// (lowercase, dots escaped), with the common case, nothing to escape, in a
// loop of its own.
char* CanonicalLabel(const unsigned char* octets, size_t n, char* out) {
  size_t i = 0;
  for (; i < n; ++i) {
    const char plain = kPlainLower[octets[i]];
    if (plain == 0) break;
    out[i] = plain;
  }
  if (i == n) return out + n;
  return EscapeOctets(octets + i, n - i, /*lowercase=*/true,
                      /*escape_dot=*/true, out + i);
}

// Splits a presentation name into wire labels, calling `label(bytes)` for
// each. Returns the wire length including the root octet.
template <typename F>
absl::StatusOr<size_t> ForEachLabel(absl::string_view name, F&& label) {
  if (name.empty()) return absl::InvalidArgumentError("empty domain name");
  if (name == ".") return size_t{1};
  size_t wire_length = 1;
  // The label's octets; an over-long label is counted to its end (so that
  // a bad character later in it is still reported first) but not stored.
  char current[kMaxLabelLength];
  size_t length = 0;
  auto add = [&](char c) {
    if (length < kMaxLabelLength) current[length] = c;
    ++length;
  };
  size_t i = 0;
  auto finish_label = [&]() -> absl::Status {
    if (length == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("empty label in \"", name, "\""));
    }
    if (length > kMaxLabelLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("label longer than 63 octets in \"", name, "\""));
    }
    wire_length += length + 1;
    if (wire_length > kMaxNameWireLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("name longer than 255 octets: \"", name, "\""));
    }
    label(absl::string_view(current, length));
    length = 0;
    return absl::OkStatus();
  };
  while (i < name.size()) {
    // Most of a name is a run of characters that stand for themselves.
    size_t run = i;
    while (run < name.size() &&
           kPlainLower[static_cast<unsigned char>(name[run])] != 0) {
      ++run;
    }
    if (run > i) {
      const size_t n = run - i;
      if (length < kMaxLabelLength) {
        std::memcpy(current + length, name.data() + i,
                    std::min(n, kMaxLabelLength - length));
      }
      length += n;
      i = run;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == '.') {
      absl::Status s = finish_label();
      if (!s.ok()) return s;
      ++i;
      if (i == name.size()) return wire_length;  // trailing dot
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= name.size()) {
        return absl::InvalidArgumentError("dangling backslash in name");
      }
      if (absl::ascii_isdigit(name[i + 1])) {
        if (i + 3 >= name.size() || !absl::ascii_isdigit(name[i + 2]) ||
            !absl::ascii_isdigit(name[i + 3])) {
          return absl::InvalidArgumentError("bad \\DDD escape in name");
        }
        const int value = (name[i + 1] - '0') * 100 +
                          (name[i + 2] - '0') * 10 + (name[i + 3] - '0');
        if (value > 255) {
          return absl::InvalidArgumentError("\\DDD escape above 255");
        }
        add(static_cast<char>(value));
        i += 4;
      } else {
        add(name[i + 1]);
        i += 2;
      }
      continue;
    }
    // Neither plain, nor '.' nor '\\': a space, a control character or
    // not ASCII.
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid character in name \"", absl::CHexEscape(name), "\""));
  }
  absl::Status s = finish_label();
  if (!s.ok()) return s;
  return wire_length;
}

// Walks the (possibly compressed) name at `*offset` as ReadWireName
// describes; writes its canonical text to `text` (room for kMaxNameText
// characters) unless null and returns the text's length.
absl::StatusOr<size_t> WalkWireName(absl::Span<const uint8_t> packet,
                                    size_t* offset, char* text) {
  size_t pos = *offset;
  size_t end_of_name = 0;  // where *offset goes: after the first pointer
  bool jumped = false;
  size_t wire_length = 1;
  char* out = text;
  // Each pointer must go strictly backwards, so the walk terminates.
  size_t lowest_allowed_target = pos;
  while (true) {
    if (pos >= packet.size()) {
      return absl::DataLossError("name runs past the end of the message");
    }
    const uint8_t length = packet[pos];
    if ((length & 0xC0) == 0xC0) {
      if (pos + 1 >= packet.size()) {
        return absl::DataLossError("truncated compression pointer");
      }
      const size_t target = ((length & 0x3F) << 8) | packet[pos + 1];
      if (target >= lowest_allowed_target) {
        return absl::DataLossError("compression pointer does not point back");
      }
      if (!jumped) {
        end_of_name = pos + 2;
        jumped = true;
      }
      lowest_allowed_target = target;
      pos = target;
      continue;
    }
    if ((length & 0xC0) != 0) {
      return absl::DataLossError("unsupported label type");
    }
    if (length == 0) {
      if (!jumped) end_of_name = pos + 1;
      break;
    }
    if (pos + 1 + length > packet.size()) {
      return absl::DataLossError("label runs past the end of the message");
    }
    wire_length += length + 1;
    if (wire_length > kMaxNameWireLength) {
      return absl::DataLossError("name longer than 255 octets");
    }
    if (text != nullptr) {
      out = CanonicalLabel(&packet[pos + 1], length, out);
      *out++ = '.';
    }
    pos += 1 + length;
  }
  if (text != nullptr && out == text) *out++ = '.';
  *offset = end_of_name;
  return static_cast<size_t>(out - text);
}

}  // namespace

void AppendEscapedOctets(absl::string_view octets, bool lowercase,
                         bool escape_dot, std::string* out) {
  char text[kMaxLabelText];
  const auto* data = reinterpret_cast<const unsigned char*>(octets.data());
  for (size_t at = 0; at < octets.size(); at += kMaxLabelLength) {
    const size_t n = std::min(kMaxLabelLength, octets.size() - at);
    const char* end = EscapeOctets(data + at, n, lowercase, escape_dot, text);
    out->append(text, static_cast<size_t>(end - text));
  }
}

absl::Status NormalizeName(absl::string_view name, std::string* out) {
  char text[kMaxNameText];
  char* end = text;
  absl::StatusOr<size_t> wire = ForEachLabel(name, [&](absl::string_view l) {
    end = CanonicalLabel(reinterpret_cast<const unsigned char*>(l.data()),
                         l.size(), end);
    *end++ = '.';
  });
  if (!wire.ok()) return wire.status();
  if (end == text) *end++ = '.';
  out->assign(text, static_cast<size_t>(end - text));
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeName(absl::string_view name) {
  std::string out;
  absl::Status s = NormalizeName(name, &out);
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<size_t> WriteWireName(absl::string_view name, uint8_t* out) {
  uint8_t* end = out;
  absl::StatusOr<size_t> wire = ForEachLabel(name, [&](absl::string_view l) {
    *end++ = static_cast<uint8_t>(l.size());
    std::memcpy(end, l.data(), l.size());
    end += l.size();
  });
  if (!wire.ok()) return wire.status();
  *end++ = 0;
  return static_cast<size_t>(end - out);
}

absl::Status AppendWireName(absl::string_view name, std::string* out) {
  uint8_t wire[kMaxNameWireLength];
  absl::StatusOr<size_t> length = WriteWireName(name, wire);
  if (!length.ok()) return length.status();
  out->append(reinterpret_cast<const char*>(wire), *length);
  return absl::OkStatus();
}

absl::Status ReadWireName(absl::Span<const uint8_t> packet, size_t* offset,
                          std::string* out) {
  char text[kMaxNameText];
  absl::StatusOr<size_t> length = WalkWireName(packet, offset, text);
  if (!length.ok()) return length.status();
  out->append(text, *length);
  return absl::OkStatus();
}

absl::Status CheckWireName(absl::Span<const uint8_t> packet, size_t* offset) {
  return WalkWireName(packet, offset, nullptr).status();
}

absl::Status SkipWireName(absl::Span<const uint8_t> packet, size_t* offset) {
  size_t pos = *offset;
  while (true) {
    if (pos >= packet.size()) {
      return absl::DataLossError("name runs past the end of the message");
    }
    const uint8_t length = packet[pos];
    if ((length & 0xC0) == 0xC0) {
      if (pos + 1 >= packet.size()) {
        return absl::DataLossError("truncated compression pointer");
      }
      *offset = pos + 2;
      return absl::OkStatus();
    }
    if ((length & 0xC0) != 0) {
      return absl::DataLossError("unsupported label type");
    }
    if (length == 0) {
      *offset = pos + 1;
      return absl::OkStatus();
    }
    pos += 1 + length;
  }
}

}  // namespace mxscan::dns
