#include "scanner/scan/lookup_now.h"

#include <uv.h>

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace mxscan::scan {

std::vector<dns::LookupResult> LookupNow(
    const dns::ClientOptions& options, const std::vector<Question>& questions) {
  std::vector<dns::LookupResult> results(questions.size());
  for (size_t i = 0; i < questions.size(); ++i) {
    results[i].name = questions[i].name;
    results[i].type = questions[i].type;
    results[i].status = dns::LookupStatus::kError;
  }
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0) return results;
  {
    absl::StatusOr<std::unique_ptr<dns::Client>> client =
        dns::Client::Create(&loop, options);
    if (!client.ok()) {
      for (dns::LookupResult& r : results) {
        r.error = std::string(client.status().message());
      }
    } else {
      // The client's sockets keep the loop alive: stop with the last result.
      size_t pending = questions.size();
      for (size_t i = 0; i < questions.size(); ++i) {
        (*client)->Resolve(questions[i].name, questions[i].type,
                           [&results, &pending, &loop, i](dns::LookupResult r) {
                             results[i] = std::move(r);
                             if (--pending == 0) uv_stop(&loop);
                           });
      }
      if (pending > 0) uv_run(&loop, UV_RUN_DEFAULT);
      client->reset();  // closes its handles
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return results;
}

}  // namespace mxscan::scan
