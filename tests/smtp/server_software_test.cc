#include "scanner/smtp/server_software.h"

#include "gtest/gtest.h"

namespace mxscan::smtp {
namespace {

TEST(ServerSoftwareTest, BannersSeenInTheWild) {
  EXPECT_EQ(ServerSoftware("mail.example.org ESMTP Postfix (Debian/GNU)", "",
                           "mail.example.org"),
            "Postfix");
  EXPECT_EQ(
      ServerSoftware("mx.example.org ESMTP Exim 4.96 Tue, 01 Dec 2026", "", ""),
      "Exim");
  EXPECT_EQ(ServerSoftware(
                "mx.google.com ESMTP a1-20020a170902b2c1si1234567plb.123 - "
                "gsmtp",
                "mx.google.com at your service, [192.0.2.1]", "mx.google.com"),
            "Google");
  EXPECT_EQ(
      ServerSoftware("AM0PR02CA0001.outlook.office365.com Microsoft ESMTP MAIL "
                     "Service ready at Tue, 1 Dec 2026",
                     "", "AM0PR02CA0001.outlook.office365.com"),
      "Microsoft Exchange Online");
  EXPECT_EQ(ServerSoftware(
                "exch01.council.example Microsoft ESMTP MAIL Service ready", "",
                "exch01.council.example"),
            "Microsoft Exchange");
  EXPECT_EQ(ServerSoftware("mx0a-001.pphosted.com ESMTP mfa-m0001", "", ""),
            "Proofpoint");
  EXPECT_EQ(ServerSoftware("ESMTP", "", "esa1.hc123-45.iphmx.com"), "unknown");
  EXPECT_EQ(
      ServerSoftware("mx.example.org ESMTP Sendmail 8.15.2/8.15.2", "", ""),
      "Sendmail");
  EXPECT_EQ(ServerSoftware("", "", ""), "unknown");
  EXPECT_EQ(ServerSoftwareFamilies().back(), "unknown");
}

TEST(ServerSoftwareTest, CaseAndTheEhloGreeting) {
  EXPECT_EQ(
      ServerSoftware("mx.example.org ESMTP", "Haraka is at your service", ""),
      "Haraka");
  EXPECT_EQ(ServerSoftware("MX.EXAMPLE.ORG ESMTP POSTFIX", "", ""), "Postfix");
}

}  // namespace
}  // namespace mxscan::smtp
