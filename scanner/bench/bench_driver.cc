#include "scanner/bench/bench_driver.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "scanner/bench/probe_attempt.h"
#include "scanner/probe/smtp_probe.h"
#include "scanner/probe/tls_probe.h"

namespace mxscan::bench {
namespace {

// User and system CPU seconds of the calling thread (the driver's loop)
// so far: with several loops, each measures its own.
void ThreadCpu(double* user_s, double* system_s) {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  *user_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  *system_s = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

uint64_t SecondsToMs(double s) {
  return static_cast<uint64_t>(std::llround(std::max(0.0, s) * 1000));
}

// Plain TLS attempts that wait in vain for a ticket before the driver
// stops asking (the server sends none without application data).
constexpr int kSessionlessWaitsBeforeGivingUp = 8;

// A rate cap lets a burst of 10 ms worth of starts through (at least one),
// so that rates above 1,000/s survive the loop's millisecond timers.
double Burst(double rate) { return std::max(1.0, rate / 100); }

BenchAttempt ToAttempt(const probe::SmtpProbeOutcome& outcome) {
  return AttemptFromSmtpProbe(outcome);
}
BenchAttempt ToAttempt(const probe::TlsProbeOutcome& outcome) {
  return AttemptFromTlsProbe(outcome);
}

}  // namespace

BenchDriver::BenchDriver(uv_loop_t* loop, const tls::ClientContext& context,
                         BenchDriverOptions options, BenchProgress* progress)
    : loop_(loop),
      context_(context),
      options_(std::move(options)),
      progress_(progress),
      bucket_(options_.rate, Burst(options_.rate),
              static_cast<int64_t>(uv_now(loop))) {
  for (core::UvHandle<uv_timer_t>* t : {&phase_timer_, &rate_timer_}) {
    uv_timer_init(loop_, t->get());
    t->MarkInitialized();
    t->get()->data = this;
  }
}

void BenchDriver::SetPhase(BenchProgress::Phase phase) {
  phase_ = phase;
  if (progress_ != nullptr) progress_->phase.store(phase);
}

void BenchDriver::Start(absl::AnyInvocable<void()> done) {
  done_ = std::move(done);
  if (options_.warmup_s > 0) {
    SetPhase(BenchProgress::kWarmup);
    uv_timer_start(
        phase_timer_.get(),
        [](uv_timer_t* h) {
          static_cast<BenchDriver*>(h->data)->OnPhaseTimer();
        },
        SecondsToMs(options_.warmup_s), 0);
    Fill();
  } else {
    BeginMeasurement();
  }
}

void BenchDriver::OnPhaseTimer() {
  if (phase_ == BenchProgress::kWarmup) {
    BeginMeasurement();
  } else if (phase_ == BenchProgress::kMeasure) {
    EndMeasurement();
  }
}

void BenchDriver::BeginMeasurement() {
  SetPhase(BenchProgress::kMeasure);
  measure_start_ns_ = uv_hrtime();
  last_end_ns_ = measure_start_ns_;
  ThreadCpu(&cpu_start_user_s_, &cpu_start_system_s_);
  if (options_.count == 0) {
    uv_timer_start(
        phase_timer_.get(),
        [](uv_timer_t* h) {
          static_cast<BenchDriver*>(h->data)->OnPhaseTimer();
        },
        SecondsToMs(options_.duration_s), 0);
  }
  Fill();
}

void BenchDriver::EndMeasurement() {
  if (phase_ == BenchProgress::kDrain || phase_ == BenchProgress::kDone) return;
  SetPhase(BenchProgress::kDrain);
  uv_timer_stop(phase_timer_.get());
  uv_timer_stop(rate_timer_.get());
  if (in_flight_ == 0) Finish();
}

void BenchDriver::Stop() {
  if (phase_ == BenchProgress::kDrain || phase_ == BenchProgress::kDone) return;
  measurement_.interrupted = true;
  if (phase_ == BenchProgress::kWarmup) {
    // Nothing was measured: an empty measurement from now.
    measure_start_ns_ = uv_hrtime();
    last_end_ns_ = measure_start_ns_;
    ThreadCpu(&cpu_start_user_s_, &cpu_start_system_s_);
  }
  EndMeasurement();
}

bool BenchDriver::WarmupBoundReached() const {
  return phase_ == BenchProgress::kWarmup && options_.warmup_max_attempts > 0 &&
         measurement_.warmup_attempts >= options_.warmup_max_attempts;
}

bool BenchDriver::MayStart() const {
  if (phase_ == BenchProgress::kWarmup) return !WarmupBoundReached();
  if (phase_ != BenchProgress::kMeasure) return false;
  return options_.count == 0 || measured_started_ < options_.count;
}

void BenchDriver::Fill() {
  while (in_flight_ < static_cast<uint64_t>(options_.concurrency) &&
         MayStart()) {
    if (!bucket_.unlimited()) {
      uv_update_time(loop_);
      const int64_t now = static_cast<int64_t>(uv_now(loop_));
      if (!bucket_.TryTake(now)) {
        if (!uv_is_active(rate_timer_.as_handle())) {
          uv_timer_start(
              rate_timer_.get(),
              [](uv_timer_t* h) { static_cast<BenchDriver*>(h->data)->Fill(); },
              static_cast<uint64_t>(
                  std::max<int64_t>(1, bucket_.MsUntilAvailable(now))),
              0);
        }
        return;
      }
    }
    Launch();
  }
  if (WarmupBoundReached()) {
    uv_timer_stop(phase_timer_.get());
    BeginMeasurement();
  }
}

void BenchDriver::Launch() {
  const bool measured = phase_ == BenchProgress::kMeasure;
  ++in_flight_;
  if (progress_ != nullptr) progress_->in_flight.fetch_add(1);
  if (!measured) ++measurement_.warmup_attempts;
  if (measured) {
    ++measured_started_;
    if (progress_ != nullptr) progress_->measured_started.fetch_add(1);
    if (options_.count > 0 && measured_started_ >= options_.count) {
      // The last one: the rest of the run waits for those in flight.
      SetPhase(BenchProgress::kDrain);
      uv_timer_stop(rate_timer_.get());
    }
  }
  if (measured && session_ != nullptr) ++measurement_.sessions_offered;
  const sockaddr* address =
      reinterpret_cast<const sockaddr*>(&options_.address);
  // For either probe's outcome.
  auto done = [this, measured](auto outcome) {
    Attempt attempt{ToAttempt(outcome), std::move(outcome.tls_session),
                    std::move(outcome.tls.chain_der)};
    OnAttemptDone(measured, std::move(attempt));
  };
  if (options_.starttls) {
    probe::SmtpProbeOptions o;
    o.ehlo_name = options_.ehlo_name;
    o.connect_timeout_ms = options_.stage_timeout_ms;
    o.reply_timeout_ms = options_.stage_timeout_ms;
    o.handshake_timeout_ms = options_.stage_timeout_ms;
    o.total_timeout_ms = 3 * options_.stage_timeout_ms;
    o.resume_session = session_;
    o.keep_session = options_.resume_sessions;
    probe::ProbeSmtp(loop_, address, options_.server_name, context_, o, done);
  } else {
    probe::TlsProbeOptions o;
    o.connect_timeout_ms = options_.stage_timeout_ms;
    o.handshake_timeout_ms = options_.stage_timeout_ms;
    o.resume_session = session_;
    // Waiting for a TLS 1.3 ticket holds the connection: only until the
    // driver has a session, and not with a server that sends none.
    o.keep_session =
        options_.resume_sessions && session_ == nullptr && !stop_asking_;
    probe::ProbeTls(loop_, address, options_.server_name, context_, o, done);
  }
  // A new session, if the server gave one, is offered from the next
  // attempt on.
}

void BenchDriver::OnAttemptDone(bool measured, Attempt attempt) {
  --in_flight_;
  if (progress_ != nullptr) progress_->in_flight.fetch_sub(1);
  if (attempt.session != nullptr &&
      SSL_SESSION_is_resumable(attempt.session.get())) {
    session_ = std::shared_ptr<SSL_SESSION>(attempt.session.release(),
                                            SSL_SESSION_free);
    sessionless_waits_ = 0;
  } else if (options_.resume_sessions && !options_.starttls &&
             attempt.result.handshake_done && session_ == nullptr &&
             ++sessionless_waits_ >= kSessionlessWaitsBeforeGivingUp) {
    stop_asking_ = true;
  }
  if (measured) {
    last_end_ns_ = uv_hrtime();
    stats_.Add(attempt.result);
    if (progress_ != nullptr) {
      (attempt.result.handshake_done ? progress_->succeeded : progress_->failed)
          .fetch_add(1);
    }
    // A resumed handshake shows the chain of the session it resumed.
    if (attempt.result.handshake_done && !attempt.result.resumed) {
      CountChain(std::move(attempt.chain_der), 1, options_.max_chains,
                 &chains_);
    }
  } else {
    if (attempt.result.handshake_done) ++measurement_.warmup_handshakes;
    if (phase_ != BenchProgress::kWarmup) {
      // A warm-up attempt ending inside the measurement window.
      last_end_ns_ = std::max(last_end_ns_, uv_hrtime());
      ++measurement_.leftover_attempts;
      if (attempt.result.handshake_done) ++measurement_.leftover_handshakes;
    }
  }
  if (phase_ == BenchProgress::kDrain) {
    if (in_flight_ == 0) Finish();
    return;
  }
  Fill();
}

void CountChain(std::vector<std::string> chain_der, uint64_t handshakes,
                size_t max_chains, std::vector<SeenChain>* chains) {
  if (chain_der.empty()) return;
  auto seen = std::find_if(
      chains->begin(), chains->end(),
      [&](const SeenChain& c) { return c.chain_der == chain_der; });
  if (seen != chains->end()) {
    seen->handshakes += handshakes;
  } else if (chains->size() < max_chains) {
    chains->push_back(SeenChain{std::move(chain_der), handshakes});
  }
}

void BenchDriver::Finish() {
  SetPhase(BenchProgress::kDone);
  double user_s = 0;
  double system_s = 0;
  ThreadCpu(&user_s, &system_s);
  measurement_.user_cpu_s = user_s - cpu_start_user_s_;
  measurement_.system_cpu_s = system_s - cpu_start_system_s_;
  measurement_.no_session_given =
      options_.resume_sessions && session_ == nullptr;
  measurement_.busiest_loop_cpu_s =
      measurement_.user_cpu_s + measurement_.system_cpu_s;
  measurement_.window_start_ns = measure_start_ns_;
  measurement_.window_end_ns = last_end_ns_;
  measurement_.elapsed_s =
      static_cast<double>(last_end_ns_ - measure_start_ns_) / 1e9;
  uv_timer_stop(phase_timer_.get());
  uv_timer_stop(rate_timer_.get());
  if (done_) {
    auto done = std::move(done_);
    done();
  }
}

}  // namespace mxscan::bench
