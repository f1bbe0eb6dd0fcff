#include "scanner/dns/lookup_output.h"

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
std::string AnswerText(const Answer& answer) {
  absl::StatusOr<std::string> text = RdataText(answer.type, answer.rdata);
  if (text.ok()) return *std::move(text);
  const OpaqueData* opaque = answer.As<OpaqueData>();
  if (opaque == nullptr) return "";
  return absl::StrCat("\\# ", opaque->octets.size(), " ",
                      absl::BytesToHexString(opaque->octets));
}

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
  out->append("{\"name\":");
  AppendJsonString(result.name, out);
  out->append(",\"type\":\"");
  out->append(RrTypeName(result.type));
  out->append("\",\"status\":\"");
  out->append(LookupStatusName(result.status));
  out->append("\",\"answers\":[");
  for (size_t i = 0; i < result.answers.size(); ++i) {
    const Answer& a = result.answers[i];
    if (i > 0) out->push_back(',');
    out->append("{\"name\":");
    AppendJsonString(a.name, out);
    out->append(",\"type\":\"");
    out->append(RrTypeName(a.type));
    absl::StrAppend(out, "\",\"ttl\":", a.ttl, ",\"data\":");
    AppendJsonString(AnswerText(a), out);
    out->push_back('}');
  }
  out->append("],\"authenticated\":");
  out->append(result.authenticated ? "true" : "false");
  if (result.rcode >= 0) absl::StrAppend(out, ",\"rcode\":", result.rcode);
  if (!result.error.empty()) {
    out->append(",\"error\":");
    AppendJsonString(result.error, out);
  }
  const std::vector<ExtendedError> extended =
      ExtendedErrors(result.edns_options);
  if (!extended.empty()) {
    out->append(",\"extendedErrors\":[");
    for (size_t i = 0; i < extended.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(Describe(extended[i]), out);
    }
    out->push_back(']');
  }
  if (!result.cname_chain.empty()) {
    out->append(",\"cnameChain\":[");
    for (size_t i = 0; i < result.cname_chain.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(result.cname_chain[i], out);
    }
    out->push_back(']');
  }
  absl::StrAppend(out, ",\"attempts\":", result.attempts);
  if (result.used_tcp) out->append(",\"tcp\":true");
  if (!result.resolver.empty()) {
    out->append(",\"resolver\":");
    AppendJsonString(result.resolver, out);
  }
  out->append("}\n");
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
