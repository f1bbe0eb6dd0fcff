// Record type names: mnemonics, RFC 3597 TYPEnnn, and the round trip.

#include "scanner/dns/rr_type.h"

// <stdbool.h> first: otherwise ldns/common.h defines true and false as
// macros in C++, which breaks gmock.
#include <stdbool.h>
// clang-format off
#include <ldns/ldns.h>
// clang-format on

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace mxscan::dns {
namespace {

TEST(RrTypeTest, KnownMnemonics) {
  struct Case {
    const char* name;
    uint16_t type;
  };
  const Case cases[] = {
      {"A", 1},      {"NS", 2},     {"CNAME", 5},   {"SOA", 6},
      {"PTR", 12},   {"MX", 15},    {"TXT", 16},    {"AAAA", 28},
      {"SRV", 33},   {"OPT", 41},   {"DS", 43},     {"RRSIG", 46},
      {"DNSKEY", 48}, {"TLSA", 52}, {"CAA", 257},
  };
  for (const Case& c : cases) {
    absl::StatusOr<uint16_t> t = RrTypeFromName(c.name);
    ASSERT_TRUE(t.ok()) << c.name;
    EXPECT_EQ(*t, c.type) << c.name;
    EXPECT_EQ(RrTypeName(c.type), c.name);
    // The numbers are IANA's, as ldns knows them.
    EXPECT_EQ(ldns_get_rr_type_by_name(c.name), c.type) << c.name;
  }
}

TEST(RrTypeTest, CaseInsensitive) {
  EXPECT_EQ(*RrTypeFromName("mx"), rr_type::kMx);
  EXPECT_EQ(*RrTypeFromName("aAaA"), rr_type::kAaaa);
  EXPECT_EQ(*RrTypeFromName("Caa"), rr_type::kCaa);
}

TEST(RrTypeTest, GenericForm) {
  EXPECT_EQ(*RrTypeFromName("TYPE65"), 65);
  EXPECT_EQ(*RrTypeFromName("type15"), rr_type::kMx);
  EXPECT_EQ(*RrTypeFromName("TYPE0"), 0);
  EXPECT_EQ(*RrTypeFromName("TYPE65535"), 65535);
  EXPECT_EQ(*RrTypeFromName("TYPE065"), 65);
}

TEST(RrTypeTest, BadNames) {
  for (const char* bad : {"", "B", "MXX", "M X", "TYPE", "TYPE65536",
                          "TYPE4294967296", "TYPE-1", "TYPEx", "TYPE1x",
                          "TYP1", "1", "SPF\n"}) {
    EXPECT_FALSE(RrTypeFromName(bad).ok()) << bad;
  }
  EXPECT_NE(RrTypeFromName("bogus").status().message().find("bogus"),
            absl::string_view::npos);
}

TEST(RrTypeTest, UnknownTypesByNumber) {
  EXPECT_EQ(RrTypeName(0), "TYPE0");
  EXPECT_EQ(RrTypeName(99), "TYPE99");  // SPF: not one of ours
  EXPECT_EQ(RrTypeName(65534), "TYPE65534");
  EXPECT_EQ(RrTypeName(65535), "TYPE65535");
}

TEST(RrTypeTest, EveryTypeRoundTrips) {
  for (uint32_t t = 0; t <= 65535; ++t) {
    const std::string name = RrTypeName(static_cast<uint16_t>(t));
    absl::StatusOr<uint16_t> back = RrTypeFromName(name);
    ASSERT_TRUE(back.ok()) << name;
    ASSERT_EQ(*back, t) << name;
  }
}

}  // namespace
}  // namespace mxscan::dns
