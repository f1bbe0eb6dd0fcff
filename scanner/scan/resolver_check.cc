#include "scanner/scan/resolver_check.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/dns/rr_type.h"
#include "scanner/scan/lookup_now.h"

namespace mxscan::scan {

std::vector<ResolverValidation> CheckResolvers(
    const dns::ClientOptions& options, const std::string& name) {
  std::vector<ResolverValidation> out;
  for (const dns::ResolverAddress& resolver : options.resolvers) {
    dns::ClientOptions one = options;
    one.resolvers = {resolver};
    one.retries = std::min(options.retries, 1);
    one.rate_qps = 0;
    one.udp_sockets = 1;
    one.query.dnssec_ok = true;
    one.query.authentic_data = true;
    const dns::LookupResult r =
        LookupNow(one, {{name, dns::rr_type::kDnskey}})[0];
    ResolverValidation v;
    v.address = resolver.text;
    v.validating = r.status == dns::LookupStatus::kNoError && r.authenticated;
    if (v.validating) {
      v.validation = "validating";
    } else if (r.status == dns::LookupStatus::kNoError) {
      v.validation = "not validating";
    } else {
      v.validation = absl::StrCat("not validating (",
                                  dns::LookupStatusName(r.status), ")");
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace mxscan::scan
