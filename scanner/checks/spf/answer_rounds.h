#ifndef MXSCAN_SCANNER_CHECKS_SPF_ANSWER_ROUNDS_H_
#define MXSCAN_SCANNER_CHECKS_SPF_ANSWER_ROUNDS_H_

#include <set>

#include "absl/functional/any_invocable.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/spf/answer_cache.h"

namespace mxscan::checks::spf {

// A pass of a pure walk over the answers so far: it keeps its own outcome
// and returns the questions it still needs (none when it is complete).
using WalkPass = absl::AnyInvocable<std::set<Question>(const AnswerCache&)>;

// AskInRounds drives a pure walk (policy_walk.h) over `source`: each round
// runs `walk` over the answers so far and asks, all at once, the questions
// it still needs, each distinct question once; the next round starts when
// the last of them has answered. `done(true)` follows the round that
// needed nothing more; `done(false)` the round whose questions would pass
// `max_questions` in all (its walk is the last one run). `done` runs
// exactly once, from a `source` callback, or before AskInRounds returns
// when the first round needs nothing. `source` must outlive the lookups;
// the rounds keep themselves alive. Lives on the thread of its source.
void AskInRounds(DnsSource& source, int max_questions, WalkPass walk,
                 absl::AnyInvocable<void(bool complete)> done);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_ANSWER_ROUNDS_H_
