#ifndef MXSCAN_SCANNER_TLS_DANE_H_
#define MXSCAN_SCANNER_TLS_DANE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/mxscan.pb.h"

namespace mxscan::tls {

// Outcome of DANE authentication of one SMTP server (RFC 7672).
struct DaneVerdict {
  // The server is authenticated by a usable TLSA record of an
  // authenticated (DNSSEC-validated) answer.
  bool valid = false;
  // Index in Tlsa.records of the first record that authenticated the
  // server; -1 when none did.
  int matched_record = -1;
  // Records SMTP can use: DANE-TA(2)/DANE-EE(3) with known parameters
  // and well-formed data (tlsa_match.h).
  int usable_records = 0;
  // How it matched ("DANE-EE(3) record 0 matched the leaf"), or why
  // nothing did ("TLSA answer not authenticated", "no usable TLSA
  // records", "no TLSA record matched", "DANE-TA(2) record 1 matched
  // certificate 1 but the leaf is not valid for mx.example.com").
  std::string detail;
};

// CheckDane authenticates the chain `chain_der` (leaf first, as presented)
// of the MX host `mx_host` with the TLSA records `tlsa` (from
// _25._tcp.<mx_host>), at `scan_time` (seconds since the epoch).
//  - Nothing is valid unless tlsa.authenticated() (the AD bit).
//  - DANE-EE(3): the leaf's DER (selector 0) or SubjectPublicKeyInfo
//    (selector 1) matches exactly, by SHA-256 or by SHA-512; neither the
//    name nor the validity period is checked (RFC 7672 section 3.1.1).
//  - DANE-TA(2): a certificate of the presented chain other than the leaf
//    matches; the leaf must chain up to it (that certificate is the only
//    trust anchor; the CA bundle is ignored), every certificate valid at
//    `scan_time`, and the leaf must be valid for `mx_host` (RFC 6125 as in
//    hostname_match.h; RFC 7672 section 3.2.2). A trust anchor the server
//    does not send is not looked for.
//  - PKIX-TA(0), PKIX-EE(1), unknown parameters and malformed data are
//    ignored (RFC 7672 section 3.1.3).
// Records are tried in order; the first that authenticates wins. Never
// fails; garbage certificates simply do not match. Thread-safe.
DaneVerdict CheckDane(const mxscan::Tlsa& tlsa,
                      absl::Span<const std::string> chain_der,
                      absl::string_view mx_host, int64_t scan_time);

// FillDane sets tlsa->dane_valid from `verdict`; the records and the
// authenticated bit are left as they are.
void FillDane(const DaneVerdict& verdict, mxscan::Tlsa* tlsa);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_DANE_H_
