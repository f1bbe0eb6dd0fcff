#include "tests/smtp/script_driver.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "scanner/smtp/ehlo_reply.h"
#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp::testing {
namespace {

// Flights up to this size are cut at every position.
constexpr size_t kExhaustiveFlight = 4096;
// A session makes a bounded number of moves per event; this catches loops.
constexpr size_t kMaxMovesPerEvent = 64;

// Pieces hands out the pieces of one flight under a cutting, lazily (a
// 10 MB flight trickled is 10 million pieces).
class Pieces {
 public:
  Pieces(absl::string_view flight, size_t flight_number, const Cutting& cutting)
      : flight_(flight) {
    switch (cutting.mode) {
      case Cutting::Mode::kWhole:
        break;
      case Cutting::Mode::kSplitOne:
        if (cutting.flight == flight_number) cut_ = cutting.position;
        break;
      case Cutting::Mode::kTrickle:
        trickle_ = true;
        break;
    }
  }

  bool Done() const { return done_; }

  absl::string_view Next() {
    size_t end = flight_.size();
    if (trickle_) {
      end = std::min(offset_ + 1, flight_.size());
    } else if (cut_ > offset_ && cut_ < flight_.size()) {
      end = cut_;
    }
    absl::string_view piece = flight_.substr(offset_, end - offset_);
    offset_ = end;
    done_ = offset_ >= flight_.size();
    return piece;
  }

 private:
  absl::string_view flight_;
  size_t offset_ = 0;
  size_t cut_ = 0;
  bool trickle_ = false;
  bool done_ = false;
};

absl::string_view KindName(ServerEvent::Kind kind) {
  switch (kind) {
    case ServerEvent::Kind::kSend:
      return "send";
    case ServerEvent::Kind::kClose:
      return "close";
    case ServerEvent::Kind::kTimeout:
      return "timeout";
    case ServerEvent::Kind::kHandshakeOk:
      return "handshake-ok";
    case ServerEvent::Kind::kHandshakeFail:
      return "handshake-fail";
    case ServerEvent::Kind::kConnectFail:
      return "connect-fail";
  }
  return "?";
}

std::string DescribeEhlo(const EhloReply& e) {
  return absl::StrCat(
      "domain=", absl::CEscape(e.domain),
      " greeting=", absl::CEscape(e.greeting), " ext=[",
      absl::CEscape(absl::StrJoin(e.ExtensionStrings(), "|")), "] malformed=[",
      absl::CEscape(absl::StrJoin(e.malformed_lines, "|")), "]");
}

std::string CuttingName(const Cutting& c) {
  std::string name;
  switch (c.mode) {
    case Cutting::Mode::kWhole:
      name = "whole";
      break;
    case Cutting::Mode::kSplitOne:
      name = absl::StrCat("flight ", c.flight, " cut at ", c.position);
      break;
    case Cutting::Mode::kTrickle:
      name = "trickled";
      break;
  }
  if (c.act_between_pieces) name += ", acting between pieces";
  return name;
}

bool SameRun(const Transcript& a, const Transcript& b) {
  return a.writes == b.writes && a.described == b.described &&
         a.unused_events == b.unused_events && a.driver_error == b.driver_error;
}

}  // namespace

ServerEvent Send(std::string bytes) {
  return ServerEvent{ServerEvent::Kind::kSend, std::move(bytes), 0};
}
ServerEvent PeerClose() {
  return ServerEvent{ServerEvent::Kind::kClose, "", 0};
}
ServerEvent Timeout() {
  return ServerEvent{ServerEvent::Kind::kTimeout, "", 0};
}
ServerEvent HandshakeOk() {
  return ServerEvent{ServerEvent::Kind::kHandshakeOk, "", 0};
}
ServerEvent HandshakeFail(std::string error, int code) {
  return ServerEvent{ServerEvent::Kind::kHandshakeFail, std::move(error), code};
}
ServerEvent ConnectFail(int error_number, std::string message) {
  return ServerEvent{ServerEvent::Kind::kConnectFail, std::move(message),
                     error_number};
}

std::string Describe(const SessionResult& r) {
  std::vector<std::string> lines = {
      absl::StrCat("connected=", r.connected),
      absl::StrCat("banner_code=", r.banner_code),
      absl::StrCat("banner=[",
                   absl::CEscape(absl::StrJoin(r.banner_lines, "|")), "]"),
      absl::StrCat("ehlo_code=", r.ehlo_code),
      absl::StrCat("helo_used=", r.helo_used, " helo_code=", r.helo_code),
      absl::StrCat("ehlo: ", DescribeEhlo(r.ehlo)),
      absl::StrCat("starttls_offered=", r.starttls_offered,
                   " starttls_code=", r.starttls_code),
      absl::StrCat("tls_attempted=", r.tls_attempted,
                   " tls_succeeded=", r.tls_succeeded),
      absl::StrCat("ehlo_tls_code=", r.ehlo_tls_code),
      absl::StrCat("ehlo_tls: ", DescribeEhlo(r.ehlo_tls)),
      absl::StrCat("quit_code=", r.quit_code),
      absl::StrCat("deferred=", r.deferred),
      absl::StrCat("early_data_bytes=", r.early_data_bytes,
                   " early_data_stage=", StageName(r.early_data_stage)),
  };
  if (r.error.has_value()) {
    lines.push_back(absl::StrCat(
        "error=", StageName(r.error->stage), "/", ErrorKindName(r.error->kind),
        "/", ReplyErrorName(r.error->reply_error), "/", r.error->code, ": ",
        absl::CEscape(r.error->message)));
  } else {
    lines.push_back("error=none");
  }
  return absl::StrJoin(lines, "\n");
}

Transcript RunScript(const SessionOptions& options, const Script& script,
                     const Cutting& cutting) {
  Session session(options);
  Transcript t;
  size_t next_event = 0;
  size_t flight_number = 0;
  bool in_tls = false;
  // The flight being fed when acting between pieces.
  Pieces pieces("", 0, cutting);
  bool feeding = false;

  const size_t max_moves = kMaxMovesPerEvent * (script.size() + 4);
  size_t moves = 0;
  for (;;) {
    if (!feeding && ++moves > max_moves) {
      t.driver_error = "the session never finished";
      break;
    }
    const Session::Action action = session.NextAction();
    if (action == Session::Action::kDone) break;
    switch (action) {
      case Session::Action::kConnect:
        if (next_event < script.size() &&
            script[next_event].kind == ServerEvent::Kind::kConnectFail) {
          const ServerEvent& e = script[next_event++];
          session.OnConnectFailed(e.code, e.data);
        } else {
          session.OnConnected();
        }
        break;
      case Session::Action::kWrite:
        t.writes.push_back(
            absl::StrCat(in_tls ? "tls:" : "", session.TakeOutgoing()));
        break;
      case Session::Action::kRead: {
        if (feeding) {
          session.OnBytes(pieces.Next());
          feeding = !pieces.Done();
          break;
        }
        if (next_event == script.size()) {
          session.OnTimeout();  // the server has nothing more to say
          break;
        }
        const ServerEvent& e = script[next_event++];
        switch (e.kind) {
          case ServerEvent::Kind::kSend:
            pieces = Pieces(e.data, flight_number++, cutting);
            if (cutting.act_between_pieces) {
              session.OnBytes(pieces.Next());
              feeding = !pieces.Done();
            } else {
              do {
                session.OnBytes(pieces.Next());
              } while (!pieces.Done());
            }
            break;
          case ServerEvent::Kind::kClose:
            session.OnPeerClosed();
            break;
          case ServerEvent::Kind::kTimeout:
            session.OnTimeout();
            break;
          default:
            t.driver_error = absl::StrCat("the session reads but the script ",
                                          "has ", KindName(e.kind));
            session.OnClosed();
            break;
        }
        break;
      }
      case Session::Action::kStartTls: {
        if (feeding) {
          // An adapter hands what follows the 220 to TLS, which cannot
          // make a handshake of plaintext.
          feeding = false;
          session.OnTlsHandshakeDone(false, "plaintext where TLS was due");
          break;
        }
        if (next_event == script.size()) {
          session.OnTimeout();
          break;
        }
        const ServerEvent& e = script[next_event++];
        switch (e.kind) {
          case ServerEvent::Kind::kHandshakeOk:
            in_tls = true;
            session.OnTlsHandshakeDone(true, "");
            break;
          case ServerEvent::Kind::kHandshakeFail:
            session.OnTlsHandshakeDone(false, e.data, e.code);
            break;
          case ServerEvent::Kind::kClose:
            session.OnPeerClosed();
            break;
          case ServerEvent::Kind::kTimeout:
            session.OnTimeout();
            break;
          case ServerEvent::Kind::kSend:
            // A confused adapter feeding plaintext during the handshake.
            session.OnBytes(e.data);
            break;
          case ServerEvent::Kind::kConnectFail:
            t.driver_error = "the script has connect-fail at the handshake";
            session.OnClosed();
            break;
        }
        break;
      }
      case Session::Action::kClose:
        feeding = false;
        session.OnClosed();
        break;
      case Session::Action::kDone:
        break;
    }
  }
  t.result = session.result();
  t.described = Describe(t.result);
  t.unused_events = script.size() - next_event;
  return t;
}

Transcript RunEverySplit(const SessionOptions& options, const Script& script,
                         bool adapter_equivalent) {
  const Transcript whole = RunScript(options, script);
  EXPECT_EQ(whole.driver_error, "");

  auto same_as_whole = [&](const Cutting& cutting) {
    const Transcript t = RunScript(options, script, cutting);
    if (SameRun(t, whole)) return true;
    ADD_FAILURE() << "run " << CuttingName(cutting)
                  << " differs from the whole run.\nwhole writes: "
                  << absl::CEscape(absl::StrJoin(whole.writes, "|"))
                  << "\nthis writes:  "
                  << absl::CEscape(absl::StrJoin(t.writes, "|"))
                  << "\nwhole result:\n"
                  << whole.described << "\nthis result:\n"
                  << t.described << "\nunused events " << whole.unused_events
                  << " vs " << t.unused_events
                  << "\ndriver: " << t.driver_error;
    return false;
  };

  size_t flight_number = 0;
  for (const ServerEvent& e : script) {
    if (e.kind != ServerEvent::Kind::kSend) continue;
    const size_t size = e.data.size();
    // Big flights: both ends, and about 256 cuts spread over the middle.
    const size_t stride = std::max<size_t>(1, size / 256);
    std::vector<size_t> positions;
    for (size_t p = 1; p < size; ++p) {
      const bool sampled = p < 64 || size - p < 64 || p % stride == 0;
      if (size <= kExhaustiveFlight || sampled) positions.push_back(p);
    }
    for (size_t p : positions) {
      Cutting c;
      c.mode = Cutting::Mode::kSplitOne;
      c.flight = flight_number;
      c.position = p;
      if (!same_as_whole(c)) break;  // one report per flight is enough
    }
    ++flight_number;
  }
  Cutting trickle;
  trickle.mode = Cutting::Mode::kTrickle;
  same_as_whole(trickle);
  if (adapter_equivalent) {
    trickle.act_between_pieces = true;
    same_as_whole(trickle);
  }
  return whole;
}

}  // namespace mxscan::smtp::testing
