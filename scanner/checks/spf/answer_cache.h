#ifndef MXSCAN_SCANNER_CHECKS_SPF_ANSWER_CACHE_H_
#define MXSCAN_SCANNER_CHECKS_SPF_ANSWER_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/spf/txt_record.h"
#include "scanner/dns/lookup.h"

namespace mxscan::checks::spf {

// Question is one DNS question of an SPF analysis: the name in DNS
// presentation form (lowercase, no trailing dot) and the type.
using Question = std::pair<std::string, uint16_t>;

// MakeQuestion builds the question for a raw name (escaped to presentation
// form, lowercased, trailing dot dropped).
Question MakeQuestion(absl::string_view raw_name, uint16_t type);
// NameQuestion builds the question for a name already in presentation form
// (an MX exchange, a PTR name, a reverse name): lowercased, trailing dot
// dropped, not escaped again.
Question NameQuestion(absl::string_view presentation_name, uint16_t type);

// AnswerCache holds the answers one analysis has received, by question,
// so that each distinct question is asked once, and what SPF reads in a
// TXT answer, so that a walk run again over more answers parses each
// record once. Not shared between threads.
class AnswerCache {
 public:
  // Find returns the stored answer, or nullptr when the question has not
  // been answered (yet).
  const dns::LookupResult* Find(const Question& question) const;
  // Put stores (or replaces) the answer to `question`.
  void Put(const Question& question, dns::LookupResult answer);
  // SpfTxtOf is the SPF reading of the TXT records of the stored answer to
  // `question`, worked out on the first call; `question` must be stored.
  const SpfTxt& SpfTxtOf(const Question& question) const;
  size_t size() const { return answers_.size(); }

 private:
  struct Entry {
    dns::LookupResult answer;
    mutable std::unique_ptr<const SpfTxt> spf;  // read on demand
  };
  absl::node_hash_map<Question, Entry> answers_;
};

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_ANSWER_CACHE_H_
