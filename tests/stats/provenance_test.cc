#include "scanner/stats/provenance.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::stats {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

ScanManifest Manifest(const std::string& psl_sha, const std::string& validation,
                      const std::string& profile = "rfc9989") {
  ScanManifest m;
  ScanManifest::Run* run = m.add_runs();
  run->set_run_id("r1");
  run->set_mxscan_version("v1");
  run->set_mxscan_commit("0123456789abcdef");
  run->set_started_at("2026-12-01T00:00:00Z");
  run->set_ended_at("2026-12-01T01:00:00Z");
  run->set_shard("0/1");
  run->set_smtp(true);
  run->mutable_psl()->set_path("/psl.dat");
  run->mutable_psl()->set_sha256(psl_sha);
  run->mutable_ca_file()->set_path("/ca.pem");
  run->mutable_ca_file()->set_sha256("ca1");
  run->set_dmarc_profile(profile);
  ScanManifest::Resolver* r = run->add_resolvers();
  r->set_address("127.0.0.1:53");
  r->set_validation(validation);
  (*run->mutable_domains_by_status())["OK"] = 7;
  return m;
}

TEST(ProvenanceTest, OneLinePerRun) {
  ScanManifest m = Manifest("aaaa", "validating");
  *m.add_runs() = m.runs(0);
  m.mutable_runs(1)->set_resumed(true);
  m.mutable_runs(1)->clear_ended_at();
  const std::vector<std::string> lines = ProvenanceLines({m});
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_THAT(lines[0], HasSubstr("mxscan v1 (commit 0123456789ab)"));
  EXPECT_THAT(lines[0], HasSubstr("127.0.0.1:53 (validating)"));
  EXPECT_THAT(lines[0], HasSubstr("PSL /psl.dat (sha256 aaaa)"));
  EXPECT_THAT(lines[0], HasSubstr("records: OK 7"));
  EXPECT_THAT(lines[1], HasSubstr("(resumed)"));
  EXPECT_THAT(lines[1], HasSubstr("(not finished)"));
  EXPECT_THAT(ProvenanceLines({}), IsEmpty());
}

TEST(ProvenanceTest, ComparableScansHaveNoWarning) {
  EXPECT_THAT(ComparabilityWarnings({Manifest("a", "validating")},
                                    {Manifest("a", "validating")}),
              IsEmpty());
}

TEST(ProvenanceTest, WarnsWhereTheScansDiffer) {
  const std::vector<std::string> psl = ComparabilityWarnings(
      {Manifest("a", "validating")}, {Manifest("b", "validating")});
  ASSERT_THAT(psl, SizeIs(1));
  EXPECT_THAT(psl[0], HasSubstr("Public Suffix List (old: a; new: b)"));
  EXPECT_THAT(ComparabilityWarnings({Manifest("a", "validating")},
                                    {Manifest("a", "not validating")}),
              ElementsAre(HasSubstr("resolver validation")));
  EXPECT_THAT(ComparabilityWarnings({Manifest("a", "v", "rfc7489")},
                                    {Manifest("a", "v", "rfc9989")}),
              ElementsAre(HasSubstr("DMARC profile")));
  EXPECT_THAT(ComparabilityWarnings({}, {Manifest("a", "v")}),
              ElementsAre(HasSubstr("the old scan has no manifest")));
}

}  // namespace
}  // namespace mxscan::stats
