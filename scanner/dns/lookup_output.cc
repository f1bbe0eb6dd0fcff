#include "scanner/dns/lookup_output.h"

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "scanner/base/json.h"
#include "scanner/dns/extended_error.h"
#include "scanner/dns/rdata_text.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

// The client hands on only records whose text renders; should one not, the
// RFC 3597 generic form still says what came.
std::string GenericText(const Answer& answer) {
  const OpaqueData* opaque = answer.As<OpaqueData>();
  if (opaque == nullptr) return "";
  return absl::StrCat("\\# ", opaque->octets.size(), " ",
                      absl::BytesToHexString(opaque->octets));
}

std::string AnswerText(const Answer& answer) {
  absl::StatusOr<std::string> text = RdataText(answer.type, answer.rdata);
  if (text.ok()) return *std::move(text);
  return GenericText(answer);
}

// True when `s` goes into a JSON string as it is: printable ASCII but the
// quote and the backslash.
bool IsPlainJson(absl::string_view s) {
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

// JsonLine builds one output line in a buffer on the stack and hands it to
// the output string in one append: a line has some thirty pieces, and
// appending each to the string cost more than writing them. Pieces that do
// not fit go to the string directly.
class JsonLine {
 public:
  explicit JsonLine(std::string* out) : out_(out) {}
  ~JsonLine() { Flush(); }
  JsonLine(const JsonLine&) = delete;
  JsonLine& operator=(const JsonLine&) = delete;

  void Add(absl::string_view s) {
    if (s.size() > kSize - used_) {
      Flush();
      if (s.size() > kSize) {
        out_->append(s.data(), s.size());
        return;
      }
    }
    std::memcpy(buffer_ + used_, s.data(), s.size());
    used_ += s.size();
  }
  void AddNumber(uint64_t v) {
    char digits[20];
    size_t n = 0;
    do {
      digits[sizeof(digits) - ++n] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    Add(absl::string_view(digits + sizeof(digits) - n, n));
  }
  // AddString adds `s` as a JSON string literal (AppendJsonString).
  void AddString(absl::string_view s) {
    if (!IsPlainJson(s)) {
      base::AppendJsonString(s, Flushed());
      return;
    }
    Add("\"");
    Add(s);
    Add("\"");
  }
  void AddTypeName(uint16_t type) {
    const absl::string_view mnemonic = RrTypeMnemonic(type);
    if (mnemonic.empty()) {
      Add(RrTypeName(type));
    } else {
      Add(mnemonic);
    }
  }
  // AddAnswerData adds the answer's data as a JSON string.
  void AddAnswerData(const Answer& answer) {
    const AddressData* address = answer.As<AddressData>();
    if (address != nullptr && kSize - used_ >= kMaxAddressText + 2) {
      buffer_[used_++] = '"';
      used_ += address->WriteText(buffer_ + used_);
      buffer_[used_++] = '"';
      return;
    }
    AddString(AnswerText(answer));
  }
  // Flushed: the output string, with everything added so far in it.
  std::string* Flushed() {
    Flush();
    return out_;
  }

 private:
  static constexpr size_t kSize = 2048;

  void Flush() {
    out_->append(buffer_, used_);
    used_ = 0;
  }

  std::string* out_;
  size_t used_ = 0;
  char buffer_[kSize];
};

}  // namespace

DnsStatus ToProtoStatus(LookupStatus status) {
  switch (status) {
    case LookupStatus::kNoError:
      return NOERROR;
    case LookupStatus::kNxDomain:
      return NXDOMAIN;
    case LookupStatus::kServFail:
      return SERVFAIL;
    case LookupStatus::kRefused:
      return REFUSED;
    case LookupStatus::kTimeout:
      return TIMEOUT;
    case LookupStatus::kError:
      return ERROR;
  }
  return ERROR;
}

::mxscan::DnssecStatus ToProtoDnssecStatus(DnssecStatus status) {
  switch (status) {
    case DnssecStatus::kSecure:
      return ::mxscan::SECURE;
    case DnssecStatus::kInsecure:
      return ::mxscan::INSECURE;
    case DnssecStatus::kBogus:
      return ::mxscan::BOGUS;
    case DnssecStatus::kIndeterminate:
      return ::mxscan::INDETERMINATE;
    case DnssecStatus::kNotValidated:
      return ::mxscan::NOT_VALIDATED;
  }
  return ::mxscan::INDETERMINATE;
}

void AppendLookupJsonLine(const LookupResult& result, std::string* out) {
  JsonLine line(out);
  line.Add("{\"name\":");
  line.AddString(result.name);
  line.Add(",\"type\":\"");
  line.AddTypeName(result.type);
  line.Add("\",\"status\":\"");
  line.Add(LookupStatusName(result.status));
  line.Add("\",\"answers\":[");
  for (size_t i = 0; i < result.answers.size(); ++i) {
    const Answer& a = result.answers[i];
    line.Add(i > 0 ? ",{\"name\":" : "{\"name\":");
    line.AddString(a.name);
    line.Add(",\"type\":\"");
    line.AddTypeName(a.type);
    line.Add("\",\"ttl\":");
    line.AddNumber(a.ttl);
    line.Add(",\"data\":");
    line.AddAnswerData(a);
    line.Add("}");
  }
  line.Add(result.authenticated ? "],\"authenticated\":true"
                                : "],\"authenticated\":false");
  if (result.rcode >= 0) {
    line.Add(",\"rcode\":");
    line.AddNumber(static_cast<uint64_t>(result.rcode));
  }
  if (!result.error.empty()) {
    line.Add(",\"error\":");
    line.AddString(result.error);
  }
  if (!result.edns_options.empty()) {
    const std::vector<ExtendedError> extended =
        ExtendedErrors(result.edns_options);
    if (!extended.empty()) {
      line.Add(",\"extendedErrors\":[");
      for (size_t i = 0; i < extended.size(); ++i) {
        if (i > 0) line.Add(",");
        line.AddString(Describe(extended[i]));
      }
      line.Add("]");
    }
  }
  if (!result.cname_chain.empty()) {
    line.Add(",\"cnameChain\":[");
    for (size_t i = 0; i < result.cname_chain.size(); ++i) {
      if (i > 0) line.Add(",");
      line.AddString(result.cname_chain[i]);
    }
    line.Add("]");
  }
  line.Add(",\"attempts\":");
  line.AddNumber(result.attempts);
  if (result.used_tcp) line.Add(",\"tcp\":true");
  if (!result.resolver.empty()) {
    line.Add(",\"resolver\":");
    line.AddString(result.resolver);
  }
  line.Add("}\n");
}

void LookupToProto(const LookupResult& result, DnsLookup* out) {
  out->set_name(result.name);
  out->set_type(RrTypeName(result.type));
  out->set_status(ToProtoStatus(result.status));
  for (const Answer& a : result.answers) {
    DnsAnswer* answer = out->add_answers();
    answer->set_name(a.name);
    answer->set_type(RrTypeName(a.type));
    answer->set_ttl(a.ttl);
    answer->set_data(AnswerText(a));
  }
  out->set_authenticated(result.authenticated);
  out->set_error(result.error);
  for (const std::string& c : result.cname_chain) out->add_cname_chain(c);
  out->set_attempts(result.attempts);
  out->set_tcp(result.used_tcp);
  out->set_resolver(result.resolver);
  for (const ExtendedError& e : ExtendedErrors(result.edns_options)) {
    out->add_extended_errors(Describe(e));
  }
  if (result.rcode >= 0) out->set_rcode(static_cast<uint32_t>(result.rcode));
}

}  // namespace mxscan::dns
