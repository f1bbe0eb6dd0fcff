#include "scanner/smtp/probe_proto.h"

#include <cstddef>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/smtp/ehlo_reply.h"
#include "scanner/smtp/server_software.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at the front of `s` (RFC 3629
// section 4: no overlongs, no surrogates, nothing past U+10FFFF), or 0.
size_t Utf8SequenceLength(absl::string_view s) {
  const unsigned char b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  size_t length;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  const unsigned char b1 = static_cast<unsigned char>(s[1]);
  if (b1 < low || b1 > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (!IsContinuation(static_cast<unsigned char>(s[i]))) return 0;
  }
  return length;
}

}  // namespace

std::string ProtoSafeText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t n = Utf8SequenceLength(text);
    if (n == 0) {
      absl::StrAppendFormat(&out, "\\x%02x",
                            static_cast<unsigned char>(text[0]));
      text.remove_prefix(1);
    } else {
      out.append(text.data(), n);
      text.remove_prefix(n);
    }
  }
  return out;
}

::mxscan::Stage ToProtoStage(Stage stage) {
  switch (stage) {
    case Stage::kUnspecified:
      return ::mxscan::STAGE_UNSPECIFIED;
    case Stage::kConnect:
      return ::mxscan::CONNECT;
    case Stage::kBanner:
      return ::mxscan::BANNER;
    case Stage::kEhlo:
      return ::mxscan::EHLO;
    case Stage::kStartTls:
      return ::mxscan::STARTTLS;
    case Stage::kHandshake:
      return ::mxscan::HANDSHAKE;
    case Stage::kEhloTls:
      return ::mxscan::EHLO_TLS;
    case Stage::kQuit:
      return ::mxscan::QUIT;
    case Stage::kInput:
      return ::mxscan::INPUT;
  }
  return ::mxscan::STAGE_UNSPECIFIED;
}

void FillSmtpProbe(const SessionResult& result, ::mxscan::SmtpProbe* probe) {
  probe->set_connected(result.connected);
  probe->set_banner_code(static_cast<uint32_t>(result.banner_code));
  probe->set_banner(ProtoSafeText(absl::StrJoin(result.banner_lines, "\n")));
  probe->clear_ehlo_extensions();
  for (const EhloExtension& e : result.ehlo.extensions) {
    probe->add_ehlo_extensions(ProtoSafeText(e.ToString()));
  }
  probe->set_starttls_offered(result.starttls_offered);
  probe->set_starttls_code(static_cast<uint32_t>(result.starttls_code));
  probe->set_deferred(result.deferred);
  probe->set_ehlo_code(static_cast<uint32_t>(result.ehlo_code));
  probe->set_helo_used(result.helo_used);
  probe->set_tls_attempted(result.tls_attempted);
  probe->set_early_data_bytes(result.early_data_bytes);
  probe->set_quit_code(static_cast<uint32_t>(result.quit_code));
  if (result.error.has_value()) {
    ::mxscan::Error* error = probe->mutable_error();
    error->set_stage(ToProtoStage(result.error->stage));
    error->set_code(result.error->code);
    error->set_message(ProtoSafeText(result.error->message));
    error->set_kind(std::string(ErrorKindName(result.error->kind)));
  } else {
    probe->clear_error();
  }
  const EhloReply& ehlo = result.tls_succeeded ? result.ehlo_tls : result.ehlo;
  ::mxscan::SmtpFeatures* features = probe->mutable_features();
  features->set_pipelining(ehlo.Has("PIPELINING"));
  features->set_chunking(ehlo.Has("CHUNKING"));
  features->set_smtputf8(ehlo.Has("SMTPUTF8"));
  features->set_requiretls(ehlo.Has("REQUIRETLS"));
  features->set_eightbitmime(ehlo.Has("8BITMIME"));
  features->set_size_advertised(ehlo.Has("SIZE"));
  features->set_max_size(ehlo.MaxSize().value_or(0));
  if (result.banner_code != 0) {
    probe->set_software(ServerSoftware(absl::StrJoin(result.banner_lines, " "),
                                       result.ehlo.greeting,
                                       result.ehlo.domain));
  }
  if (result.tls_succeeded) {
    ::mxscan::TlsInfo* tls = probe->mutable_tls();
    tls->clear_ehlo_extensions_tls();
    for (const EhloExtension& e : result.ehlo_tls.extensions) {
      tls->add_ehlo_extensions_tls(ProtoSafeText(e.ToString()));
    }
  }
}

}  // namespace mxscan::smtp
