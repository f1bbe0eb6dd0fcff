#include "scanner/checks/spf/check_host.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/checks/spf/answer_rounds.h"

namespace mxscan::checks::spf {

void CheckHost(DnsSource& source, CheckHostRequest request,
               absl::AnyInvocable<void(CheckHostResult)> done,
               int max_questions) {
  struct State {
    CheckHostRequest request;
    CheckHostPass last;
    absl::AnyInvocable<void(CheckHostResult)> done;
  };
  auto state = std::make_shared<State>();
  state->request = std::move(request);
  state->done = std::move(done);
  AskInRounds(
      source, max_questions,
      [state](const AnswerCache& cache) {
        state->last = EvaluateCheckHost(state->request, cache);
        return state->last.missing;
      },
      [state, max_questions](bool complete) {
        CheckHostResult result = std::move(state->last.result);
        if (!complete) {
          result = CheckHostResult();
          result.result = Result::kTempError;
          result.error = absl::StrCat("evaluation stopped after ",
                                      max_questions, " DNS questions");
        }
        state->done(std::move(result));
      });
}

}  // namespace mxscan::checks::spf
