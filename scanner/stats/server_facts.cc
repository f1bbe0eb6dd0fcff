#include "scanner/stats/server_facts.h"

namespace mxscan::stats {

bool Answered(const MxAddress& address) {
  if (!address.has_smtp()) return false;
  const SmtpProbe& smtp = address.smtp();
  return smtp.connected() && !smtp.deferred() && smtp.banner_code() >= 200 &&
         smtp.banner_code() < 300;
}

bool CertificateValid(const TlsInfo& tls) {
  return tls.cert_trusted() && tls.hostname_match() && !tls.cert_expired();
}

bool UsableForSmtp(const TlsaRecord& record) {
  return (record.usage() == 2 || record.usage() == 3) &&
         record.selector() <= 1 && record.matching_type() <= 2;
}

bool HasUsableSecureTlsa(const MxHost& host) {
  if (!host.tlsa().authenticated()) return false;
  for (const TlsaRecord& record : host.tlsa().records()) {
    if (UsableForSmtp(record)) return true;
  }
  return false;
}

bool ReceivesNoMail(const DomainResult& r) {
  if (r.status() == DomainResult::NXDOMAIN) return true;
  if (r.null_mx()) return r.mx_size() == 0;
  if (!r.implicit_mx()) return false;
  for (const MxHost& host : r.mx()) {
    if (host.addresses_size() > 0) return false;
    if (host.address_status() != NOERROR && host.address_status() != NXDOMAIN) {
      return false;
    }
  }
  return true;
}

}  // namespace mxscan::stats
