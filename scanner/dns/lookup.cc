#include "scanner/dns/lookup.h"

namespace mxscan::dns {

const char* LookupStatusName(LookupStatus status) {
  switch (status) {
    case LookupStatus::kNoError:
      return "NOERROR";
    case LookupStatus::kNxDomain:
      return "NXDOMAIN";
    case LookupStatus::kServFail:
      return "SERVFAIL";
    case LookupStatus::kRefused:
      return "REFUSED";
    case LookupStatus::kTimeout:
      return "TIMEOUT";
    case LookupStatus::kError:
      return "ERROR";
  }
  return "ERROR";
}

}  // namespace mxscan::dns
