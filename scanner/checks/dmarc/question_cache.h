#ifndef MXSCAN_SCANNER_CHECKS_DMARC_QUESTION_CACHE_H_
#define MXSCAN_SCANNER_CHECKS_DMARC_QUESTION_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/dns_source.h"
#include "scanner/dns/lookup.h"

namespace mxscan::checks::dmarc {

// QuestionCache puts each distinct (name, type) to a DnsSource once and
// gives the answer to everyone who asks, so that one discovery never asks
// the same question twice (walks for report hosts share names with the
// walk for the domain). Names are compared without ASCII case and trailing
// dot.
//
// Lives as long as one discovery and must outlive every question it sent
// (its callbacks point at it); it does not own the source.
class QuestionCache {
 public:
  using Callback = absl::AnyInvocable<void(const dns::LookupResult&)>;

  explicit QuestionCache(DnsSource& source) : source_(source) {}
  QuestionCache(const QuestionCache&) = delete;
  QuestionCache& operator=(const QuestionCache&) = delete;

  // Ask calls `done` once with the answer: later (from the source) for a
  // new question or one still in flight, but at once, before Ask returns,
  // when the answer is already known.
  void Ask(absl::string_view name, uint16_t type, Callback done);

  // Distinct questions sent to the source so far.
  size_t questions_sent() const { return entries_.size(); }

 private:
  struct Entry {
    bool answered = false;
    dns::LookupResult result;
    std::vector<Callback> waiting;
  };
  using Key = std::pair<std::string, uint16_t>;

  void OnAnswer(Entry* entry, const dns::LookupResult& result);

  DnsSource& source_;
  // Entries are boxed so that in-flight callbacks can hold their address.
  absl::flat_hash_map<Key, std::unique_ptr<Entry>> entries_;
};

}  // namespace mxscan::checks::dmarc

#endif  // MXSCAN_SCANNER_CHECKS_DMARC_QUESTION_CACHE_H_
