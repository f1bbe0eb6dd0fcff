// Runs every vector of data/mta-sts-record-vectors.json and
// data/mta-sts-policy-vectors.json (see data/SOURCE-mtasts.txt). Where the
// sources disagree we follow RFC 8461; those vectors are listed in
// kDeviations with the reason, and in README.md.

#include <cstdio>
#include <iterator>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "scanner/checks/mta_sts/policy.h"
#include "scanner/checks/mta_sts/record.h"
#include "tests/checks/records/vector_file.h"

namespace mxscan::checks::mta_sts {
namespace {

using ::mxscan::testing::GetInt;
using ::mxscan::testing::GetPairList;
using ::mxscan::testing::GetString;
using ::mxscan::testing::GetStringList;
using ::mxscan::testing::Has;
using ::mxscan::testing::LoadVectorFile;
using ::mxscan::testing::RecordVector;

struct Deviation {
  absl::string_view id;
  bool our_valid;
  absl::string_view reason;
};

constexpr Deviation kDeviations[] = {
    {"mtasts-checkdmarc-4986bf540a", true,
     "RFC 8461 section 3.2 grammar has sts-policy-extension: unknown keys "
     "are extensions (mox accepts them too); checkdmarc rejects them"},
};

const Deviation* FindDeviation(absl::string_view id) {
  for (const Deviation& d : kDeviations) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

int FailureCount() {
  return ::testing::UnitTest::GetInstance()
      ->current_test_info()
      ->result()
      ->total_part_count();
}

std::string Describe(const std::vector<std::string>& errors) {
  std::string out;
  for (const std::string& e : errors) out += "\n  error: " + e;
  return out;
}

// Checks validity (or the documented deviation) and returns whether the
// vector passed, so the suite can print its tally.
bool CheckValidity(const RecordVector& v, bool valid,
                   const std::vector<std::string>& errors) {
  const Deviation* deviation = FindDeviation(v.id);
  const bool expected = deviation ? deviation->our_valid : v.expected_valid;
  EXPECT_EQ(valid, expected) << v.id << " " << v.note << Describe(errors);
  if (deviation != nullptr) {
    // A deviation that stops deviating must leave the table.
    EXPECT_NE(deviation->our_valid, v.expected_valid) << v.id;
  }
  return valid == expected;
}

TEST(MtaStsVectorsTest, RecordVectors) {
  auto file =
      LoadVectorFile("tests/checks/records/data/mta-sts-record-vectors.json");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->count, static_cast<int64_t>(file->vectors.size()));
  int passed = 0;
  for (const RecordVector& v : file->vectors) {
    SCOPED_TRACE(v.id);
    const MtaStsRecord parsed = ParseMtaStsRecord(v.record);
    const int failures_before = FailureCount();
    CheckValidity(v, parsed.valid(), parsed.errors);
    const auto& f = v.expected_fields;
    if (Has(f, "v")) {
      EXPECT_EQ(GetString(f, "v"), "STSv1");
    }
    if (Has(f, "id")) {
      EXPECT_EQ(parsed.id, GetString(f, "id"));
    }
    if (Has(f, "extensions")) {
      EXPECT_EQ(parsed.extensions, GetPairList(f, "extensions"));
    }
    if (FailureCount() == failures_before) {
      ++passed;
    }
  }
  std::printf(
      "mta-sts-record-vectors.json: %d of %zu pass (%zu by a documented "
      "deviation)\n",
      passed, file->vectors.size(), std::size(kDeviations));
}

TEST(MtaStsVectorsTest, PolicyVectors) {
  auto file =
      LoadVectorFile("tests/checks/records/data/mta-sts-policy-vectors.json");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->count, static_cast<int64_t>(file->vectors.size()));
  int passed = 0;
  for (const RecordVector& v : file->vectors) {
    SCOPED_TRACE(v.id);
    const MtaStsPolicy parsed = ParseMtaStsPolicy(v.record);
    const int failures_before = FailureCount();
    CheckValidity(v, parsed.valid(), parsed.errors);
    const auto& f = v.expected_fields;
    if (Has(f, "version")) {
      EXPECT_EQ(parsed.version, GetString(f, "version"));
    }
    if (Has(f, "mode")) {
      EXPECT_EQ(parsed.mode, GetString(f, "mode"));
    }
    if (Has(f, "mx")) {
      EXPECT_EQ(parsed.mx, GetStringList(f, "mx"));
    }
    if (Has(f, "max_age")) {
      EXPECT_TRUE(parsed.has_max_age);
      EXPECT_EQ(parsed.max_age, static_cast<uint64_t>(GetInt(f, "max_age")));
    }
    if (Has(f, "extensions")) {
      EXPECT_EQ(parsed.extensions, GetPairList(f, "extensions"));
    }
    if (FailureCount() == failures_before) {
      ++passed;
    }
  }
  std::printf(
      "mta-sts-policy-vectors.json: %d of %zu pass (%zu by a documented "
      "deviation)\n",
      passed, file->vectors.size(), std::size(kDeviations));
}

}  // namespace
}  // namespace mxscan::checks::mta_sts
