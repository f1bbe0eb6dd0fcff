#ifndef MXSCAN_SCANNER_EXPORT_ROWS_H_
#define MXSCAN_SCANNER_EXPORT_ROWS_H_

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/export/value.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::db_export {

// Row mapping: pure functions from result records to the rows of the
// schema (schema.h, SCHEMA.md). Nothing here touches a database.

// MapDomainRows sends `sink` every row of one domain of scan `scan_id`: the
// domains row (its own fields, then the metrics, TLS category and
// self-hosting of `summary`, which must be stats::SummarizeDomain(result)),
// the summary's providers, certificate problems and verification errors,
// the records (SPF, DMARC, MTA-STS, TLS-RPT, BIMI, DKIM keys), their lists
// (record_lists), the MX hosts, TLSA records, addresses, SMTP probes, TLS
// sessions and chains. A sub-record absent from `result` gives no row.
void MapDomainRows(const DomainResult& result,
                   const stats::DomainSummary& summary,
                   absl::string_view scan_id, RowSink& sink);

// MapCertificateRow sends the certificates row of `certificate`.
void MapCertificateRow(const Certificate& certificate, RowSink& sink);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_ROWS_H_
