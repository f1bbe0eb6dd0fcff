// Fuzz target for everything mxscan does with a datagram from a resolver:
// IsAnswerTo against a fixed query, ParseResponse, and for every record
// RdataToText and FollowAnswer. Besides "no crash" (run it under ASan and
// UBSan), it checks invariants: offsets within the message, names in
// canonical form, chains no longer than the answer section.
//
// Built two ways (see fuzzer.bzl): with libFuzzer, and as the cc_test
// dns_response_fuzzer_corpus_test, which runs this function over the
// checked-in corpus plus seeded random mutations.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "scanner/dns/answer_chain.h"
#include "scanner/dns/dnssec_status.h"
#include "scanner/dns/extended_error.h"
#include "scanner/dns/message.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rdata_text.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

// TxtStrings: the character-strings of a TXT record, as ParseRdata reads
// them.
absl::StatusOr<std::vector<std::string>> TxtStrings(
    absl::Span<const uint8_t> packet, const RecordView& record) {
  absl::StatusOr<Rdata> rdata = ParseRdata(packet, record);
  if (!rdata.ok()) return rdata.status();
  return std::get<TxtData>(*rdata).strings;
}

// Invariant checks stay on in every build mode (no NDEBUG dependence).
#define FUZZ_CHECK(condition)                                              \
  do {                                                                     \
    if (!(condition)) {                                                    \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,     \
                   __LINE__, #condition);                                  \
      std::abort();                                                        \
    }                                                                      \
  } while (0)

constexpr uint16_t kQueryId = 0x1234;
constexpr char kQueryName[] = "example.org";
constexpr uint16_t kQueryType = rr_type::kMx;
// Header, "\x07example\x03org\x00", QTYPE, QCLASS.
constexpr size_t kQuestionEnd = kHeaderSize + 13 + 4;

const std::string& FixedQuery() {
  static const std::string* query = [] {
    auto* q = new std::string;
    FUZZ_CHECK(BuildQuery(kQueryId, kQueryName, kQueryType, QueryOptions(), q)
                   .ok());
    return q;
  }();
  return *query;
}

bool IsCanonical(const std::string& name) {
  absl::StatusOr<std::string> again = NormalizeName(name);
  return again.ok() && *again == name;
}

// A name read from the message: canonical, and at most 255 octets.
void CheckName(const std::string& name) {
  FUZZ_CHECK(!name.empty() && name.back() == '.');
  FUZZ_CHECK(IsCanonical(name));
  std::string wire;
  FUZZ_CHECK(AppendWireName(name, &wire).ok());
  FUZZ_CHECK(wire.size() <= kMaxNameWireLength);
}

// ReadWireName and SkipWireName at `offset` agree, and stay in bounds.
void CheckNameAt(absl::Span<const uint8_t> packet, size_t offset) {
  std::string text;
  size_t read_end = offset;
  const bool read_ok = ReadWireName(packet, &read_end, &text).ok();
  size_t skip_end = offset;
  const bool skip_ok = SkipWireName(packet, &skip_end).ok();
  if (!read_ok) return;
  FUZZ_CHECK(skip_ok);
  FUZZ_CHECK(read_end == skip_end);
  FUZZ_CHECK(read_end > offset && read_end <= packet.size());
  CheckName(text);
}

void CheckRecord(absl::Span<const uint8_t> packet, const RecordView& rr) {
  FUZZ_CHECK(rr.record_offset >= kHeaderSize);
  // Owner (at least one octet) and the 10 octets of TYPE .. RDLENGTH.
  FUZZ_CHECK(rr.rdata_offset >= rr.record_offset + 11);
  FUZZ_CHECK(rr.rdata_offset + rr.rdata_length <= packet.size());
  CheckName(rr.name);
  CheckNameAt(packet, rr.record_offset);

  absl::StatusOr<std::string> text = RdataToText(packet, rr);
  if (!text.ok()) return;
  switch (rr.type) {
    case rr_type::kNs:
    case rr_type::kCname:
    case rr_type::kPtr:
      CheckName(*text);
      break;
    case rr_type::kA:
      FUZZ_CHECK(rr.rdata_length == 4);
      break;
    case rr_type::kAaaa:
      FUZZ_CHECK(rr.rdata_length == 16);
      break;
    case rr_type::kTxt: {
      absl::StatusOr<std::vector<std::string>> strings =
          TxtStrings(packet, rr);
      FUZZ_CHECK(strings.ok());
      size_t octets = 0;
      for (const std::string& s : *strings) octets += 1 + s.size();
      FUZZ_CHECK(octets == rr.rdata_length);
      break;
    }
    default:
      break;
  }
}

void CheckChain(absl::Span<const uint8_t> packet,
                const ParsedResponse& parsed, const std::string& name,
                uint16_t type) {
  constexpr size_t kMaxCnames = 8;
  std::vector<std::string> visited = {name};
  ChainStep step =
      FollowAnswer(packet, parsed, name, type, &visited, kMaxCnames);
  // Each name on the chain is visited once, so every record is used once.
  FUZZ_CHECK(step.answers.size() <= parsed.answers.size());
  FUZZ_CHECK(step.cnames.size() <= step.answers.size());
  FUZZ_CHECK(visited.size() <= kMaxCnames + 2);
  if (!step.next_name.empty()) {
    FUZZ_CHECK(step.error.ok());
    FUZZ_CHECK(parsed.rcode == rcode::kNoError);
    FUZZ_CHECK(!step.cnames.empty());
    FUZZ_CHECK(step.next_name == visited.back());
    FUZZ_CHECK(step.next_name != name);
  }
  if (!step.error.ok()) return;
  // CNAMEs first, in chain order, then records of the type asked.
  for (size_t i = 0; i < step.answers.size(); ++i) {
    const Answer& a = step.answers[i];
    if (i < step.cnames.size()) {
      FUZZ_CHECK(a.type == rr_type::kCname);
      FUZZ_CHECK(a.name == step.cnames[i]);
      FUZZ_CHECK(std::get<NameData>(a.rdata).name ==
                 visited[i + 1]);  // its target was visited
    } else {
      FUZZ_CHECK(a.type == type);
    }
  }
  if (type == rr_type::kCname) FUZZ_CHECK(step.cnames.empty());
}

void FuzzOne(absl::Span<const uint8_t> packet) {
  const absl::Span<const uint8_t> query = AsBytes(FixedQuery());
  Header header;
  const bool has_header = ReadHeader(packet, &header);
  FUZZ_CHECK(has_header == (packet.size() >= kHeaderSize));

  if (IsAnswerTo(packet, query)) {
    FUZZ_CHECK(has_header);
    FUZZ_CHECK(header.qr() && header.id == kQueryId && header.opcode() == 0);
    FUZZ_CHECK(header.qdcount == 1);
    FUZZ_CHECK(packet.size() >= kQuestionEnd);
    std::string qname;
    size_t end = kHeaderSize;
    FUZZ_CHECK(ReadWireName(packet, &end, &qname).ok());
    FUZZ_CHECK(qname == "example.org.");
    FUZZ_CHECK(end + 4 == kQuestionEnd);
  }
  // The datagram as its own query: only ever true for a response.
  if (IsAnswerTo(packet, packet)) FUZZ_CHECK(header.qr());
  // Our query never answers anything.
  FUZZ_CHECK(!IsAnswerTo(query, packet));

  if (has_header) CheckNameAt(packet, kHeaderSize);

  absl::StatusOr<ParsedResponse> parsed = ParseResponse(packet);
  if (!parsed.ok()) return;
  FUZZ_CHECK(has_header);
  FUZZ_CHECK(parsed->answers.size() == header.ancount);
  FUZZ_CHECK(parsed->authority.size() == header.nscount);
  FUZZ_CHECK(parsed->rcode >= 0 && parsed->rcode <= 4095);
  FUZZ_CHECK((parsed->rcode & 0xF) == header.rcode());
  if (!parsed->has_edns) FUZZ_CHECK(parsed->rcode == header.rcode());
  if (!parsed->has_edns) FUZZ_CHECK(parsed->edns.options.empty());

  // The EDNS options, and the Extended DNS Errors among them (RFC 8914).
  for (const ExtendedError& e : ExtendedErrors(parsed->edns.options)) {
    FUZZ_CHECK(e.extra_text.size() <= 4 * kMaxExtendedErrorText);
    for (char c : e.extra_text) FUZZ_CHECK(c >= 0x20 && c < 0x7f);
    FUZZ_CHECK(!Describe(e).empty());
  }
  LookupResult lookup;
  lookup.status = parsed->rcode == rcode::kServFail ? LookupStatus::kServFail
                                                    : LookupStatus::kNoError;
  lookup.authenticated = parsed->header.ad();
  lookup.edns_options = parsed->edns.options;
  const DnssecStatus dnssec = DnssecStatusOf(lookup, true);
  if (dnssec == DnssecStatus::kBogus) FUZZ_CHECK(!DnssecDetail(lookup).empty());

  size_t previous_end = kHeaderSize;
  for (const auto* section : {&parsed->answers, &parsed->authority}) {
    for (const RecordView& rr : *section) {
      FUZZ_CHECK(rr.record_offset >= previous_end);
      previous_end = rr.rdata_offset + rr.rdata_length;
      CheckRecord(packet, rr);
    }
  }

  // Chains from the question's name and from the first owner, for the
  // type asked, CNAME, and the first few types present.
  std::vector<std::string> names;
  if (header.qdcount > 0) {
    std::string qname;
    size_t end = kHeaderSize;
    if (ReadWireName(packet, &end, &qname).ok()) names.push_back(qname);
  }
  if (!parsed->answers.empty()) names.push_back(parsed->answers[0].name);
  std::vector<uint16_t> types = {kQueryType, rr_type::kCname};
  for (const RecordView& rr : parsed->answers) {
    if (types.size() >= 6) break;
    bool seen = false;
    for (uint16_t t : types) seen = seen || t == rr.type;
    if (!seen) types.push_back(rr.type);
  }
  for (const std::string& name : names) {
    for (uint16_t type : types) CheckChain(packet, *parsed, name, type);
  }
}

}  // namespace
}  // namespace mxscan::dns

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mxscan::dns::FuzzOne(absl::Span<const uint8_t>(data, size));
  return 0;
}
