#include "scanner/bench/probe_attempt.h"

#include "absl/strings/str_cat.h"

namespace mxscan::bench {
namespace {

// The time from `from` to `to`, or -1 when either was not reached.
int64_t Between(uint64_t from, uint64_t to) {
  if (from == 0 || to == 0 || to < from) return -1;
  return static_cast<int64_t>(to - from);
}

void SetError(const smtp::SessionError& error, BenchAttempt* attempt) {
  attempt->error_stage = std::string(smtp::StageName(error.stage));
  attempt->error_code = std::string(smtp::ErrorKindName(error.kind));
  if (error.code != 0) absl::StrAppend(&attempt->error_code, ":", error.code);
  attempt->error_message = error.message;
}

// The fields both probes share: the handshake, its times and the error.
void SetCommon(bool tls_done, const tls::HandshakeInfo& tls,
               const probe::ProbeTimes& t, uint64_t handshake_started_ns,
               const std::optional<smtp::SessionError>& error,
               BenchAttempt* attempt) {
  attempt->handshake_done = tls_done;
  if (tls_done) {
    attempt->resumed = tls.resumed;
    attempt->version = tls.version;
    attempt->cipher = tls.cipher;
    attempt->group = tls.group;
  }
  attempt->duration(Step::kConnect) = Between(t.started_ns, t.connected_ns);
  attempt->duration(Step::kHandshake) =
      Between(handshake_started_ns, t.handshake_ns);
  attempt->duration(Step::kTotal) = Between(t.started_ns, t.handshake_ns);
  if (error.has_value()) SetError(*error, attempt);
}

}  // namespace

BenchAttempt AttemptFromSmtpProbe(const probe::SmtpProbeOutcome& outcome) {
  BenchAttempt attempt;
  const probe::ProbeTimes& t = outcome.times;
  SetCommon(outcome.tls_done, outcome.tls, t, t.starttls_ns,
            outcome.session.error, &attempt);
  attempt.duration(Step::kBanner) = Between(t.connected_ns, t.banner_ns);
  attempt.duration(Step::kEhlo) = Between(t.banner_ns, t.ehlo_ns);
  attempt.duration(Step::kStartTls) = Between(t.ehlo_ns, t.starttls_ns);
  if (!outcome.tls_done && attempt.error_stage.empty()) {
    attempt.error_stage = std::string(smtp::StageName(smtp::Stage::kStartTls));
    attempt.error_code = outcome.session.starttls_offered ? "no_handshake"
                                                          : "not_offered";
    attempt.error_message = outcome.session.starttls_offered
                                ? "the session ended without a handshake"
                                : "the server does not offer STARTTLS";
  }
  return attempt;
}

BenchAttempt AttemptFromTlsProbe(const probe::TlsProbeOutcome& outcome) {
  BenchAttempt attempt;
  SetCommon(outcome.tls_done, outcome.tls, outcome.times,
            outcome.times.connected_ns, outcome.error, &attempt);
  return attempt;
}

}  // namespace mxscan::bench
