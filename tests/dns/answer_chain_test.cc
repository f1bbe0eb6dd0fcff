// FollowAnswer: walking CNAME chains through an answer section.

#include "scanner/dns/answer_chain.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/message.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/dns_packet.h"
#include "tests/testing/rdata_builders.h"

namespace mxscan::dns {
namespace {

using ::mxscan::testing::AnswerText;

using ::mxscan::testing::kResponseFlags;
using ::mxscan::testing::ResponseSpec;
using ::mxscan::testing::WireWriter;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

MATCHER_P3(IsAnswer, name, type, data, "") {
  return arg.name == name && arg.type == type && AnswerText(arg) == data;
}

class AnswerChainTest : public ::testing::Test {
 protected:
  // Parses a response to (qname, qtype) holding `answers` (zone syntax)
  // and follows it from qname, as the client does on the first answer.
  ChainStep Follow(const std::string& qname, uint16_t qtype,
                   const std::vector<std::string>& answers,
                   int rcode = rcode::kNoError, size_t max_cnames = 8) {
    ResponseSpec spec;
    spec.qname = qname;
    spec.qtype = qtype;
    spec.rcode = rcode;
    spec.answers = answers;
    packet_ = spec.Wire();
    return FollowPacket(qname, qtype, max_cnames);
  }

  ChainStep FollowPacket(const std::string& name, uint16_t type,
                         size_t max_cnames = 8) {
    absl::StatusOr<ParsedResponse> parsed = ParseResponse(AsBytes(packet_));
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    if (!parsed.ok()) return ChainStep();
    if (visited_.empty()) visited_.push_back(name);
    return FollowAnswer(AsBytes(packet_), *parsed, name, type, &visited_,
                        max_cnames);
  }

  std::string packet_;
  std::vector<std::string> visited_;
};

TEST_F(AnswerChainTest, DirectAnswer) {
  ChainStep step = Follow("www.example.org.", rr_type::kA,
                          {"www.example.org. 300 IN A 192.0.2.1",
                           "www.example.org. 300 IN A 192.0.2.2"});
  EXPECT_TRUE(step.error.ok()) << step.error;
  EXPECT_THAT(step.answers,
              ElementsAre(IsAnswer("www.example.org.", rr_type::kA,
                                   "192.0.2.1"),
                          IsAnswer("www.example.org.", rr_type::kA,
                                   "192.0.2.2")));
  EXPECT_EQ(step.answers[0].ttl, 300u);
  EXPECT_THAT(step.cnames, IsEmpty());
  EXPECT_EQ(step.next_name, "");
  EXPECT_THAT(visited_, ElementsAre("www.example.org."));
}

TEST_F(AnswerChainTest, OwnerCaseDoesNotMatter) {
  ChainStep step = Follow("www.example.org.", rr_type::kA,
                          {"WWW.Example.ORG. 300 IN A 192.0.2.1"});
  EXPECT_THAT(step.answers, ElementsAre(IsAnswer("www.example.org.",
                                                 rr_type::kA, "192.0.2.1")));
}

TEST_F(AnswerChainTest, NoData) {
  ChainStep step = Follow("www.example.org.", rr_type::kAaaa, {});
  EXPECT_TRUE(step.error.ok());
  EXPECT_THAT(step.answers, IsEmpty());
  EXPECT_EQ(step.next_name, "") << "the name asked needs no second query";
}

TEST_F(AnswerChainTest, CnameChainInOrderWhateverTheRecordOrder) {
  ChainStep step = Follow(
      "a.example.", rr_type::kMx,
      {"c.example. 30 IN MX 10 mx.example.", "b.example. 20 IN CNAME c.example.",
       "a.example. 10 IN CNAME b.example.",
       "c.example. 30 IN MX 20 mx2.example."});
  EXPECT_TRUE(step.error.ok()) << step.error;
  EXPECT_THAT(step.answers,
              ElementsAre(IsAnswer("a.example.", rr_type::kCname, "b.example."),
                          IsAnswer("b.example.", rr_type::kCname, "c.example."),
                          IsAnswer("c.example.", rr_type::kMx, "10 mx.example."),
                          IsAnswer("c.example.", rr_type::kMx,
                                   "20 mx2.example.")));
  EXPECT_EQ(step.answers[0].ttl, 10u);
  EXPECT_EQ(step.answers[1].ttl, 20u);
  EXPECT_THAT(step.cnames, ElementsAre("a.example.", "b.example."));
  EXPECT_THAT(visited_, ElementsAre("a.example.", "b.example.", "c.example."));
  EXPECT_EQ(step.next_name, "");
}

TEST_F(AnswerChainTest, ChainEndingWithoutDataAsksAgain) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 10 IN CNAME b.other."});
  EXPECT_TRUE(step.error.ok());
  EXPECT_EQ(step.next_name, "b.other.");
  EXPECT_THAT(step.answers, ElementsAre(IsAnswer("a.example.", rr_type::kCname,
                                                 "b.other.")));
  EXPECT_THAT(step.cnames, ElementsAre("a.example."));
}

TEST_F(AnswerChainTest, SecondStepContinuesTheLookup) {
  // The client asks again for next_name with the same `visited`.
  ChainStep first = Follow("a.example.", rr_type::kA,
                           {"a.example. 10 IN CNAME b.other."});
  ASSERT_EQ(first.next_name, "b.other.");
  ResponseSpec spec;
  spec.qname = "b.other.";
  spec.answers = {"b.other. 10 IN A 192.0.2.9"};
  packet_ = spec.Wire();
  ChainStep second = FollowPacket("b.other.", rr_type::kA);
  EXPECT_TRUE(second.error.ok());
  EXPECT_EQ(second.next_name, "");
  EXPECT_THAT(second.answers,
              ElementsAre(IsAnswer("b.other.", rr_type::kA, "192.0.2.9")));
}

TEST_F(AnswerChainTest, NxDomainAfterCnameIsNotChased) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 10 IN CNAME gone.example."},
                          rcode::kNxDomain);
  EXPECT_TRUE(step.error.ok());
  EXPECT_EQ(step.next_name, "");
  EXPECT_THAT(step.cnames, ElementsAre("a.example."));
}

TEST_F(AnswerChainTest, ServFailAfterCnameIsNotChased) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 10 IN CNAME b.example."},
                          rcode::kServFail);
  EXPECT_EQ(step.next_name, "");
}

TEST_F(AnswerChainTest, CnameLoop) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 1 IN CNAME b.example.",
                           "b.example. 1 IN CNAME a.example."});
  EXPECT_FALSE(step.error.ok());
  EXPECT_THAT(step.error.message(), HasSubstr("loop"));
  EXPECT_EQ(step.next_name, "");
}

TEST_F(AnswerChainTest, CnameToItself) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 1 IN CNAME a.example."});
  EXPECT_THAT(step.error.message(), HasSubstr("loop"));
}

TEST_F(AnswerChainTest, LoopNotThroughTheStart) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 1 IN CNAME b.example.",
                           "b.example. 1 IN CNAME c.example.",
                           "c.example. 1 IN CNAME b.example."});
  EXPECT_THAT(step.error.message(), HasSubstr("loop"));
}

TEST_F(AnswerChainTest, LoopAcrossTwoAnswers) {
  ChainStep first = Follow("a.example.", rr_type::kA,
                           {"a.example. 1 IN CNAME b.other."});
  ASSERT_EQ(first.next_name, "b.other.");
  ResponseSpec spec;
  spec.qname = "b.other.";
  spec.answers = {"b.other. 1 IN CNAME a.example."};
  packet_ = spec.Wire();
  ChainStep second = FollowPacket("b.other.", rr_type::kA);
  EXPECT_THAT(second.error.message(), HasSubstr("loop"));
}

std::vector<std::string> Chain(int cnames) {
  std::vector<std::string> records;
  for (int i = 0; i < cnames; ++i) {
    records.push_back("n" + std::to_string(i) + ".example. 1 IN CNAME n" +
                      std::to_string(i + 1) + ".example.");
  }
  records.push_back("n" + std::to_string(cnames) + ".example. 1 IN A 192.0.2.1");
  return records;
}

TEST_F(AnswerChainTest, ChainOfExactlyMaxIsFollowed) {
  ChainStep step = Follow("n0.example.", rr_type::kA, Chain(3),
                          rcode::kNoError, /*max_cnames=*/3);
  EXPECT_TRUE(step.error.ok()) << step.error;
  EXPECT_EQ(step.cnames.size(), 3u);
  EXPECT_EQ(AnswerText(step.answers.back()), "192.0.2.1");
}

TEST_F(AnswerChainTest, ChainLongerThanMaxIsAnError) {
  ChainStep step = Follow("n0.example.", rr_type::kA, Chain(4),
                          rcode::kNoError, /*max_cnames=*/3);
  EXPECT_FALSE(step.error.ok());
  EXPECT_THAT(step.error.message(), HasSubstr("longer than 3"));
}

TEST_F(AnswerChainTest, MaxCountsOverTheWholeLookup) {
  // Two CNAMEs in the first answer, two more in the second: 4 > 3.
  ChainStep first = Follow("n0.example.", rr_type::kA,
                           {"n0.example. 1 IN CNAME n1.example.",
                            "n1.example. 1 IN CNAME n2.other."},
                           rcode::kNoError, 3);
  ASSERT_TRUE(first.error.ok());
  ASSERT_EQ(first.next_name, "n2.other.");
  ResponseSpec spec;
  spec.qname = "n2.other.";
  spec.answers = {"n2.other. 1 IN CNAME n3.other.",
                  "n3.other. 1 IN CNAME n4.other.",
                  "n4.other. 1 IN A 192.0.2.4"};
  packet_ = spec.Wire();
  ChainStep second = FollowPacket("n2.other.", rr_type::kA, 3);
  EXPECT_FALSE(second.error.ok());
  EXPECT_THAT(second.error.message(), HasSubstr("longer"));
}

TEST_F(AnswerChainTest, UnrelatedRecordsIgnored) {
  ChainStep step = Follow(
      "www.example.org.", rr_type::kA,
      {"other.example.org. 1 IN A 192.0.2.99",      // other name
       "www.example.org. 1 IN AAAA 2001:db8::1",     // other type
       "www.example.org. 1 IN TXT \"hello\"",
       "www.example.org. 1 CH A 192.0.2.98",         // other class
       "example.org. 1 IN CNAME elsewhere.example.", // CNAME off the chain
       "www.example.org. 1 IN A 192.0.2.1"});
  EXPECT_TRUE(step.error.ok());
  EXPECT_THAT(step.answers, ElementsAre(IsAnswer("www.example.org.",
                                                 rr_type::kA, "192.0.2.1")));
}

TEST_F(AnswerChainTest, DataWinsOverCnameAtTheSameName) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 1 IN CNAME b.example.",
                           "a.example. 1 IN A 192.0.2.1",
                           "b.example. 1 IN A 192.0.2.2"});
  EXPECT_THAT(step.answers,
              ElementsAre(IsAnswer("a.example.", rr_type::kA, "192.0.2.1")));
  EXPECT_THAT(step.cnames, IsEmpty());
}

TEST_F(AnswerChainTest, FirstOfSeveralCnamesIsFollowed) {
  ChainStep step = Follow("a.example.", rr_type::kA,
                          {"a.example. 1 IN CNAME b.example.",
                           "a.example. 1 IN CNAME c.example.",
                           "b.example. 1 IN A 192.0.2.2",
                           "c.example. 1 IN A 192.0.2.3"});
  EXPECT_THAT(step.answers,
              ElementsAre(IsAnswer("a.example.", rr_type::kCname, "b.example."),
                          IsAnswer("b.example.", rr_type::kA, "192.0.2.2")));
}

TEST_F(AnswerChainTest, AskingForCnameDoesNotFollow) {
  ChainStep step = Follow("a.example.", rr_type::kCname,
                          {"a.example. 1 IN CNAME b.example.",
                           "b.example. 1 IN CNAME c.example."});
  EXPECT_TRUE(step.error.ok());
  EXPECT_THAT(step.answers, ElementsAre(IsAnswer("a.example.", rr_type::kCname,
                                                 "b.example.")));
  EXPECT_THAT(step.cnames, IsEmpty());
  EXPECT_EQ(step.next_name, "");
  EXPECT_THAT(visited_, ElementsAre("a.example."));
}

// A response whose answer section is hand-made: `records` after a question
// for a.example.
std::string HandMade(uint16_t answers, const std::string& records) {
  WireWriter w;
  w.Header(1, kResponseFlags, 1, answers, 0, 0);
  w.Name({"a", "example"}).U16(rr_type::kA).U16(kClassIn);
  w.Bytes(records);
  return w.str();
}

TEST_F(AnswerChainTest, MalformedRdataOfTheAnswerIsAnError) {
  WireWriter rr;
  rr.Pointer(12).RecordHeader(rr_type::kA, kClassIn, 1, 3).Bytes("abc");
  packet_ = HandMade(1, rr.str());
  ChainStep step = FollowPacket("a.example.", rr_type::kA);
  EXPECT_FALSE(step.error.ok());
  EXPECT_THAT(step.error.message(), HasSubstr("malformed"));
}

TEST_F(AnswerChainTest, MalformedCnameTargetIsAnError) {
  WireWriter rr;
  // The target runs out of its RDATA (no root octet inside it).
  rr.Pointer(12).RecordHeader(rr_type::kCname, kClassIn, 1, 2).U8(1).Bytes("b");
  rr.U8(0);  // outside the RDATA
  packet_ = HandMade(1, rr.str());
  ChainStep step = FollowPacket("a.example.", rr_type::kA);
  EXPECT_FALSE(step.error.ok());
}

TEST_F(AnswerChainTest, MalformedRecordOffTheChainIsIgnored) {
  WireWriter rr;
  rr.Name({"z"}).RecordHeader(rr_type::kA, kClassIn, 1, 1).U8(1);
  rr.Pointer(12).RecordHeader(rr_type::kA, kClassIn, 1, 4).U32(0xC0000201);
  packet_ = HandMade(2, rr.str());
  ChainStep step = FollowPacket("a.example.", rr_type::kA);
  EXPECT_TRUE(step.error.ok()) << step.error;
  EXPECT_THAT(step.answers,
              ElementsAre(IsAnswer("a.example.", rr_type::kA, "192.0.2.1")));
}

}  // namespace
}  // namespace mxscan::dns
