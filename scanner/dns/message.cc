#include "scanner/dns/message.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

void PutU16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}

uint16_t GetU16(absl::Span<const uint8_t> p, size_t at) {
  return static_cast<uint16_t>((p[at] << 8) | p[at + 1]);
}

uint32_t GetU32(absl::Span<const uint8_t> p, size_t at) {
  return (uint32_t{p[at]} << 24) | (uint32_t{p[at + 1]} << 16) |
         (uint32_t{p[at + 2]} << 8) | uint32_t{p[at + 3]};
}

// Reads one resource record at *offset into `rr`.
absl::Status ReadRecord(absl::Span<const uint8_t> packet, size_t* offset,
                        RecordView* rr) {
  rr->record_offset = *offset;
  rr->name.clear();
  absl::Status s = ReadWireName(packet, offset, &rr->name);
  if (!s.ok()) return s;
  if (*offset + 10 > packet.size()) {
    return absl::DataLossError("record header runs past the end");
  }
  rr->type = GetU16(packet, *offset);
  rr->rr_class = GetU16(packet, *offset + 2);
  rr->ttl = GetU32(packet, *offset + 4);
  rr->rdata_length = GetU16(packet, *offset + 8);
  rr->rdata_offset = *offset + 10;
  if (rr->rdata_offset + rr->rdata_length > packet.size()) {
    return absl::DataLossError("record data runs past the end");
  }
  *offset = rr->rdata_offset + rr->rdata_length;
  return absl::OkStatus();
}

// Reads the OPT record `rr` (RFC 6891 section 6.1.2).
absl::Status ReadOpt(absl::Span<const uint8_t> packet, const RecordView& rr,
                     Edns* edns) {
  edns->udp_size = rr.rr_class;
  edns->version = static_cast<uint8_t>((rr.ttl >> 16) & 0xFF);
  edns->dnssec_ok = (rr.ttl & 0x8000) != 0;
  size_t at = rr.rdata_offset;
  const size_t end = rr.rdata_offset + rr.rdata_length;
  while (at < end) {
    if (at + 4 > end) return absl::DataLossError("EDNS option header cut");
    EdnsOption option;
    option.code = GetU16(packet, at);
    const size_t length = GetU16(packet, at + 2);
    at += 4;
    if (at + length > end) {
      return absl::DataLossError("EDNS option runs past the OPT record");
    }
    option.data.assign(reinterpret_cast<const char*>(packet.data() + at),
                       length);
    at += length;
    edns->options.push_back(std::move(option));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BuildQuery(uint16_t id, absl::string_view name, uint16_t type,
                        const QueryOptions& options, std::string* out) {
  out->clear();
  PutU16(id, out);
  uint16_t flags = 0;
  if (options.recursion_desired) flags |= 0x0100;
  if (options.authentic_data) flags |= 0x0020;
  if (options.checking_disabled) flags |= 0x0010;
  PutU16(flags, out);
  PutU16(1, out);  // QDCOUNT
  PutU16(0, out);  // ANCOUNT
  PutU16(0, out);  // NSCOUNT
  PutU16(1, out);  // ARCOUNT: the OPT record
  absl::Status s = AppendWireName(name, out);
  if (!s.ok()) return s;
  PutU16(type, out);
  PutU16(kClassIn, out);
  // OPT pseudo-record: root owner, class = UDP payload size, TTL holds the
  // extended RCODE, version 0 and the DO flag.
  out->push_back('\0');
  PutU16(rr_type::kOpt, out);
  PutU16(options.edns_udp_size, out);
  out->push_back('\0');
  out->push_back('\0');
  PutU16(options.dnssec_ok ? 0x8000 : 0, out);
  PutU16(0, out);  // RDLENGTH
  return absl::OkStatus();
}

void SetMessageId(uint16_t id, std::string* message) {
  (*message)[0] = static_cast<char>(id >> 8);
  (*message)[1] = static_cast<char>(id & 0xFF);
}

bool ReadHeader(absl::Span<const uint8_t> packet, Header* header) {
  if (packet.size() < kHeaderSize) return false;
  header->id = GetU16(packet, 0);
  header->flags = GetU16(packet, 2);
  header->qdcount = GetU16(packet, 4);
  header->ancount = GetU16(packet, 6);
  header->nscount = GetU16(packet, 8);
  header->arcount = GetU16(packet, 10);
  return true;
}

bool IsAnswerTo(absl::Span<const uint8_t> response,
                absl::Span<const uint8_t> query) {
  Header r, q;
  if (!ReadHeader(response, &r) || !ReadHeader(query, &q)) return false;
  if (!r.qr() || r.id != q.id || r.opcode() != q.opcode() || r.qdcount != 1) {
    return false;
  }
  // The query's question is uncompressed: its name ends at the first zero
  // octet after the header. A compression pointer in the response's
  // question could only point into the header, so it never matches.
  size_t end = kHeaderSize;
  if (!SkipWireName(query, &end).ok()) return false;
  end += 4;  // QTYPE, QCLASS
  if (end > query.size() || end > response.size()) return false;
  // Label lengths are below 64, so ASCII case folding leaves them alone.
  for (size_t i = kHeaderSize; i < end - 4; ++i) {
    if (absl::ascii_tolower(static_cast<char>(response[i])) !=
        absl::ascii_tolower(static_cast<char>(query[i]))) {
      return false;
    }
  }
  for (size_t i = end - 4; i < end; ++i) {
    if (response[i] != query[i]) return false;
  }
  return true;
}

absl::StatusOr<ParsedResponse> ParseResponse(
    absl::Span<const uint8_t> packet) {
  ParsedResponse parsed;
  if (!ReadHeader(packet, &parsed.header)) {
    return absl::DataLossError(
        absl::StrCat("message of ", packet.size(), " bytes has no header"));
  }
  parsed.rcode = parsed.header.rcode();
  size_t offset = kHeaderSize;
  for (int i = 0; i < parsed.header.qdcount; ++i) {
    absl::Status s = SkipWireName(packet, &offset);
    if (!s.ok()) return s;
    offset += 4;
    if (offset > packet.size()) {
      return absl::DataLossError("question runs past the end");
    }
  }
  // Each record takes at least 11 octets; reject absurd counts up front so
  // that a hostile header cannot make us reserve memory.
  const size_t remaining = packet.size() - offset;
  const size_t total = size_t{parsed.header.ancount} + parsed.header.nscount +
                       parsed.header.arcount;
  if (total * 11 > remaining) {
    return absl::DataLossError("record counts exceed the message size");
  }
  parsed.answers.resize(parsed.header.ancount);
  for (RecordView& rr : parsed.answers) {
    absl::Status s = ReadRecord(packet, &offset, &rr);
    if (!s.ok()) return s;
  }
  parsed.authority.resize(parsed.header.nscount);
  for (RecordView& rr : parsed.authority) {
    absl::Status s = ReadRecord(packet, &offset, &rr);
    if (!s.ok()) return s;
  }
  RecordView additional;
  for (int i = 0; i < parsed.header.arcount; ++i) {
    absl::Status s = ReadRecord(packet, &offset, &additional);
    if (!s.ok()) return s;
    if (additional.type == rr_type::kOpt) {
      if (parsed.has_edns) {
        return absl::DataLossError("more than one OPT record");
      }
      parsed.has_edns = true;
      // Extended RCODE: upper 8 bits in the TTL's first octet.
      parsed.rcode |= static_cast<int>((additional.ttl >> 24) & 0xFF) << 4;
      absl::Status s = ReadOpt(packet, additional, &parsed.edns);
      if (!s.ok()) return s;
    }
  }
  return parsed;
}

}  // namespace mxscan::dns
