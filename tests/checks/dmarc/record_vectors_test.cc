// Runs tests/checks/dmarc/data/dmarc-record-vectors.json (see SOURCE.txt
// there): every "rfc9989" vector under DmarcProfile::kRfc9989 and every
// "rfc7489" one under kRfc7489 must match expected_valid, every
// expected_fields value and every expected_warnings_contain substring. The
// "mailcheck" vectors are one linter's opinion: they only check that what
// it flags (where the RFCs agree) makes us say something too.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "scanner/checks/dmarc/record.h"

namespace mxscan::checks::dmarc {
namespace {

using ::google::protobuf::ListValue;
using ::google::protobuf::Struct;
using ::google::protobuf::Value;

constexpr char kVectors[] = "tests/checks/dmarc/data/dmarc-record-vectors.json";

// Vectors that cannot pass, with the reason in tests/checks/dmarc/README.md.
const std::set<std::string>& KnownFailures() {
  static const auto* known = new std::set<std::string>{};
  return *known;
}

const Struct& Vectors() {
  static const Struct* root = [] {
    std::ifstream in(kVectors);
    std::stringstream text;
    text << in.rdbuf();
    auto* parsed = new Struct;
    const auto status =
        google::protobuf::util::JsonStringToMessage(text.str(), parsed);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return parsed;
  }();
  return *root;
}

std::string Str(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

bool IsNull(const Value& v) { return v.kind_case() == Value::kNullValue; }

std::string ValueText(const Value& v) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(v, &json);
  return json;
}

std::string StringList(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

std::string ExpectedStringList(const Value& v) {
  std::vector<std::string> items;
  for (const Value& item : v.list_value().values()) {
    items.push_back(item.string_value());
  }
  return StringList(items);
}

// UriMismatch compares a vector's URI list with ours.
std::string UriMismatch(const Value& expected,
                        const std::vector<ReportUri>& actual) {
  const ListValue& list = expected.list_value();
  if (list.values_size() != static_cast<int>(actual.size())) {
    return absl::StrCat(list.values_size(), " URIs expected, got ",
                        actual.size());
  }
  for (int i = 0; i < list.values_size(); ++i) {
    const Struct& want = list.values(i).struct_value();
    const ReportUri& got = actual[i];
    const Value& size = want.fields().at("max_size_bytes");
    const bool size_ok = IsNull(size)
                             ? !got.max_size_bytes.has_value()
                             : got.max_size_bytes.has_value() &&
                                   static_cast<double>(*got.max_size_bytes) ==
                                       size.number_value();
    if (Str(want, "scheme") != got.scheme ||
        Str(want, "address") != got.address || !size_ok) {
      return absl::StrCat("URI ", i, ": expected ", ValueText(list.values(i)),
                          ", got ", got.scheme, " ", got.address, " size ",
                          got.max_size_bytes ? *got.max_size_bytes : -1);
    }
  }
  return "";
}

// FieldMismatch returns "" when `key` of expected_fields agrees with the
// parse. A null means "tag absent"; a value is compared with the value that
// applies (defaults included), as the conventions say.
std::string FieldMismatch(const std::string& key, const Value& want,
                          const DmarcParse& parse) {
  const DmarcRecord& r = parse.record;
  auto policy_mismatch = [&](const std::optional<DmarcPolicy>& raw,
                             const std::optional<DmarcPolicy>& applied) {
    if (IsNull(want)) return raw ? std::string("tag present") : "";
    const std::string got = applied ? DmarcPolicyName(*applied) : "(none)";
    return got == want.string_value() ? "" : absl::StrCat("got ", got);
  };
  auto text_mismatch = [&](bool present, const std::string& got) {
    if (IsNull(want)) return present ? std::string("tag present") : "";
    return got == want.string_value() ? "" : absl::StrCat("got ", got);
  };
  auto number_mismatch = [&](bool present, double got) {
    if (IsNull(want)) return present ? std::string("tag present") : "";
    return got == want.number_value() ? "" : absl::StrCat("got ", got);
  };
  auto list_mismatch = [&](bool present, const std::vector<std::string>& got) {
    if (IsNull(want)) return present ? std::string("tag present") : "";
    return StringList(got) == ExpectedStringList(want)
               ? ""
               : absl::StrCat("got ", StringList(got));
  };
  if (key == "v") return text_mismatch(parse.is_dmarc, "DMARC1");
  if (key == "is_dmarc_record") {
    return parse.is_dmarc == want.bool_value() ? "" : "is_dmarc differs";
  }
  if (key == "p") return policy_mismatch(r.p, parse.policy);
  if (key == "sp") return policy_mismatch(r.sp, parse.subdomain_policy);
  if (key == "np") return policy_mismatch(r.np, parse.nonexistent_policy);
  if (key == "adkim") {
    return text_mismatch(r.adkim.has_value(), DmarcAlignmentName(r.Adkim()));
  }
  if (key == "aspf") {
    return text_mismatch(r.aspf.has_value(), DmarcAlignmentName(r.Aspf()));
  }
  if (key == "psd") {
    return text_mismatch(r.psd.has_value(), DmarcPsdName(r.Psd()));
  }
  if (key == "t")
    return text_mismatch(r.t.has_value(), r.Testing() ? "y" : "n");
  if (key == "fo") return list_mismatch(!r.fo.empty(), r.Fo());
  if (key == "rf") return list_mismatch(!r.rf.empty(), r.Rf());
  if (key == "pct") return number_mismatch(r.pct.has_value(), r.Pct());
  if (key == "ri") return number_mismatch(r.ri.has_value(), r.Ri());
  if (key == "rua") return UriMismatch(want, r.rua);
  if (key == "ruf") return UriMismatch(want, r.ruf);
  return absl::StrCat("unknown field ", key);
}

std::string AllMessages(const DmarcParse& parse) {
  return absl::StrCat("errors: [", absl::StrJoin(parse.errors, " | "),
                      "] warnings: [", absl::StrJoin(parse.warnings, " | "),
                      "]");
}

// RunProfile checks every vector of `profile_name` and returns how many
// passed and how many there were.
std::pair<int, int> RunProfile(const std::string& profile_name,
                               DmarcProfile profile) {
  int passed = 0;
  int total = 0;
  for (const Value& item :
       Vectors().fields().at("vectors").list_value().values()) {
    const Struct& v = item.struct_value();
    if (Str(v, "profile") != profile_name) continue;
    ++total;
    const std::string id = Str(v, "id");
    const std::string record = Str(v, "record");
    const DmarcParse parse = ParseDmarcRecord(record, profile);
    std::vector<std::string> problems;
    const bool want_valid = v.fields().at("expected_valid").bool_value();
    if (parse.valid() != want_valid) {
      problems.push_back(
          absl::StrCat("valid=", parse.valid(), ", expected ", want_valid));
    }
    for (const auto& [key, want] :
         v.fields().at("expected_fields").struct_value().fields()) {
      const std::string mismatch = FieldMismatch(key, want, parse);
      if (!mismatch.empty()) {
        problems.push_back(
            absl::StrCat(key, ": expected ", ValueText(want), ", ", mismatch));
      }
    }
    auto warnings = v.fields().find("expected_warnings_contain");
    if (warnings != v.fields().end()) {
      for (const Value& needle : warnings->second.list_value().values()) {
        bool found = false;
        for (const std::string& w : parse.warnings) {
          found |=
              absl::StrContains(absl::AsciiStrToLower(w),
                                absl::AsciiStrToLower(needle.string_value()));
        }
        if (!found) {
          problems.push_back(absl::StrCat("no warning contains '",
                                          needle.string_value(), "'"));
        }
      }
    }
    const bool known = KnownFailures().count(id) > 0;
    if (problems.empty()) {
      ++passed;
      EXPECT_FALSE(known) << id << " passes: drop it from the known failures";
    } else if (!known) {
      ADD_FAILURE() << id << " " << record << "\n  "
                    << absl::StrJoin(problems, "\n  ") << "\n  "
                    << AllMessages(parse);
    }
  }
  std::cout << profile_name << ": " << passed << " pass of " << total
            << std::endl;
  return {passed, total};
}

TEST(DmarcRecordVectorsTest, FileLoads) {
  EXPECT_EQ(Vectors().fields().at("vectors").list_value().values_size(),
            Vectors().fields().at("count").number_value());
}

TEST(DmarcRecordVectorsTest, Rfc9989) {
  const auto [passed, total] = RunProfile("rfc9989", DmarcProfile::kRfc9989);
  EXPECT_EQ(total, 33);
  EXPECT_EQ(passed + static_cast<int>(KnownFailures().size()) >= total, true);
}

TEST(DmarcRecordVectorsTest, Rfc7489) {
  const auto [passed, total] = RunProfile("rfc7489", DmarcProfile::kRfc7489);
  EXPECT_EQ(total, 23);
  EXPECT_EQ(passed + static_cast<int>(KnownFailures().size()) >= total, true);
}

// MailCheck (an RFC 7489-era linter) flags things; where its note does not
// call the finding MailCheck-specific, we must say something too, and an
// error of its must be an error or a discarded record for us. Its accepted
// records' fields must match ours where we accept them too.
TEST(DmarcRecordVectorsTest, MailcheckFindingsAreCovered) {
  int covered = 0;
  int flagged = 0;
  std::vector<std::string> disagreements;
  for (const Value& item :
       Vectors().fields().at("vectors").list_value().values()) {
    const Struct& v = item.struct_value();
    if (Str(v, "profile") != "mailcheck") continue;
    const std::string id = Str(v, "id");
    const std::string record = Str(v, "record");
    const DmarcParse parse = ParseDmarcRecord(record, DmarcProfile::kRfc7489);
    const bool specific =
        absl::StrContains(Str(v, "note"), "MailCheck-specific");
    const bool want_valid = v.fields().at("expected_valid").bool_value();
    if (parse.valid() != want_valid) {
      disagreements.push_back(absl::StrCat(
          id, " ", record, specific ? " (MailCheck-specific)" : ""));
    }
    if (!want_valid && !specific) {
      ++flagged;
      EXPECT_FALSE(parse.valid())
          << id << " " << record << "\n  " << AllMessages(parse);
      if (!parse.valid()) ++covered;
    }
    auto advisories = v.fields().find("expected_advisories");
    if (advisories != v.fields().end() && !specific) {
      for (const Value& a : advisories->second.list_value().values()) {
        if (Str(a.struct_value(), "type") != "warning") continue;
        // Its only warning type is "non-mailto: URI".
        bool found = false;
        for (const std::string& w : parse.warnings) {
          found |= absl::StrContains(w, "not mailto:");
        }
        for (const std::string& e : parse.errors) {
          found |= absl::StrContains(e, "not a URI");
        }
        EXPECT_TRUE(found) << id << " " << record << "\n  "
                           << AllMessages(parse);
      }
    }
    if (want_valid && parse.valid()) {
      for (const auto& [key, want] :
           v.fields().at("expected_fields").struct_value().fields()) {
        EXPECT_EQ(FieldMismatch(key, want, parse), "")
            << id << " " << record << " field " << key;
      }
    }
  }
  std::cout << "mailcheck: " << covered << " of " << flagged
            << " RFC-backed findings covered; validity differs on "
            << disagreements.size() << ":\n  "
            << absl::StrJoin(disagreements, "\n  ") << std::endl;
}

}  // namespace
}  // namespace mxscan::checks::dmarc
