#include "tests/farm/farm_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/core/event_loop.h"
#include "scanner/core/uv_handle.h"

namespace mxscan::farm::testing {
namespace {

struct Started {
  absl::Status status;
  uv_async_t* stop = nullptr;
  int smtp_port = 0;
  int https_port = 0;
  std::string ca_pem;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FarmThread>> FarmThread::Start(
    Farm::Options options) {
  signal(SIGPIPE, SIG_IGN);
  std::promise<Started> promise;
  std::future<Started> started = promise.get_future();
  std::unique_ptr<FarmThread> self(new FarmThread());
  self->thread_ =
      std::thread([options = std::move(options), &promise]() mutable {
        core::EventLoop loop;
        absl::StatusOr<std::unique_ptr<Farm>> farm =
            Farm::Start(loop.get(), std::move(options));
        if (!farm.ok()) {
          promise.set_value(Started{farm.status()});
          return;
        }
        core::UvHandle<uv_async_t> stop;
        struct Context {
          Farm* farm;
          core::UvHandle<uv_async_t>* stop;
        } context{farm->get(), &stop};
        uv_async_init(loop.get(), stop.get(), [](uv_async_t* h) {
          auto* c = static_cast<Context*>(h->data);
          c->farm->Stop();
          c->stop->Reset();  // the loop then ends with the last connection
        });
        stop.MarkInitialized();
        stop.get()->data = &context;
        Started s;
        s.stop = stop.get();
        s.smtp_port = (*farm)->smtp_port();
        s.https_port = (*farm)->https_port();
        s.ca_pem = (*farm)->CaPem();
        promise.set_value(std::move(s));
        loop.Run();
        farm->reset();
      });
  Started s = started.get();
  if (!s.status.ok()) {
    self->thread_.join();
    return s.status;
  }
  self->stop_ = s.stop;
  self->smtp_port_ = s.smtp_port;
  self->https_port_ = s.https_port;
  self->ca_pem_ = std::move(s.ca_pem);
  return self;
}

FarmThread::~FarmThread() {
  if (stop_ != nullptr) uv_async_send(stop_);
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(
    const std::string& address, int port, int timeout_ms) {
  sockaddr_storage addr{};
  socklen_t length = 0;
  int family = AF_INET;
  if (address.find(':') != std::string::npos) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&addr);
    a6->sin6_family = family = AF_INET6;
    a6->sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, address.c_str(), &a6->sin6_addr) != 1) {
      return absl::InvalidArgumentError(address);
    }
    length = sizeof(*a6);
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&addr);
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &a4->sin_addr) != 1) {
      return absl::InvalidArgumentError(address);
    }
    length = sizeof(*a4);
  }
  const int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(strerror(errno));
  std::unique_ptr<Client> client(new Client(fd));
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), length) != 0) {
    return absl::UnavailableError(
        absl::StrCat("connect ", address, ":", port, ": ", strerror(errno)));
  }
  return client;
}

Client::~Client() {
  tls_.reset();
  close(fd_);
}

absl::Status Client::SendRaw(absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return absl::UnavailableError(strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status Client::Send(absl::string_view bytes) {
  if (tls_ == nullptr) return SendRaw(bytes);
  if (absl::Status s = tls_->Write(bytes); !s.ok()) return s;
  return SendRaw(tls_->TakeCiphertext());
}

bool Client::Fill() {
  if (closed_) return false;
  char buf[65536];
  const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
  if (n <= 0) {
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) closed_ = true;
    return false;
  }
  if (tls_ == nullptr) {
    in_.append(buf, static_cast<size_t>(n));
    return true;
  }
  tls_->FeedCiphertext(absl::string_view(buf, static_cast<size_t>(n)));
  const absl::Status s = tls_->Read(&in_);
  SendRaw(tls_->TakeCiphertext()).IgnoreError();
  if (!s.ok() || tls_->peer_closed()) closed_ = true;
  return s.ok();
}

absl::StatusOr<std::string> Client::ReadReply(size_t max_bytes) {
  size_t scanned = 0;
  while (true) {
    // A reply ends with a line "ddd " or "ddd".
    for (size_t end; (end = in_.find('\n', scanned)) != std::string::npos;) {
      const absl::string_view line(in_.data() + scanned, end - scanned);
      scanned = end + 1;
      if (line.size() >= 3 && (line.size() == 3 || line[3] == ' ' ||
                               (line.size() == 4 && line[3] == '\r'))) {
        std::string reply = in_.substr(0, scanned);
        in_.erase(0, scanned);
        return reply;
      }
    }
    if (in_.size() > max_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("reply longer than ", max_bytes, " bytes"));
    }
    if (!Fill()) {
      return absl::UnavailableError(
          absl::StrCat(closed_ ? "connection closed" : "timeout", " after \"",
                       in_.substr(0, 200), "\""));
    }
  }
}

std::string Client::ReadUntilClosed(size_t max_bytes, bool* closed) {
  while (in_.size() < max_bytes && Fill()) {
  }
  *closed = closed_;
  return std::exchange(in_, std::string());
}

absl::Status Client::StartTls(const std::string& server_name,
                              const tls::ClientContextOptions& options) {
  absl::StatusOr<std::unique_ptr<tls::ClientContext>> context =
      tls::ClientContext::Create(options);
  if (!context.ok()) return context.status();
  context_ = *std::move(context);
  auto connection =
      std::make_unique<tls::TlsConnection>(*context_, server_name);
  // Whatever arrived after the STARTTLS reply is not the server's TLS:
  // the scanner must treat it as an error; here it is handed to TLS, as a
  // naive client would.
  connection->FeedCiphertext(in_);
  in_.clear();
  char buf[65536];
  while (true) {
    const tls::TlsConnection::Progress progress = connection->Handshake();
    if (absl::Status s = SendRaw(connection->TakeCiphertext()); !s.ok()) {
      return s;
    }
    if (progress == tls::TlsConnection::Progress::kDone) break;
    if (progress == tls::TlsConnection::Progress::kFailed) {
      return absl::FailedPreconditionError(connection->error());
    }
    const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) {
      return absl::UnavailableError(
          n == 0 ? "connection closed during the handshake"
                 : absl::StrCat("handshake read: ", strerror(errno)));
    }
    connection->FeedCiphertext(absl::string_view(buf, static_cast<size_t>(n)));
  }
  info_ = connection->Info();
  tls_ = std::move(connection);
  // Records that came with the last flight (none in practice) are read
  // by the next Fill().
  return absl::OkStatus();
}

absl::StatusOr<std::string> Client::HttpsGet(const std::string& host,
                                             const std::string& path) {
  if (absl::Status s = StartTls(host); !s.ok()) return s;
  if (absl::Status s =
          Send(absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: ", host,
                            "\r\nConnection: close\r\n\r\n"));
      !s.ok()) {
    return s;
  }
  bool closed = false;
  std::string response = ReadUntilClosed(8 << 20, &closed);
  if (!closed) return absl::DeadlineExceededError("no close after response");
  return response;
}

}  // namespace mxscan::farm::testing
