#include "scanner/cli/dns_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "scanner/cli/common_flags.h"
#include "scanner/core/bounded_queue.h"
#include "scanner/core/delimited.h"
#include "scanner/core/line_reader.h"
#include "scanner/core/output_sink.h"
#include "scanner/core/progress.h"
#include "scanner/core/stop_signal.h"
#include "scanner/core/worker.h"
#include "scanner/dns/client.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/rr_type.h"

ABSL_FLAG(std::string, type, "A", "record type: A, AAAA, MX, TXT, TLSA, ...");

namespace mxscan::cli {
namespace {

constexpr size_t kFlushBytes = 256 * 1024;
constexpr size_t kReaderBatch = 256;

// Counters shared between workers, the reader and the progress line.
struct Counters {
  std::atomic<uint64_t> read{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> failed{0};  // anything but NOERROR / NXDOMAIN
  std::atomic<uint64_t> in_flight{0};
  std::atomic<uint64_t> by_status[6] = {};
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> unexpected{0};
};

struct Settings {
  uint16_t type = 0;
  bool proto = false;
  size_t per_worker_concurrency = 0;
  dns::ClientOptions client;
};

// WorkerJob is the part of `mxscan dns` that runs on one worker loop: it
// takes names from its queue, keeps up to the concurrency limit in flight
// and writes results in large chunks. Lives on its worker's thread.
class WorkerJob {
 public:
  WorkerJob(Worker& worker, const Settings& settings,
            BoundedQueue<std::string>& input, OutputSink& sink,
            Counters& counters, std::atomic<bool>& stopping)
      : worker_(worker),
        settings_(settings),
        input_(input),
        sink_(sink),
        counters_(counters),
        stopping_(stopping) {}

  absl::Status Start() {
    absl::StatusOr<std::unique_ptr<dns::Client>> client =
        dns::Client::Create(worker_.loop(), settings_.client);
    if (!client.ok()) return client.status();
    client_ = *std::move(client);
    Refill();
    return absl::OkStatus();
  }

  // Refill starts lookups until the limit is reached or the queue is
  // empty, and finishes the job once the input is drained.
  void Refill() {
    if (finished_) return;
    while (client_->in_flight() < settings_.per_worker_concurrency) {
      batch_.clear();
      const size_t room =
          settings_.per_worker_concurrency - client_->in_flight();
      if (input_.PopUpTo(std::min<size_t>(room, 64), &batch_) == 0) break;
      for (std::string& name : batch_) {
        counters_.in_flight.fetch_add(1, std::memory_order_relaxed);
        client_->Resolve(name, settings_.type,
                         [this](dns::LookupResult r) { OnResult(r); });
      }
    }
    if (client_->in_flight() == 0 && input_.Drained()) Finish();
  }

  absl::Status status() const { return status_; }

 private:
  void OnResult(const dns::LookupResult& result) {
    if (settings_.proto) {
      record_.Clear();
      dns::LookupToProto(result, &record_);
      AppendDelimited(record_, &buffer_);
    } else {
      dns::AppendLookupJsonLine(result, &buffer_);
    }
    counters_.in_flight.fetch_sub(1, std::memory_order_relaxed);
    counters_.done.fetch_add(1, std::memory_order_relaxed);
    counters_.by_status[static_cast<int>(result.status)].fetch_add(
        1, std::memory_order_relaxed);
    if (result.status != dns::LookupStatus::kNoError &&
        result.status != dns::LookupStatus::kNxDomain) {
      counters_.failed.fetch_add(1, std::memory_order_relaxed);
    }
    if (buffer_.size() >= kFlushBytes) Flush();
    if (!refill_pending_) {
      // Refill once per loop iteration, not once per answer: answers
      // arrive in bursts of up to 20 datagrams per recvmmsg call.
      refill_pending_ = true;
      worker_.Post([this] {
        refill_pending_ = false;
        Refill();
      });
    }
  }

  void Flush() {
    if (buffer_.empty()) return;
    absl::Status s = sink_.Write(buffer_);
    if (!s.ok() && status_.ok()) {
      status_ = s;
      stopping_.store(true);
    }
    buffer_.clear();
  }

  void Finish() {
    finished_ = true;
    Flush();
    const dns::ClientStats& stats = client_->stats();
    counters_.sent.fetch_add(stats.sent);
    counters_.unexpected.fetch_add(stats.unexpected);
    client_.reset();
    worker_.Quit();
  }

  Worker& worker_;
  const Settings& settings_;
  BoundedQueue<std::string>& input_;
  OutputSink& sink_;
  Counters& counters_;
  std::atomic<bool>& stopping_;
  std::unique_ptr<dns::Client> client_;
  std::vector<std::string> batch_;
  std::string buffer_;
  DnsLookup record_;
  bool refill_pending_ = false;
  bool finished_ = false;
  absl::Status status_;
};

// Name routing: one name always goes to the same worker.
size_t WorkerFor(absl::string_view name, size_t workers) {
  absl::ConsumeSuffix(&name, ".");
  return absl::HashOf(absl::AsciiStrToLower(name)) % workers;
}

std::string ProgressText(const Counters& c, long long total,
                         std::chrono::steady_clock::time_point start) {
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  const uint64_t done = c.done.load();
  return absl::StrFormat(
      "mxscan dns: %d/%s done  %.0f/s  in flight %d  failed %d", done,
      total >= 0 ? absl::StrCat(total) : absl::StrCat(c.read.load(), "+"),
      seconds > 0 ? done / seconds : 0.0, c.in_flight.load(),
      c.failed.load());
}

}  // namespace

int RunDnsCommand(int argc, char** argv) {
  Settings settings;
  absl::StatusOr<uint16_t> type =
      dns::RrTypeFromName(absl::GetFlag(FLAGS_type));
  if (!type.ok()) {
    std::fprintf(stderr, "mxscan dns: %s\n",
                 std::string(type.status().message()).c_str());
    return 2;
  }
  settings.type = *type;
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "jsonl" && format != "proto") {
    std::fprintf(stderr, "mxscan dns: --format must be jsonl or proto\n");
    return 2;
  }
  settings.proto = format == "proto";
  const int workers = WorkerCount();
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  if (concurrency <= 0 || concurrency > 1000000) {
    std::fprintf(stderr, "mxscan dns: --concurrency must be in 1..1000000\n");
    return 2;
  }
  settings.per_worker_concurrency =
      std::max<size_t>(1, static_cast<size_t>(concurrency) / workers);
  absl::StatusOr<dns::ClientOptions> client = DnsClientOptionsFromFlags(
      RepeatedFlagValues(argc, argv, "resolver"), workers);
  if (!client.ok()) {
    std::fprintf(stderr, "mxscan dns: %s\n",
                 std::string(client.status().message()).c_str());
    return 2;
  }
  settings.client = *std::move(client);

  const std::string input_path = absl::GetFlag(FLAGS_input);
  absl::StatusOr<std::unique_ptr<LineReader>> reader =
      LineReader::Open(input_path, /*max_line=*/1024);
  if (!reader.ok()) {
    std::fprintf(stderr, "mxscan dns: %s\n",
                 std::string(reader.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<std::unique_ptr<OutputSink>> sink =
      OutputSink::Open(absl::GetFlag(FLAGS_output), /*durable=*/false);
  if (!sink.ok()) {
    std::fprintf(stderr, "mxscan dns: %s\n",
                 std::string(sink.status().message()).c_str());
    return 1;
  }

  Counters counters;
  std::atomic<bool> stopping{false};
  std::vector<std::unique_ptr<Worker>> pool;
  std::vector<std::unique_ptr<BoundedQueue<std::string>>> queues;
  std::vector<std::unique_ptr<WorkerJob>> jobs(workers);
  // The signal thread first, so that every later thread ignores signals.
  StopSignal stop_signal([&](int count) {
    stopping.store(true);
    for (auto& q : queues) q->Discard();
    if (count >= 2) {
      std::fprintf(stderr, "\nmxscan dns: stopping now\n");
      (*sink)->Close().IgnoreError();
      _exit(130);
    }
    std::fprintf(stderr,
                 "\nmxscan dns: stopping: finishing lookups in flight "
                 "(again to stop at once)\n");
  });
  for (int i = 0; i < workers; ++i) {
    pool.push_back(std::make_unique<Worker>(i));
    Worker* w = pool.back().get();
    queues.push_back(std::make_unique<BoundedQueue<std::string>>(
        std::max<size_t>(1024, 2 * settings.per_worker_concurrency),
        [w, &jobs, i] {
          w->Post([&jobs, i] {
            if (jobs[i]) jobs[i]->Refill();
          });
        }));
  }
  std::atomic<int> start_failures{0};
  for (int i = 0; i < workers; ++i) {
    pool[i]->Start([&, i](Worker& w) {
      jobs[i] = std::make_unique<WorkerJob>(w, settings, *queues[i], **sink,
                                            counters, stopping);
      absl::Status s = jobs[i]->Start();
      if (!s.ok()) {
        std::fprintf(stderr, "mxscan dns: worker %d: %s\n", i,
                     std::string(s.message()).c_str());
        start_failures.fetch_add(1);
        stopping.store(true);
        for (auto& q : queues) q->Discard();
        jobs[i].reset();
        w.Quit();
      }
    });
  }

  const auto start = std::chrono::steady_clock::now();
  const long long total = CountLines(input_path);
  const bool show_progress =
      !absl::GetFlag(FLAGS_no_progress) && isatty(STDERR_FILENO);
  auto progress = std::make_unique<ProgressLine>(
      show_progress, [&] { return ProgressText(counters, total, start); });

  // The reader runs on this thread; workers consume as it produces.
  std::vector<std::vector<std::string>> batches(workers);
  std::string line;
  bool input_error = false;
  while (!stopping.load()) {
    LineReader::Result r = (*reader)->Next(&line);
    if (r == LineReader::Result::kEnd) break;
    if (r == LineReader::Result::kError) {
      std::fprintf(stderr, "mxscan dns: %s\n", (*reader)->error().c_str());
      input_error = true;
      break;
    }
    absl::string_view name = absl::StripAsciiWhitespace(line);
    if (name.empty() || name[0] == '#') continue;
    std::string item(name);
    if (r == LineReader::Result::kTooLong) {
      // Still one result per line: the name fails validation and says so.
      item = absl::StrCat(item.substr(0, 300), "...(line too long)");
    }
    counters.read.fetch_add(1, std::memory_order_relaxed);
    const size_t w = WorkerFor(item, workers);
    batches[w].push_back(std::move(item));
    if (batches[w].size() >= kReaderBatch) queues[w]->PushAll(&batches[w]);
  }
  for (int i = 0; i < workers; ++i) {
    if (!stopping.load()) queues[i]->PushAll(&batches[i]);
    queues[i]->Close();
  }
  for (auto& w : pool) w->Join();
  progress.reset();

  int exit_code = 0;
  for (auto& job : jobs) {
    if (job && !job->status().ok()) {
      std::fprintf(stderr, "mxscan dns: %s\n",
                   std::string(job->status().message()).c_str());
      exit_code = 1;
    }
  }
  absl::Status closed = (*sink)->Close();
  if (!closed.ok()) {
    std::fprintf(stderr, "mxscan dns: %s\n",
                 std::string(closed.message()).c_str());
    exit_code = 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::fprintf(
      stderr,
      "mxscan dns: %llu names in %.2f s (%.0f/s): %llu NOERROR, %llu "
      "NXDOMAIN, %llu SERVFAIL, %llu REFUSED, %llu TIMEOUT, %llu ERROR; "
      "%llu queries sent, %llu unexpected datagrams\n",
      static_cast<unsigned long long>(counters.done.load()), seconds,
      seconds > 0 ? counters.done.load() / seconds : 0.0,
      static_cast<unsigned long long>(counters.by_status[0].load()),
      static_cast<unsigned long long>(counters.by_status[1].load()),
      static_cast<unsigned long long>(counters.by_status[2].load()),
      static_cast<unsigned long long>(counters.by_status[3].load()),
      static_cast<unsigned long long>(counters.by_status[4].load()),
      static_cast<unsigned long long>(counters.by_status[5].load()),
      static_cast<unsigned long long>(counters.sent.load()),
      static_cast<unsigned long long>(counters.unexpected.load()));
  if (start_failures.load() > 0 || input_error) exit_code = 1;
  if (stop_signal.count() > 0 && exit_code == 0) exit_code = 130;
  jobs.clear();
  return exit_code;
}

}  // namespace mxscan::cli
