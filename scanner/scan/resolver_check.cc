#include "scanner/scan/resolver_check.h"

#include <uv.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::scan {

std::vector<ResolverValidation> CheckResolvers(
    const dns::ClientOptions& options, const std::string& name) {
  std::vector<ResolverValidation> out;
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0) return out;
  std::vector<std::unique_ptr<dns::Client>> clients;
  out.resize(options.resolvers.size());
  // The clients' sockets keep the loop alive: it stops with the last answer.
  size_t pending = 0;
  for (size_t i = 0; i < options.resolvers.size(); ++i) {
    out[i].address = options.resolvers[i].text;
    out[i].validation = "not validating (no answer)";
    dns::ClientOptions one = options;
    one.resolvers = {options.resolvers[i]};
    one.retries = std::min(options.retries, 1);
    one.rate_qps = 0;
    one.udp_sockets = 1;
    one.query.dnssec_ok = true;
    one.query.authentic_data = true;
    absl::StatusOr<std::unique_ptr<dns::Client>> client =
        dns::Client::Create(&loop, one);
    if (!client.ok()) {
      out[i].validation =
          absl::StrCat("not validating (", client.status().message(), ")");
      continue;
    }
    ++pending;
    (*client)->Resolve(
        name, dns::rr_type::kDnskey,
        [&out, &pending, &loop, i](dns::LookupResult r) {
          if (--pending == 0) uv_stop(&loop);
          out[i].validating =
              r.status == dns::LookupStatus::kNoError && r.authenticated;
          if (out[i].validating) {
            out[i].validation = "validating";
          } else if (r.status == dns::LookupStatus::kNoError) {
            out[i].validation = "not validating";
          } else {
            out[i].validation = absl::StrCat(
                "not validating (", dns::LookupStatusName(r.status), ")");
          }
        });
    clients.push_back(*std::move(client));
  }
  if (pending > 0) uv_run(&loop, UV_RUN_DEFAULT);
  clients.clear();  // closes their handles
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return out;
}

}  // namespace mxscan::scan
