// Runs every vector of data/tlsrpt-record-vectors.json (see
// data/SOURCE-tlsrpt.txt). Where the sources disagree we follow RFC 8460;
// those vectors are listed in kDeviations with the reason, and in README.md.

#include <cstdio>
#include <iterator>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "scanner/checks/tls_rpt/record.h"
#include "tests/checks/records/vector_file.h"

namespace mxscan::checks::tls_rpt {
namespace {

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
    {"tlsrpt-checkdmarc-411e4cdae3", true,
     "RFC 8460 section 3 ABNF repeats tlsrpt-field, so two rua= fields are "
     "allowed (mox agrees); their URIs are combined, with a warning"},
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

TEST(TlsRptVectorsTest, RecordVectors) {
  auto file =
      LoadVectorFile("tests/checks/records/data/tlsrpt-record-vectors.json");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->count, static_cast<int64_t>(file->vectors.size()));
  int passed = 0;
  for (const RecordVector& v : file->vectors) {
    SCOPED_TRACE(v.id);
    const int failures_before = FailureCount();
    const TlsRptRecord parsed = ParseTlsRptRecord(v.record);
    const Deviation* deviation = FindDeviation(v.id);
    const bool expected = deviation ? deviation->our_valid : v.expected_valid;
    std::string errors;
    for (const std::string& e : parsed.errors) errors += "\n  error: " + e;
    EXPECT_EQ(parsed.valid(), expected) << v.note << errors;
    if (deviation != nullptr) {
      EXPECT_NE(deviation->our_valid, v.expected_valid);
    }
    const auto& f = v.expected_fields;
    if (Has(f, "v")) {
      EXPECT_EQ(GetString(f, "v"), "TLSRPTv1");
    }
    if (Has(f, "rua")) {
      EXPECT_EQ(parsed.rua, GetStringList(f, "rua"));
    }
    if (Has(f, "rua_fields")) {
      // We keep one flattened list; it must be the fields in order.
      std::vector<std::string> flattened;
      for (const auto& value :
           f.fields().at("rua_fields").list_value().values()) {
        for (const auto& uri : value.list_value().values()) {
          flattened.push_back(uri.string_value());
        }
      }
      EXPECT_EQ(parsed.rua, flattened);
    }
    if (Has(f, "extensions")) {
      EXPECT_EQ(parsed.extensions, GetPairList(f, "extensions"));
    }
    if (FailureCount() == failures_before) ++passed;
  }
  std::printf(
      "tlsrpt-record-vectors.json: %d of %zu pass (%zu by a documented "
      "deviation)\n",
      passed, file->vectors.size(), std::size(kDeviations));
}

}  // namespace
}  // namespace mxscan::checks::tls_rpt
