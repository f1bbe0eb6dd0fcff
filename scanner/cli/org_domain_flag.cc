#include "scanner/cli/org_domain_flag.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "scanner/checks/org_domain/public_suffix_list.h"
#include "scanner/cli/common_flags.h"

namespace mxscan::cli {

absl::StatusOr<stats::OrgDomainOf> OrgDomainOfFromFlags() {
  using checks::org_domain::PublicSuffixList;
  absl::StatusOr<PublicSuffixList> psl =
      PublicSuffixList::Load(absl::GetFlag(FLAGS_psl_file));
  if (!psl.ok()) return psl.status();
  auto shared = std::make_shared<const PublicSuffixList>(std::move(*psl));
  return stats::OrgDomainOf([shared](absl::string_view host) {
    return shared->OrganizationalDomain(host);
  });
}

}  // namespace mxscan::cli
