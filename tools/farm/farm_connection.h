#ifndef MXSCAN_TOOLS_FARM_FARM_CONNECTION_H_
#define MXSCAN_TOOLS_FARM_FARM_CONNECTION_H_

#include <openssl/ssl.h>
#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "tools/farm/conversation.h"
#include "tools/farm/latency.h"
#include "tools/farm/tls_contexts.h"
#include "tools/farm/tls_server_session.h"

namespace mxscan::farm {

class FarmConnection;
using ConnectionSet = absl::flat_hash_set<FarmConnection*>;

// FarmConnection is one accepted TCP connection of the farm: the thin
// adapter between a socket and a Conversation (SMTP or HTTPS). It carries
// out the conversation's Steps — plaintext, then TLS after STARTTLS (or
// from the start for HTTPS), timers, streaming with back-pressure, and the
// hostile endings (garbage instead of a ServerHello, a reset in the
// middle of the handshake).
//
// Bounds: the connection is closed `timeout_ms` after it was accepted,
// whatever it is doing; more than kMaxQueued unsent bytes (a client that
// sends without reading) close it too; input is bounded by the
// conversations. A graceful close sends close_notify (inside TLS), shuts
// the socket down once everything is written and waits up to kLingerMs
// for the client to close, so that the last reply is not lost to a reset.
//
// Reply delay (Settings::reply_delay, the farm's --reply-delay): the
// greeting, and every command the client sends in plaintext or inside TLS,
// are held for a draw of the delay before the conversation sees them, so
// each reply comes that much later (a server's think time and the
// network's latency, real-internet style). TLS handshake flights are not
// delayed. What arrives while something is held queues behind it, in
// order; a command's delay counts from its arrival.
//
// Owns itself: it is deleted once its four libuv handles have run their
// close callbacks, after CloseNow(). While open it is a member of the
// ConnectionSet it was given (the farm's), unless Detach()ed. Lives on the
// thread of its loop; the SSL_CTX, credential and whatever the
// conversation refers to must stay alive while it is open.
class FarmConnection {
 public:
  static constexpr size_t kMaxQueued = 4 * 1024 * 1024;
  static constexpr int64_t kLingerMs = 2000;

  struct Settings {
    SSL_CTX* tls_context = nullptr;          // for STARTTLS, or from the start
    const Credential* credential = nullptr;  // null: the context chooses
    std::string session_context;             // TLS resumption scope
    bool tls_from_start = false;             // HTTPS
    int64_t timeout_ms = 60000;
    // Each greeting and command held this long (off by default).
    LogNormalDelay reply_delay;
    // The key of this connection's draws (the farm's seed, the address,
    // the connection's ordinal there): same key, same delays.
    uint64_t delay_key = 0;
    // Called once when the connection closes, however it closes.
    std::function<void()> on_closed;
  };

  // Accept takes the pending connection of `server` and starts the
  // conversation; on failure the connection is simply dropped.
  static void Accept(uv_loop_t* loop, uv_stream_t* server,
                     std::unique_ptr<Conversation> conversation,
                     Settings settings, ConnectionSet* set);

  // CloseNow closes at once (with a TCP reset when `reset`); no callback
  // of the conversation runs afterwards.
  void CloseNow(bool reset = false);
  // Detach forgets the ConnectionSet (the farm is going away).
  void Detach() { set_ = nullptr; }

 private:
  enum class Mode {
    kPlain,         // the conversation reads plaintext from the socket
    kTlsHandshake,  // ciphertext goes to the handshake
    kTls,           // ciphertext is decrypted for the conversation
    kGarbage,       // garbage_tls: the next bytes are a ClientHello
    kReset,         // reset_handshake: the next bytes are a ClientHello
    kDraining,      // the end: what the client sends is ignored
  };
  enum class AfterDrain { kNothing, kStream, kReset };

  // Something held by the reply delay.
  struct Held {
    enum class Kind {
      kStart,      // the conversation's start (the greeting)
      kRaw,        // bytes (or an end: nread < 0) as read from the socket
      kPlaintext,  // decrypted bytes for the conversation
      kTlsEnd,     // the client's close_notify or a TLS error: close
    };
    Kind kind;
    uint64_t due_ms;
    ssize_t nread = 0;
    std::string bytes;
  };

  struct WriteRequest {
    uv_write_t request;
    std::string bytes;
  };

  FarmConnection(std::unique_ptr<Conversation> conversation, Settings settings,
                 ConnectionSet* set);
  ~FarmConnection();

  void Start();
  void Apply(Step step);
  void BeginTls();
  void SendPlain(absl::string_view text);
  void SendRaw(std::string bytes);
  void CloseGracefully();
  void OnRead(ssize_t nread, const uv_buf_t* buf);
  void Dispatch(ssize_t nread, absl::string_view bytes);
  bool Delaying() const {
    return settings_.reply_delay.enabled() && !replaying_;
  }
  // Holds `held` for `delay_ms` after now (and after what is held).
  void Hold(Held held, int64_t delay_ms);
  int64_t NextDelay();
  void ReleaseHeld();  void OnCiphertext(absl::string_view bytes);
  void OnClientHelloForGarbage();
  void OnClientHelloForReset(absl::string_view bytes);
  void OnWritten(int status);
  void OnShutdown(int status);
  static void OnHandleClosed(uv_handle_t* handle);

  uv_tcp_t tcp_{};
  uv_timer_t deadline_{};
  uv_timer_t wait_{};
  uv_timer_t delay_{};  // the reply delay's
  uv_shutdown_t shutdown_{};
  int open_handles_ = 0;
  std::unique_ptr<Conversation> conversation_;
  std::unique_ptr<TlsServerSession> tls_;
  Settings settings_;
  ConnectionSet* set_;
  Mode mode_ = Mode::kPlain;
  AfterDrain after_drain_ = AfterDrain::kNothing;
  size_t pending_writes_ = 0;
  bool closing_ = false;
  bool shutting_down_ = false;
  bool peer_eof_ = false;
  std::deque<Held> held_;
  uint64_t last_due_ms_ = 0;
  uint64_t draws_ = 0;
  bool replaying_ = false;  // dispatching held bytes: no new delay
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_FARM_CONNECTION_H_
