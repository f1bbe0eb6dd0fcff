#include "tools/farm/behaviours.h"

#include <arpa/inet.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mxscan::farm {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

struct SmtpName {
  SmtpBehaviour behaviour;
  absl::string_view name;
};

constexpr SmtpName kSmtpNames[] = {
    {SmtpBehaviour::kValid, "valid"},
    {SmtpBehaviour::kNoStarttls, "no_starttls"},
    {SmtpBehaviour::kStarttlsRefused, "starttls_refused"},
    {SmtpBehaviour::kTls10Only, "tls10_only"},
    {SmtpBehaviour::kExpired, "expired"},
    {SmtpBehaviour::kSelfSigned, "self_signed"},
    {SmtpBehaviour::kWrongName, "wrong_name"},
    {SmtpBehaviour::kMissingIntermediate, "missing_intermediate"},
    {SmtpBehaviour::kMultilineBanner, "multiline_banner"},
    {SmtpBehaviour::kDefer421, "defer_421"},
    {SmtpBehaviour::kSlowBanner, "slow_banner"},
    {SmtpBehaviour::kSilent, "silent"},
    {SmtpBehaviour::kEndlessLine, "endless_line"},
    {SmtpBehaviour::kHugeReply, "huge_reply"},
    {SmtpBehaviour::kGarbageTls, "garbage_tls"},
    {SmtpBehaviour::kResetHandshake, "reset_handshake"},
    {SmtpBehaviour::kEhlo502, "ehlo_502"},
    {SmtpBehaviour::kStarttlsInjection, "starttls_injection"},
    {SmtpBehaviour::kTlsAnyVersion, "tls_any_version"},
};

struct HttpsName {
  HttpsBehaviour behaviour;
  absl::string_view name;
};

constexpr HttpsName kHttpsNames[] = {
    {HttpsBehaviour::kValid, "valid"},
    {HttpsBehaviour::kRedirect, "redirect"},
    {HttpsBehaviour::kExpired, "expired"},
    {HttpsBehaviour::kHuge, "huge"},
    {HttpsBehaviour::kSlow, "slow"},
};

// A DNS host name as the farm accepts it: LDH labels, 1..253 octets.
bool IsHostName(absl::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' ||
      name.back() == '.' || absl::StrContains(name, "..")) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
           c == '.' || c == '_' || c == '*';
  });
}

absl::Status EntryError(absl::string_view key, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("behaviours: entry \"", key, "\": ", what));
}

absl::StatusOr<std::string> StringField(const Struct& entry,
                                        absl::string_view key,
                                        const std::string& field) {
  auto it = entry.fields().find(field);
  if (it == entry.fields().end()) return std::string();
  if (it->second.kind_case() != Value::kStringValue) {
    return EntryError(key, absl::StrCat("\"", field, "\" must be a string"));
  }
  return it->second.string_value();
}

// Appends the strings of field `field` (a string or a list of strings).
absl::Status StringListField(const Struct& entry, absl::string_view key,
                             const std::string& field,
                             std::vector<std::string>* out) {
  auto it = entry.fields().find(field);
  if (it == entry.fields().end()) return absl::OkStatus();
  if (it->second.kind_case() == Value::kStringValue) {
    out->push_back(it->second.string_value());
    return absl::OkStatus();
  }
  if (it->second.kind_case() != Value::kListValue) {
    return EntryError(
        key, absl::StrCat("\"", field, "\" must be a list of strings"));
  }
  for (const Value& v : it->second.list_value().values()) {
    if (v.kind_case() != Value::kStringValue) {
      return EntryError(
          key, absl::StrCat("\"", field, "\" must be a list of strings"));
    }
    out->push_back(v.string_value());
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> DelayField(const Struct& entry, absl::string_view key) {
  int64_t delay_ms = kDefaultDelayMs;
  for (const auto& [field, scale] :
       {std::pair<std::string, double>{"delay_ms", 1.0}, {"delay_s", 1000.0}}) {
    auto it = entry.fields().find(field);
    if (it == entry.fields().end()) continue;
    const double value = it->second.number_value() * scale;
    if (it->second.kind_case() != Value::kNumberValue ||
        !std::isfinite(value) || value < 0 || value > 3600e3) {
      return EntryError(
          key, absl::StrCat("\"", field, "\" must be a number of 0..3600 s"));
    }
    delay_ms = static_cast<int64_t>(value);
  }
  return delay_ms;
}

void AddUnique(const std::string& name, std::vector<std::string>* names) {
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    names->push_back(name);
  }
}

absl::Status ParseSmtpEntry(const std::string& key, const Struct& entry,
                            std::map<std::string, SmtpSite>* sites) {
  absl::StatusOr<std::string> address = CanonicalLoopbackAddress(key);
  if (!address.ok()) return EntryError(key, address.status().message());
  absl::StatusOr<std::string> behaviour_name =
      StringField(entry, key, "behaviour");
  if (!behaviour_name.ok()) return behaviour_name.status();
  if (behaviour_name->empty()) return EntryError(key, "no \"behaviour\"");
  absl::StatusOr<SmtpBehaviour> behaviour = ParseSmtpBehaviour(*behaviour_name);
  if (!behaviour.ok()) return EntryError(key, behaviour.status().message());
  SmtpSite site;
  site.address = *address;
  site.behaviour = *behaviour;
  std::vector<std::string> names;
  if (absl::Status s = StringListField(entry, key, "names", &names); !s.ok()) {
    return s;
  }
  if (absl::Status s = StringListField(entry, key, "host", &names); !s.ok()) {
    return s;
  }
  for (std::string& name : names) {
    absl::AsciiStrToLower(&name);
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (!IsHostName(name)) {
      return EntryError(key, absl::StrCat("bad host name \"", name, "\""));
    }
    AddUnique(name, &site.names);
  }
  if (site.names.empty()) site.names.push_back(kFallbackName);
  absl::StatusOr<int64_t> delay = DelayField(entry, key);
  if (!delay.ok()) return delay.status();
  site.delay_ms = *delay;

  // "127.1.2.3" and "::ffff:127.1.2.3" are one listener: merge them when
  // they agree.
  auto [it, inserted] = sites->emplace(site.address, site);
  if (!inserted) {
    SmtpSite& old = it->second;
    if (old.behaviour != site.behaviour || old.delay_ms != site.delay_ms) {
      return EntryError(
          key, absl::StrCat("conflicts with another entry for ", site.address));
    }
    if (old.names.size() == 1 && old.names[0] == kFallbackName) {
      old.names.clear();
    }
    for (const std::string& name : site.names) {
      if (name != kFallbackName) AddUnique(name, &old.names);
    }
    if (old.names.empty()) old.names.push_back(kFallbackName);
  }
  return absl::OkStatus();
}

absl::Status ParseHttpsEntry(const std::string& key, const Struct& entry,
                             std::map<std::string, HttpsSite>* sites) {
  HttpsSite site;
  site.host = absl::AsciiStrToLower(key);
  if (!site.host.empty() && site.host.back() == '.') site.host.pop_back();
  if (!IsHostName(site.host)) return EntryError(key, "bad host name");
  absl::StatusOr<std::string> behaviour_name =
      StringField(entry, key, "behaviour");
  if (!behaviour_name.ok()) return behaviour_name.status();
  if (behaviour_name->empty()) return EntryError(key, "no \"behaviour\"");
  absl::StatusOr<HttpsBehaviour> behaviour =
      ParseHttpsBehaviour(*behaviour_name);
  if (!behaviour.ok()) return EntryError(key, behaviour.status().message());
  site.behaviour = *behaviour;
  absl::StatusOr<int64_t> delay = DelayField(entry, key);
  if (!delay.ok()) return delay.status();
  site.delay_ms = *delay;
  std::vector<std::string> addresses;
  if (absl::Status s = StringListField(entry, key, "addresses", &addresses);
      !s.ok()) {
    return s;
  }
  for (const std::string& text : addresses) {
    absl::StatusOr<std::string> address = CanonicalLoopbackAddress(text);
    if (!address.ok()) return EntryError(key, address.status().message());
    AddUnique(*address, &site.addresses);
  }
  if (!sites->emplace(site.host, site).second) {
    return EntryError(key, "duplicate host");
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view SmtpBehaviourName(SmtpBehaviour behaviour) {
  for (const SmtpName& n : kSmtpNames) {
    if (n.behaviour == behaviour) return n.name;
  }
  return "?";
}

absl::StatusOr<SmtpBehaviour> ParseSmtpBehaviour(absl::string_view name) {
  for (const SmtpName& n : kSmtpNames) {
    if (n.name == name) return n.behaviour;
  }
  std::string known;
  for (const SmtpName& n : kSmtpNames) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", n.name);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown SMTP behaviour \"", name, "\" (known: ", known, ")"));
}

absl::string_view HttpsBehaviourName(HttpsBehaviour behaviour) {
  for (const HttpsName& n : kHttpsNames) {
    if (n.behaviour == behaviour) return n.name;
  }
  return "?";
}

absl::StatusOr<HttpsBehaviour> ParseHttpsBehaviour(absl::string_view name) {
  for (const HttpsName& n : kHttpsNames) {
    if (n.name == name) return n.behaviour;
  }
  std::string known;
  for (const HttpsName& n : kHttpsNames) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", n.name);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown HTTPS behaviour \"", name, "\" (known: ", known, ")"));
}

absl::StatusOr<std::string> CanonicalLoopbackAddress(absl::string_view text) {
  const std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    if ((ntohl(v4.s_addr) >> 24) != 127) {
      return absl::InvalidArgumentError(
          absl::StrCat(s, " is not a loopback address (127.0.0.0/8)"));
    }
    char out[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &v4, out, sizeof(out));
    return std::string(out);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return std::string("::1");
    if (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127) {
      char out[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &v6.s6_addr[12], out, sizeof(out));
      return std::string(out);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        s, " is not a loopback address (::1, ::ffff:127.0.0.0/104)"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", s, "\" is not an address"));
}

absl::StatusOr<FarmConfig> ParseBehaviours(absl::string_view json) {
  Struct root;
  google::protobuf::util::JsonParseOptions options;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(json), &root, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "behaviours: not a JSON object: ", std::string(parsed.message())));
  }
  std::map<std::string, SmtpSite> smtp;
  FarmConfig config;
  // protobuf's Map iterates in no fixed order: go by sorted keys, so that
  // merged entries list their names the same way every time.
  std::vector<const std::string*> keys;
  keys.reserve(root.fields().size());
  for (const auto& field : root.fields()) keys.push_back(&field.first);
  std::sort(keys.begin(), keys.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* key_pointer : keys) {
    const std::string& key = *key_pointer;
    const Value& value = root.fields().at(key);
    if (value.kind_case() != Value::kStructValue) {
      return EntryError(key, "must be an object");
    }
    const std::string lower = absl::AsciiStrToLower(key);
    absl::Status status =
        absl::StartsWith(lower, "mta-sts.")
            ? ParseHttpsEntry(key, value.struct_value(), &config.https)
            : ParseSmtpEntry(key, value.struct_value(), &smtp);
    if (!status.ok()) return status;
  }
  config.smtp.reserve(smtp.size());
  for (auto& [address, site] : smtp) config.smtp.push_back(std::move(site));
  return config;
}

}  // namespace mxscan::farm
