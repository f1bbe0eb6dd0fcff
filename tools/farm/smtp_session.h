#ifndef MXSCAN_TOOLS_FARM_SMTP_SESSION_H_
#define MXSCAN_TOOLS_FARM_SMTP_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "tools/farm/behaviours.h"
#include "tools/farm/conversation.h"

namespace mxscan::farm {

// SmtpSession is the server side of one SMTP conversation of the farm, as
// its site's behaviour says (behaviours.h): banner, EHLO/HELO, STARTTLS,
// QUIT, and the misbehaviours. No I/O: it takes the client's bytes in any
// split and returns Steps. The TLS handshake itself belongs to the
// connection; the certificate each behaviour presents to tls_contexts.h.
//
// Bounded: a command line longer than kMaxLine, or more than kMaxInput
// bytes buffered while the session is not reading commands, ends the
// conversation; after kMaxErrors bad commands the server says 421 and
// closes. Lives on the thread of its connection; `site` must outlive it.
class SmtpSession : public Conversation {
 public:
  static constexpr size_t kMaxLine = 4096;
  static constexpr size_t kMaxInput = 64 * 1024;
  static constexpr int kMaxErrors = 20;
  // endless_line's banner line and huge_reply's EHLO reply stop after this
  // many bytes (the line is then cut by closing the connection).
  static constexpr size_t kStreamCap = 10 * 1024 * 1024;
  // The most a streaming Step sends at once.
  static constexpr size_t kStreamChunk = 64 * 1024;

  explicit SmtpSession(const SmtpSite& site) : site_(site) {}

  Step Start() override;
  Step OnBytes(absl::string_view bytes) override;
  Step OnTimer() override;
  Step OnDrained() override;
  Step OnTlsEstablished(absl::string_view server_name) override;

  bool tls() const { return tls_; }

 private:
  enum class State {
    kBeforeBanner,  // slow_banner's wait
    kCommands,      // reading commands
    kBannerStream,  // endless_line: the banner line grows
    kEhloStream,    // huge_reply: the EHLO reply grows
    kIgnoring,      // silent, or the conversation is over
  };

  std::string Banner() const;
  std::string EhloReply(absl::string_view client) const;
  // Runs the buffered complete command lines into `step` until one of
  // them needs something other than kRead.
  void RunCommands(Step* step);
  void Command(absl::string_view line, Step* step);
  void Error(absl::string_view reply, Step* step);
  void StreamChunk(Step* step);

  const SmtpSite& site_;
  State state_ = State::kBeforeBanner;
  bool tls_ = false;
  std::string in_;
  size_t streamed_ = 0;
  int errors_ = 0;
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_SMTP_SESSION_H_
