#include "scanner/checks/dmarc/question_cache.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"

namespace mxscan::checks::dmarc {

void QuestionCache::Ask(absl::string_view name, uint16_t type, Callback done) {
  absl::ConsumeSuffix(&name, ".");
  Key key(absl::AsciiStrToLower(name), type);
  auto [it, inserted] = entries_.try_emplace(key, nullptr);
  if (!inserted) {
    Entry* entry = it->second.get();
    if (entry->answered) {
      done(entry->result);
    } else {
      entry->waiting.push_back(std::move(done));
    }
    return;
  }
  it->second = std::make_unique<Entry>();
  Entry* entry = it->second.get();
  entry->waiting.push_back(std::move(done));
  source_.Lookup(key.first, type, [this, entry](const dns::LookupResult& r) {
    OnAnswer(entry, r);
  });
}

void QuestionCache::OnAnswer(Entry* entry, const dns::LookupResult& result) {
  entry->answered = true;
  entry->result = result;
  // A waiter may ask more (and even be the last owner of this cache's
  // owner), so take the list out first and touch nothing of `this` after.
  std::vector<Callback> waiting = std::move(entry->waiting);
  entry->waiting.clear();
  for (Callback& callback : waiting) callback(result);
}

}  // namespace mxscan::checks::dmarc
