#include "tests/testing/dns_packet.h"

#include <ldns/ldns.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace mxscan::testing {
namespace {

[[noreturn]] void Die(const std::string& what, ldns_status status) {
  std::fprintf(stderr, "dns_packet: %s: %s\n", what.c_str(),
               ldns_get_errorstr_by_id(status));
  std::abort();
}

ldns_rr* ParseRecord(absl::string_view zone_line) {
  ldns_rr* rr = nullptr;
  const std::string line(zone_line);
  ldns_status status =
      ldns_rr_new_frm_str(&rr, line.c_str(), 3600, nullptr, nullptr);
  if (status != LDNS_STATUS_OK) Die("cannot parse \"" + line + "\"", status);
  return rr;
}

void PushAll(ldns_pkt* pkt, ldns_pkt_section section,
             const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    if (!ldns_pkt_push_rr(pkt, section, ParseRecord(line))) {
      Die("cannot push \"" + line + "\"", LDNS_STATUS_ERR);
    }
  }
}

}  // namespace

std::string ResponseSpec::Wire() const {
  ldns_rdf* owner = nullptr;
  ldns_status status = ldns_str2rdf_dname(&owner, qname.c_str());
  if (status != LDNS_STATUS_OK) Die("bad qname " + qname, status);
  ldns_pkt* pkt = ldns_pkt_query_new(owner, static_cast<ldns_rr_type>(qtype),
                                     static_cast<ldns_rr_class>(qclass), 0);
  ldns_pkt_set_id(pkt, id);
  ldns_pkt_set_qr(pkt, qr);
  ldns_pkt_set_rd(pkt, rd);
  ldns_pkt_set_ra(pkt, ra);
  ldns_pkt_set_aa(pkt, aa);
  ldns_pkt_set_ad(pkt, ad);
  ldns_pkt_set_opcode(pkt, static_cast<ldns_pkt_opcode>(opcode));
  ldns_pkt_set_rcode(pkt, static_cast<uint8_t>(rcode));
  PushAll(pkt, LDNS_SECTION_ANSWER, answers);
  PushAll(pkt, LDNS_SECTION_AUTHORITY, authority);
  PushAll(pkt, LDNS_SECTION_ADDITIONAL, additional);
  if (edns_udp_size != 0) {
    ldns_pkt_set_edns_udp_size(pkt, edns_udp_size);
    ldns_pkt_set_edns_extended_rcode(pkt, edns_extended_rcode);
    ldns_pkt_set_edns_do(pkt, edns_do);
  }
  uint8_t* wire = nullptr;
  size_t size = 0;
  status = ldns_pkt2wire(&wire, pkt, &size);
  ldns_pkt_free(pkt);
  if (status != LDNS_STATUS_OK) Die("ldns_pkt2wire", status);
  std::string out(reinterpret_cast<const char*>(wire), size);
  free(wire);
  return out;
}

std::string LdnsRecordWire(absl::string_view zone_line) {
  ldns_rr* rr = ParseRecord(zone_line);
  uint8_t* wire = nullptr;
  size_t size = 0;
  ldns_status status =
      ldns_rr2wire(&wire, rr, LDNS_SECTION_ANSWER, &size);
  ldns_rr_free(rr);
  if (status != LDNS_STATUS_OK) Die("ldns_rr2wire", status);
  std::string out(reinterpret_cast<const char*>(wire), size);
  free(wire);
  return out;
}

std::string LdnsRdfText(absl::string_view zone_line, size_t index) {
  ldns_rr* rr = ParseRecord(zone_line);
  if (index >= ldns_rr_rd_count(rr)) {
    ldns_rr_free(rr);
    Die("no such field", LDNS_STATUS_ERR);
  }
  char* text = ldns_rdf2str(ldns_rr_rdf(rr, index));
  std::string out = text != nullptr ? text : "";
  free(text);
  ldns_rr_free(rr);
  return out;
}

WireWriter& WireWriter::U8(uint8_t v) {
  bytes_.push_back(static_cast<char>(v));
  return *this;
}

WireWriter& WireWriter::U16(uint16_t v) {
  U8(static_cast<uint8_t>(v >> 8));
  return U8(static_cast<uint8_t>(v & 0xFF));
}

WireWriter& WireWriter::U32(uint32_t v) {
  U16(static_cast<uint16_t>(v >> 16));
  return U16(static_cast<uint16_t>(v & 0xFFFF));
}

WireWriter& WireWriter::Bytes(absl::string_view bytes) {
  bytes_.append(bytes.data(), bytes.size());
  return *this;
}

WireWriter& WireWriter::Name(const std::vector<std::string>& labels) {
  for (const std::string& label : labels) {
    U8(static_cast<uint8_t>(label.size()));
    Bytes(label);
  }
  return U8(0);
}

WireWriter& WireWriter::Pointer(uint16_t offset) {
  return U16(static_cast<uint16_t>(0xC000 | offset));
}

WireWriter& WireWriter::Header(uint16_t id, uint16_t flags, uint16_t qd,
                               uint16_t an, uint16_t ns, uint16_t ar) {
  return U16(id).U16(flags).U16(qd).U16(an).U16(ns).U16(ar);
}

WireWriter& WireWriter::RecordHeader(uint16_t type, uint16_t rr_class,
                                     uint32_t ttl, uint16_t rdlength) {
  return U16(type).U16(rr_class).U32(ttl).U16(rdlength);
}

WireWriter& WireWriter::PatchU16(size_t offset, uint16_t v) {
  bytes_[offset] = static_cast<char>(v >> 8);
  bytes_[offset + 1] = static_cast<char>(v & 0xFF);
  return *this;
}

}  // namespace mxscan::testing
