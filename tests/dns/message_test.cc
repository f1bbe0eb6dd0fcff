// DNS messages: the exact bytes of a query, answer matching (RFC 5452), and
// ParseResponse on packets built by ldns and on hand-broken ones.

#include "scanner/dns/message.h"

// <stdbool.h> first: otherwise ldns/common.h defines true and false as
// macros in C++, which breaks gmock.
#include <stdbool.h>
// clang-format off
#include <ldns/ldns.h>
// clang-format on

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/dns_packet.h"

namespace mxscan::dns {
namespace {

using ::mxscan::testing::kResponseFlags;
using ::mxscan::testing::ResponseSpec;
using ::mxscan::testing::WireWriter;
using ::testing::ElementsAre;

std::string Query(uint16_t id, absl::string_view name, uint16_t type,
                  const QueryOptions& options = {}) {
  std::string out;
  absl::Status s = BuildQuery(id, name, type, options, &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

// ---------------------------------------------------------------------------
// BuildQuery

TEST(BuildQueryTest, ExactBytes) {
  const std::string q = Query(0xBEEF, "Example.org", rr_type::kMx);
  const std::string expected(
      "\xBE\xEF"             // ID
      "\x01\x20"             // RD, AD
      "\x00\x01"             // QDCOUNT
      "\x00\x00\x00\x00"     // ANCOUNT, NSCOUNT
      "\x00\x01"             // ARCOUNT
      "\x07" "Example\x03" "org\x00"
      "\x00\x0F"             // QTYPE MX
      "\x00\x01"             // QCLASS IN
      "\x00"                 // OPT: root owner
      "\x00\x29"             // TYPE OPT
      "\x04\xD0"             // CLASS = UDP size 1232
      "\x00\x00"             // extended RCODE, version
      "\x00\x00"             // flags (DO clear)
      "\x00\x00",            // RDLENGTH
      12 + 13 + 4 + 11);
  EXPECT_EQ(absl::BytesToHexString(q), absl::BytesToHexString(expected));
}

TEST(BuildQueryTest, Options) {
  QueryOptions options;
  options.recursion_desired = false;
  options.authentic_data = false;
  options.dnssec_ok = true;
  options.edns_udp_size = 4096;
  const std::string q = Query(1, "a", rr_type::kTxt, options);
  ASSERT_EQ(q.size(), 12u + 3u + 4u + 11u);
  EXPECT_EQ(q.substr(2, 2), std::string("\x00\x00", 2));  // no RD, no AD
  EXPECT_EQ(q.substr(15, 2), std::string("\x00\x10", 2));  // TXT
  EXPECT_EQ(q.substr(22, 2), std::string("\x10\x00", 2));  // 4096
  EXPECT_EQ(q.substr(26, 2), std::string("\x80\x00", 2));  // DO
  QueryOptions rd_only;
  rd_only.authentic_data = false;
  EXPECT_EQ(Query(1, "a", 1, rd_only).substr(2, 2),
            std::string("\x01\x00", 2));
  QueryOptions cd;
  cd.checking_disabled = true;
  EXPECT_EQ(Query(1, "a", 1, cd).substr(2, 2),
            std::string("\x01\x30", 2));  // RD, AD, CD
}

TEST(BuildQueryTest, RootAndEscapedNames) {
  const std::string root = Query(7, ".", rr_type::kNs);
  EXPECT_EQ(root.substr(12, 5), std::string("\x00\x00\x02\x00\x01", 5));
  const std::string esc = Query(7, "a\\.b", rr_type::kA);
  EXPECT_EQ(esc.substr(12, 5), std::string("\x03" "a.b\x00", 5));
}

TEST(BuildQueryTest, ReplacesOutput) {
  std::string out = "garbage that must go";
  ASSERT_TRUE(BuildQuery(1, "a", 1, {}, &out).ok());
  EXPECT_EQ(out, Query(1, "a", 1));
}

TEST(BuildQueryTest, BadNameFails) {
  std::string out;
  EXPECT_FALSE(BuildQuery(1, "a..b", 1, {}, &out).ok());
  EXPECT_FALSE(BuildQuery(1, "", 1, {}, &out).ok());
  EXPECT_FALSE(BuildQuery(1, std::string(64, 'x'), 1, {}, &out).ok());
  EXPECT_FALSE(BuildQuery(1, "sp ace", 1, {}, &out).ok());
}

TEST(BuildQueryTest, LdnsReadsItBack) {
  QueryOptions options;
  options.dnssec_ok = true;
  const std::string q = Query(0x4242, "_25._tcp.Mx.Example.org", 52, options);
  ldns_pkt* pkt = nullptr;
  ASSERT_EQ(ldns_wire2pkt(&pkt, reinterpret_cast<const uint8_t*>(q.data()),
                          q.size()),
            LDNS_STATUS_OK);
  EXPECT_EQ(ldns_pkt_id(pkt), 0x4242);
  EXPECT_FALSE(ldns_pkt_qr(pkt));
  EXPECT_TRUE(ldns_pkt_rd(pkt));
  EXPECT_TRUE(ldns_pkt_ad(pkt));
  EXPECT_FALSE(ldns_pkt_cd(pkt));
  EXPECT_EQ(ldns_pkt_qdcount(pkt), 1);
  EXPECT_EQ(ldns_pkt_edns_udp_size(pkt), 1232);
  EXPECT_TRUE(ldns_pkt_edns_do(pkt));
  EXPECT_EQ(ldns_pkt_edns_version(pkt), 0);
  ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
  EXPECT_EQ(ldns_rr_get_type(question), 52);
  EXPECT_EQ(ldns_rr_get_class(question), LDNS_RR_CLASS_IN);
  char* owner = ldns_rdf2str(ldns_rr_owner(question));
  EXPECT_STREQ(owner, "_25._tcp.Mx.Example.org.");
  free(owner);
  ldns_pkt_free(pkt);
}

TEST(SetMessageIdTest, RewritesOnlyTheId) {
  std::string q = Query(0x0102, "example.org", 1);
  const std::string before = q;
  SetMessageId(0xA0B0, &q);
  EXPECT_EQ(q.substr(0, 2), "\xA0\xB0");
  EXPECT_EQ(q.substr(2), before.substr(2));
  std::string two = "xy";
  SetMessageId(0x0000, &two);
  EXPECT_EQ(two, std::string("\x00\x00", 2));
}

// ---------------------------------------------------------------------------
// ReadHeader

TEST(ReadHeaderTest, TooShort) {
  Header h;
  EXPECT_FALSE(ReadHeader({}, &h));
  const std::string eleven(11, '\xFF');
  EXPECT_FALSE(ReadHeader(AsBytes(eleven), &h));
}

TEST(ReadHeaderTest, Fields) {
  WireWriter w;
  w.Header(0xCAFE, 0xFFFF, 1, 2, 3, 4);
  Header h;
  ASSERT_TRUE(ReadHeader(w.span(), &h));
  EXPECT_EQ(h.id, 0xCAFE);
  EXPECT_EQ(h.qdcount, 1);
  EXPECT_EQ(h.ancount, 2);
  EXPECT_EQ(h.nscount, 3);
  EXPECT_EQ(h.arcount, 4);
  EXPECT_TRUE(h.qr());
  EXPECT_EQ(h.opcode(), 15);
  EXPECT_TRUE(h.aa());
  EXPECT_TRUE(h.tc());
  EXPECT_TRUE(h.rd());
  EXPECT_TRUE(h.ra());
  EXPECT_TRUE(h.ad());
  EXPECT_EQ(h.rcode(), 15);
}

TEST(ReadHeaderTest, EachFlagAlone) {
  Header h;
  WireWriter w;
  w.Header(0, 0x8000, 0, 0, 0, 0);
  ASSERT_TRUE(ReadHeader(w.span(), &h));
  EXPECT_TRUE(h.qr());
  EXPECT_FALSE(h.aa() || h.tc() || h.rd() || h.ra() || h.ad());
  EXPECT_EQ(h.opcode(), 0);
  EXPECT_EQ(h.rcode(), 0);
  w.PatchU16(2, 0x2800);  // opcode 5 (UPDATE)
  ASSERT_TRUE(ReadHeader(w.span(), &h));
  EXPECT_FALSE(h.qr());
  EXPECT_EQ(h.opcode(), 5);
  w.PatchU16(2, 0x0003);
  ASSERT_TRUE(ReadHeader(w.span(), &h));
  EXPECT_EQ(h.rcode(), 3);
  w.PatchU16(2, 0x0010);  // Z bit: none of the accessors
  ASSERT_TRUE(ReadHeader(w.span(), &h));
  EXPECT_FALSE(h.ad());
  EXPECT_EQ(h.rcode(), 0);
  w.PatchU16(2, 0x0200);
  ASSERT_TRUE(ReadHeader(w.span(), &h));
  EXPECT_TRUE(h.tc());
}

// ---------------------------------------------------------------------------
// IsAnswerTo

class IsAnswerToTest : public ::testing::Test {
 protected:
  IsAnswerToTest() : query_(Query(0x1234, "www.Example.org", rr_type::kA)) {}

  ResponseSpec Spec() const {
    ResponseSpec spec;
    spec.id = 0x1234;
    spec.qname = "www.Example.org.";
    spec.qtype = rr_type::kA;
    spec.answers = {"www.example.org. 60 IN A 192.0.2.1"};
    return spec;
  }

  bool Answers(const std::string& response) const {
    return IsAnswerTo(AsBytes(response), AsBytes(query_));
  }

  std::string query_;
};

TEST_F(IsAnswerToTest, MatchingResponse) {
  EXPECT_TRUE(Answers(Spec().Wire()));
}

TEST_F(IsAnswerToTest, AnyRcodeAndFlagsStillMatch) {
  ResponseSpec spec = Spec();
  spec.rcode = rcode::kServFail;
  spec.answers.clear();
  spec.edns_udp_size = 0;
  spec.aa = true;
  EXPECT_TRUE(Answers(spec.Wire()));
  std::string tc = Spec().Wire();
  tc[2] |= 0x02;  // TC
  EXPECT_TRUE(Answers(tc));
}

TEST_F(IsAnswerToTest, QrUnset) {
  ResponseSpec spec = Spec();
  spec.qr = false;
  EXPECT_FALSE(Answers(spec.Wire()));
  // Our own query echoed back.
  EXPECT_FALSE(Answers(query_));
}

TEST_F(IsAnswerToTest, WrongId) {
  ResponseSpec spec = Spec();
  spec.id = 0x1235;
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.id = 0x3412;
  EXPECT_FALSE(Answers(spec.Wire()));
}

// An earlier transmission of the same question, under another ID.
TEST_F(IsAnswerToTest, AnswerToAnEarlierId) {
  ResponseSpec spec = Spec();
  spec.id = 0x0707;
  EXPECT_FALSE(Answers(spec.Wire()));
  EXPECT_TRUE(IsAnswerTo(AsBytes(spec.Wire()), AsBytes(query_), 0x0707));
  EXPECT_FALSE(IsAnswerTo(AsBytes(spec.Wire()), AsBytes(query_), 0x0708));
  spec.qname = "www.example.net.";
  EXPECT_FALSE(IsAnswerTo(AsBytes(spec.Wire()), AsBytes(query_), 0x0707));
}

TEST_F(IsAnswerToTest, WrongOpcode) {
  ResponseSpec spec = Spec();
  spec.opcode = 4;  // NOTIFY
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.opcode = 2;  // STATUS
  EXPECT_FALSE(Answers(spec.Wire()));
}

TEST_F(IsAnswerToTest, QuestionCount) {
  std::string r = Spec().Wire();
  r[4] = 0;
  r[5] = 0;
  EXPECT_FALSE(Answers(r));
  r[5] = 2;
  EXPECT_FALSE(Answers(r));
  r[4] = 1;
  r[5] = 1;  // 257
  EXPECT_FALSE(Answers(r));
}

TEST_F(IsAnswerToTest, DifferentName) {
  ResponseSpec spec = Spec();
  spec.qname = "www.example.com.";
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.qname = "ww.example.org.";
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.qname = "wwww.example.org.";
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.qname = "www.example.org.example.org.";
  EXPECT_FALSE(Answers(spec.Wire()));
  // Same letters, different label boundaries.
  spec.qname = "www.exampl.eorg.";
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.qname = ".";
  EXPECT_FALSE(Answers(spec.Wire()));
}

TEST_F(IsAnswerToTest, SameNameDifferentCaseAccepted) {
  for (const char* name : {"www.example.org.", "WWW.EXAMPLE.ORG.",
                           "wWw.eXaMpLe.OrG."}) {
    ResponseSpec spec = Spec();
    spec.qname = name;
    EXPECT_TRUE(Answers(spec.Wire())) << name;
  }
}

TEST_F(IsAnswerToTest, CaseFoldingOnlyForLetters) {
  // '@' (0x40) and '`' (0x60) differ only in bit 0x20 but are not letters.
  const std::string q = Query(9, "a@b.example", rr_type::kA);
  std::string r = q;
  r[2] = static_cast<char>(0x81);  // QR, RD
  r[3] = static_cast<char>(0x80);
  EXPECT_TRUE(IsAnswerTo(AsBytes(r), AsBytes(q)));
  r[14] = '`';
  EXPECT_FALSE(IsAnswerTo(AsBytes(r), AsBytes(q)));
  r[14] = '@';
  r[13] = 'A';
  EXPECT_TRUE(IsAnswerTo(AsBytes(r), AsBytes(q)));
}

TEST_F(IsAnswerToTest, DifferentTypeOrClass) {
  ResponseSpec spec = Spec();
  spec.qtype = rr_type::kAaaa;
  spec.answers.clear();
  EXPECT_FALSE(Answers(spec.Wire()));
  spec = Spec();
  spec.qclass = 3;  // CH
  spec.answers.clear();
  EXPECT_FALSE(Answers(spec.Wire()));
  spec.qclass = 255;  // ANY
  EXPECT_FALSE(Answers(spec.Wire()));
}

TEST_F(IsAnswerToTest, CompressedQuestionNeverMatches) {
  WireWriter w;
  w.Header(0x1234, kResponseFlags, 1, 0, 0, 0).Pointer(12).U16(1).U16(1);
  EXPECT_FALSE(Answers(w.str()));
}

TEST_F(IsAnswerToTest, ResponseShorterThanQuestion) {
  const std::string full = Spec().Wire();
  // Header + the name + QTYPE + QCLASS is 12 + 17 + 4 octets.
  for (size_t size = 0; size < 33; ++size) {
    EXPECT_FALSE(Answers(full.substr(0, size))) << size;
  }
  EXPECT_TRUE(Answers(full.substr(0, 33)));  // a bare question is enough
}

TEST_F(IsAnswerToTest, BrokenQuery) {
  const std::string r = Spec().Wire();
  EXPECT_FALSE(IsAnswerTo(AsBytes(r), AsBytes(query_.substr(0, 11))));
  EXPECT_FALSE(IsAnswerTo(AsBytes(r), AsBytes(query_.substr(0, 20))));
  EXPECT_FALSE(IsAnswerTo(AsBytes(r), {}));
}

// ---------------------------------------------------------------------------
// ParseResponse: well-formed packets from ldns

absl::StatusOr<ParsedResponse> Parse(const std::string& packet) {
  return ParseResponse(AsBytes(packet));
}

// Every record lies inside the packet, in order.
void ExpectRecordsInBounds(const std::string& packet,
                           const ParsedResponse& parsed) {
  size_t previous_end = kHeaderSize;
  for (const auto* section : {&parsed.answers, &parsed.authority}) {
    for (const RecordView& rr : *section) {
      EXPECT_GE(rr.record_offset, previous_end);
      EXPECT_GT(rr.rdata_offset, rr.record_offset);
      EXPECT_LE(rr.rdata_offset + rr.rdata_length, packet.size());
      previous_end = rr.rdata_offset + rr.rdata_length;
    }
  }
}

TEST(ParseResponseTest, SimpleAnswer) {
  ResponseSpec spec;
  spec.qname = "www.example.org.";
  spec.answers = {"WWW.Example.org. 300 IN A 192.0.2.7"};
  const std::string packet = spec.Wire();
  absl::StatusOr<ParsedResponse> parsed = Parse(packet);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->header.id, 0x1234);
  EXPECT_TRUE(parsed->header.qr());
  EXPECT_EQ(parsed->rcode, 0);
  EXPECT_TRUE(parsed->has_edns);
  ASSERT_EQ(parsed->answers.size(), 1u);
  EXPECT_TRUE(parsed->authority.empty());
  const RecordView& a = parsed->answers[0];
  EXPECT_EQ(a.name, "www.example.org.");  // canonical, from a pointer
  EXPECT_EQ(a.type, rr_type::kA);
  EXPECT_EQ(a.rr_class, kClassIn);
  EXPECT_EQ(a.ttl, 300u);
  EXPECT_EQ(a.rdata_length, 4u);
  EXPECT_EQ(packet.substr(a.rdata_offset, 4), std::string("\xC0\x00\x02\x07", 4));
  ExpectRecordsInBounds(packet, *parsed);
}

TEST(ParseResponseTest, AllSections) {
  ResponseSpec spec;
  spec.qname = "example.org.";
  spec.qtype = rr_type::kMx;
  spec.answers = {"example.org. 3600 IN MX 10 mx1.example.org.",
                  "example.org. 3600 IN MX 20 mx2.example.net."};
  spec.authority = {"example.org. 86400 IN NS ns1.example.org.",
                    "example.org. 86400 IN NS ns2.example.org.",
                    "example.org. 86400 IN NS ns3.example.net."};
  spec.additional = {"mx1.example.org. 3600 IN A 192.0.2.25",
                     "mx1.example.org. 3600 IN AAAA 2001:db8::25"};
  const std::string packet = spec.Wire();
  absl::StatusOr<ParsedResponse> parsed = Parse(packet);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->answers.size(), 2u);
  ASSERT_EQ(parsed->authority.size(), 3u);
  EXPECT_EQ(parsed->answers[1].type, rr_type::kMx);
  EXPECT_EQ(parsed->authority[2].name, "example.org.");
  EXPECT_EQ(parsed->authority[2].ttl, 86400u);
  EXPECT_TRUE(parsed->has_edns);
  ExpectRecordsInBounds(packet, *parsed);
}

TEST(ParseResponseTest, NxDomainWithSoa) {
  ResponseSpec spec;
  spec.qname = "nope.example.org.";
  spec.rcode = rcode::kNxDomain;
  spec.authority = {
      "example.org. 300 IN SOA ns.example.org. h.example.org. 1 2 3 4 5"};
  absl::StatusOr<ParsedResponse> parsed = Parse(spec.Wire());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->rcode, rcode::kNxDomain);
  EXPECT_TRUE(parsed->answers.empty());
  ASSERT_EQ(parsed->authority.size(), 1u);
  EXPECT_EQ(parsed->authority[0].type, rr_type::kSoa);
}

TEST(ParseResponseTest, WithoutEdns) {
  ResponseSpec spec;
  spec.edns_udp_size = 0;
  spec.answers = {"example.org. 1 IN A 192.0.2.1"};
  absl::StatusOr<ParsedResponse> parsed = Parse(spec.Wire());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->has_edns);
  EXPECT_EQ(parsed->header.arcount, 0);
}

TEST(ParseResponseTest, ExtendedRcodeFromOpt) {
  ResponseSpec spec;
  spec.edns_extended_rcode = 1;  // BADVERS = 16
  absl::StatusOr<ParsedResponse> parsed = Parse(spec.Wire());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->header.rcode(), 0);
  EXPECT_EQ(parsed->rcode, 16);
  spec.edns_extended_rcode = 0xFF;
  spec.rcode = 0xF;
  parsed = Parse(spec.Wire());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->rcode, 4095);
  spec.edns_extended_rcode = 0;
  spec.rcode = rcode::kRefused;
  parsed = Parse(spec.Wire());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->rcode, rcode::kRefused);
}

TEST(ParseResponseTest, NoQuestion) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 1, 0, 0);
  w.Name({"a"}).RecordHeader(rr_type::kA, kClassIn, 5, 4).U32(0x7F000001);
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(w.span());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->answers.size(), 1u);
  EXPECT_EQ(parsed->answers[0].record_offset, 12u);
  EXPECT_EQ(parsed->answers[0].rdata_offset, 12u + 3u + 10u);
}

TEST(ParseResponseTest, HeaderOnly) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 0, 0, 0);
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(w.span());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->answers.empty());
}

TEST(ParseResponseTest, EmptyRdataAndMaxTtl) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 1, 0, 0);
  w.U8(0).RecordHeader(65534, kClassIn, 0xFFFFFFFF, 0);
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(w.span());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->answers[0].name, ".");
  EXPECT_EQ(parsed->answers[0].ttl, 0xFFFFFFFFu);
  EXPECT_EQ(parsed->answers[0].rdata_length, 0u);
  EXPECT_EQ(parsed->answers[0].rdata_offset, w.size());
}

TEST(ParseResponseTest, TrailingBytesAreIgnored) {
  ResponseSpec spec;
  spec.answers = {"example.org. 1 IN A 192.0.2.1"};
  absl::StatusOr<ParsedResponse> parsed = Parse(spec.Wire() + "junk");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->answers.size(), 1u);
}

TEST(ParseResponseTest, OptOutsideAdditionalIsNotEdns) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 1, 0, 0);
  w.U8(0).RecordHeader(rr_type::kOpt, 1232, 0x01000000, 0);
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(w.span());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->has_edns);
  EXPECT_EQ(parsed->rcode, 0);
}

// ---------------------------------------------------------------------------
// ParseResponse: malformed input

TEST(ParseResponseTest, TruncatedHeader) {
  for (size_t size = 0; size < kHeaderSize; ++size) {
    const std::string packet(size, '\0');
    EXPECT_FALSE(Parse(packet).ok()) << size;
  }
}

// An answer with records in every section.
ResponseSpec EverySection() {
  ResponseSpec spec;
  spec.qname = "example.org.";
  spec.qtype = rr_type::kMx;
  spec.answers = {"example.org. 3600 IN MX 10 mx1.example.org.",
                  "example.org. 3600 IN TXT \"v=spf1 -all\""};
  spec.authority = {"example.org. 86400 IN NS ns1.example.org."};
  spec.additional = {"ns1.example.org. 3600 IN A 192.0.2.53"};
  return spec;
}

TEST(ParseResponseTest, EveryTruncationOfAValidPacketFails) {
  const std::string packet = EverySection().Wire();
  ASSERT_TRUE(Parse(packet).ok());
  for (size_t size = 0; size < packet.size(); ++size) {
    EXPECT_FALSE(Parse(packet.substr(0, size)).ok()) << "size " << size;
  }
}

TEST(ParseResponseTest, QuestionRunsPastTheEnd) {
  WireWriter w;
  w.Header(1, kResponseFlags, 1, 0, 0, 0).Name({"example"}).U16(1);  // no class
  EXPECT_FALSE(ParseResponse(w.span()).ok());
  WireWriter w2;
  w2.Header(1, kResponseFlags, 1, 0, 0, 0).U8(7).Bytes("exam");
  EXPECT_FALSE(ParseResponse(w2.span()).ok());
  WireWriter w3;
  w3.Header(1, kResponseFlags, 2, 0, 0, 0).Name({"a"}).U16(1).U16(1);
  EXPECT_FALSE(ParseResponse(w3.span()).ok());  // QDCOUNT 2, one question
}

TEST(ParseResponseTest, CountsLargerThanTheMessage) {
  ResponseSpec spec;
  spec.answers = {"example.org. 1 IN A 192.0.2.1"};
  const std::string good = spec.Wire();
  for (int field : {6, 8, 10}) {  // ANCOUNT, NSCOUNT, ARCOUNT
    for (uint16_t count : {2, 3, 100, 0xFFFF}) {
      std::string bad = good;
      const int base = field == 6 ? 1 : field == 8 ? 0 : 1;
      const uint16_t value =
          static_cast<uint16_t>(std::min(base + count, 0xFFFF));
      bad[field] = static_cast<char>(value >> 8);
      bad[field + 1] = static_cast<char>(value & 0xFF);
      EXPECT_FALSE(Parse(bad).ok()) << "field " << field << " +" << count;
    }
  }
}

TEST(ParseResponseTest, HugeCountsAreRejectedBeforeAllocating) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 0xFFFF, 0xFFFF, 0xFFFF);
  w.Bytes(std::string(100, '\0'));
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(w.span());
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), ::testing::HasSubstr("count"));
}

TEST(ParseResponseTest, RdlengthPastTheEnd) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 1, 0, 0);
  w.Name({"a"}).RecordHeader(rr_type::kA, kClassIn, 5, 5).U32(0x7F000001);
  EXPECT_FALSE(ParseResponse(w.span()).ok());
  // Exactly to the end is fine.
  w.PatchU16(12 + 3 + 8, 4);
  EXPECT_TRUE(ParseResponse(w.span()).ok());
  w.PatchU16(12 + 3 + 8, 0xFFFF);
  EXPECT_FALSE(ParseResponse(w.span()).ok());
}

TEST(ParseResponseTest, RecordHeaderTruncated) {
  WireWriter w;
  w.Header(1, kResponseFlags, 0, 1, 0, 0);
  // 12 octets after the header pass the count check (11 per record), but
  // the RDLENGTH is cut in half.
  w.Name({"a"}).U16(1).U16(1).U32(5).U8(0);
  EXPECT_FALSE(ParseResponse(w.span()).ok());
}

TEST(ParseResponseTest, BadOwnerNames) {
  {
    WireWriter w;  // forward pointer
    w.Header(1, kResponseFlags, 0, 1, 0, 0);
    w.Pointer(14).RecordHeader(1, 1, 1, 4).U32(0);
    EXPECT_FALSE(ParseResponse(w.span()).ok());
  }
  {
    WireWriter w;  // self pointer
    w.Header(1, kResponseFlags, 0, 1, 0, 0);
    w.Pointer(12).RecordHeader(1, 1, 1, 4).U32(0);
    EXPECT_FALSE(ParseResponse(w.span()).ok());
  }
  {
    WireWriter w;  // pointer past the end
    w.Header(1, kResponseFlags, 0, 1, 0, 0);
    w.Pointer(0x3FFF).RecordHeader(1, 1, 1, 4).U32(0);
    EXPECT_FALSE(ParseResponse(w.span()).ok());
  }
  {
    WireWriter w;  // reserved label type
    w.Header(1, kResponseFlags, 0, 1, 0, 0);
    w.U8(0x41).Bytes("a").U8(0).RecordHeader(1, 1, 1, 4).U32(0);
    EXPECT_FALSE(ParseResponse(w.span()).ok());
  }
}

TEST(ParseResponseTest, BadNameInAdditionalSectionFails) {
  ResponseSpec spec;
  spec.edns_udp_size = 0;
  std::string packet = spec.Wire();
  packet[11] = 1;  // ARCOUNT 1
  WireWriter rr;
  rr.Pointer(0x3000).RecordHeader(1, 1, 1, 4).U32(0);
  EXPECT_FALSE(Parse(packet + rr.str()).ok());
}

TEST(ParseResponseTest, TwoOptRecords) {
  ResponseSpec spec;
  std::string packet = spec.Wire();
  ASSERT_EQ(packet[11], 1);
  packet[11] = 2;
  WireWriter opt;
  opt.U8(0).RecordHeader(rr_type::kOpt, 1232, 0, 0);
  EXPECT_FALSE(Parse(packet + opt.str()).ok());
}

TEST(ParseResponseTest, OptRdataIsSkipped) {
  // An OPT with an option (e.g. a padding option) and a glue record after it.
  ResponseSpec spec;
  spec.edns_udp_size = 0;
  std::string packet = spec.Wire();
  packet[11] = 2;
  WireWriter more;
  more.U8(0).RecordHeader(rr_type::kOpt, 1232, 0x00008000, 8);
  more.U16(12).U16(4).U32(0);  // PADDING, 4 octets
  more.Name({"glue"}).RecordHeader(rr_type::kA, kClassIn, 1, 4).U32(1);
  absl::StatusOr<ParsedResponse> parsed = Parse(packet + more.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->has_edns);
  EXPECT_TRUE(parsed->edns.dnssec_ok);
  EXPECT_EQ(parsed->edns.udp_size, 1232);
  EXPECT_THAT(parsed->edns.options,
              ElementsAre(EdnsOption{12, std::string(4, '\0')}));
}

TEST(ParseResponseTest, EdnsOptionsAreKept) {
  // A SERVFAIL with an Extended DNS Error (RFC 8914: option 15, info-code
  // 6 "DNSSEC Bogus" and a text) and an empty option, from a validating
  // resolver; CD and AD read from the header.
  ResponseSpec spec;
  spec.edns_udp_size = 0;
  spec.rcode = rcode::kServFail;
  std::string packet = spec.Wire();
  packet[3] = static_cast<char>(packet[3] | 0x10);  // CD
  packet[11] = 1;
  const std::string text = "signature expired";
  WireWriter opt;
  opt.U8(0).RecordHeader(rr_type::kOpt, 4096, 0x00008000,
                         4 + 2 + text.size() + 4);
  opt.U16(15).U16(2 + text.size()).U16(6).Bytes(text);
  opt.U16(10).U16(0);
  absl::StatusOr<ParsedResponse> parsed = Parse(packet + opt.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->header.cd());
  EXPECT_FALSE(parsed->header.ad());
  EXPECT_EQ(parsed->rcode, rcode::kServFail);
  EXPECT_EQ(parsed->edns.udp_size, 4096);
  EXPECT_THAT(parsed->edns.options,
              ElementsAre(EdnsOption{15, std::string("\x00\x06", 2) + text},
                          EdnsOption{10, ""}));
}

// The client parses every answer into one ParsedResponse: what an earlier
// parse left there (more records, longer names, EDNS options, a failure)
// must never show through.
TEST(ParseResponseTest, ReusedParseEqualsAFreshOne) {
  const std::string big = EverySection().Wire();
  // The same with an option in its OPT record (the last 11 octets).
  WireWriter opt;
  opt.U8(0).RecordHeader(rr_type::kOpt, 4096, 0x00008000, 4);
  opt.U16(10).U16(0);
  ResponseSpec small;
  small.qname = "a.example.";
  small.answers = {"a.example. 1 IN A 192.0.2.1"};
  const std::vector<std::string> packets = {
      big.substr(0, big.size() - 11) + opt.str(), small.Wire(), "broken", big,
      small.Wire()};
  ParsedResponse reused;
  size_t options = 0;
  for (const std::string& packet : packets) {
    absl::StatusOr<ParsedResponse> fresh = Parse(packet);
    absl::Status status = ParseResponse(AsBytes(packet), &reused);
    ASSERT_EQ(status.ok(), fresh.ok()) << status;
    ASSERT_EQ(status.ok(), packet != "broken") << status;
    if (!fresh.ok()) continue;
    EXPECT_EQ(reused.header.id, fresh->header.id);
    EXPECT_EQ(reused.header.flags, fresh->header.flags);
    EXPECT_EQ(reused.rcode, fresh->rcode);
    EXPECT_EQ(reused.has_edns, fresh->has_edns);
    EXPECT_EQ(reused.edns.udp_size, fresh->edns.udp_size);
    EXPECT_EQ(reused.edns.dnssec_ok, fresh->edns.dnssec_ok);
    EXPECT_EQ(reused.edns.options, fresh->edns.options);
    options += reused.edns.options.size();
    for (auto [ours, theirs] :
         {std::pair{&reused.answers, &fresh->answers},
          std::pair{&reused.authority, &fresh->authority}}) {
      ASSERT_EQ(ours->size(), theirs->size());
      for (size_t i = 0; i < ours->size(); ++i) {
        EXPECT_EQ((*ours)[i].name, (*theirs)[i].name);
        EXPECT_EQ((*ours)[i].type, (*theirs)[i].type);
        EXPECT_EQ((*ours)[i].ttl, (*theirs)[i].ttl);
        EXPECT_EQ((*ours)[i].rdata_offset, (*theirs)[i].rdata_offset);
        EXPECT_EQ((*ours)[i].rdata_length, (*theirs)[i].rdata_length);
      }
    }
  }
  EXPECT_EQ(options, 1u);  // the first packet's, and only there
}

TEST(ParseResponseTest, OptionRunningPastTheOptRecordFails) {
  ResponseSpec spec;
  spec.edns_udp_size = 0;
  std::string packet = spec.Wire();
  packet[11] = 1;
  for (const std::string& rdata :
       {std::string("\x00\x0f\x00\x05\x00\x06", 6),  // 5 octets announced
        std::string("\x00\x0f\x00", 3)}) {           // header cut
    WireWriter opt;
    opt.U8(0).RecordHeader(rr_type::kOpt, 1232, 0,
                           static_cast<uint16_t>(rdata.size()));
    opt.Bytes(rdata);
    opt.Name({"glue"}).RecordHeader(rr_type::kA, kClassIn, 1, 4).U32(1);
    std::string bytes = packet + opt.str();
    bytes[11] = 2;
    EXPECT_FALSE(Parse(bytes).ok());
  }
}

}  // namespace
}  // namespace mxscan::dns
