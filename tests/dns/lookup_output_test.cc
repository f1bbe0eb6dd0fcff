// The `mxscan dns --format jsonl` line of a lookup: every field, JSON
// escapes, and lines longer than the writer's buffer.

#include "scanner/dns/lookup_output.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/rdata_builders.h"

namespace mxscan::dns {
namespace {

LookupResult Result(std::string name, uint16_t type, LookupStatus status,
                    int rcode) {
  LookupResult r;
  r.name = std::move(name);
  r.type = type;
  r.status = status;
  r.rcode = rcode;
  return r;
}

std::string Line(const LookupResult& result) {
  std::string out = "before\n";
  AppendLookupJsonLine(result, &out);
  EXPECT_EQ(out.substr(0, 7), "before\n");  // appended, nothing replaced
  return out.substr(7);
}

TEST(LookupJsonLineTest, AnAnswer) {
  LookupResult r =
      Result("www.example.org.", rr_type::kA, LookupStatus::kNoError, 0);
  r.attempts = 1;
  r.resolver = "127.0.0.1:53";
  r.answers.push_back(
      {"www.example.org.", rr_type::kA, 300, testing::Ip("192.0.2.7")});
  r.answers.push_back({"www.example.org.", rr_type::kA, 4294967295u,
                       testing::Ip("0.10.100.255")});
  EXPECT_EQ(Line(r),
            "{\"name\":\"www.example.org.\",\"type\":\"A\",\"status\":"
            "\"NOERROR\",\"answers\":[{\"name\":\"www.example.org.\",\"type\":"
            "\"A\",\"ttl\":300,\"data\":\"192.0.2.7\"},{\"name\":"
            "\"www.example.org.\",\"type\":\"A\",\"ttl\":4294967295,\"data\":"
            "\"0.10.100.255\"}],\"authenticated\":false,\"rcode\":0,"
            "\"attempts\":1,\"resolver\":\"127.0.0.1:53\"}\n");
}

TEST(LookupJsonLineTest, EveryFieldAndEscapes) {
  // Canonical names keep '"' as it is and write other octets as \DDD; no
  // answer, no "rcode".
  LookupResult r =
      Result("a\"b\\032c.example.", rr_type::kAaaa, LookupStatus::kError, -1);
  r.authenticated = true;
  r.used_tcp = true;
  r.attempts = 3;
  r.error = "malformed answer: \"x\"\n";
  r.cname_chain = {"a\"b\\032c.example."};
  r.answers.push_back({"a\"b\\032c.example.", rr_type::kCname, 60,
                       testing::Name("t.example.")});
  r.answers.push_back(
      {"t.example.", rr_type::kAaaa, 60, testing::Ip("2001:db8::1")});
  r.edns_options.push_back({15, std::string("\x00\x06", 2) + "bogus"});
  EXPECT_EQ(
      Line(r),
      "{\"name\":\"a\\\"b\\\\032c.example.\",\"type\":\"AAAA\",\"status\":"
      "\"ERROR\",\"answers\":[{\"name\":\"a\\\"b\\\\032c.example.\",\"type\":"
      "\"CNAME\",\"ttl\":60,\"data\":\"t.example.\"},{\"name\":\"t.example.\","
      "\"type\":\"AAAA\",\"ttl\":60,\"data\":\"2001:db8::1\"}],"
      "\"authenticated\":true,\"error\":\"malformed answer: \\\"x\\\"\\u000a\","
      "\"extendedErrors\":[\"6 (DNSSEC Bogus): bogus\"],\"cnameChain\":"
      "[\"a\\\"b\\\\032c.example.\"],\"attempts\":3,\"tcp\":true}\n");
}

TEST(LookupJsonLineTest, LongerThanTheWritersBuffer) {
  LookupResult r =
      Result("txt.example.", rr_type::kTxt, LookupStatus::kNoError, 0);
  r.attempts = 1;
  const std::string text(3000, 'v');
  for (int i = 0; i < 3; ++i) {
    r.answers.push_back({"txt.example.", rr_type::kTxt, 1,
                         testing::TxtOf({text, "\"quoted\""})});
  }
  const std::string answer =
      "{\"name\":\"txt.example.\",\"type\":\"TXT\","
      "\"ttl\":1,\"data\":\"" +
      text + "\\\"quoted\\\"\"}";
  EXPECT_EQ(Line(r),
            "{\"name\":\"txt.example.\",\"type\":\"TXT\",\"status\":"
            "\"NOERROR\",\"answers\":[" +
                answer + "," + answer + "," + answer +
                "],\"authenticated\":false,\"rcode\":0,\"attempts\":1}\n");
}

TEST(LookupJsonLineTest, UnknownTypes) {
  LookupResult r = Result("x.example.", 65280, LookupStatus::kNoError, 0);
  r.answers.push_back({"x.example.", 65280, 5, OpaqueData{"\x01\x02"}});
  // ldns renders what it does not know in the RFC 3597 generic form.
  EXPECT_EQ(Line(r),
            "{\"name\":\"x.example.\",\"type\":\"TYPE65280\",\"status\":"
            "\"NOERROR\",\"answers\":[{\"name\":\"x.example.\",\"type\":"
            "\"TYPE65280\",\"ttl\":5,\"data\":\"\\\\# 2 0102\"}],"
            "\"authenticated\":false,\"rcode\":0,\"attempts\":0}\n");
}

}  // namespace
}  // namespace mxscan::dns
