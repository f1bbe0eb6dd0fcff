#include "scanner/scan/probe_cache.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scanner/core/socket_address.h"
#include "scanner/scan/second_chance.h"
#include "scanner/smtp/probe_proto.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/client_hello.h"
#include "scanner/tls/group_selection.h"
#include "scanner/tls/tls_codepoints.h"
#include "scanner/tls/tls_version.h"

namespace mxscan::scan {

// A deferred probe waiting for its back-off to pass.
struct ProbeCache::RetryTimer {
  ProbeCache* cache;
  Key key;
  core::UvHandle<uv_timer_t> timer;
};

namespace {

// The versions --probe-tls-versions caps the handshake at, oldest first
// (the order of ProbeCacheOptions::capped_contexts).
constexpr const char* kCappedVersions[] = {"TLSv1", "TLSv1.1", "TLSv1.2"};

using ::mxscan::tls::TlsVersionRank;

// Adds `version` to tls->versions_accepted, kept newest first, once.
void AddAcceptedVersion(const std::string& version, TlsInfo* tls) {
  auto* list = tls->mutable_versions_accepted();
  if (std::find(list->begin(), list->end(), version) != list->end()) return;
  list->Add(std::string(version));
  std::sort(list->begin(), list->end(),
            [](const std::string& a, const std::string& b) {
              return TlsVersionRank(a) > TlsVersionRank(b);
            });
}

// What the selection probe found (TlsInfo.pq_selection).
void FillPqSelection(const probe::SmtpProbeOutcome& outcome, PqSelection* pq) {
  pq->set_probed(true);
  if (!outcome.selection.has_value()) {
    pq->set_answer(outcome.session.error.has_value()
                       ? outcome.session.error->message
                       : "no answer");
    return;
  }
  const tls::ServerHelloSummary& answer = *outcome.selection;
  switch (answer.kind) {
    case tls::ServerHelloSummary::Kind::kServerHello:
      pq->set_answer("ServerHello");
      break;
    case tls::ServerHelloSummary::Kind::kHelloRetryRequest:
      pq->set_answer("HelloRetryRequest");
      break;
    case tls::ServerHelloSummary::Kind::kAlert:
      pq->set_answer(absl::StrCat("alert ", tls::AlertName(answer.alert)));
      return;
  }
  pq->set_version(tls::VersionName(answer.version));
  if (answer.group != 0) pq->set_selected_group(tls::GroupName(answer.group));
  pq->set_hybrid(tls::IsPostQuantumHybrid(answer.group));
}

// What the census found (TlsInfo.census), classed with the versions the
// capped handshakes found.
void FillCensus(const tls::CensusResult& result, TlsInfo* tls) {
  TlsCensus* out = tls->mutable_census();
  out->set_probed(true);
  auto names = [](const std::vector<uint16_t>& suites,
                  google::protobuf::RepeatedPtrField<std::string>* to) {
    for (uint16_t code : suites) {
      const tls::CipherSuite* suite = tls::FindCipherSuite(code);
      to->Add(suite != nullptr ? std::string(suite->name)
                               : tls::GroupName(code));
    }
  };
  names(result.tls13_suites, out->mutable_tls13_suites());
  names(result.tls12_suites, out->mutable_tls12_suites());
  for (uint16_t group : result.tls13_groups) {
    out->add_tls13_groups(tls::GroupName(group));
  }
  for (uint16_t curve : result.tls12_curves) {
    out->add_tls12_curves(tls::GroupName(curve));
  }
  out->set_dhe_bits(result.dhe_bits);
  if (result.server_preference.has_value()) {
    out->set_suite_order(*result.server_preference ? "server" : "client");
  }
  const tls::CensusClass klass = tls::ClassifyCensus(
      result,
      {tls->versions_accepted().begin(), tls->versions_accepted().end()});
  out->set_tls_class(tls::TlsClassName(klass.worst));
  for (const std::string& finding : klass.findings) out->add_findings(finding);
  out->set_handshakes(static_cast<uint32_t>(result.handshakes));
  out->set_error(result.error);
}

}  // namespace

std::shared_ptr<ProbeRecord> ProbeRecordFrom(
    const probe::SmtpProbeOutcome& outcome, const std::string& host,
    tls::VerdictCache& verdicts, int64_t scan_time_s,
    std::shared_ptr<const tls::CertificateVerdict>* verdict_out) {
  auto record = std::make_shared<ProbeRecord>();
  SmtpProbe& probe = record->probe;
  smtp::FillSmtpProbe(outcome.session, &probe);
  probe.set_duration_ms(outcome.duration_ms);
  if (outcome.tls_done) {
    TlsInfo* tls = probe.mutable_tls();
    tls->set_version(outcome.tls.version);
    tls->set_cipher(outcome.tls.cipher);
    tls->set_group(outcome.tls.group);
    tls->set_resumed(outcome.tls.resumed);
    tls->set_ocsp_stapled(outcome.tls.ocsp_stapled);
    tls->set_tls_sct_count(static_cast<uint32_t>(outcome.tls.tls_scts));
    std::shared_ptr<const tls::CertificateVerdict> verdict =
        verdicts.Judge(outcome.tls.chain_der, host, scan_time_s);
    tls::FillTlsInfo(*verdict, tls);
    record->chain_der = outcome.tls.chain_der;
    if (verdict_out != nullptr) *verdict_out = verdict;
  }
  return record;
}

ProbeCache::ProbeCache(uv_loop_t* loop, ProbeCacheOptions options,
                       const tls::ClientContext& context,
                       tls::VerdictCache& verdicts)
    : loop_(loop),
      options_(std::move(options)),
      context_(context),
      verdicts_(verdicts),
      rate_(options_.connection_rate,
            std::max(1.0, options_.connection_rate / 20),
            static_cast<int64_t>(uv_now(loop))),
      gate_(options_.per_provider_sessions, options_.per_provider_rate) {
  uv_timer_init(loop_, rate_timer_.get());
  rate_timer_.MarkInitialized();
  rate_timer_.get()->data = this;
  uv_timer_init(loop_, provider_timer_.get());
  provider_timer_.MarkInitialized();
  provider_timer_.get()->data = this;
  uv_idle_init(loop_, deliverer_.get());
  deliverer_.MarkInitialized();
  deliverer_.get()->data = this;
}

ProbeCache::~ProbeCache() = default;

void ProbeCache::Probe(const std::string& ip, const std::string& host,
                       Callback done) {
  thread_.Check("ProbeCache");
  ++stats_.requests;
  Key key{ip, absl::AsciiStrToLower(host)};
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  if (!inserted) {
    if (entry.answered) {
      ++stats_.hits;
      entry.referenced = true;
      Deliver(entry.record, std::move(done));
    } else {
      ++stats_.coalesced;
      entry.waiters.push_back(std::move(done));
    }
    return;
  }
  entry.waiters.push_back(std::move(done));
  entry.retries_left = options_.deferred_retries;
  order_.push_back(key);
  Evict();
  if (options_.blocklist != nullptr && options_.blocklist->Contains(ip)) {
    ++stats_.blocked;
    auto record = std::make_shared<ProbeRecord>();
    Error* error = record->probe.mutable_error();
    error->set_stage(CONNECT);
    error->set_message("address is on the blocklist: not contacted");
    Complete(key, std::move(record));
    return;
  }
  Schedule(key);
}

void ProbeCache::Schedule(const Key& key) {
  Address& address = addresses_[key.first];
  if (address.budget == 0) address.budget = options_.per_host_concurrency;
  address.queued.push_back(key);
  StartNext(key.first);
}

void ProbeCache::StartNext(const std::string& ip) {
  Address& address = addresses_[ip];
  while (address.active < address.budget && !address.queued.empty()) {
    if (gate_.enabled()) {
      const std::vector<std::string> groups = GroupsOf(address.queued.front());
      const int64_t now = static_cast<int64_t>(uv_now(loop_));
      if (!gate_.TryStartSession(groups, now)) {
        // Its provider or network is at its budget: on when a session of
        // theirs ends or a token comes.
        held_back_.insert(address.queued.front());
        provider_blocked_.insert(ip);
        ArmProviderTimer(gate_.MsUntilConnect(groups, now));
        return;
      }
      stats_.provider_peak_sessions = gate_.peak_sessions();
      if (held_back_.erase(address.queued.front()) > 0) {
        ++stats_.provider_waits;
      }
    }
    Key key = std::move(address.queued.front());
    address.queued.pop_front();
    ++address.active;
    ++active_total_;
    if (!rate_.TryTake(static_cast<int64_t>(uv_now(loop_)))) {
      waiting_for_rate_.push_back(std::move(key));
      if (!uv_is_active(rate_timer_.as_handle())) {
        uv_timer_start(
            rate_timer_.get(),
            [](uv_timer_t* h) {
              static_cast<ProbeCache*>(h->data)->OnRateTimer();
            },
            static_cast<uint64_t>(std::max<int64_t>(
                1, rate_.MsUntilAvailable(uv_now(loop_)))),
            0);
      }
      continue;
    }
    Run(key);
  }
}

void ProbeCache::OnRateTimer() {
  while (!waiting_for_rate_.empty()) {
    const int64_t now = static_cast<int64_t>(uv_now(loop_));
    if (!rate_.TryTake(now)) {
      uv_timer_start(
          rate_timer_.get(),
          [](uv_timer_t* h) { static_cast<ProbeCache*>(h->data)->OnRateTimer(); },
          static_cast<uint64_t>(std::max<int64_t>(1, rate_.MsUntilAvailable(now))),
          0);
      return;
    }
    Key key = std::move(waiting_for_rate_.front());
    waiting_for_rate_.pop_front();
    Run(key);
  }
}

void ProbeCache::Run(const Key& key) {
  ++stats_.probes;
  const absl::StatusOr<sockaddr_storage> address =
      core::SocketAddress(key.first, options_.smtp_port);
  if (!address.ok()) {
    probe::SmtpProbeOutcome outcome;
    smtp::SessionError error;
    error.stage = smtp::Stage::kConnect;
    error.message = std::string(address.status().message());
    outcome.session.error = error;
    OnOutcome(key, std::move(outcome));
    return;
  }
  probe::ProbeSmtp(loop_, reinterpret_cast<const sockaddr*>(&*address),
                   key.second, context_, options_.probe,
                   [this, key](probe::SmtpProbeOutcome outcome) {
                     OnOutcome(key, std::move(outcome));
                   });
}

void ProbeCache::OnOutcome(const Key& key, probe::SmtpProbeOutcome outcome) {
  Address& address = addresses_[key.first];
  --address.active;
  --active_total_;
  Entry& entry = entries_[key];
  if (outcome.session.deferred && entry.retries_left > 0) {
    // "Try later": fewer sessions at once for this server, then again.
    address.budget = 1;
    const int attempt = options_.deferred_retries - entry.retries_left;
    --entry.retries_left;
    ++stats_.deferred_retries;
    auto retry = std::make_unique<RetryTimer>();
    retry->cache = this;
    retry->key = key;
    uv_timer_init(loop_, retry->timer.get());
    retry->timer.MarkInitialized();
    retry->timer.get()->data = retry.get();
    uv_timer_start(
        retry->timer.get(),
        [](uv_timer_t* h) {
          auto* r = static_cast<RetryTimer*>(h->data);
          ProbeCache* cache = r->cache;
          Key k = r->key;
          // Drop the finished timer (closing its handle) before going on.
          cache->retries_.erase(
              std::remove_if(cache->retries_.begin(), cache->retries_.end(),
                             [r](const std::unique_ptr<RetryTimer>& p) {
                               return p.get() == r;
                             }),
              cache->retries_.end());
          cache->Schedule(k);
        },
        static_cast<uint64_t>(options_.deferred_backoff_ms) << attempt, 0);
    retries_.push_back(std::move(retry));
    EndProviderSession(key);
    StartNext(key.first);
    return;
  }
  std::shared_ptr<const tls::CertificateVerdict> verdict;
  std::shared_ptr<ProbeRecord> record = ProbeRecordFrom(
      outcome, key.second, verdicts_, options_.scan_time_s, &verdict);
  if (verdict != nullptr && chain_sink_) chain_sink_(record->chain_der, *verdict);
  if (outcome.tls_done && (!options_.capped_contexts.empty() ||
                           options_.pq_selection || options_.tls_census)) {
    // The address keeps its session slot while the extra probes run.
    ++address.active;
    ++active_total_;
    if (!options_.capped_contexts.empty()) {
      record->probe.mutable_tls()->add_versions_accepted(outcome.tls.version);
    }
    ProbeOlderVersions(key, std::move(record), 0);
    return;
  }
  EndProviderSession(key);
  Finished(key, std::move(record));
}

void ProbeCache::Finished(const Key& key, std::shared_ptr<ProbeRecord> record) {
  Complete(key, std::move(record));
  StartNext(key.first);
  ForgetIfIdle(key.first);
}

void ProbeCache::ForgetIfIdle(const std::string& ip) {
  auto it = addresses_.find(ip);
  if (it != addresses_.end() && it->second.active == 0 &&
      it->second.queued.empty() &&
      it->second.budget == options_.per_host_concurrency) {
    addresses_.erase(it);
  }
}

void ProbeCache::Evict() {
  // A probe not finished (waiters, a retry or a queue need it) stays.
  EvictSecondChance(options_.max_entries, entries_, order_);
}

void ProbeCache::ProbeOlderVersions(const Key& key,
                                    std::shared_ptr<ProbeRecord> record,
                                    size_t step) {
  TlsInfo* tls = record->probe.mutable_tls();
  // Every cap below the negotiated version, newest first (step 0 is the
  // newest cap; capped_contexts holds them oldest first): a server may
  // take TLS 1.0 and 1.2 but not 1.1, so none is skipped.
  const size_t caps = std::min<size_t>(options_.capped_contexts.size(),
                                       std::size(kCappedVersions));
  while (step < caps && TlsVersionRank(kCappedVersions[caps - 1 - step]) >=
                            TlsVersionRank(tls->version())) {
    ++step;
  }
  if (step >= caps) {
    if (caps > 0) {
      tls->set_oldest_version(tls->versions_accepted().empty()
                                  ? tls->version()
                                  : *tls->versions_accepted().rbegin());
    }
    ProbeGroupSelection(key, std::move(record));
    return;
  }
  WhenProviderAllows(
      key, [this, key, record = std::move(record), step, caps]() mutable {
        ++stats_.probes;
        // The first probe of this address parsed it already.
        const sockaddr_storage address =
            core::SocketAddress(key.first, options_.smtp_port).value();
        probe::ProbeSmtp(loop_, reinterpret_cast<const sockaddr*>(&address),
                         key.second, *options_.capped_contexts[caps - 1 - step],
                         options_.probe,
                         [this, key, record = std::move(record),
                          step](probe::SmtpProbeOutcome outcome) mutable {
                           if (outcome.tls_done) {
                             AddAcceptedVersion(outcome.tls.version,
                                                record->probe.mutable_tls());
                           }
                           ProbeOlderVersions(key, std::move(record), step + 1);
                         });
      });
}

void ProbeCache::ProbeGroupSelection(const Key& key,
                                     std::shared_ptr<ProbeRecord> record) {
  auto then_census = [this, key](std::shared_ptr<ProbeRecord> done) {
    std::shared_ptr<tls::TlsCensus> census;
    if (options_.tls_census) {
      census = std::make_shared<tls::TlsCensus>(
          key.second, done->probe.tls().version() == "TLSv1.3");
    }
    RunCensus(key, std::move(done), std::move(census));
  };
  if (!options_.pq_selection || record->probe.tls().version() != "TLSv1.3") {
    then_census(std::move(record));
    return;
  }
  WhenProviderAllows(key, [this, key, record = std::move(record),
                           then_census = std::move(then_census)]() mutable {
    ++stats_.probes;
    ++stats_.pq_selection_probes;
    probe::SmtpProbeOptions options = options_.probe;
    options.own_client_hello =
        tls::BuildClientHello(tls::PostQuantumSelectionHello(key.second));
    const sockaddr_storage address =
        core::SocketAddress(key.first, options_.smtp_port).value();
    probe::ProbeSmtp(
        loop_, reinterpret_cast<const sockaddr*>(&address), key.second,
        context_, options,
        [record = std::move(record), then_census = std::move(then_census)](
            probe::SmtpProbeOutcome outcome) mutable {
          FillPqSelection(outcome,
                          record->probe.mutable_tls()->mutable_pq_selection());
          then_census(std::move(record));
        });
  });
}

void ProbeCache::RunCensus(const Key& key, std::shared_ptr<ProbeRecord> record,
                           std::shared_ptr<tls::TlsCensus> census) {
  std::optional<tls::TlsCensus::Hello> hello;
  if (census != nullptr) hello = census->NextHello();
  if (!hello.has_value()) {
    if (census != nullptr) {
      FillCensus(census->result(), record->probe.mutable_tls());
    }
    Release(key, std::move(record));
    return;
  }
  WhenProviderAllows(key, [this, key, record = std::move(record),
                           census = std::move(census),
                           hello = *std::move(hello)]() mutable {
    ++stats_.probes;
    ++stats_.census_probes;
    probe::SmtpProbeOptions options = options_.probe;
    options.own_client_hello = std::move(hello.record);
    options.read_key_exchange = hello.key_exchange;
    const sockaddr_storage address =
        core::SocketAddress(key.first, options_.smtp_port).value();
    probe::ProbeSmtp(
        loop_, reinterpret_cast<const sockaddr*>(&address), key.second,
        context_, options,
        [this, key, record = std::move(record),
         census = std::move(census)](probe::SmtpProbeOutcome outcome) mutable {
          census->OnAnswer(outcome.selection,
                           outcome.session.error.has_value()
                               ? outcome.session.error->message
                               : "no answer");
          RunCensus(key, std::move(record), std::move(census));
        });
  });
}

void ProbeCache::Release(const Key& key, std::shared_ptr<ProbeRecord> record) {
  Address& address = addresses_[key.first];
  --address.active;
  --active_total_;
  EndProviderSession(key);
  Finished(key, std::move(record));
}

std::vector<std::string> ProbeCache::GroupsOf(const Key& key) const {
  return ProviderGate::GroupsOf(
      key.first,
      options_.org_domain_of ? options_.org_domain_of(key.second) : "");
}

void ProbeCache::WhenProviderAllows(const Key& key,
                                    absl::AnyInvocable<void()> connect) {
  if (!gate_.enabled()) {
    connect();
    return;
  }
  const int64_t now = static_cast<int64_t>(uv_now(loop_));
  std::vector<std::string> groups = GroupsOf(key);
  if (provider_waiters_.empty() && gate_.TryConnect(groups, now)) {
    connect();
    return;
  }
  ++stats_.provider_waits;
  ArmProviderTimer(std::max<int64_t>(1, gate_.MsUntilConnect(groups, now)));
  provider_waiters_.push_back({std::move(groups), std::move(connect)});
}

void ProbeCache::EndProviderSession(const Key& key) {
  if (!gate_.enabled()) return;
  gate_.EndSession(GroupsOf(key), static_cast<int64_t>(uv_now(loop_)));
  RetryProviderWaits();
}

void ProbeCache::RetryProviderWaits() {
  if (retrying_providers_) {  // a session ended while retrying: once more
    retry_providers_again_ = true;
    return;
  }
  retrying_providers_ = true;
  do {
    retry_providers_again_ = false;
    // Extra handshakes of open sessions first, in the order they waited.
    const size_t waiting = provider_waiters_.size();
    for (size_t i = 0; i < waiting; ++i) {
      ProviderWaiter waiter = std::move(provider_waiters_.front());
      provider_waiters_.pop_front();
      const int64_t now = static_cast<int64_t>(uv_now(loop_));
      if (gate_.TryConnect(waiter.groups, now)) {
        waiter.connect();
      } else {
        ArmProviderTimer(
            std::max<int64_t>(1, gate_.MsUntilConnect(waiter.groups, now)));
        provider_waiters_.push_back(std::move(waiter));
      }
    }
    std::vector<std::string> blocked(provider_blocked_.begin(),
                                     provider_blocked_.end());
    provider_blocked_.clear();
    for (const std::string& ip : blocked) StartNext(ip);
  } while (retry_providers_again_);
  retrying_providers_ = false;
}

void ProbeCache::ArmProviderTimer(int64_t wait_ms) {
  if (wait_ms <= 0) return;  // a session's end wakes it
  if (uv_is_active(provider_timer_.as_handle()) &&
      static_cast<int64_t>(uv_timer_get_due_in(provider_timer_.get())) <=
          wait_ms) {
    return;
  }
  uv_timer_start(
      provider_timer_.get(),
      [](uv_timer_t* h) {
        static_cast<ProbeCache*>(h->data)->RetryProviderWaits();
      },
      static_cast<uint64_t>(wait_ms), 0);
}

void ProbeCache::Complete(const Key& key,
                          std::shared_ptr<const ProbeRecord> record) {
  Entry& entry = entries_[key];
  entry.answered = true;
  entry.record = record;
  std::vector<Callback> waiters = std::move(entry.waiters);
  entry.waiters.clear();
  for (Callback& waiter : waiters) Deliver(record, std::move(waiter));
}

void ProbeCache::Deliver(std::shared_ptr<const ProbeRecord> record,
                         Callback done) {
  ready_.emplace_back(std::move(record), std::move(done));
  if (ready_.size() > 1) return;
  uv_idle_start(deliverer_.get(), [](uv_idle_t* h) {
    auto* self = static_cast<ProbeCache*>(h->data);
    uv_idle_stop(h);
    auto ready = std::move(self->ready_);
    self->ready_.clear();
    for (auto& [record, done] : ready) done(record);
  });
}

}  // namespace mxscan::scan
