// The result writer and reader together: rotation, whole records, and a
// torn last record detected and dropped.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/results/result_reader.h"
#include "scanner/results/result_writer.h"
#include "scanner/results/resume.h"

namespace mxscan::results {
namespace {

std::string TempDir() {
  std::string dir =
      std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") +
      "/results.XXXXXX";
  EXPECT_NE(mkdtemp(dir.data()), nullptr);
  return dir;
}

DomainResult Record(int i) {
  DomainResult r;
  r.set_domain("d" + std::to_string(i) + ".example");
  r.set_sector("sector");
  r.set_status(DomainResult::OK);
  r.add_findings(std::string(100, 'x'));
  return r;
}

std::vector<std::string> ReadDomains(const std::string& dir, ReadStats* out) {
  std::vector<std::string> domains;
  auto files = ResultFiles(dir);
  EXPECT_TRUE(files.ok()) << files.status();
  auto stats = ReadResults(
      *files, [&](const DomainResult& r) { domains.push_back(r.domain()); });
  EXPECT_TRUE(stats.ok()) << stats.status();
  if (out != nullptr) *out = *stats;
  return domains;
}

TEST(ResultFilesTest, WritesRotatesAndReadsBack) {
  const std::string dir = TempDir();
  auto writer = ResultWriter::Open(dir, "part-w0", /*max_file_bytes=*/4096);
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 200; ++i) ASSERT_TRUE((*writer)->Write(Record(i)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_GT((*writer)->files(), 3u);
  std::vector<std::string> domains = ReadDomains(dir, nullptr);
  ASSERT_EQ(domains.size(), 200u);
  EXPECT_EQ(domains.front(), "d0.example");
  EXPECT_EQ(domains.back(), "d199.example");
  auto files = ResultFiles(dir);
  ASSERT_TRUE(files.ok());
  for (const std::string& f : *files) {
    struct stat st;
    ASSERT_EQ(stat(f.c_str(), &st), 0);
    EXPECT_LE(st.st_size, 4096);
  }
}

TEST(ResultFilesTest, DropsATornLastRecord) {
  const std::string dir = TempDir();
  {
    auto writer = ResultWriter::Open(dir, "part-w0");
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE((*writer)->Write(Record(i)).ok());
  }
  const std::string file = (*ResultFiles(dir))[0];
  struct stat st;
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  // Cut into the last record, as a crash during write would.
  ASSERT_EQ(truncate(file.c_str(), st.st_size - 7), 0);
  ReadStats stats;
  std::vector<std::string> domains = ReadDomains(dir, &stats);
  EXPECT_EQ(domains.size(), 9u);
  EXPECT_EQ(stats.torn, 1u);
  // A length prefix cut short (1 byte of a record) is torn too.
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  std::string one_byte = "\x8f";
  int fd = open(file.c_str(), O_WRONLY | O_APPEND);
  ASSERT_EQ(write(fd, "\x8f", 1), 1);
  close(fd);
  domains = ReadDomains(dir, &stats);
  EXPECT_EQ(domains.size(), 9u);
}

TEST(ResultFilesTest, ResumeFindsTheDomainsAndRepairsATornFile) {
  const std::string dir = TempDir();
  auto none = LoadResumePoint(dir);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->done.size(), 0u);
  EXPECT_EQ(CountResultFiles(dir), 0u);
  {
    auto writer = ResultWriter::Open(dir, "part-w0");
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE((*writer)->Write(Record(i)).ok());
  }
  const std::string file = (*ResultFiles(dir))[0];
  struct stat st;
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  ASSERT_EQ(truncate(file.c_str(), st.st_size - 7), 0);
  auto point = LoadResumePoint(dir);
  ASSERT_TRUE(point.ok()) << point.status();
  EXPECT_EQ(point->records, 9u);
  EXPECT_EQ(point->files, 1u);
  EXPECT_EQ(point->repaired, 1u);
  EXPECT_TRUE(point->done.Contains("d0.example"));
  EXPECT_TRUE(point->done.Contains("d8.example"));
  EXPECT_FALSE(point->done.Contains("d9.example"));  // the torn one
  // The file now ends after its last whole record: clean for every reader.
  ReadStats stats;
  EXPECT_EQ(ReadDomains(dir, &stats).size(), 9u);
  EXPECT_EQ(stats.torn, 0u);
  auto again = LoadResumePoint(dir);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->repaired, 0u);
  EXPECT_EQ(CountResultFiles(dir), 1u);
}

TEST(ResultFilesTest, DomainSetRemembersEachDomainOnce) {
  DomainSet set;
  EXPECT_TRUE(set.Insert("a.example"));
  EXPECT_FALSE(set.Insert("a.example"));
  EXPECT_TRUE(set.Insert("b.example"));
  EXPECT_TRUE(set.Contains("b.example"));
  EXPECT_FALSE(set.Contains("c.example"));
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(set.Insert("d" + std::to_string(i) + ".example"));
  }
  EXPECT_EQ(set.size(), 100002u);
}

TEST(ResultFilesTest, RejectsFilesThatAreNotResults) {
  const std::string dir = TempDir();
  const std::string file = dir + "/junk.pb";
  int fd = open(file.c_str(), O_WRONLY | O_CREAT, 0644);
  const std::string junk = "\xff\xff\xff\xff\x0f garbage";
  ASSERT_EQ(write(fd, junk.data(), junk.size()),
            static_cast<ssize_t>(junk.size()));
  close(fd);
  auto stats = ReadResults({file}, [](const DomainResult&) {});
  EXPECT_FALSE(stats.ok());
  EXPECT_FALSE(ResultFiles(dir + "/missing").ok());
  const std::string empty = TempDir();
  EXPECT_FALSE(ResultFiles(empty).ok());
}

TEST(ResultFilesTest, RefusesToOverwrite) {
  const std::string dir = TempDir();
  auto first = ResultWriter::Open(dir, "part-w0");
  ASSERT_TRUE(first.ok());
  auto second = ResultWriter::Open(dir, "part-w0");
  EXPECT_FALSE(second.ok());
}

}  // namespace
}  // namespace mxscan::results
