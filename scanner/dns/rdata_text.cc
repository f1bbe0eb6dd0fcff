#include "scanner/dns/rdata_text.h"

#include <ldns/ldns.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

absl::Status Malformed(uint16_t type, absl::string_view why) {
  return absl::DataLossError(
      absl::StrCat("malformed ", RrTypeName(type), " record: ", why));
}

// ldns renders the fields of a record of any type it knows from a record
// written out with a root owner.
absl::StatusOr<std::string> LdnsText(uint16_t type, absl::string_view octets) {
  if (octets.size() > 0xFFFF) return Malformed(type, "RDATA too long");
  std::string wire(1, '\0');
  const uint16_t header[] = {type, kClassIn, 0, 0,
                             static_cast<uint16_t>(octets.size())};
  for (uint16_t field : header) {
    wire.push_back(static_cast<char>(field >> 8));
    wire.push_back(static_cast<char>(field & 0xFF));
  }
  wire.append(octets.data(), octets.size());
  ldns_rr* rr = nullptr;
  size_t pos = 0;
  if (ldns_wire2rr(&rr, reinterpret_cast<const uint8_t*>(wire.data()),
                   wire.size(), &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK) {
    return Malformed(type, "rejected by the wire-format parser");
  }
  std::unique_ptr<ldns_rr, decltype(&ldns_rr_free)> owner(rr, &ldns_rr_free);
  // ldns renders whatever prefix of the fields is present: a record with
  // fewer fields than its type requires is malformed, not short.
  const ldns_rr_descriptor* descriptor = ldns_rr_descript(type);
  if (descriptor != nullptr &&
      (ldns_rr_rd_count(rr) < ldns_rr_descriptor_minimum(descriptor) ||
       (octets.empty() && ldns_rr_descriptor_minimum(descriptor) > 0))) {
    return Malformed(type, "fewer fields than the type requires");
  }
  std::string text;
  for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
    char* field = ldns_rdf2str(ldns_rr_rdf(rr, i));
    if (field == nullptr) return Malformed(type, "unprintable field");
    if (i > 0) text.push_back(' ');
    text.append(field);
    free(field);
  }
  return text;
}

struct TextOf {
  uint16_t type;

  absl::StatusOr<std::string> operator()(const OpaqueData& d) const {
    return LdnsText(type, d.octets);
  }
  absl::StatusOr<std::string> operator()(const AddressData& d) const {
    return d.ToString();
  }
  absl::StatusOr<std::string> operator()(const NameData& d) const {
    return d.name;
  }
  absl::StatusOr<std::string> operator()(const MxData& d) const {
    return absl::StrCat(d.preference, " ", d.exchange);
  }
  absl::StatusOr<std::string> operator()(const TxtData& d) const {
    return PrintableOctets(d.Joined());
  }
  absl::StatusOr<std::string> operator()(const SoaData& d) const {
    return absl::StrCat(d.mname, " ", d.rname, " ", d.serial, " ", d.refresh,
                        " ", d.retry, " ", d.expire, " ", d.minimum);
  }
  absl::StatusOr<std::string> operator()(const SrvData& d) const {
    return absl::StrCat(d.priority, " ", d.weight, " ", d.port, " ", d.target);
  }
  absl::StatusOr<std::string> operator()(const TlsaData& d) const {
    return absl::StrCat(d.usage, " ", d.selector, " ", d.matching_type, " ",
                        absl::BytesToHexString(d.association));
  }
  absl::StatusOr<std::string> operator()(const CaaData& d) const {
    std::string text = absl::StrCat(d.flags, " ");
    AppendEscapedOctets(d.tag, false, false, &text);
    text.append(" \"");
    for (char c : d.value) {
      if (c == '"') {
        text.append("\\\"");
      } else {
        AppendEscapedOctets(absl::string_view(&c, 1), false, false, &text);
      }
    }
    text.push_back('"');
    return text;
  }
};

}  // namespace

absl::StatusOr<std::string> RdataText(uint16_t type, const Rdata& rdata) {
  return std::visit(TextOf{type}, rdata);
}

absl::StatusOr<std::string> RdataToText(absl::Span<const uint8_t> packet,
                                        const RecordView& record) {
  absl::StatusOr<Rdata> rdata = ParseRdata(packet, record);
  if (!rdata.ok()) return rdata.status();
  return RdataText(record.type, *rdata);
}

}  // namespace mxscan::dns
