// ParseRdata: the typed fields of each record type, read from messages that
// ldns builds (names compressed by ldns), and what is refused.

#include "scanner/dns/rdata.h"

#include <string>
#include <variant>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/message.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/dns_packet.h"

namespace mxscan::dns {
namespace {

using ::mxscan::testing::ResponseSpec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The RDATA of the last answer of a response holding `zone_lines`.
absl::StatusOr<Rdata> Parse(std::vector<std::string> zone_lines) {
  ResponseSpec spec;
  spec.qname = "x.example.";
  spec.answers = std::move(zone_lines);
  const std::string packet = spec.Wire();
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(AsBytes(packet));
  if (!parsed.ok()) return parsed.status();
  return ParseRdata(AsBytes(packet), parsed->answers.back());
}

template <typename T>
T ParseAs(const std::string& zone_line) {
  absl::StatusOr<Rdata> rdata = Parse({zone_line});
  EXPECT_TRUE(rdata.ok()) << rdata.status();
  if (!rdata.ok() || !std::holds_alternative<T>(*rdata)) {
    ADD_FAILURE() << "not of the expected form: " << zone_line;
    return T{};
  }
  return std::get<T>(*rdata);
}

TEST(RdataTest, Addresses) {
  const AddressData a = ParseAs<AddressData>("x.example. 60 IN A 192.0.2.7");
  EXPECT_FALSE(a.ip6);
  EXPECT_THAT(a.octets(), ElementsAre(192, 0, 2, 7));
  EXPECT_EQ(a.ToString(), "192.0.2.7");
  const AddressData aaaa =
      ParseAs<AddressData>("x.example. 60 IN AAAA 2001:DB8::1");
  EXPECT_TRUE(aaaa.ip6);
  EXPECT_EQ(aaaa.octets().size(), 16u);
  EXPECT_EQ(aaaa.ToString(), "2001:db8::1");
  EXPECT_EQ(*AddressFromText("2001:db8::1"), aaaa);
  EXPECT_EQ(*AddressFromText("192.0.2.7"), a);
  EXPECT_FALSE(AddressFromText("192.0.2").ok());
  EXPECT_FALSE(AddressFromText("mx.example").ok());
}

TEST(RdataTest, MxExchangeIsCanonicalAndDecompressed) {
  // The exchange shares its suffix with the owner: ldns compresses it.
  const MxData mx = ParseAs<MxData>("x.example. 60 IN MX 10 Mail.X.Example.");
  EXPECT_EQ(mx.preference, 10);
  EXPECT_EQ(mx.exchange, "mail.x.example.");
  const MxData null_mx = ParseAs<MxData>("x.example. 60 IN MX 0 .");
  EXPECT_EQ(null_mx.preference, 0);
  EXPECT_EQ(null_mx.exchange, ".");
}

TEST(RdataTest, TxtKeepsItsStringsAsOctets) {
  const TxtData txt = ParseAs<TxtData>(
      "x.example. 60 IN TXT \"v=STSv1;\\009id=1\" \"\" \"a\\000b\\\\c\"");
  EXPECT_THAT(txt.strings,
              ElementsAre("v=STSv1;\tid=1", "", std::string("a\0b\\c", 5)));
  EXPECT_EQ(txt.Joined(), std::string("v=STSv1;\tid=1a\0b\\c", 18));
}

TEST(RdataTest, TlsaFieldsAndBytes) {
  const TlsaData tlsa =
      ParseAs<TlsaData>("x.example. 60 IN TLSA 3 1 1 ABCDEF0123");
  EXPECT_EQ(tlsa.usage, 3);
  EXPECT_EQ(tlsa.selector, 1);
  EXPECT_EQ(tlsa.matching_type, 1);
  EXPECT_EQ(absl::BytesToHexString(tlsa.association), "abcdef0123");
}

TEST(RdataTest, SoaSrvCaaAndNames) {
  const SoaData soa = ParseAs<SoaData>(
      "x.example. 60 IN SOA ns.x.example. host.x.example. 7 3600 600 "
      "86400 300");
  EXPECT_EQ(soa.mname, "ns.x.example.");
  EXPECT_EQ(soa.rname, "host.x.example.");
  EXPECT_EQ(soa.serial, 7u);
  EXPECT_EQ(soa.minimum, 300u);
  const SrvData srv =
      ParseAs<SrvData>("x.example. 60 IN SRV 1 2 25 mx.x.example.");
  EXPECT_EQ(srv.priority, 1);
  EXPECT_EQ(srv.weight, 2);
  EXPECT_EQ(srv.port, 25);
  EXPECT_EQ(srv.target, "mx.x.example.");
  const CaaData caa =
      ParseAs<CaaData>("x.example. 60 IN CAA 128 issue \"ca.example\"");
  EXPECT_EQ(caa.flags, 128);
  EXPECT_EQ(caa.tag, "issue");
  EXPECT_EQ(caa.value, "ca.example");
  EXPECT_EQ(ParseAs<NameData>("x.example. 60 IN CNAME Y.x.example.").name,
            "y.x.example.");
  EXPECT_EQ(ParseAs<NameData>("x.example. 60 IN NS ns.x.example.").name,
            "ns.x.example.");
}

TEST(RdataTest, OtherTypesKeepTheirOctets) {
  const OpaqueData ds = ParseAs<OpaqueData>(
      "x.example. 60 IN DS 12345 13 2 "
      "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  ASSERT_EQ(ds.octets.size(), 4u + 32u);
  EXPECT_EQ(static_cast<uint8_t>(ds.octets[0]), 0x30);  // key tag 12345
  EXPECT_EQ(static_cast<uint8_t>(ds.octets[1]), 0x39);
  EXPECT_EQ(static_cast<uint8_t>(ds.octets[2]), 13);  // algorithm
}

TEST(RdataTest, MinfoNamesAreWrittenOutUncompressed) {
  // ldns may compress them against the owner name.
  const OpaqueData minfo =
      ParseAs<OpaqueData>("x.example. 60 IN MINFO a.x.example. b.x.example.");
  EXPECT_EQ(minfo.octets, std::string("\x01"
                                      "a\x01x\x07"
                                      "example\x00"
                                      "\x01"
                                      "b\x01x\x07"
                                      "example\x00",
                                      2 * 13));
}

TEST(RdataTest, MalformedRdataIsRefused) {
  testing::WireWriter w;
  w.Header(1, testing::kResponseFlags, 0, 1, 0, 0);
  w.Name({"x", "example"});
  w.RecordHeader(rr_type::kMx, kClassIn, 60, 5);
  w.U16(10);
  w.Bytes(
      "\x05"
      "ab");  // a label running past the RDATA
  const std::string packet = w.str();
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(AsBytes(packet));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<Rdata> rdata = ParseRdata(AsBytes(packet), parsed->answers[0]);
  ASSERT_FALSE(rdata.ok());
  EXPECT_THAT(rdata.status().message(), HasSubstr("malformed MX record"));
}

TEST(RdataTest, PrintableOctets) {
  EXPECT_EQ(PrintableOctets("v=spf1 -all"), "v=spf1 -all");
  EXPECT_EQ(PrintableOctets("a\xEF"
                            "b\r\\"),
            "a\\239b\\013\\");
}

}  // namespace
}  // namespace mxscan::dns
