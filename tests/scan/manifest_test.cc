#include "scanner/scan/manifest.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace mxscan::scan {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

TEST(ManifestTest, InputFileFacts) {
  const std::string path = TempDir() + "/psl.dat";
  std::ofstream(path) << "// VERSION: 2026-11-30\ncom\n";
  const ScanManifest::InputFile file = DescribeInputFile(path);
  EXPECT_EQ(file.sha256().size(), 64u);
  EXPECT_EQ(file.date(), "2026-11-30");
  const ScanManifest::InputFile missing = DescribeInputFile(path + ".none");
  EXPECT_TRUE(missing.sha256().empty());
  EXPECT_EQ(Rfc3339Utc(0), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace mxscan::scan
