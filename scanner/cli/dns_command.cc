#include "scanner/cli/dns_command.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/base/delimited.h"
#include "scanner/base/output_sink.h"
#include "scanner/cli/common_flags.h"
#include "scanner/core/pipeline.h"
#include "scanner/dns/client.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/rr_type.h"

ABSL_FLAG(std::string, type, "A", "record type: A, AAAA, MX, TXT, TLSA, ...");

namespace mxscan::cli {
namespace {

constexpr size_t kFlushBytes = 256 * 1024;
// Bulk lookups read answers in batches (ClientOptions::coalesce_us): half a
// millisecond more per answer, a fraction of the wake-ups and system calls
// (bench/README.md, "DNS engine").
constexpr int kCoalesceUs = 500;

struct Settings {
  uint16_t type = 0;
  bool proto = false;
  dns::ClientOptions client;
};

// Tallies by status, shared by the workers' jobs.
struct StatusCounts {
  std::atomic<uint64_t> by_status[6] = {};
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> late_answers{0};
  std::atomic<uint64_t> unexpected{0};
};

// DnsJob resolves the names routed to one worker and writes one result per
// name, in large chunks. Lives on its worker's thread.
class DnsJob : public core::PipelineJob<std::string> {
 public:
  DnsJob(std::unique_ptr<dns::Client> client, const Settings& settings,
         base::OutputSink& sink, StatusCounts& counts)
      : client_(std::move(client)),
        settings_(settings),
        sink_(sink),
        counts_(counts) {}

  void Process(std::string name, absl::AnyInvocable<void(bool)> done) override {
    // The pipeline's `done` waits here, so that the client's callback holds
    // two words and is stored without an allocation.
    uint32_t waiting;
    if (free_waiting_.empty()) {
      waiting = static_cast<uint32_t>(waiting_.size());
      waiting_.push_back(std::move(done));
    } else {
      waiting = free_waiting_.back();
      free_waiting_.pop_back();
      waiting_[waiting] = std::move(done);
    }
    client_->Resolve(
        name, settings_.type, [this, waiting](dns::LookupResult result) {
          Write(result);
          absl::AnyInvocable<void(bool)> done = std::move(waiting_[waiting]);
          free_waiting_.push_back(waiting);
          done(dns::IsFailure(result.status));
        });
  }

  absl::Status Finish() override {
    Flush();
    counts_.sent.fetch_add(client_->stats().sent);
    counts_.timeouts.fetch_add(client_->stats().timeouts);
    counts_.late_answers.fetch_add(client_->stats().late_answers);
    counts_.unexpected.fetch_add(client_->stats().unexpected);
    client_.reset();
    return status_;
  }

 private:
  void Write(const dns::LookupResult& result) {
    if (settings_.proto) {
      record_.Clear();
      dns::LookupToProto(result, &record_);
      base::AppendDelimited(record_, &buffer_);
    } else {
      dns::AppendLookupJsonLine(result, &buffer_);
    }
    counts_.by_status[static_cast<int>(result.status)].fetch_add(
        1, std::memory_order_relaxed);
    if (buffer_.size() >= kFlushBytes) Flush();
  }

  void Flush() {
    if (buffer_.empty()) return;
    absl::Status s = sink_.Write(buffer_);
    if (!s.ok() && status_.ok()) status_ = s;
    buffer_.clear();
  }

  std::unique_ptr<dns::Client> client_;
  const Settings& settings_;
  base::OutputSink& sink_;
  StatusCounts& counts_;
  std::string buffer_;
  // The `done` of each lookup in flight, and the free entries.
  std::vector<absl::AnyInvocable<void(bool)>> waiting_;
  std::vector<uint32_t> free_waiting_;
  DnsLookup record_;
  absl::Status status_;
};

// RoutingKey: the same for a name in any case (FNV-1a of its lowercase
// form), in 8 bytes that a string holds without an allocation.
std::string RoutingKey(absl::string_view name) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : name) {
    hash = (hash ^ static_cast<unsigned char>(absl::ascii_tolower(c))) *
           1099511628211ull;
  }
  return std::string(reinterpret_cast<const char*>(&hash), sizeof(hash));
}

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan dns: %s\n", std::string(message).c_str());
  return code;
}

}  // namespace

int RunDnsCommand(int argc, char** argv) {
  Settings settings;
  absl::StatusOr<uint16_t> type =
      dns::RrTypeFromName(absl::GetFlag(FLAGS_type));
  if (!type.ok()) return Fail(type.status().message(), 2);
  settings.type = *type;
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "jsonl" && format != "proto") {
    return Fail("--format must be jsonl or proto", 2);
  }
  settings.proto = format == "proto";
  const int workers = WorkerCount();
  const absl::StatusOr<int> concurrency_flag = ConcurrencyFromFlags(workers);
  if (!concurrency_flag.ok()) {
    return Fail(concurrency_flag.status().message(), 2);
  }
  const int concurrency = *concurrency_flag;
  absl::StatusOr<dns::ClientOptions> client = DnsClientOptionsFromFlags(
      RepeatedFlagValues(argc, argv, "resolver"), workers);
  if (!client.ok()) return Fail(client.status().message(), 2);
  settings.client = *std::move(client);
  settings.client.coalesce_us = kCoalesceUs;

  absl::StatusOr<std::unique_ptr<base::OutputSink>> sink =
      base::OutputSink::Open(absl::GetFlag(FLAGS_output), /*durable=*/false);
  if (!sink.ok()) return Fail(sink.status().message(), 1);

  core::PipelineOptions options;
  options.command = "mxscan dns";
  options.input_path = absl::GetFlag(FLAGS_input);
  options.workers = workers;
  options.max_in_flight_per_worker =
      std::max<size_t>(1, static_cast<size_t>(concurrency) / workers);
  options.show_progress = !absl::GetFlag(FLAGS_no_progress);
  StatusCounts counts;
  absl::StatusOr<core::PipelineStats> stats = core::RunPipeline<std::string>(
      options,
      [](std::string line,
         bool too_long) -> std::optional<core::RoutedItem<std::string>> {
        absl::string_view name = absl::StripAsciiWhitespace(line);
        if (name.empty() || name[0] == '#') return std::nullopt;
        // A line that is just the name becomes the item as it is.
        std::string item =
            name.size() == line.size() ? std::move(line) : std::string(name);
        // Still one result per line: the name fails validation, saying so.
        if (too_long)
          item = absl::StrCat(item.substr(0, 300), "...(line too long)");
        absl::string_view name_key = item;
        absl::ConsumeSuffix(&name_key, ".");
        return core::RoutedItem<std::string>{RoutingKey(name_key),
                                             std::move(item)};
      },
      [&](core::Worker& w)
          -> absl::StatusOr<std::unique_ptr<core::PipelineJob<std::string>>> {
        absl::StatusOr<std::unique_ptr<dns::Client>> c =
            dns::Client::Create(w.loop(), settings.client);
        if (!c.ok()) return c.status();
        return std::make_unique<DnsJob>(*std::move(c), settings, **sink,
                                        counts);
      },
      [&] { (*sink)->Close().IgnoreError(); });
  absl::Status closed = (*sink)->Close();
  if (!stats.ok()) return Fail(stats.status().message(), 1);
  if (!closed.ok()) return Fail(closed.message(), 1);
  std::fprintf(
      stderr,
      "mxscan dns: %llu names in %.2f s (%.0f/s): %llu NOERROR, %llu "
      "NXDOMAIN, %llu SERVFAIL, %llu REFUSED, %llu TIMEOUT, %llu ERROR; "
      "%llu queries sent (%llu timed out, %llu answered late), %llu "
      "unexpected datagrams\n",
      static_cast<unsigned long long>(stats->items), stats->seconds,
      stats->seconds > 0 ? stats->items / stats->seconds : 0.0,
      static_cast<unsigned long long>(counts.by_status[0].load()),
      static_cast<unsigned long long>(counts.by_status[1].load()),
      static_cast<unsigned long long>(counts.by_status[2].load()),
      static_cast<unsigned long long>(counts.by_status[3].load()),
      static_cast<unsigned long long>(counts.by_status[4].load()),
      static_cast<unsigned long long>(counts.by_status[5].load()),
      static_cast<unsigned long long>(counts.sent.load()),
      static_cast<unsigned long long>(counts.timeouts.load()),
      static_cast<unsigned long long>(counts.late_answers.load()),
      static_cast<unsigned long long>(counts.unexpected.load()));
  return stats->interrupted ? 130 : 0;
}

}  // namespace mxscan::cli
