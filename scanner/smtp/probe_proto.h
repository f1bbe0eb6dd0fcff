#ifndef MXSCAN_SCANNER_SMTP_PROBE_PROTO_H_
#define MXSCAN_SCANNER_SMTP_PROBE_PROTO_H_

#include <string>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp {

// ToProtoStage maps a Stage to the mxscan.Stage of the result schema.
::mxscan::Stage ToProtoStage(Stage stage);

// FillSmtpProbe copies a session's outcome into `probe`: connected,
// banner_code, banner (the banner's lines joined by "\n"), ehlo_extensions
// ("KEYWORD PARAM ..." each, as advertised before TLS), starttls_offered,
// starttls_code, deferred and error (cleared when there is none); when the
// handshake succeeded, also tls.ehlo_extensions_tls. The other TlsInfo
// fields, tlsa and duration_ms belong to other layers and are left alone.
// Server text is passed through ProtoSafeText.
void FillSmtpProbe(const SessionResult& result, ::mxscan::SmtpProbe* probe);

// ProtoSafeText returns `text` as valid UTF-8, which proto3 string fields
// require (a parser rejects a record without it): every byte that is not
// part of a well-formed UTF-8 sequence becomes "\xNN" (lowercase hex).
std::string ProtoSafeText(absl::string_view text);

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_PROBE_PROTO_H_
