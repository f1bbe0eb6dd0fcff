#include "scanner/dns/message.h"

#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

// Writes `v` at out[at] and returns the offset after it.
size_t PutU16(uint16_t v, uint8_t* out, size_t at) {
  out[at] = static_cast<uint8_t>(v >> 8);
  out[at + 1] = static_cast<uint8_t>(v & 0xFF);
  return at + 2;
}

uint16_t GetU16(absl::Span<const uint8_t> p, size_t at) {
  return static_cast<uint16_t>((p[at] << 8) | p[at + 1]);
}

uint32_t GetU32(absl::Span<const uint8_t> p, size_t at) {
  return (uint32_t{p[at]} << 24) | (uint32_t{p[at + 1]} << 16) |
         (uint32_t{p[at + 2]} << 8) | uint32_t{p[at + 3]};
}

// Reads one resource record at *offset into `rr`; its owner name is checked
// as strictly either way, but only written to rr->name if `keep_name`.
absl::Status ReadRecord(absl::Span<const uint8_t> packet, size_t* offset,
                        bool keep_name, RecordView* rr) {
  rr->record_offset = *offset;
  rr->name.clear();
  absl::Status s = keep_name ? ReadWireName(packet, offset, &rr->name)
                             : CheckWireName(packet, offset);
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
  // Header, question and OPT record: at most 12 + 255 + 4 + 11 octets.
  uint8_t query[kHeaderSize + kMaxNameWireLength + 4 + 11];
  uint16_t flags = 0;
  if (options.recursion_desired) flags |= 0x0100;
  if (options.authentic_data) flags |= 0x0020;
  if (options.checking_disabled) flags |= 0x0010;
  size_t at = 0;
  for (uint16_t field : {id, flags, uint16_t{1}, uint16_t{0}, uint16_t{0},
                         uint16_t{1}}) {  // QDCOUNT 1, ARCOUNT 1: the OPT
    at = PutU16(field, query, at);
  }
  absl::StatusOr<size_t> name_length = WriteWireName(name, query + at);
  if (!name_length.ok()) {
    out->clear();
    return name_length.status();
  }
  at += *name_length;
  at = PutU16(type, query, at);
  at = PutU16(kClassIn, query, at);
  // OPT pseudo-record: root owner, class = UDP payload size, TTL holds the
  // extended RCODE, version 0 and the DO flag.
  query[at++] = 0;
  at = PutU16(rr_type::kOpt, query, at);
  at = PutU16(options.edns_udp_size, query, at);
  query[at++] = 0;
  query[at++] = 0;
  at = PutU16(options.dnssec_ok ? 0x8000 : 0, query, at);
  at = PutU16(0, query, at);  // RDLENGTH
  out->assign(reinterpret_cast<const char*>(query), at);
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
  Header q;
  return ReadHeader(query, &q) && IsAnswerTo(response, query, q.id);
}

bool IsAnswerTo(absl::Span<const uint8_t> response,
                absl::Span<const uint8_t> query, uint16_t id) {
  Header r, q;
  if (!ReadHeader(response, &r) || !ReadHeader(query, &q)) return false;
  if (!r.qr() || r.id != id || r.opcode() != q.opcode() || r.qdcount != 1) {
    return false;
  }
  // The query's question is uncompressed: its name ends at the first zero
  // octet after the header. A compression pointer in the response's
  // question could only point into the header, so it never matches.
  size_t end = kHeaderSize;
  if (!SkipWireName(query, &end).ok()) return false;
  end += 4;  // QTYPE, QCLASS
  if (end > query.size() || end > response.size()) return false;
  // Servers echo the question as asked, so the bytes are usually equal.
  if (std::memcmp(response.data() + kHeaderSize, query.data() + kHeaderSize,
                  end - kHeaderSize) == 0) {
    return true;
  }
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

absl::Status ParseResponse(absl::Span<const uint8_t> packet,
                           ParsedResponse* parsed) {
  parsed->has_edns = false;
  parsed->edns.udp_size = 0;
  parsed->edns.version = 0;
  parsed->edns.dnssec_ok = false;
  parsed->edns.options.clear();
  if (!ReadHeader(packet, &parsed->header)) {
    return absl::DataLossError(
        absl::StrCat("message of ", packet.size(), " bytes has no header"));
  }
  const Header& header = parsed->header;
  parsed->rcode = header.rcode();
  size_t offset = kHeaderSize;
  for (int i = 0; i < header.qdcount; ++i) {
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
  const size_t total = size_t{header.ancount} + header.nscount + header.arcount;
  if (total * 11 > remaining) {
    return absl::DataLossError("record counts exceed the message size");
  }
  // resize() keeps the name buffers of the records of an earlier parse.
  parsed->answers.resize(header.ancount);
  for (RecordView& rr : parsed->answers) {
    absl::Status s = ReadRecord(packet, &offset, /*keep_name=*/true, &rr);
    if (!s.ok()) return s;
  }
  parsed->authority.resize(header.nscount);
  for (RecordView& rr : parsed->authority) {
    absl::Status s = ReadRecord(packet, &offset, /*keep_name=*/true, &rr);
    if (!s.ok()) return s;
  }
  RecordView additional;
  for (int i = 0; i < header.arcount; ++i) {
    absl::Status s =
        ReadRecord(packet, &offset, /*keep_name=*/false, &additional);
    if (!s.ok()) return s;
    if (additional.type == rr_type::kOpt) {
      if (parsed->has_edns) {
        return absl::DataLossError("more than one OPT record");
      }
      parsed->has_edns = true;
      // Extended RCODE: upper 8 bits in the TTL's first octet.
      parsed->rcode |= static_cast<int>((additional.ttl >> 24) & 0xFF) << 4;
      absl::Status s = ReadOpt(packet, additional, &parsed->edns);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ParsedResponse> ParseResponse(absl::Span<const uint8_t> packet) {
  ParsedResponse parsed;
  absl::Status s = ParseResponse(packet, &parsed);
  if (!s.ok()) return s;
  return parsed;
}

}  // namespace mxscan::dns
