#include "scanner/checks/spf/analysis.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "scanner/checks/spf/answer_cache.h"

namespace mxscan::checks::spf {
namespace {

// Analysis drives the rounds of one AnalyzeSpf call. Owned by the
// callbacks of its pending lookups; lives on the thread of its source.
class Analysis : public std::enable_shared_from_this<Analysis> {
 public:
  Analysis(DnsSource& source, absl::string_view domain,
           absl::AnyInvocable<void(mxscan::SpfResult)> done,
           const AnalysisOptions& options)
      : source_(source),
        domain_(domain),
        done_(std::move(done)),
        options_(options) {}

  // Round walks the policy over the answers so far and either reports or
  // asks what the walk is missing.
  void Round() {
    WalkOutcome outcome = WalkPolicy(domain_, cache_, options_.walk);
    if (outcome.missing.empty()) {
      done_(std::move(outcome.result));
      return;
    }
    std::vector<Question> ask;
    for (const Question& question : outcome.missing) {
      if (asked_ + static_cast<int>(ask.size()) >= options_.max_questions) {
        break;
      }
      ask.push_back(question);
    }
    if (ask.empty()) {
      outcome.result.add_warnings(
          absl::StrCat("analysis stopped after ", asked_,
                       " DNS questions: parts of the policy were not judged"));
      outcome.result.set_valid(false);
      done_(std::move(outcome.result));
      return;
    }
    asked_ += static_cast<int>(ask.size());
    outstanding_ = ask.size();
    auto self = shared_from_this();
    for (Question& question : ask) {
      const std::string name = question.first;
      const uint16_t type = question.second;
      source_.Lookup(name, type,
                     [self, question = std::move(question)](
                         const dns::LookupResult& answer) {
                       self->cache_.Put(question, answer);
                       if (--self->outstanding_ == 0) self->Round();
                     });
    }
  }

 private:
  DnsSource& source_;
  const std::string domain_;
  absl::AnyInvocable<void(mxscan::SpfResult)> done_;
  const AnalysisOptions options_;
  AnswerCache cache_;
  int asked_ = 0;
  size_t outstanding_ = 0;
};

}  // namespace

void AnalyzeSpf(DnsSource& source, absl::string_view domain,
                absl::AnyInvocable<void(mxscan::SpfResult)> done,
                const AnalysisOptions& options) {
  auto analysis =
      std::make_shared<Analysis>(source, domain, std::move(done), options);
  analysis->Round();
}

}  // namespace mxscan::checks::spf
