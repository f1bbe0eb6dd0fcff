#include "scanner/bench/bench_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scanner/base/json.h"

namespace mxscan::bench {
namespace {

constexpr Step kSteps[] = {Step::kConnect,  Step::kBanner,    Step::kEhlo,
                           Step::kStartTls, Step::kHandshake, Step::kTotal};

// A JSON number (finite; 0 otherwise) with `decimals` digits.
std::string Number(double value, int decimals = 3) {
  if (!std::isfinite(value)) value = 0;
  return absl::StrFormat("%.*f", decimals, value);
}

std::string Ms(uint64_t ns) { return Number(static_cast<double>(ns) / 1e6); }

std::string Quoted(absl::string_view s) {
  std::string out;
  base::AppendJsonString(s, &out);
  return out;
}

std::string HistogramJson(const LatencyHistogram& h) {
  return absl::StrCat(
      "{\"count\":", h.count(), ",\"p50\":", Ms(h.Percentile(50)),
      ",\"p90\":", Ms(h.Percentile(90)), ",\"p99\":", Ms(h.Percentile(99)),
      ",\"max\":", Ms(h.max_ns()), ",\"mean\":", Number(h.mean_ns() / 1e6),
      "}");
}

std::string KindJson(const HandshakeKind& kind) {
  return absl::StrCat("{\"count\":", kind.count,
                      ",\"handshake_ms\":", HistogramJson(kind.handshake),
                      ",\"total_ms\":", HistogramJson(kind.total), "}");
}

std::string ErrorsJson(
    const std::map<BenchStats::ErrorKey, ErrorTally>& errors) {
  std::vector<std::string> items;
  for (const auto& [key, tally] : errors) {
    items.push_back(absl::StrCat("{\"stage\":", Quoted(key.first), ",\"code\":",
                                 Quoted(key.second), ",\"count\":", tally.count,
                                 ",\"example\":", Quoted(tally.example), "}"));
  }
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

std::string Mode(const BenchSettings& s) {
  return s.count > 0 ? absl::StrCat(s.count, " handshake attempts")
                     : absl::StrCat(Number(s.duration_s, 1), " s");
}

std::string HistogramRow(absl::string_view name, const LatencyHistogram& h) {
  return absl::StrFormat("  %-18s %9d %9s %9s %9s %9s\n", name, h.count(),
                         Ms(h.Percentile(50)), Ms(h.Percentile(90)),
                         Ms(h.Percentile(99)), Ms(h.max_ns()));
}

std::string ErrorsText(
    absl::string_view title,
    const std::map<BenchStats::ErrorKey, ErrorTally>& errors) {
  if (errors.empty()) return "";
  std::string out = absl::StrCat(title, "\n");
  for (const auto& [key, tally] : errors) {
    absl::StrAppendFormat(&out, "  %-10s %-28s %9d  %s\n", key.first,
                          key.second, tally.count, tally.example);
  }
  return out;
}

}  // namespace

BenchFigures ComputeFigures(const BenchSettings& settings,
                            const BenchStats& stats,
                            const BenchMeasurement& m) {
  BenchFigures f;
  f.window_handshakes = stats.succeeded() + m.leftover_handshakes;
  f.window_attempts = stats.attempted() + m.leftover_attempts;
  const double cpu_s = m.user_cpu_s + m.system_cpu_s;
  if (m.elapsed_s > 0) {
    f.handshakes_per_s = static_cast<double>(f.window_handshakes) / m.elapsed_s;
    f.core_share = cpu_s / m.elapsed_s / std::max(1, settings.loops);
  }
  if (f.window_handshakes > 0) {
    f.cpu_us_per_handshake =
        cpu_s * 1e6 / static_cast<double>(f.window_handshakes);
  }
  if (f.window_attempts > 0) {
    f.cpu_us_per_attempt = cpu_s * 1e6 / static_cast<double>(f.window_attempts);
  }
  if (m.elapsed_s > 0)
    f.busiest_loop_share = m.busiest_loop_cpu_s / m.elapsed_s;
  const int usable_cores = settings.cores > 0
                               ? std::min(settings.loops, settings.cores)
                               : std::max(1, settings.loops);
  f.client_bound =
      std::max(f.core_share, f.busiest_loop_share) >= kClientBoundShare ||
      (m.elapsed_s > 0 &&
       cpu_s / m.elapsed_s >= kClientBoundShare * usable_cores);
  return f;
}

std::string RenderBenchJson(const BenchSettings& s, const BenchStats& stats,
                            const BenchMeasurement& m) {
  const BenchFigures f = ComputeFigures(s, stats, m);
  std::string out = absl::StrCat(
      "{\"target\":", Quoted(s.target), ",\"address\":", Quoted(s.address),
      ",\"starttls\":", Quoted(s.starttls ? "smtp" : "none"),
      ",\"sni\":", Quoted(s.sni));
  absl::StrAppend(
      &out, ",\"settings\":{\"concurrency\":", s.concurrency,
      ",\"rate\":", Number(s.rate, 1), ",\"warmup_s\":", Number(s.warmup_s, 1),
      ",\"warmup_max_attempts\":", s.warmup_max_attempts,
      ",\"duration_s\":", Number(s.duration_s, 1), ",\"count\":", s.count,
      ",\"tls_version\":", Quoted(s.tls_version),
      ",\"groups\":", Quoted(s.groups), ",\"ciphers\":", Quoted(s.ciphers),
      ",\"resume_sessions\":", s.resume_sessions ? "true" : "false",
      ",\"loops\":", s.loops, ",\"cores\":", s.cores, "}");
  absl::StrAppend(&out, ",\"interrupted\":", m.interrupted ? "true" : "false",
                  ",\"warmup_attempts\":", m.warmup_attempts,
                  ",\"warmup_handshakes\":", m.warmup_handshakes,
                  ",\"window\":{\"handshakes\":", f.window_handshakes,
                  ",\"attempts\":", f.window_attempts,
                  ",\"from_warmup\":", m.leftover_attempts, "}",
                  ",\"attempted\":", stats.attempted(),
                  ",\"succeeded\":", stats.succeeded(),
                  ",\"failed\":", stats.failed(),
                  ",\"elapsed_s\":", Number(m.elapsed_s),
                  ",\"handshakes_per_s\":", Number(f.handshakes_per_s, 1));
  if (s.resume_sessions) {
    absl::StrAppend(&out, ",\"resumption\":{\"offered\":", m.sessions_offered,
                    ",\"resumed\":", stats.resumed().count,
                    ",\"server_gave_no_session\":",
                    m.no_session_given ? "true" : "false", "}");
  }
  std::vector<std::string> steps;
  for (Step step : kSteps) {
    if (stats.step(step).count() == 0) continue;
    steps.push_back(absl::StrCat(Quoted(StepName(step)), ":",
                                 HistogramJson(stats.step(step))));
  }
  absl::StrAppend(&out, ",\"latency_ms\":{", absl::StrJoin(steps, ","), "}");
  absl::StrAppend(&out, ",\"full\":", KindJson(stats.full()),
                  ",\"resumed\":", KindJson(stats.resumed()));
  std::vector<std::string> by_stage;
  for (const auto& [stage, count] : stats.FailuresByStage()) {
    by_stage.push_back(absl::StrCat(Quoted(stage), ":", count));
  }
  absl::StrAppend(&out, ",\"failures_by_stage\":{",
                  absl::StrJoin(by_stage, ","), "}",
                  ",\"errors\":", ErrorsJson(stats.errors()),
                  ",\"errors_after_handshake\":",
                  ErrorsJson(stats.errors_after_handshake()));
  std::vector<std::string> mix;
  for (const auto& [key, count] : stats.negotiated()) {
    mix.push_back(absl::StrCat("{\"version\":", Quoted(std::get<0>(key)),
                               ",\"cipher\":", Quoted(std::get<1>(key)),
                               ",\"group\":", Quoted(std::get<2>(key)),
                               ",\"count\":", count, "}"));
  }
  absl::StrAppend(&out, ",\"negotiated\":[", absl::StrJoin(mix, ","), "]");
  absl::StrAppend(&out, ",\"client_cpu\":{\"user_s\":", Number(m.user_cpu_s),
                  ",\"system_s\":", Number(m.system_cpu_s),
                  ",\"us_per_handshake\":", Number(f.cpu_us_per_handshake, 1),
                  ",\"us_per_attempt\":", Number(f.cpu_us_per_attempt, 1),
                  ",\"core_share\":", Number(f.core_share),
                  ",\"busiest_loop_share\":", Number(f.busiest_loop_share),
                  ",\"client_bound\":", f.client_bound ? "true" : "false", "}");
  std::vector<std::string> certs;
  for (const CertificateSummary& c : m.certificates) {
    certs.push_back(absl::StrCat(
        "{\"leaf_sha256\":", Quoted(c.leaf_sha256), ",\"handshakes\":",
        c.handshakes, ",\"trusted\":", c.trusted ? "true" : "false",
        ",\"hostname_match\":", c.hostname_match ? "true" : "false",
        ",\"verify_error\":", Quoted(c.verify_error), "}"));
  }
  absl::StrAppend(&out, ",\"certificates\":[", absl::StrJoin(certs, ","),
                  "]}\n");
  return out;
}

std::string RenderBenchText(const BenchSettings& s, const BenchStats& stats,
                            const BenchMeasurement& m) {
  const BenchFigures f = ComputeFigures(s, stats, m);
  std::string out = absl::StrCat(
      "mxscan bench ", s.target, " (", s.address, "), ",
      s.starttls ? "SMTP STARTTLS" : "plain TLS",
      s.sni.empty() ? ", no SNI" : absl::StrCat(", SNI ", s.sni), "\n");
  absl::StrAppend(
      &out, "  ", Mode(s), " after a warm-up of ", Number(s.warmup_s, 1), " s",
      s.warmup_max_attempts > 0
          ? absl::StrCat(" or ", s.warmup_max_attempts,
                         " attempts, whichever came first")
          : "",
      ", ", s.concurrency, " in flight",
      s.rate > 0 ? absl::StrCat(", at most ", Number(s.rate, 1), "/s") : "",
      s.resume_sessions ? ", resuming sessions" : "",
      s.tls_version.empty() ? "" : absl::StrCat(", TLS ", s.tls_version),
      s.groups.empty() ? "" : absl::StrCat(", groups ", s.groups),
      m.interrupted ? " (INTERRUPTED)" : "", "\n");
  absl::StrAppend(&out, "attempted ", stats.attempted(), ", succeeded ",
                  stats.succeeded(), ", failed ", stats.failed(),
                  " (not counted: ", m.warmup_attempts,
                  " attempts started in the warm-up)\n");
  absl::StrAppend(&out, "handshakes/s ", Number(f.handshakes_per_s, 1), " (",
                  f.window_handshakes, " handshakes ended in ",
                  Number(m.elapsed_s, 2), " s, ", m.leftover_handshakes,
                  " of them started in the warm-up)\n");
  absl::StrAppendFormat(&out, "latency (ms)       %9s %9s %9s %9s %9s\n",
                        "count", "p50", "p90", "p99", "max");
  for (Step step : kSteps) {
    if (stats.step(step).count() == 0) continue;
    out += HistogramRow(StepName(step), stats.step(step));
  }
  const std::pair<const char*, const HandshakeKind*> kinds[] = {
      {"full", &stats.full()}, {"resumed", &stats.resumed()}};
  for (const auto& [name, kind] : kinds) {
    if (kind->count == 0) continue;
    out += HistogramRow(absl::StrCat(name, " handshake"), kind->handshake);
    out += HistogramRow(absl::StrCat(name, " total"), kind->total);
  }
  if (s.resume_sessions) {
    absl::StrAppend(&out, "resumption: ", m.sessions_offered,
                    " attempts offered a session, ", stats.resumed().count,
                    " resumed",
                    m.no_session_given
                        ? "; the server gave no resumable session (a TLS 1.3 "
                          "server may send tickets only after application "
                          "data)"
                        : "",
                    "\n");
  }
  out += ErrorsText("failures (stage, code, count, first message):",
                    stats.errors());
  out += ErrorsText("failures after the handshake (not counted as failed):",
                    stats.errors_after_handshake());
  if (!stats.negotiated().empty()) out += "negotiated:\n";
  for (const auto& [key, count] : stats.negotiated()) {
    absl::StrAppendFormat(
        &out, "  %-8s %-40s %-10s %9d\n", std::get<0>(key), std::get<1>(key),
        std::get<2>(key).empty() ? "-" : std::get<2>(key), count);
  }
  absl::StrAppend(
      &out, "client CPU ", Number(m.user_cpu_s, 2), " s user + ",
      Number(m.system_cpu_s, 2),
      " s system = ", Number(f.cpu_us_per_handshake, 1), " us per handshake; ",
      Number(f.core_share * 100, 1), "% of one core (", s.loops,
      s.loops == 1 ? " loop)" : " loops",
      s.loops == 1 ? ""
                   : absl::StrCat("; busiest loop ",
                                  Number(f.busiest_loop_share * 100, 1), "%)"),
      "\n");
  if (f.client_bound) {
    absl::StrAppend(&out, "CLIENT-BOUND: a loop of the client used >= ",
                    Number(kClientBoundShare * 100, 0),
                    "% of a core (or the loops all the cores they had); the "
                    "figures measure the client, not the server",
                    s.loops == 1 ? ": try --workers" : "", "\n");
  }
  for (const CertificateSummary& c : m.certificates) {
    absl::StrAppend(
        &out, "certificate ", c.leaf_sha256.substr(0, 16),
        "...: ", c.handshakes, " full handshakes, ",
        c.trusted ? "trusted" : "not trusted",
        c.verify_error.empty() ? "" : absl::StrCat(" (", c.verify_error, ")"),
        c.hostname_match ? ", name matches" : ", name does not match", "\n");
  }
  return out;
}

}  // namespace mxscan::bench
