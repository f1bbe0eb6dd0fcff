#ifndef MXSCAN_SCANNER_CHECKS_DEFAULT_DKIM_SELECTORS_H_
#define MXSCAN_SCANNER_CHECKS_DEFAULT_DKIM_SELECTORS_H_

namespace mxscan::checks {

// Selectors looked up when --dkim-selectors is not given: those of the
// large mail providers and common defaults. DKIM selectors cannot be
// enumerated from DNS, so a scan can only prove keys it guesses.
inline constexpr const char* kDefaultDkimSelectors[] = {
    "default",    "dkim",      "mail",      "selector1", "selector2",
    "google",     "k1",        "k2",        "s1",        "s2",
    "mandrill",   "smtp",      "mxvault",   "everlytic", "dkim1",
};

}  // namespace mxscan::checks

#endif  // MXSCAN_SCANNER_CHECKS_DEFAULT_DKIM_SELECTORS_H_
