#ifndef MXSCAN_SCANNER_CHECKS_DKIM_DEFAULT_SELECTORS_H_
#define MXSCAN_SCANNER_CHECKS_DKIM_DEFAULT_SELECTORS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::checks::dkim {

// kDefaultDkimSelectors is what `mxscan scan` tries without
// --dkim-selectors. DKIM keys cannot be listed, only guessed, so this is the
// selectors that the big providers and common software publish by default;
// a miss proves nothing. Kept short: each one costs a TXT query per domain.
inline constexpr absl::string_view kDefaultDkimSelectors[] = {
    "google",      // Google Workspace
    "selector1",   // Microsoft 365 (the rotating pair)
    "selector2",   // Microsoft 365
    "k1",          // Mailchimp / Mandrill
    "k2",          // Mailchimp (domain authentication CNAMEs)
    "k3",          // Mailchimp
    "mandrill",    // Mandrill (Mailchimp Transactional)
    "s1",          // SendGrid (CNAME pair s1/s2)
    "s2",          // SendGrid
    "default",     // cPanel/Plesk/OpenDKIM-style hosting defaults
    "dkim",        // generic
    "mail",        // generic; also common in self-hosted setups
    "smtp",        // generic; also Mailgun's older default
    "everlytic",   // Everlytic
    "mxvault",     // MXVault
    "protonmail",  // Proton Mail custom domains (protonmail, 2, 3)
    "fm1",         // Fastmail custom domains (fm1..fm3)
    "zoho",        // Zoho (the selector in its set-up examples)
    "cm",          // Campaign Monitor
    "mailjet",     // Mailjet
};

// DefaultDkimSelectorsFlag returns kDefaultDkimSelectors comma-joined, the
// form of the --dkim-selectors flag.
std::string DefaultDkimSelectorsFlag();

}  // namespace mxscan::checks::dkim

#endif  // MXSCAN_SCANNER_CHECKS_DKIM_DEFAULT_SELECTORS_H_
