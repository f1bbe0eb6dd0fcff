// handshake_load: the scanner's SMTP STARTTLS probe under load. Drives
// --count probes through mxscan::probe::ProbeSmtp (the scanner's own probe
// driver: libuv TCP, the SMTP session, BoringSSL over memory BIOs) against
// the SMTP farm (tools/farm), keeping --concurrency sessions in flight at
// every moment (a closed loop: each finished probe starts the next one),
// all on ONE libuv loop on one thread, so that the process's CPU time is
// the client's cost alone (the farm is another process);
// run_handshake_bench.sh runs several, one per core, each on its own slice
// of the addresses, when asked (--processes) or when one process cannot
// hold a level within the descriptor limit. Each finished probe is judged
// as the scan judges it (scan::ProbeRecordFrom: record, chain verdict
// through a VerdictCache) unless --judge=false.
//
//   handshake_load --targets FILE --port N --ca_file ca.pem
//                  --concurrency C --count N [--duration_s S]
//                  [--deadline_ms MS] [--judge=false] [--chain_out DIR]
//
// --targets lists one farm address per line, "IP NAME" (NAME is the SNI
// and the host the chain is judged for); probe i goes to line i mod lines.
//
// Prints one JSON object on stdout: handshakes/s (overall, and between the
// 25% and 75% completion marks), failures by stage and kind, probe
// durations, client CPU (getrusage, user and system) per handshake — less
// the CPU of the benchmark's own RSS/heap sampling, measured apart — RSS
// (VmRSS sampled every 20 ms, VmHWM), the live heap (mallinfo2, every 2 s
// while all C sessions are in flight), what was negotiated (from the
// probe's HandshakeInfo) and the verdict cache's hits/misses. Progress
// goes to stderr every 5 s.
//
// Bounds: no new probe starts after --count probes or --duration_s
// seconds; every probe has --deadline_ms per stage and in total; a
// watchdog stops the loop at duration + deadline + 30 s whatever happens.

#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scanner/core/event_loop.h"
#include "scanner/core/tcp_connection.h"
#include "scanner/core/uv_handle.h"
#include "scanner/probe/smtp_probe.h"
#include "scanner/scan/probe_cache.h"
#include "scanner/smtp/session_result.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/trust_store.h"
#include "scanner/tls/verdict_cache.h"

ABSL_FLAG(std::string, targets, "", "file of \"IP NAME\" lines (farm addresses)");
ABSL_FLAG(int, port, 25, "the farm's SMTP port");
ABSL_FLAG(std::string, ca_file, "", "the farm's root CA (PEM), for judging");
ABSL_FLAG(int, concurrency, 1000, "probes in flight at once");
ABSL_FLAG(int64_t, count, 10000, "probes to run");
ABSL_FLAG(double, duration_s, 600, "no probe starts after this many seconds");
ABSL_FLAG(int, deadline_ms, 300000,
          "every stage deadline and the session deadline of each probe");
ABSL_FLAG(bool, judge, true,
          "judge each finished probe as the scan does (ProbeRecordFrom)");
ABSL_FLAG(std::string, chain_out, "",
          "write the first handshake's chain here (cert-0.der = leaf, ...)");
ABSL_FLAG(int, sample_ms, 20, "RSS sampling period");
ABSL_FLAG(std::string, ehlo_name, "bench.mxscan.sim", "EHLO name");

namespace mxscan {
namespace {

struct Target {
  sockaddr_storage address{};
  std::string name;
};

double CpuSeconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

// VmRSS in KiB from /proc/self/statm, kept open (at ~20,000 sessions the
// process may have no descriptor to spare for opening it again).
int64_t RssKib() {
  static const long page_kib = sysconf(_SC_PAGESIZE) / 1024;
  static const int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  char buf[128];
  const ssize_t n = fd >= 0 ? pread(fd, buf, sizeof(buf) - 1, 0) : -1;
  if (n <= 0) return 0;
  buf[n] = '\0';
  long size = 0, resident = 0;
  return std::sscanf(buf, "%ld %ld", &size, &resident) == 2
             ? resident * page_kib
             : 0;
}

// Bytes malloc has handed out and not had back (live heap, without the
// free memory the allocator keeps resident).
int64_t HeapInUseKib() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>((info.uordblks + info.hblkhd) / 1024);
}

// A "Vm...:" line of /proc/self/status, in KiB.
int64_t StatusKib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = absl::StrCat(field, ":");
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) {
      return std::strtoll(line.c_str() + prefix.size(), nullptr, 10);
    }
  }
  return 0;
}

rlim_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

class Load {
 public:
  Load(uv_loop_t* loop, std::vector<Target> targets,
       const tls::ClientContext& context, tls::VerdictCache* verdicts)
      : loop_(loop),
        targets_(std::move(targets)),
        context_(context),
        verdicts_(verdicts) {
    concurrency_ = absl::GetFlag(FLAGS_concurrency);
    count_ = absl::GetFlag(FLAGS_count);
    duration_ms_ = static_cast<int64_t>(absl::GetFlag(FLAGS_duration_s) * 1000);
    const int deadline = absl::GetFlag(FLAGS_deadline_ms);
    options_.ehlo_name = absl::GetFlag(FLAGS_ehlo_name);
    options_.connect_timeout_ms = deadline;
    options_.reply_timeout_ms = deadline;
    options_.handshake_timeout_ms = deadline;
    options_.total_timeout_ms = deadline;
    chain_out_ = absl::GetFlag(FLAGS_chain_out);
    scan_time_s_ = static_cast<int64_t>(time(nullptr));
    for (core::UvHandle<uv_timer_t>* t : {&sampler_, &watchdog_}) {
      uv_timer_init(loop_, t->get());
      t->MarkInitialized();
      t->get()->data = this;
    }
  }

  void Run() {
    rss_before_kib_ = RssKib();
    heap_before_kib_ = HeapInUseKib();
    getrusage(RUSAGE_SELF, &usage_before_);
    uv_update_time(loop_);
    start_ms_ = uv_now(loop_);
    wall_start_ = std::chrono::steady_clock::now();
    const int sample_ms = absl::GetFlag(FLAGS_sample_ms);
    uv_timer_start(
        sampler_.get(),
        [](uv_timer_t* h) { static_cast<Load*>(h->data)->Sample(); },
        sample_ms, sample_ms);
    uv_timer_start(
        watchdog_.get(),
        [](uv_timer_t* h) {
          auto* self = static_cast<Load*>(h->data);
          self->aborted_ = true;
          uv_stop(self->loop_);
        },
        static_cast<uint64_t>(duration_ms_ + options_.total_timeout_ms + 30000),
        0);
    Fill();
    // Runs until every probe has reported (then the timers are stopped and
    // nothing is left) or the watchdog stops it.
    uv_run(loop_, UV_RUN_DEFAULT);
    Finish();
  }

  void Print() const;

 private:
  void Fill() {
    while (in_flight_ < concurrency_ && started_ < count_) {
      if (started_ > 0 && (started_ & 255) == 0) {
        uv_update_time(loop_);
        if (static_cast<int64_t>(uv_now(loop_) - start_ms_) >= duration_ms_) {
          duration_stop_ = true;
        }
      }
      if (duration_stop_) break;
      Launch();
    }
    if (in_flight_ == 0) {
      uv_timer_stop(sampler_.get());
      uv_timer_stop(watchdog_.get());
    }
  }

  void Launch() {
    const Target& target = targets_[started_ % targets_.size()];
    ++started_;
    ++in_flight_;
    const size_t index = started_ - 1;
    probe::ProbeSmtp(
        loop_, reinterpret_cast<const sockaddr*>(&target.address), target.name,
        context_, options_,
        [this, index](probe::SmtpProbeOutcome outcome) {
          OnDone(index, std::move(outcome));
        });
  }

  void OnDone(size_t index, probe::SmtpProbeOutcome outcome) {
    --in_flight_;
    ++completed_;
    ++latency_ms_[outcome.duration_ms];
    const Target& target = targets_[index % targets_.size()];
    if (outcome.session.error.has_value()) {
      const smtp::SessionError& e = *outcome.session.error;
      const std::string key = absl::StrCat(smtp::StageName(e.stage), " ",
                                           smtp::ErrorKindName(e.kind));
      auto [it, inserted] = failures_.try_emplace(key, 0, e.message);
      ++it->second.first;
    } else if (!outcome.tls_done) {
      auto [it, inserted] =
          failures_.try_emplace("NO_TLS none", 0, "ended without TLS");
      ++it->second.first;
    }
    if (outcome.tls_done) {
      ++handshakes_;
      if (!outcome.session.error.has_value()) ++succeeded_;
      ++negotiated_[absl::StrCat(outcome.tls.version, " ", outcome.tls.cipher,
                                 " ", outcome.tls.group, " chain ",
                                 outcome.tls.chain_der.size())];
      if (outcome.tls.resumed) ++resumed_;
      if (!chain_written_ && !chain_out_.empty()) {
        chain_written_ = true;
        mkdir(chain_out_.c_str(), 0755);
        for (size_t i = 0; i < outcome.tls.chain_der.size(); ++i) {
          std::ofstream out(absl::StrCat(chain_out_, "/cert-", i, ".der"),
                            std::ios::binary);
          out << outcome.tls.chain_der[i];
        }
        std::ofstream host(absl::StrCat(chain_out_, "/host"));
        host << target.name << "\n";
      }
    }
    if (verdicts_ != nullptr) {
      std::shared_ptr<scan::ProbeRecord> record = scan::ProbeRecordFrom(
          outcome, target.name, *verdicts_, scan_time_s_);
      if (record->probe.has_tls()) {
        if (record->probe.tls().cert_trusted()) ++trusted_;
        if (record->probe.tls().hostname_match()) ++name_match_;
      }
    }
    if (completed_ == static_cast<uint64_t>(count_ / 4)) {
      t25_ = std::chrono::steady_clock::now();
    }
    if (completed_ == static_cast<uint64_t>(3 * count_ / 4)) {
      t75_ = std::chrono::steady_clock::now();
    }
    Fill();
  }

  static double ThreadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
  }

  void Sample() {
    const double sample_start = ThreadCpuSeconds();
    SampleNow();
    sampler_cpu_s_ += ThreadCpuSeconds() - sample_start;
  }

  void SampleNow() {
    const int64_t rss = RssKib();
    if (rss > rss_max_kib_) {
      rss_max_kib_ = rss;
      in_flight_at_rss_max_ = in_flight_;
    }
    if (in_flight_ > max_in_flight_) max_in_flight_ = in_flight_;
    // RSS while every one of the C sessions is in flight (the closed loop
    // is full): the figure the per-session memory is computed from.
    if (in_flight_ == concurrency_ && rss > rss_max_full_kib_) {
      rss_max_full_kib_ = rss;
    }
    // The live heap with every session in flight, every 2 s (mallinfo2
    // walks the free lists: milliseconds on a heap of 500 MiB).
    const uint64_t now_ms = uv_now(loop_);
    if (in_flight_ == concurrency_ && now_ms - last_heap_ms_ >= 2000) {
      last_heap_ms_ = now_ms;
      heap_max_full_kib_ = std::max(heap_max_full_kib_, HeapInUseKib());
    }
    const uint64_t now = uv_now(loop_);
    if (now - last_progress_ms_ >= 5000) {
      last_progress_ms_ = now;
      std::fprintf(stderr,
                   "handshake_load: %.1f s: %llu started, %llu done, %lld in "
                   "flight, %llu handshakes, RSS %lld KiB\n",
                   (now - start_ms_) / 1000.0,
                   static_cast<unsigned long long>(started_),
                   static_cast<unsigned long long>(completed_),
                   static_cast<long long>(in_flight_),
                   static_cast<unsigned long long>(handshakes_),
                   static_cast<long long>(rss));
    }
  }

  void Finish() {
    wall_end_ = std::chrono::steady_clock::now();
    getrusage(RUSAGE_SELF, &usage_after_);
    hwm_kib_ = StatusKib("VmHWM");
    rss_end_kib_ = RssKib();
  }

  uv_loop_t* loop_;
  std::vector<Target> targets_;
  const tls::ClientContext& context_;
  tls::VerdictCache* verdicts_;
  probe::SmtpProbeOptions options_;
  int64_t concurrency_ = 0;
  int64_t count_ = 0;
  int64_t duration_ms_ = 0;
  std::string chain_out_;
  int64_t scan_time_s_ = 0;
  core::UvHandle<uv_timer_t> sampler_;
  core::UvHandle<uv_timer_t> watchdog_;

  uint64_t start_ms_ = 0;
  uint64_t last_progress_ms_ = 0;
  uint64_t last_heap_ms_ = 0;
  double sampler_cpu_s_ = 0;  // the benchmark's own RSS/heap sampling
  std::chrono::steady_clock::time_point wall_start_, wall_end_, t25_, t75_;
  rusage usage_before_{}, usage_after_{};
  uint64_t started_ = 0;
  uint64_t completed_ = 0;
  int64_t in_flight_ = 0;
  int64_t max_in_flight_ = 0;
  uint64_t handshakes_ = 0;  // TLS handshakes completed
  uint64_t succeeded_ = 0;   // whole sessions without an error
  uint64_t resumed_ = 0;
  uint64_t trusted_ = 0;
  uint64_t name_match_ = 0;
  bool duration_stop_ = false;
  bool aborted_ = false;
  bool chain_written_ = false;
  // Probe durations (connect to QUIT), by millisecond.
  std::map<int64_t, uint64_t> latency_ms_;
  int64_t LatencyPercentile(double p) const {
    uint64_t seen = 0;
    const uint64_t want = static_cast<uint64_t>(p * completed_);
    for (const auto& [ms, n] : latency_ms_) {
      seen += n;
      if (seen > want || seen == completed_) return ms;
    }
    return 0;
  }
  // "STAGE kind" -> (count, first message)
  std::map<std::string, std::pair<uint64_t, std::string>> failures_;
  std::map<std::string, uint64_t> negotiated_;
  int64_t rss_before_kib_ = 0;
  int64_t rss_max_kib_ = 0;
  int64_t rss_max_full_kib_ = 0;
  int64_t heap_before_kib_ = 0;
  int64_t heap_max_full_kib_ = 0;
  int64_t in_flight_at_rss_max_ = 0;
  int64_t rss_end_kib_ = 0;
  int64_t hwm_kib_ = 0;
};

void Load::Print() const {
  const double wall =
      std::chrono::duration<double>(wall_end_ - wall_start_).count();
  // The sampler's own CPU (RSS and heap readings, measured with the
  // thread clock) is the benchmark's, not the scanner's: it is taken out
  // of the user time (mallinfo2 is nearly all of it).
  const double user = CpuSeconds(usage_after_.ru_utime) -
                      CpuSeconds(usage_before_.ru_utime) - sampler_cpu_s_;
  const double sys = CpuSeconds(usage_after_.ru_stime) -
                     CpuSeconds(usage_before_.ru_stime);
  const double per = handshakes_ > 0 ? 1e6 / handshakes_ : 0;
  double mid_rate = 0;
  if (count_ >= 4 && completed_ >= static_cast<uint64_t>(3 * count_ / 4) &&
      t75_ > t25_) {
    mid_rate = (3 * count_ / 4 - count_ / 4) /
               std::chrono::duration<double>(t75_ - t25_).count();
  }
  std::string out = "{";
  absl::StrAppend(&out, "\"concurrency\":", concurrency_, ",\"count\":", count_,
                  ",\"targets\":", targets_.size(), ",\"started\":", started_,
                  ",\"completed\":", completed_,
                  ",\"handshakes\":", handshakes_,
                  ",\"sessions_ok\":", succeeded_, ",\"resumed\":", resumed_,
                  ",\"aborted\":", aborted_ ? "true" : "false",
                  ",\"duration_stop\":", duration_stop_ ? "true" : "false",
                  ",\"left_in_flight\":", in_flight_,
                  ",\"max_in_flight\":", max_in_flight_);
  absl::StrAppend(&out, ",\"wall_s\":", wall,
                  ",\"handshakes_per_s\":", wall > 0 ? handshakes_ / wall : 0,
                  ",\"mid_handshakes_per_s\":", mid_rate,
                  ",\"cpu_user_s\":", user, ",\"cpu_sys_s\":", sys,
                  ",\"cpu_us_per_handshake\":", (user + sys) * per,
                  ",\"user_us_per_handshake\":", user * per,
                  ",\"sys_us_per_handshake\":", sys * per,
                  ",\"latency_ms_p50\":", LatencyPercentile(0.5),
                  ",\"latency_ms_p90\":", LatencyPercentile(0.9),
                  ",\"latency_ms_p99\":", LatencyPercentile(0.99),
                  ",\"latency_ms_max\":", LatencyPercentile(1.0),
                  ",\"sampler_cpu_s\":", sampler_cpu_s_,
                  ",\"voluntary_ctx_switches\":",
                  usage_after_.ru_nvcsw - usage_before_.ru_nvcsw);
  absl::StrAppend(&out, ",\"rss_before_kib\":", rss_before_kib_,
                  ",\"rss_max_sampled_kib\":", rss_max_kib_,
                  ",\"in_flight_at_rss_max\":", in_flight_at_rss_max_,
                  ",\"rss_max_full_kib\":", rss_max_full_kib_,
                  ",\"heap_before_kib\":", heap_before_kib_,
                  ",\"heap_max_full_kib\":", heap_max_full_kib_,
                  ",\"rss_end_kib\":", rss_end_kib_,
                  ",\"tcp_connection_bytes\":", sizeof(core::TcpConnection),
                  ",\"vm_hwm_kib\":", hwm_kib_);
  if (verdicts_ != nullptr) {
    absl::StrAppend(&out, ",\"judged\":true,\"verdict_hits\":",
                    verdicts_->hits(), ",\"verdict_misses\":",
                    verdicts_->misses(), ",\"trusted\":", trusted_,
                    ",\"hostname_match\":", name_match_);
  } else {
    absl::StrAppend(&out, ",\"judged\":false");
  }
  out += ",\"negotiated\":{";
  bool first = true;
  for (const auto& [what, n] : negotiated_) {
    absl::StrAppend(&out, first ? "" : ",", JsonString(what), ":", n);
    first = false;
  }
  out += "},\"failures\":{";
  first = true;
  for (const auto& [key, value] : failures_) {
    absl::StrAppend(&out, first ? "" : ",", JsonString(key), ":{\"count\":",
                    value.first, ",\"example\":", JsonString(value.second), "}");
    first = false;
  }
  out += "}}\n";
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const rlim_t files = RaiseFileLimit();
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  if (concurrency < 1 || absl::GetFlag(FLAGS_count) < 1) {
    std::fprintf(stderr, "handshake_load: --concurrency and --count >= 1\n");
    return 2;
  }
  if (files != RLIM_INFINITY && files < static_cast<rlim_t>(concurrency) + 8) {
    std::fprintf(stderr,
                 "handshake_load: %d sessions need %d descriptors; the limit "
                 "is %llu (raise ulimit -n)\n",
                 concurrency, concurrency + 8,
                 static_cast<unsigned long long>(files));
    return 2;
  }

  std::vector<Target> targets;
  std::ifstream in(absl::GetFlag(FLAGS_targets));
  std::string line;
  const int port = absl::GetFlag(FLAGS_port);
  RssKib();  // opens /proc/self/statm while descriptors are plentiful
  while (std::getline(in, line)) {
    std::vector<std::string> fields =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (fields.size() < 2 || fields[0][0] == '#') continue;
    Target t;
    if (uv_ip4_addr(fields[0].c_str(), port,
                    reinterpret_cast<sockaddr_in*>(&t.address)) != 0) {
      std::fprintf(stderr, "handshake_load: bad address %s\n", fields[0].c_str());
      return 2;
    }
    // Loopback only.
    if ((ntohl(reinterpret_cast<sockaddr_in*>(&t.address)->sin_addr.s_addr) >>
         24) != 127) {
      std::fprintf(stderr, "handshake_load: %s is not loopback\n",
                   fields[0].c_str());
      return 2;
    }
    t.name = fields[1];
    targets.push_back(std::move(t));
  }
  in.close();
  if (targets.empty()) {
    std::fprintf(stderr, "handshake_load: no targets in --targets\n");
    return 2;
  }

  // The scan's own client context (scan_command.cc: default options).
  absl::StatusOr<std::unique_ptr<tls::ClientContext>> context =
      tls::ClientContext::Create(tls::ClientContextOptions());
  if (!context.ok()) {
    std::fprintf(stderr, "handshake_load: %s\n",
                 std::string(context.status().message()).c_str());
    return 1;
  }
  std::unique_ptr<tls::VerdictCache> verdicts;
  if (absl::GetFlag(FLAGS_judge)) {
    absl::StatusOr<std::shared_ptr<const tls::TrustStore>> trust =
        tls::TrustStore::LoadFile(absl::GetFlag(FLAGS_ca_file));
    if (!trust.ok()) {
      std::fprintf(stderr, "handshake_load: %s\n",
                   std::string(trust.status().message()).c_str());
      return 1;
    }
    verdicts = std::make_unique<tls::VerdictCache>(*trust);
  }
  signal(SIGPIPE, SIG_IGN);

  core::EventLoop loop;
  auto load = std::make_unique<Load>(loop.get(), std::move(targets), **context,
                                     verdicts.get());
  load->Run();
  load->Print();
  // After a watchdog stop probes may still hold handles: leave without
  // tearing the loop down.
  std::fflush(nullptr);
  _exit(0);
}

}  // namespace
}  // namespace mxscan

int main(int argc, char** argv) { return mxscan::Main(argc, argv); }
