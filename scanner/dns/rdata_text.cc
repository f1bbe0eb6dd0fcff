#include "scanner/dns/rdata_text.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

absl::Status Malformed(const RecordView& record, absl::string_view why) {
  return absl::DataLossError(absl::StrCat("malformed ",
                                          RrTypeName(record.type),
                                          " record: ", why));
}

// Reads a name that must lie within the RDATA, starting at *offset.
absl::Status ReadRdataName(absl::Span<const uint8_t> packet,
                           const RecordView& record, size_t* offset,
                           std::string* out) {
  const size_t end = record.rdata_offset + record.rdata_length;
  absl::Status s = ReadWireName(packet.subspan(0, end), offset, out);
  if (!s.ok()) return Malformed(record, s.message());
  return absl::OkStatus();
}

uint16_t U16(absl::Span<const uint8_t> p, size_t at) {
  return static_cast<uint16_t>((p[at] << 8) | p[at + 1]);
}

uint32_t U32(absl::Span<const uint8_t> p, size_t at) {
  return (uint32_t{p[at]} << 24) | (uint32_t{p[at + 1]} << 16) |
         (uint32_t{p[at + 2]} << 8) | uint32_t{p[at + 3]};
}

std::string Hex(absl::Span<const uint8_t> bytes) {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

absl::StatusOr<std::string> LdnsText(absl::Span<const uint8_t> packet,
                                     const RecordView& record) {
  ldns_rr* rr = nullptr;
  size_t pos = record.record_offset;
  if (ldns_wire2rr(&rr, packet.data(), packet.size(), &pos,
                   LDNS_SECTION_ANSWER) != LDNS_STATUS_OK) {
    return Malformed(record, "rejected by the wire-format parser");
  }
  std::unique_ptr<ldns_rr, decltype(&ldns_rr_free)> owner(rr, &ldns_rr_free);
  // ldns renders whatever prefix of the fields is present: a record with
  // fewer fields than its type requires is malformed, not short.
  const ldns_rr_descriptor* descriptor = ldns_rr_descript(record.type);
  if (descriptor != nullptr &&
      (ldns_rr_rd_count(rr) < ldns_rr_descriptor_minimum(descriptor) ||
       (record.rdata_length == 0 &&
        ldns_rr_descriptor_minimum(descriptor) > 0))) {
    return Malformed(record, "fewer fields than the type requires");
  }
  std::string text;
  for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
    char* field = ldns_rdf2str(ldns_rr_rdf(rr, i));
    if (field == nullptr) return Malformed(record, "unprintable field");
    if (i > 0) text.push_back(' ');
    text.append(field);
    free(field);
  }
  return text;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> TxtStrings(
    absl::Span<const uint8_t> packet, const RecordView& record) {
  std::vector<std::string> strings;
  size_t pos = record.rdata_offset;
  const size_t end = record.rdata_offset + record.rdata_length;
  if (record.rdata_length == 0) return Malformed(record, "empty RDATA");
  if (end > packet.size()) return Malformed(record, "RDATA past the end");
  while (pos < end) {
    const size_t length = packet[pos];
    if (pos + 1 + length > end) {
      return Malformed(record, "character-string runs past the RDATA");
    }
    // data() + offset, not &packet[pos + 1]: an empty last string sits
    // exactly at the end of the message.
    strings.emplace_back(
        reinterpret_cast<const char*>(packet.data() + pos + 1), length);
    pos += 1 + length;
  }
  return strings;
}

absl::StatusOr<std::string> RdataToText(absl::Span<const uint8_t> packet,
                                        const RecordView& record) {
  const size_t start = record.rdata_offset;
  const size_t length = record.rdata_length;
  const size_t end = start + length;
  if (end > packet.size()) return Malformed(record, "RDATA past the end");
  std::string text;
  switch (record.type) {
    case rr_type::kA:
    case rr_type::kAaaa: {
      const bool v4 = record.type == rr_type::kA;
      if (length != (v4 ? 4u : 16u)) return Malformed(record, "bad length");
      char buf[INET6_ADDRSTRLEN];
      inet_ntop(v4 ? AF_INET : AF_INET6, &packet[start], buf, sizeof(buf));
      return std::string(buf);
    }
    case rr_type::kNs:
    case rr_type::kCname:
    case rr_type::kPtr: {
      size_t pos = start;
      absl::Status s = ReadRdataName(packet, record, &pos, &text);
      if (!s.ok()) return s;
      if (pos != end) return Malformed(record, "trailing octets");
      return text;
    }
    case rr_type::kMx: {
      if (length < 3) return Malformed(record, "too short");
      absl::StrAppend(&text, U16(packet, start), " ");
      size_t pos = start + 2;
      absl::Status s = ReadRdataName(packet, record, &pos, &text);
      if (!s.ok()) return s;
      if (pos != end) return Malformed(record, "trailing octets");
      return text;
    }
    case rr_type::kTxt: {
      absl::StatusOr<std::vector<std::string>> strings =
          TxtStrings(packet, record);
      if (!strings.ok()) return strings.status();
      // Joined as the text a checker (SPF, DMARC) reads: printable ASCII
      // and space as they are, other octets as \DDD.
      for (const std::string& s : *strings) {
        for (char ch : s) {
          const unsigned char c = static_cast<unsigned char>(ch);
          if (c >= 0x20 && c < 0x7f) {
            text.push_back(ch);
          } else {
            absl::StrAppend(&text, "\\", c / 100, (c / 10) % 10, c % 10);
          }
        }
      }
      return text;
    }
    case rr_type::kSoa: {
      size_t pos = start;
      absl::Status s = ReadRdataName(packet, record, &pos, &text);
      if (!s.ok()) return s;
      text.push_back(' ');
      s = ReadRdataName(packet, record, &pos, &text);
      if (!s.ok()) return s;
      if (pos + 20 != end) return Malformed(record, "bad length");
      for (int i = 0; i < 5; ++i) {
        absl::StrAppend(&text, " ", U32(packet, pos + 4 * i));
      }
      return text;
    }
    case rr_type::kSrv: {
      if (length < 7) return Malformed(record, "too short");
      absl::StrAppend(&text, U16(packet, start), " ", U16(packet, start + 2),
                      " ", U16(packet, start + 4), " ");
      size_t pos = start + 6;
      absl::Status s = ReadRdataName(packet, record, &pos, &text);
      if (!s.ok()) return s;
      if (pos != end) return Malformed(record, "trailing octets");
      return text;
    }
    case rr_type::kTlsa: {
      if (length < 4) return Malformed(record, "too short");
      absl::StrAppend(&text, packet[start], " ", packet[start + 1], " ",
                      packet[start + 2], " ",
                      Hex(packet.subspan(start + 3, length - 3)));
      return text;
    }
    case rr_type::kCaa: {
      if (length < 2) return Malformed(record, "too short");
      const size_t tag_length = packet[start + 1];
      if (tag_length == 0 || 2 + tag_length > length) {
        return Malformed(record, "bad tag length");
      }
      absl::StrAppend(&text, packet[start], " ");
      AppendEscapedOctets(
          absl::string_view(reinterpret_cast<const char*>(&packet[start + 2]),
                            tag_length),
          false, false, &text);
      text.append(" \"");
      for (size_t i = start + 2 + tag_length; i < end; ++i) {
        const char c = static_cast<char>(packet[i]);
        if (c == '"') {
          text.append("\\\"");
        } else {
          AppendEscapedOctets(absl::string_view(&c, 1), false, false, &text);
        }
      }
      text.push_back('"');
      return text;
    }
    default:
      return LdnsText(packet, record);
  }
}

}  // namespace mxscan::dns
