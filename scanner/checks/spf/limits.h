#ifndef MXSCAN_SCANNER_CHECKS_SPF_LIMITS_H_
#define MXSCAN_SCANNER_CHECKS_SPF_LIMITS_H_

namespace mxscan::checks::spf {

// CheckHostLimits are the processing limits of RFC 7208 section 4.6.4,
// adjustable for tests. Exceeding any of them is a permerror.
struct CheckHostLimits {
  int dns_mechanisms = 10;  // include, a, mx, ptr, exists, redirect
  int void_lookups = 2;     // NXDOMAIN or NODATA answers to those terms
  int mx_names = 10;        // MX records one mx mechanism may use
  int ptr_names = 10;       // PTR names one ptr mechanism (or %{p}) checks
};

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_LIMITS_H_
