#include "scanner/bench/bench_stats.h"

namespace mxscan::bench {
namespace {

void Tally(std::map<BenchStats::ErrorKey, ErrorTally>& tallies,
           const BenchAttempt& attempt) {
  ErrorTally& tally = tallies[{attempt.error_stage, attempt.error_code}];
  if (tally.count++ == 0) tally.example = attempt.error_message;
}

}  // namespace

absl::string_view StepName(Step step) {
  switch (step) {
    case Step::kConnect:
      return "connect";
    case Step::kBanner:
      return "banner";
    case Step::kEhlo:
      return "ehlo";
    case Step::kStartTls:
      return "starttls";
    case Step::kHandshake:
      return "handshake";
    case Step::kTotal:
      return "total";
  }
  return "?";
}

void BenchStats::Add(const BenchAttempt& attempt) {
  for (int i = 0; i < kStepCount; ++i) {
    const bool handshake_step = i == static_cast<int>(Step::kHandshake) ||
                                i == static_cast<int>(Step::kTotal);
    if (attempt.step_ns[i] < 0 || (handshake_step && !attempt.handshake_done)) {
      continue;
    }
    steps_[i].Add(static_cast<uint64_t>(attempt.step_ns[i]));
  }
  if (!attempt.handshake_done) {
    ++failed_;
    BenchAttempt unexplained;
    const BenchAttempt& why =
        attempt.error_stage.empty() ? unexplained : attempt;
    if (attempt.error_stage.empty()) {
      unexplained.error_stage = "UNSPECIFIED";
      unexplained.error_code = "no_handshake";
    }
    Tally(errors_, why);
    return;
  }
  ++succeeded_;
  if (!attempt.error_stage.empty()) Tally(after_handshake_, attempt);
  HandshakeKind& kind = attempt.resumed ? resumed_ : full_;
  ++kind.count;
  const int64_t handshake = attempt.step_ns[static_cast<int>(Step::kHandshake)];
  const int64_t total = attempt.step_ns[static_cast<int>(Step::kTotal)];
  if (handshake >= 0) kind.handshake.Add(static_cast<uint64_t>(handshake));
  if (total >= 0) kind.total.Add(static_cast<uint64_t>(total));
  ++negotiated_[{attempt.version, attempt.cipher, attempt.group}];
}

void BenchStats::Merge(const BenchStats& other) {
  succeeded_ += other.succeeded_;
  failed_ += other.failed_;
  for (int i = 0; i < kStepCount; ++i) steps_[i].Merge(other.steps_[i]);
  for (auto [mine, theirs] : {std::make_pair(&full_, &other.full_),
                              std::make_pair(&resumed_, &other.resumed_)}) {
    mine->count += theirs->count;
    mine->handshake.Merge(theirs->handshake);
    mine->total.Merge(theirs->total);
  }
  for (auto [mine, theirs] :
       {std::make_pair(&errors_, &other.errors_),
        std::make_pair(&after_handshake_, &other.after_handshake_)}) {
    for (const auto& [key, tally] : *theirs) {
      ErrorTally& merged = (*mine)[key];
      if (merged.count == 0) merged.example = tally.example;
      merged.count += tally.count;
    }
  }
  for (const auto& [key, count] : other.negotiated_) negotiated_[key] += count;
}

std::map<std::string, uint64_t> BenchStats::FailuresByStage() const {
  std::map<std::string, uint64_t> by_stage;
  for (const auto& [key, tally] : errors_) by_stage[key.first] += tally.count;
  return by_stage;
}

}  // namespace mxscan::bench
