// Micro-benchmarks of the DNS hot path: what every query and answer costs
// on the CPU, outside the network. Run:
//   bazel run -c opt //bench/dns:dns_message_benchmark

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "scanner/base/timer_wheel.h"
#include "scanner/dns/answer_chain.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/message.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

void PutU16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}

// An answer as an authoritative server sends it: the question, then
// `records` records owned by a pointer to the question name.
std::string MakeAnswer(const std::string& query, uint16_t type, int records,
                       const std::string& rdata) {
  std::string out = query.substr(0, query.size() - 11);  // drop the OPT RR
  out[2] = static_cast<char>(0x84);
  out[3] = 0;
  out[7] = static_cast<char>(records);
  out[11] = 0;
  for (int i = 0; i < records; ++i) {
    out.append("\xC0\x0C", 2);
    PutU16(type, &out);
    PutU16(1, &out);
    out.append("\x00\x00\x0E\x10", 4);
    PutU16(static_cast<uint16_t>(rdata.size()), &out);
    out += rdata;
  }
  return out;
}

void BM_BuildQuery(benchmark::State& state) {
  std::string out;
  uint16_t id = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        BuildQuery(++id, "www123.example-sector.gov.uk", rr_type::kA,
                   QueryOptions(), &out));
  }
}
BENCHMARK(BM_BuildQuery);

void BM_IsAnswerTo(benchmark::State& state) {
  std::string query;
  (void)BuildQuery(7, "www123.example-sector.gov.uk", rr_type::kA,
                   QueryOptions(), &query);
  const std::string answer =
      MakeAnswer(query, rr_type::kA, 2, std::string("\x7f\x00\x00\x01", 4));
  for (auto _ : state) {
    benchmark::DoNotOptimize(IsAnswerTo(AsBytes(answer), AsBytes(query)));
  }
}
BENCHMARK(BM_IsAnswerTo);

// Parses an answer and follows its chain; `reuse`: into one
// ParsedResponse each time, as the client does.
void ParseAndFollow(benchmark::State& state, uint16_t type,
                    const std::string& rdata, bool reuse = false) {
  std::string query;
  (void)BuildQuery(7, "www123.example-sector.gov.uk", type, QueryOptions(),
                   &query);
  const std::string answer = MakeAnswer(query, type, 2, rdata);
  const std::string name = "www123.example-sector.gov.uk.";
  ParsedResponse reused;
  for (auto _ : state) {
    ParsedResponse fresh;
    ParsedResponse& parsed = reuse ? reused : fresh;
    (void)ParseResponse(AsBytes(answer), &parsed);
    std::vector<std::string> visited = {name};
    ChainStep step =
        FollowAnswer(AsBytes(answer), parsed, name, type, &visited, 8);
    benchmark::DoNotOptimize(step);
  }
}

void BM_ParseAnswerA(benchmark::State& state) {
  ParseAndFollow(state, rr_type::kA, std::string("\x7f\x00\x00\x01", 4));
}
BENCHMARK(BM_ParseAnswerA);

void BM_ParseAnswerAReused(benchmark::State& state) {
  ParseAndFollow(state, rr_type::kA, std::string("\x7f\x00\x00\x01", 4),
                 /*reuse=*/true);
}
BENCHMARK(BM_ParseAnswerAReused);

void BM_NormalizeName(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeName("WWW123.Example-Sector.gov.uk"));
  }
}
BENCHMARK(BM_NormalizeName);

// One line of `mxscan dns` output for an A lookup with two addresses.
void BM_LookupJsonLineA(benchmark::State& state) {
  LookupResult result;
  result.name = "www123.example-sector.gov.uk.";
  result.type = rr_type::kA;
  result.status = LookupStatus::kNoError;
  result.rcode = 0;
  result.attempts = 1;
  result.resolver = "127.0.0.1:53";
  for (const char* ip : {"192.0.2.7", "198.51.100.254"}) {
    result.answers.push_back(
        {result.name, rr_type::kA, 3600, *AddressFromText(ip)});
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendLookupJsonLine(result, &out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_LookupJsonLineA);

void BM_ParseAnswerMx(benchmark::State& state) {
  std::string rdata("\x00\x0A", 2);
  (void)AppendWireName("mx1.mail-provider.example", &rdata);
  ParseAndFollow(state, rr_type::kMx, rdata);
}
BENCHMARK(BM_ParseAnswerMx);

void BM_TimerWheelScheduleCancel(benchmark::State& state) {
  base::TimerWheel wheel(10, 4096, 0);
  uint32_t id = 0;
  for (auto _ : state) {
    wheel.Schedule(id, 2000 + (id & 1023));
    wheel.Cancel(id);
    id = (id + 1) & 65535;
  }
}
BENCHMARK(BM_TimerWheelScheduleCancel);

}  // namespace
}  // namespace mxscan::dns
