#include "scanner/stats/collect.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "scanner/results/result_reader.h"

namespace mxscan::stats {

absl::StatusOr<Collected> CollectFiles(const std::vector<std::string>& files,
                                       const OrgDomainOf& org_domain_of,
                                       int threads) {
  threads = std::clamp(threads, 1, std::max(1, static_cast<int>(files.size())));
  std::vector<Collected> partial(threads);
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  absl::Status failure;
  auto work = [&](Collected* mine) {
    for (size_t i = next++; i < files.size(); i = next++) {
      absl::StatusOr<results::ReadStats> read =
          results::ReadResults({files[i]}, [&](const DomainResult& r) {
            mine->aggregate.Add(SummarizeDomain(r, org_domain_of));
          });
      if (!read.ok()) {
        absl::MutexLock lock(&mu);
        if (failure.ok()) failure = read.status();
        next = files.size();  // stop the others early
        return;
      }
      mine->records += read->records;
      mine->torn += read->torn;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, &partial[t]);
  work(&partial[0]);
  for (std::thread& t : pool) t.join();
  if (!failure.ok()) return failure;
  Collected all = std::move(partial[0]);
  for (int t = 1; t < threads; ++t) {
    all.aggregate.Merge(partial[t].aggregate);
    all.records += partial[t].records;
    all.torn += partial[t].torn;
  }
  return all;
}

}  // namespace mxscan::stats
