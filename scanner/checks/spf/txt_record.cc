#include "scanner/checks/spf/txt_record.h"

#include "scanner/checks/spf/record.h"

namespace mxscan::checks::spf {

std::vector<std::string> SpfRecords(const std::vector<std::string>& txt) {
  std::vector<std::string> out;
  for (const std::string& record : txt) {
    if (IsSpfRecord(record)) out.push_back(record);
  }
  return out;
}

}  // namespace mxscan::checks::spf
