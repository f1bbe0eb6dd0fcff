#include "scanner/checks/dmarc/result_fields.h"

namespace mxscan::checks::dmarc {

void FillRecordFields(const DmarcParse& parse, DmarcProfile profile,
                      mxscan::DmarcResult* result) {
  const DmarcRecord& r = parse.record;
  const bool rfc9989 = profile == DmarcProfile::kRfc9989;
  result->set_subdomain_policy(r.sp ? DmarcPolicyName(*r.sp) : "");
  result->set_np(r.np ? DmarcPolicyName(*r.np) : "");
  result->set_adkim(DmarcAlignmentName(r.Adkim()));
  result->set_aspf(DmarcAlignmentName(r.Aspf()));
  result->clear_fo();
  for (const std::string& option : r.Fo()) result->add_fo(option);
  result->set_psd(rfc9989 || r.psd ? DmarcPsdName(r.Psd()) : "");
  result->set_t(rfc9989 || r.t ? (r.Testing() ? "y" : "n") : "");
  result->set_pct(rfc9989 ? 0 : r.Pct());
  if (r.pct_tag.has_value()) {
    result->set_pct_tag(*r.pct_tag);
  } else {
    result->clear_pct_tag();
  }
  result->clear_rua();
  for (const ReportUri& uri : r.rua) result->add_rua(uri.uri);
  result->clear_ruf();
  for (const ReportUri& uri : r.ruf) result->add_ruf(uri.uri);
}

}  // namespace mxscan::checks::dmarc
