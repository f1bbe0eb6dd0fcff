#include "scanner/dns/name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mxscan::dns {
namespace {

// Splits a presentation name into wire labels, calling `label(bytes)` for
// each. Returns the wire length including the root octet.
template <typename F>
absl::StatusOr<size_t> ForEachLabel(absl::string_view name, F&& label) {
  if (name.empty()) return absl::InvalidArgumentError("empty domain name");
  if (name == ".") return size_t{1};
  size_t wire_length = 1;
  std::string current;
  size_t i = 0;
  auto finish_label = [&]() -> absl::Status {
    if (current.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("empty label in \"", name, "\""));
    }
    if (current.size() > kMaxLabelLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("label longer than 63 octets in \"", name, "\""));
    }
    wire_length += current.size() + 1;
    if (wire_length > kMaxNameWireLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("name longer than 255 octets: \"", name, "\""));
    }
    label(absl::string_view(current));
    current.clear();
    return absl::OkStatus();
  };
  while (i < name.size()) {
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
        current.push_back(static_cast<char>(value));
        i += 4;
      } else {
        current.push_back(name[i + 1]);
        i += 2;
      }
      continue;
    }
    if (c <= 0x20 || c >= 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid character in name \"", absl::CHexEscape(name),
                       "\""));
    }
    current.push_back(static_cast<char>(c));
    ++i;
  }
  absl::Status s = finish_label();
  if (!s.ok()) return s;
  return wire_length;
}

}  // namespace

void AppendEscapedOctets(absl::string_view octets, bool lowercase,
                         bool escape_dot, std::string* out) {
  for (char ch : octets) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c == '.' && escape_dot) || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x21 || c > 0x7e) {
      char buf[5] = {'\\', static_cast<char>('0' + c / 100),
                     static_cast<char>('0' + (c / 10) % 10),
                     static_cast<char>('0' + c % 10), 0};
      out->append(buf, 4);
    } else {
      out->push_back(lowercase ? absl::ascii_tolower(static_cast<char>(c))
                               : static_cast<char>(c));
    }
  }
}

absl::StatusOr<std::string> NormalizeName(absl::string_view name) {
  std::string out;
  out.reserve(name.size() + 1);
  absl::StatusOr<size_t> wire = ForEachLabel(name, [&](absl::string_view l) {
    AppendEscapedOctets(l, /*lowercase=*/true, /*escape_dot=*/true, &out);
    out.push_back('.');
  });
  if (!wire.ok()) return wire.status();
  if (out.empty()) out = ".";
  return out;
}

absl::Status AppendWireName(absl::string_view name, std::string* out) {
  const size_t start = out->size();
  absl::StatusOr<size_t> wire = ForEachLabel(name, [&](absl::string_view l) {
    out->push_back(static_cast<char>(l.size()));
    out->append(l.data(), l.size());
  });
  if (!wire.ok()) {
    out->resize(start);
    return wire.status();
  }
  out->push_back('\0');
  return absl::OkStatus();
}

absl::Status ReadWireName(absl::Span<const uint8_t> packet, size_t* offset,
                          std::string* out) {
  size_t pos = *offset;
  size_t end_of_name = 0;  // where *offset goes: after the first pointer
  bool jumped = false;
  size_t wire_length = 1;
  bool any_label = false;
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
    AppendEscapedOctets(
        absl::string_view(reinterpret_cast<const char*>(&packet[pos + 1]),
                          length),
        /*lowercase=*/true, /*escape_dot=*/true, out);
    out->push_back('.');
    any_label = true;
    pos += 1 + length;
  }
  if (!any_label) out->push_back('.');
  *offset = end_of_name;
  return absl::OkStatus();
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
