// RenderBenchJson / RenderBenchText / ComputeFigures on fixed stats.
// (The JSON is parsed by python3 in the end-to-end tests.)

#include "scanner/bench/bench_report.h"

#include <string>

#include "gtest/gtest.h"

namespace mxscan::bench {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

BenchStats SomeStats() {
  BenchStats stats;
  for (int i = 0; i < 4; ++i) {
    BenchAttempt a;
    a.handshake_done = true;
    a.resumed = i == 3;
    a.version = "TLSv1.3";
    a.cipher = "TLS_AES_128_GCM_SHA256";
    a.group = "X25519";
    a.duration(Step::kConnect) = 250000;     // 0.25 ms
    a.duration(Step::kHandshake) = 2000000;  // 2 ms
    a.duration(Step::kTotal) = 2250000;
    stats.Add(a);
  }
  BenchAttempt failed;
  failed.error_stage = "HANDSHAKE";
  failed.error_code = "handshake_failed";
  failed.error_message = "alert \"bad\"";
  stats.Add(failed);
  return stats;
}

BenchSettings SomeSettings() {
  BenchSettings s;
  s.target = "127.0.0.1:443";
  s.address = "127.0.0.1:443";
  s.starttls = false;
  s.sni = "mta-sts.example.sim";
  s.concurrency = 8;
  s.warmup_s = 1;
  s.count = 5;
  s.resume_sessions = true;
  return s;
}

TEST(BenchReportTest, Figures) {
  BenchSettings s = SomeSettings();
  BenchMeasurement m;
  m.elapsed_s = 2;
  m.user_cpu_s = 0.3;
  m.system_cpu_s = 0.1;
  const BenchFigures f = ComputeFigures(s, SomeStats(), m);
  EXPECT_DOUBLE_EQ(f.handshakes_per_s, 2);
  EXPECT_DOUBLE_EQ(f.cpu_us_per_handshake, 100000);
  EXPECT_DOUBLE_EQ(f.cpu_us_per_attempt, 80000);
  EXPECT_DOUBLE_EQ(f.core_share, 0.2);
  EXPECT_FALSE(f.client_bound);

  m.user_cpu_s = 1.5;
  m.system_cpu_s = 0.3;  // 90% of one core
  EXPECT_TRUE(ComputeFigures(s, SomeStats(), m).client_bound);
  s.loops = 2;  // 45% per loop
  EXPECT_FALSE(ComputeFigures(s, SomeStats(), m).client_bound);
}

TEST(BenchReportTest, ClientBoundAcrossLoops) {
  BenchSettings s = SomeSettings();
  s.loops = 2;
  s.cores = 2;
  BenchMeasurement m;
  m.elapsed_s = 2;
  m.user_cpu_s = 2.0;          // 50% per loop on average...
  m.busiest_loop_cpu_s = 1.9;  // ...but one loop at 95%: it set the pace
  BenchFigures f = ComputeFigures(s, SomeStats(), m);
  EXPECT_DOUBLE_EQ(f.core_share, 0.5);
  EXPECT_DOUBLE_EQ(f.busiest_loop_share, 0.95);
  EXPECT_TRUE(f.client_bound);
  m.busiest_loop_cpu_s = 1.0;  // evenly spread: 50% each
  EXPECT_FALSE(ComputeFigures(s, SomeStats(), m).client_bound);
  // Four loops on two cores at 45% each use 90% of both cores.
  s.loops = 4;
  m.user_cpu_s = 3.6;
  m.busiest_loop_cpu_s = 0.9;
  EXPECT_TRUE(ComputeFigures(s, SomeStats(), m).client_bound);
  EXPECT_TRUE(Contains(RenderBenchText(s, SomeStats(), m), "busiest loop"));
}

TEST(BenchReportTest, WarmupLeftoversCountInTheWindow) {
  BenchMeasurement m;
  m.elapsed_s = 2;
  m.user_cpu_s = 0.5;
  m.warmup_attempts = 10;
  m.leftover_attempts = 3;  // ended inside the window
  m.leftover_handshakes = 2;
  const BenchFigures f = ComputeFigures(SomeSettings(), SomeStats(), m);
  EXPECT_EQ(f.window_handshakes, 6u);  // 4 measured + 2
  EXPECT_EQ(f.window_attempts, 8u);    // 5 measured + 3
  EXPECT_DOUBLE_EQ(f.handshakes_per_s, 3);
  EXPECT_DOUBLE_EQ(f.cpu_us_per_handshake, 0.5e6 / 6);
  EXPECT_DOUBLE_EQ(f.cpu_us_per_attempt, 0.5e6 / 8);
}

TEST(BenchReportTest, JsonHoldsTheFigures) {
  BenchMeasurement m;
  m.elapsed_s = 2;
  m.user_cpu_s = 0.3;
  m.system_cpu_s = 0.1;
  m.warmup_attempts = 9;
  m.sessions_offered = 3;
  m.certificates.push_back({"ab12", 3, true, true, ""});
  const std::string json = RenderBenchJson(SomeSettings(), SomeStats(), m);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '\n');
  EXPECT_EQ(json.find('\n'), json.size() - 1);  // one line
  EXPECT_TRUE(Contains(json, "\"starttls\":\"none\""));
  EXPECT_TRUE(Contains(json, "\"attempted\":5,\"succeeded\":4,\"failed\":1"));
  EXPECT_TRUE(Contains(json, "\"warmup_attempts\":9"));
  EXPECT_TRUE(Contains(json, "\"handshakes_per_s\":2.0"));
  EXPECT_TRUE(Contains(json, "\"connect\":{\"count\":4,\"p50\":0.250,"));
  EXPECT_TRUE(Contains(json, "\"handshake\":{\"count\":4,\"p50\":2.000,"));
  EXPECT_FALSE(Contains(json, "\"banner\""));  // not measured: left out
  EXPECT_TRUE(Contains(json, "\"full\":{\"count\":3,"));
  EXPECT_TRUE(Contains(json, "\"resumed\":{\"count\":1,"));
  EXPECT_TRUE(Contains(json, "\"resumption\":{\"offered\":3,\"resumed\":1,"));
  EXPECT_TRUE(Contains(json, "\"failures_by_stage\":{\"HANDSHAKE\":1}"));
  EXPECT_TRUE(Contains(json,
                       "{\"stage\":\"HANDSHAKE\",\"code\":\"handshake_failed\","
                       "\"count\":1,\"example\":\"alert \\\"bad\\\"\"}"));
  EXPECT_TRUE(Contains(json,
                       "{\"version\":\"TLSv1.3\",\"cipher\":"
                       "\"TLS_AES_128_GCM_SHA256\",\"group\":\"X25519\","
                       "\"count\":4}"));
  EXPECT_TRUE(Contains(json, "\"us_per_handshake\":100000.0"));
  EXPECT_TRUE(Contains(json, "\"client_bound\":false"));
  EXPECT_TRUE(Contains(json,
                       "\"leaf_sha256\":\"ab12\",\"handshakes\":3,"
                       "\"trusted\":true"));
}

TEST(BenchReportTest, TextForPeople) {
  BenchMeasurement m;
  m.elapsed_s = 0.5;
  m.user_cpu_s = 0.4;
  m.system_cpu_s = 0.1;  // 100% of one core
  m.interrupted = true;
  const std::string text = RenderBenchText(SomeSettings(), SomeStats(), m);
  EXPECT_TRUE(Contains(text, "plain TLS, SNI mta-sts.example.sim")) << text;
  EXPECT_TRUE(Contains(text, "5 handshake attempts after a warm-up of 1.0 s"));
  BenchSettings bounded = SomeSettings();
  bounded.warmup_max_attempts = 50;
  EXPECT_TRUE(
      Contains(RenderBenchText(bounded, SomeStats(), m),
               "warm-up of 1.0 s or 50 attempts, whichever came first"));
  EXPECT_TRUE(Contains(text, "(INTERRUPTED)"));
  EXPECT_TRUE(Contains(text, "attempted 5, succeeded 4, failed 1"));
  EXPECT_TRUE(Contains(text, "handshakes/s 8.0"));
  EXPECT_TRUE(Contains(text, "  connect"));
  EXPECT_TRUE(Contains(text, "  resumed handshake"));
  EXPECT_TRUE(Contains(text, "HANDSHAKE  handshake_failed"));
  EXPECT_TRUE(Contains(text, "CLIENT-BOUND"));
}

}  // namespace
}  // namespace mxscan::bench
