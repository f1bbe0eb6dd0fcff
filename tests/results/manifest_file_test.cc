#include "scanner/results/manifest_file.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::results {
namespace {

using ::testing::HasSubstr;

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

TEST(ManifestFileTest, Paths) {
  EXPECT_EQ(ManifestPath("/out", Shard{0, 1}), "/out/manifest.json");
  EXPECT_EQ(ManifestPath("/out", Shard{2, 4}),
            "/out/manifest-shard-2-of-4.json");
}

TEST(ManifestFileTest, RoundTripAndMissingFile) {
  const std::string path = TempDir() + "/m1.json";
  std::remove(path.c_str());
  absl::StatusOr<ScanManifest> none = ReadManifest(path);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->runs_size(), 0);
  ScanManifest m;
  ScanManifest::Run* run = m.add_runs();
  run->set_run_id("r");
  (*run->mutable_options())["timeout-ms"] = "50";
  (*run->mutable_domains_by_status())["OK"] = 3;
  ASSERT_TRUE(WriteManifest(path, m).ok());
  absl::StatusOr<ScanManifest> back = ReadManifest(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->runs(0).run_id(), "r");
  EXPECT_EQ(back->runs(0).options().at("timeout-ms"), "50");
  EXPECT_EQ(back->runs(0).domains_by_status().at("OK"), 3u);
}

TEST(ManifestFileTest, NotAManifest) {
  const std::string path = TempDir() + "/m2.json";
  std::ofstream(path) << "{\"runs\": 7}";
  absl::StatusOr<ScanManifest> read = ReadManifest(path);
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(read.status().message(), HasSubstr("is not a scan manifest"));
}

}  // namespace
}  // namespace mxscan::results
