#include "tools/farm/farm.h"

#include <arpa/inet.h>

#include <algorithm>
#include <ctime>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "scanner/core/socket_address.h"
#include "tools/farm/smtp_session.h"

namespace mxscan::farm {
namespace {

constexpr int kBacklog = 511;
// With port 0 the first address picks the port; another program may hold
// it on a later address: start over with a new port this many times.
constexpr int kPortAttempts = 20;

void AddUnique(const std::string& s, std::vector<std::string>* out) {
  if (std::find(out->begin(), out->end(), s) == out->end()) out->push_back(s);
}

}  // namespace

Farm::Farm(uv_loop_t* loop, Options options)
    : loop_(loop), options_(std::move(options)) {}

Farm::~Farm() {
  Stop();
  if (session_log_ != nullptr) std::fclose(session_log_);
}

void Farm::LogSession(const char* event, const std::string& address) {
  if (session_log_ == nullptr) return;
  std::fprintf(session_log_, "%s %llu %s\n", event,
               static_cast<unsigned long long>(uv_hrtime() / 1000000),
               address.c_str());
}

absl::StatusOr<std::unique_ptr<Farm>> Farm::Start(uv_loop_t* loop,
                                                  Options options) {
  std::unique_ptr<Farm> farm(new Farm(loop, std::move(options)));
  const Options& o = farm->options_;
  if (o.smtp_port < 0 || o.smtp_port > 65535 || o.https_port < 0 ||
      o.https_port > 65535) {
    return absl::InvalidArgumentError("ports must be in 0..65535");
  }
  if (!o.session_log.empty()) {
    farm->session_log_ = std::fopen(o.session_log.c_str(), "a");
    if (farm->session_log_ == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("cannot open the session log ", o.session_log));
    }
    setvbuf(farm->session_log_, nullptr, _IOLBF, 0);  // whole lines
  }
  const int64_t now = o.now != 0 ? o.now : static_cast<int64_t>(time(nullptr));
  absl::StatusOr<std::unique_ptr<TlsContexts>> tls =
      TlsContexts::Create(now, o.keys);
  if (!tls.ok()) return tls.status();
  farm->tls_ = *std::move(tls);
  if (absl::Status s = farm->MakeCredentials(); !s.ok()) return s;
  farm->policies_ =
      std::make_unique<PolicyStore>(o.mta_sts_dir, o.config.https);
  farm->tls_->SetHttpsSites(&farm->policies_->sites());

  std::vector<std::string> smtp_addresses;
  smtp_addresses.reserve(o.config.smtp.size());
  for (const SmtpSite& site : o.config.smtp) {
    smtp_addresses.push_back(site.address);
  }
  std::vector<std::string> https_addresses;
  for (const std::string& text : o.https_addresses) {
    absl::StatusOr<std::string> address = CanonicalLoopbackAddress(text);
    if (!address.ok()) return address.status();
    AddUnique(*address, &https_addresses);
  }
  for (const auto& [host, site] : o.config.https) {
    for (const std::string& address : site.addresses) {
      AddUnique(address, &https_addresses);
    }
  }
  farm->smtp_port_ = o.smtp_port;
  farm->https_port_ = o.https_port;
  if (!smtp_addresses.empty()) {
    absl::Status s = farm->ListenAll(smtp_addresses, false, &farm->smtp_port_);
    if (!s.ok()) return s;
  }
  if (!https_addresses.empty()) {
    absl::Status s = farm->ListenAll(https_addresses, true, &farm->https_port_);
    if (!s.ok()) return s;
  }
  return farm;
}

absl::Status Farm::MakeCredentials() {
  credentials_.reserve(options_.config.smtp.size());
  for (const SmtpSite& site : options_.config.smtp) {
    LeafKind kind;
    if (!LeafKindFor(site.behaviour, &kind)) {
      credentials_.push_back(nullptr);
      continue;
    }
    absl::StatusOr<std::shared_ptr<const Credential>> credential =
        tls_->SmtpCredential(kind, site.names);
    if (!credential.ok()) {
      return absl::Status(credential.status().code(),
                          absl::StrCat("certificate for ", site.address, ": ",
                                       credential.status().message()));
    }
    credentials_.push_back(*std::move(credential));
  }
  return absl::OkStatus();
}

absl::Status Farm::ListenAll(const std::vector<std::string>& addresses,
                             bool https, int* port) {
  const int requested = *port;
  const size_t mark = listeners_.size();
  absl::Status status;
  for (int attempt = 0; attempt < (requested == 0 ? kPortAttempts : 1);
       ++attempt) {
    *port = requested;
    status = absl::OkStatus();
    for (size_t i = 0; i < addresses.size() && status.ok(); ++i) {
      status = Listen(addresses[i], https, i, port);
    }
    if (status.ok()) return status;
    listeners_.resize(mark);  // closes this attempt's listeners
  }
  return status;
}

absl::Status Farm::Listen(const std::string& address, bool https, size_t site,
                          int* port) {
  auto listener = std::make_unique<Listener>();
  listener->farm = this;
  listener->site = site;
  listener->https = https;
  uv_tcp_t* tcp = listener->tcp.get();
  uv_tcp_init(loop_, tcp);
  listener->tcp.MarkInitialized();
  tcp->data = listener.get();

  absl::StatusOr<sockaddr_storage> addr = core::SocketAddress(address, *port);
  if (!addr.ok()) return addr.status();
  const bool v6 = addr->ss_family == AF_INET6;
  int rc = uv_tcp_bind(tcp, reinterpret_cast<const sockaddr*>(&*addr),
                       v6 ? UV_TCP_IPV6ONLY : 0);
  if (rc == 0) {
    // libuv may report a bind failure (EADDRINUSE) only here.
    rc = uv_listen(listener->tcp.as_stream(), kBacklog,
                   [](uv_stream_t* server, int status) {
                     auto* l = static_cast<Listener*>(server->data);
                     if (status == 0 && l != nullptr) l->farm->OnConnection(l);
                   });
  }
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat(https ? "HTTPS" : "SMTP",
                                               " listen on ", address, " port ",
                                               *port, ": ", uv_strerror(rc)));
  }
  if (*port == 0) {
    sockaddr_storage bound{};
    int length = sizeof(bound);
    uv_tcp_getsockname(tcp, reinterpret_cast<sockaddr*>(&bound), &length);
    *port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                     : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  listeners_.push_back(std::move(listener));
  return absl::OkStatus();
}

void Farm::OnConnection(Listener* listener) {
  if (connections_.size() >= options_.max_connections) {
    ++refused_;
    core::UvHandle<uv_tcp_t>
        dropped;  // accepted, then closed by its destructor
    uv_tcp_init(loop_, dropped.get());
    dropped.MarkInitialized();
    uv_accept(listener->tcp.as_stream(), dropped.as_stream());
    return;
  }
  ++accepted_;
  FarmConnection::Settings settings;
  settings.timeout_ms = options_.connection_timeout_ms;
  std::unique_ptr<Conversation> conversation;
  if (listener->https) {
    conversation = std::make_unique<PolicyExchange>(*policies_);
    settings.tls_context = tls_->HttpsContext();
    settings.tls_from_start = true;
    settings.session_context = "mta-sts";
  } else {
    const SmtpSite& site = options_.config.smtp[listener->site];
    conversation = std::make_unique<SmtpSession>(site);
    settings.tls_context = tls_->SmtpContext(site.behaviour);
    settings.credential = credentials_[listener->site].get();
    settings.session_context = site.address;
    if (options_.reply_delay.enabled()) {
      if (connections_per_site_.size() < options_.config.smtp.size()) {
        connections_per_site_.resize(options_.config.smtp.size());
      }
      settings.reply_delay = options_.reply_delay;
      settings.delay_key =
          MixKey(MixKey(options_.delay_seed, HashText(site.address)),
                 connections_per_site_[listener->site]++);
    }
    if (session_log_ != nullptr) {
      LogSession("open", site.address);
      settings.on_closed = [this, address = site.address] {
        LogSession("close", address);
      };
    }
  }
  FarmConnection::Accept(loop_, listener->tcp.as_stream(),
                         std::move(conversation), std::move(settings),
                         &connections_);
}

void Farm::Stop() {
  listeners_.clear();
  const std::vector<FarmConnection*> open(connections_.begin(),
                                          connections_.end());
  connections_.clear();
  for (FarmConnection* c : open) {
    c->Detach();
    c->CloseNow();
  }
}

}  // namespace mxscan::farm
