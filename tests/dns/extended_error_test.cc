#include "scanner/dns/extended_error.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/dnssec_status.h"

namespace mxscan::dns {
namespace {

using ::testing::SizeIs;

TEST(ExtendedErrorTest, ParsesCodeAndText) {
  absl::StatusOr<ExtendedError> e =
      ParseExtendedError(std::string("\x00\x07sig expired", 13));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->info_code, 7);
  EXPECT_EQ(e->extra_text, "sig expired");
  EXPECT_EQ(Describe(*e), "7 (Signature Expired): sig expired");
  // No text, a NUL-terminated text, octets outside ASCII.
  EXPECT_EQ(ParseExtendedError(std::string("\x00\x06", 2))->extra_text, "");
  EXPECT_EQ(ParseExtendedError(std::string("\x00\x06x\0", 4))->extra_text, "x");
  EXPECT_EQ(ParseExtendedError(std::string("\x00\x06\xff\n", 4))->extra_text,
            "\\255\\010");
  EXPECT_EQ(ParseExtendedError(std::string("\x01\x00", 2))->info_code, 256);
  EXPECT_STREQ(ExtendedErrorName(256), "Unassigned");
}

TEST(ExtendedErrorTest, RefusesTooShortAndCutsLongText) {
  EXPECT_FALSE(ParseExtendedError("").ok());
  EXPECT_FALSE(ParseExtendedError(std::string("\x00", 1)).ok());
  const std::string long_text =
      std::string("\x00\x06", 2) + std::string(5000, 'a');
  EXPECT_EQ(ParseExtendedError(long_text)->extra_text.size(),
            kMaxExtendedErrorText);
}

TEST(ExtendedErrorTest, PicksTheOptionOutOfOthers) {
  const std::vector<EdnsOption> options = {
      {10, "cookie"},
      {kEdnsOptionExtendedError, std::string("\x00\x09", 2)},
      {kEdnsOptionExtendedError, std::string("\x00", 1)},  // malformed
      {kEdnsOptionExtendedError, std::string("\x00\x16", 2)},
  };
  const std::vector<ExtendedError> errors = ExtendedErrors(options);
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].info_code, 9);
  EXPECT_EQ(errors[1].info_code, 22);
}

TEST(DnssecStatusTest, FromTheAnswer) {
  LookupResult r;
  r.status = LookupStatus::kNoError;
  r.authenticated = true;
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kSecure);
  EXPECT_EQ(DnssecStatusOf(r, false), DnssecStatus::kNotValidated);
  r.authenticated = false;
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kInsecure);
  r.status = LookupStatus::kNxDomain;
  r.authenticated = true;
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kSecure);
  // A SERVFAIL is bogus only when the resolver says DNSSEC failed.
  r.status = LookupStatus::kServFail;
  r.authenticated = false;
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kIndeterminate);
  r.edns_options = {{kEdnsOptionExtendedError, std::string("\x00\x16", 2)}};
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kIndeterminate);
  r.edns_options.push_back(
      {kEdnsOptionExtendedError, std::string("\x00\x07old", 5)});
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kBogus);
  EXPECT_EQ(DnssecDetail(r),
            "22 (No Reachable Authority); 7 (Signature Expired): old");
  r.status = LookupStatus::kTimeout;
  EXPECT_EQ(DnssecStatusOf(r, true), DnssecStatus::kIndeterminate);
  for (uint16_t code : {6, 7, 8, 9, 10, 11, 12, 25, 27}) {
    EXPECT_TRUE(IsDnssecFailure(code)) << code;
  }
  for (uint16_t code : {0, 1, 2, 3, 5, 13, 22, 26}) {
    EXPECT_FALSE(IsDnssecFailure(code)) << code;
  }
}

}  // namespace
}  // namespace mxscan::dns
