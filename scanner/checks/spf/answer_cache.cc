#include "scanner/checks/spf/answer_cache.h"

#include "scanner/checks/spf/domain_name.h"

namespace mxscan::checks::spf {

Question MakeQuestion(absl::string_view raw_name, uint16_t type) {
  return {CanonicalName(PresentationName(raw_name)), type};
}

Question NameQuestion(absl::string_view presentation_name, uint16_t type) {
  return {CanonicalName(presentation_name), type};
}

const dns::LookupResult* AnswerCache::Find(const Question& question) const {
  auto it = answers_.find(question);
  return it == answers_.end() ? nullptr : &it->second.answer;
}

void AnswerCache::Put(const Question& question, dns::LookupResult answer) {
  Entry& entry = answers_[question];
  entry.answer = std::move(answer);
  entry.spf.reset();
}

const SpfTxt& AnswerCache::SpfTxtOf(const Question& question) const {
  const Entry& entry = answers_.at(question);
  if (entry.spf == nullptr) {
    entry.spf = std::make_unique<const SpfTxt>(
        ReadSpfTxt(dns::TxtRecords(entry.answer)));
  }
  return *entry.spf;
}

}  // namespace mxscan::checks::spf
