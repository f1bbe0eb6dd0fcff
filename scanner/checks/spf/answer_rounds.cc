#include "scanner/checks/spf/answer_rounds.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mxscan::checks::spf {
namespace {

// Rounds is the state of one AskInRounds call, owned by the callbacks of
// its pending lookups.
class Rounds : public std::enable_shared_from_this<Rounds> {
 public:
  Rounds(DnsSource& source, int max_questions, WalkPass walk,
         absl::AnyInvocable<void(bool)> done)
      : source_(source),
        max_questions_(max_questions),
        walk_(std::move(walk)),
        done_(std::move(done)) {}

  void Round() {
    const std::set<Question> missing = walk_(cache_);
    if (missing.empty()) {
      done_(true);
      return;
    }
    std::vector<Question> ask;
    for (const Question& question : missing) {
      if (asked_ + static_cast<int>(ask.size()) >= max_questions_) break;
      ask.push_back(question);
    }
    if (ask.empty()) {
      done_(false);
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
  const int max_questions_;
  WalkPass walk_;
  absl::AnyInvocable<void(bool)> done_;
  AnswerCache cache_;
  int asked_ = 0;
  size_t outstanding_ = 0;
};

}  // namespace

void AskInRounds(DnsSource& source, int max_questions, WalkPass walk,
                 absl::AnyInvocable<void(bool complete)> done) {
  std::make_shared<Rounds>(source, max_questions, std::move(walk),
                           std::move(done))
      ->Round();
}

}  // namespace mxscan::checks::spf
