#include "scanner/checks/dkim/default_selectors.h"

#include "absl/strings/str_join.h"

namespace mxscan::checks::dkim {

std::string DefaultDkimSelectorsFlag() {
  return absl::StrJoin(kDefaultDkimSelectors, ",");
}

}  // namespace mxscan::checks::dkim
