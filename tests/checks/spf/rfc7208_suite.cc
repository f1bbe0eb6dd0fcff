#include "tests/checks/spf/rfc7208_suite.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::testing {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

// The SPF RR type of RFC 4408, which RFC 7208 dropped: checkers must
// ignore it, so the suite publishes records under it to prove they do.
constexpr uint16_t kSpfType = 99;

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(std::string(what));
}

// Presentation form of a name: escapes as mxscan's DNS code writes them,
// lowercase, trailing dot.
std::string NamePresentation(absl::string_view utf8) {
  std::string out;
  dns::AppendEscapedOctets(Octets(utf8), /*lowercase=*/true,
                           /*escape_dot=*/false, &out);
  if (out.empty() || out.back() != '.') out += '.';
  return out;
}

// A TXT/SPF value is one string or a list of strings, joined without
// separator (RFC 7208 section 3.3).
absl::StatusOr<std::string> TextValue(const Value& value) {
  if (value.kind_case() == Value::kStringValue) {
    return Octets(value.string_value());
  }
  if (value.kind_case() != Value::kListValue) return Bad("TXT value type");
  std::string joined;
  for (const Value& piece : value.list_value().values()) {
    if (piece.kind_case() != Value::kStringValue) return Bad("TXT piece");
    joined += Octets(piece.string_value());
  }
  return joined;
}

absl::StatusOr<std::string> StringField(const Struct& s,
                                        const std::string& key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end() || it->second.kind_case() != Value::kStringValue) {
    return Bad(absl::StrCat("missing string field ", key));
  }
  return Octets(it->second.string_value());
}

}  // namespace

void PrintTo(const SuiteCase& c, std::ostream* os) { *os << c.name; }

std::string Octets(absl::string_view utf8) {
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    // Two-byte sequences C2/C3 xx encode U+0080..U+00FF.
    if ((c == 0xc2 || c == 0xc3) && i + 1 < utf8.size()) {
      const unsigned char d = static_cast<unsigned char>(utf8[i + 1]);
      out.push_back(static_cast<char>(((c & 0x1f) << 6) | (d & 0x3f)));
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

std::string SuitePath() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string relative = "tests/checks/spf/data/rfc7208-tests.json";
  if (srcdir == nullptr || workspace == nullptr) return relative;
  return absl::StrCat(srcdir, "/", workspace, "/", relative);
}

absl::StatusOr<Suite> LoadSuite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  Struct document;
  auto status =
      google::protobuf::util::JsonStringToMessage(buffer.str(), &document);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON: ", status.ToString()));
  }
  auto scenarios = document.fields().find("scenarios");
  if (scenarios == document.fields().end()) return Bad("no scenarios");
  Suite suite;
  for (const Value& scenario_value : scenarios->second.list_value().values()) {
    const Struct& scenario = scenario_value.struct_value();
    const int index = static_cast<int>(suite.zones.size());
    suite.zones.push_back(scenario.fields().at("zonedata").struct_value());
    const std::string description =
        StringField(scenario, "description").value_or("");
    // Cases sorted by name: a Struct's map has no order.
    std::map<std::string, const Struct*> tests;
    for (const auto& [name, value] :
         scenario.fields().at("tests").struct_value().fields()) {
      tests[name] = &value.struct_value();
    }
    for (const auto& [name, test] : tests) {
      SuiteCase c;
      c.scenario = description;
      c.name = name;
      c.scenario_index = index;
      absl::StatusOr<std::string> helo = StringField(*test, "helo");
      absl::StatusOr<std::string> host = StringField(*test, "host");
      absl::StatusOr<std::string> mail_from = StringField(*test, "mailfrom");
      if (!helo.ok() || !host.ok() || !mail_from.ok()) {
        return Bad(absl::StrCat("case ", name, " lacks helo/host/mailfrom"));
      }
      c.helo = *helo;
      c.host = *host;
      c.mail_from = *mail_from;
      c.spec = StringField(*test, "spec").value_or("");
      const auto result = test->fields().find("result");
      if (result == test->fields().end()) return Bad("case without result");
      if (result->second.kind_case() == Value::kStringValue) {
        c.results.push_back(result->second.string_value());
      } else {
        for (const Value& r : result->second.list_value().values()) {
          c.results.push_back(r.string_value());
        }
      }
      absl::StatusOr<std::string> explanation =
          StringField(*test, "explanation");
      if (explanation.ok()) c.explanation = *explanation;
      suite.cases.push_back(std::move(c));
    }
  }
  return suite;
}

absl::Status LoadZone(const Struct& zone, FakeDnsSource* dns) {
  static const std::map<std::string, uint16_t> kTypes = {
      {"TXT", dns::rr_type::kTxt},     {"SPF", kSpfType},
      {"A", dns::rr_type::kA},         {"AAAA", dns::rr_type::kAaaa},
      {"MX", dns::rr_type::kMx},       {"PTR", dns::rr_type::kPtr},
      {"CNAME", dns::rr_type::kCname},
  };
  for (const auto& [owner_utf8, entries] : zone.fields()) {
    const std::string owner = NamePresentation(owner_utf8);
    std::set<uint16_t> seen;  // types with a record before a TIMEOUT
    bool has_txt = false;
    bool timed_out = false;
    std::vector<std::string> spf_texts;
    for (const Value& entry : entries.list_value().values()) {
      if (entry.kind_case() == Value::kStringValue) {
        if (entry.string_value() != "TIMEOUT") return Bad("unknown entry");
        // As the suite's driver: a TIMEOUT hits every type that had no
        // record before it, the TXT copies of SPF records included.
        timed_out = true;
        for (const auto& [type_name, type] : kTypes) {
          if (seen.count(type) == 0) {
            dns->SetStatus(owner, type, dns::LookupStatus::kTimeout);
          }
        }
        continue;
      }
      for (const auto& [type_name, value] : entry.struct_value().fields()) {
        auto type = kTypes.find(type_name);
        if (type == kTypes.end()) return Bad(absl::StrCat("type ", type_name));
        if (!(value.kind_case() == Value::kStringValue &&
              value.string_value() == "NONE")) {
          seen.insert(type->second);
        }
        if (timed_out) return Bad("record after TIMEOUT");
        if (type_name == "TXT" || type_name == "SPF") {
          if (type_name == "TXT") has_txt = true;
          // "TXT: NONE" only stops the copying of SPF records: it is no
          // record, so a later TIMEOUT still hits TXT.
          if (value.kind_case() == Value::kStringValue &&
              value.string_value() == "NONE") {
            continue;
          }
          absl::StatusOr<std::string> text = TextValue(value);
          if (!text.ok()) return text.status();
          dns->AddRecord(owner, type->second, Txt(*text));
          if (type_name == "SPF") spf_texts.push_back(*text);
        } else if (type_name == "MX") {
          const auto& pair = value.list_value().values();
          if (pair.size() != 2) return Bad("MX needs [preference, name]");
          dns->AddRecord(owner, type->second,
                         Mx(static_cast<uint16_t>(pair[0].number_value()),
                            NamePresentation(pair[1].string_value())));
        } else if (type_name == "PTR" || type_name == "CNAME") {
          dns->AddRecord(owner, type->second,
                         Name(NamePresentation(value.string_value())));
        } else {
          absl::StatusOr<dns::AddressData> address =
              dns::AddressFromText(value.string_value());
          if (!address.ok()) return address.status();
          dns->AddRecord(owner, type->second, *address);
        }
      }
    }
    if (!has_txt) {
      for (const std::string& text : spf_texts) {
        dns->AddRecord(owner, dns::rr_type::kTxt, Txt(text));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace mxscan::testing
