#include "scanner/checks/spf/analysis.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/checks/spf/answer_rounds.h"

namespace mxscan::checks::spf {

void AnalyzeSpf(DnsSource& source, absl::string_view domain,
                absl::AnyInvocable<void(mxscan::SpfResult)> done,
                const AnalysisOptions& options) {
  struct State {
    std::string domain;
    WalkLimits limits;
    int max_questions = 0;
    WalkOutcome last;
    absl::AnyInvocable<void(mxscan::SpfResult)> done;
  };
  auto state = std::make_shared<State>();
  state->domain = std::string(domain);
  state->limits = options.walk;
  state->max_questions = options.max_questions;
  state->done = std::move(done);
  AskInRounds(
      source, options.max_questions,
      [state](const AnswerCache& cache) {
        state->last = WalkPolicy(state->domain, cache, state->limits);
        return state->last.missing;
      },
      [state](bool complete) {
        mxscan::SpfResult result = std::move(state->last.result);
        if (!complete) {
          result.add_warnings(absl::StrCat(
              "analysis stopped after ", state->max_questions,
              " DNS questions: parts of the policy were not judged"));
          result.set_valid(false);
        }
        state->done(std::move(result));
      });
}

}  // namespace mxscan::checks::spf
