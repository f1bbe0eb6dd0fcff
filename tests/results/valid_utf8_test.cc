#include "scanner/results/valid_utf8.h"

#include "gtest/gtest.h"
#include "proto/mxscan.pb.h"

namespace mxscan::results {
namespace {

TEST(ValidUtf8Test, RepairsNestedAndRepeatedStringsOnly) {
  DomainResult record;
  record.set_domain("example.org");
  record.add_findings("fine: caf\xc3\xa9");
  record.add_findings("bad \xff octet");
  MxHost* mx = record.add_mx();
  mx->set_host("mx.example.org");
  SmtpProbe* smtp = mx->add_addresses()->mutable_smtp();
  smtp->set_banner("220 \xc0\xaf overlong");
  smtp->add_ehlo_extensions("SIZE");
  smtp->add_ehlo_extensions("X\x80");
  EXPECT_EQ(MakeStringsValidUtf8(&record), 3);
  EXPECT_EQ(record.findings(0), "fine: caf\xc3\xa9");
  EXPECT_EQ(record.findings(1), "bad \\255 octet");
  EXPECT_EQ(record.mx(0).addresses(0).smtp().banner(),
            "220 \\192\\175 overlong");
  EXPECT_EQ(record.mx(0).addresses(0).smtp().ehlo_extensions(0), "SIZE");
  EXPECT_EQ(record.mx(0).addresses(0).smtp().ehlo_extensions(1), "X\\128");
  // Nothing is created where nothing was set.
  EXPECT_FALSE(record.has_spf());
  EXPECT_FALSE(record.mx(0).has_tlsa());
  EXPECT_EQ(MakeStringsValidUtf8(&record), 0);
}

}  // namespace
}  // namespace mxscan::results
