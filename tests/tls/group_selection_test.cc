// The post-quantum selection probe's own ClientHello (client_hello.h,
// group_selection.h) against a real TLS server in memory (the packaged
// BoringSSL, which has no ML-KEM): the server understands the hello and
// answers with a ServerHello or HelloRetryRequest that server_hello.h
// reads. The selection of X25519MLKEM768 itself is tested against a
// current OpenSSL (tests/tls/pq_selection_test.sh).

#include "scanner/tls/group_selection.h"

#include <openssl/ssl.h>

#include <string>

#include "gtest/gtest.h"
#include "scanner/tls/client_hello.h"
#include "scanner/tls/server_hello.h"
#include "scanner/tls/tls_codepoints.h"
#include "tests/tls/hello_server.h"

namespace mxscan::tls {
namespace {

// The server's first answer to `hello`, read by ServerHelloReader in
// pieces of `piece` bytes.
ServerHelloReader AnswerOf(const std::string& hello, const char* groups,
                           uint16_t max_version, size_t piece = 7) {
  testing::HelloServerConfig config;
  config.groups = groups;
  config.max_version = max_version;
  const std::string answer = testing::ServerAnswer(config, hello);
  ServerHelloReader reader;
  for (size_t at = 0; at < answer.size() &&
                      reader.state() == ServerHelloReader::State::kNeedMore;
       at += piece) {
    reader.Feed(absl::string_view(answer).substr(at, piece));
  }
  return reader;
}

TEST(GroupSelectionTest, AServerWithoutMlKemSelectsX25519) {
  const ServerHelloReader r =
      AnswerOf(BuildClientHello(PostQuantumSelectionHello("mx.example.com")),
               "X25519:P-256", TLS1_3_VERSION);
  ASSERT_EQ(r.state(), ServerHelloReader::State::kDone) << r.error();
  EXPECT_EQ(r.summary().kind, ServerHelloSummary::Kind::kServerHello);
  EXPECT_EQ(VersionName(r.summary().version), "TLSv1.3");
  EXPECT_EQ(GroupName(r.summary().group), "X25519");
  EXPECT_FALSE(IsPostQuantumHybrid(r.summary().group));
  EXPECT_EQ(r.summary().cipher_suite >> 8, 0x13);  // a TLS 1.3 suite
}

TEST(GroupSelectionTest, AGroupWithoutAShareGetsAHelloRetryRequest) {
  const ServerHelloReader r =
      AnswerOf(BuildClientHello(PostQuantumSelectionHello("mx.example.com")),
               "P-384", TLS1_3_VERSION, 1);
  ASSERT_EQ(r.state(), ServerHelloReader::State::kDone) << r.error();
  EXPECT_EQ(r.summary().kind, ServerHelloSummary::Kind::kHelloRetryRequest);
  EXPECT_EQ(GroupName(r.summary().group), "P-384");
}

TEST(GroupSelectionTest, ATls12ServerAnswersWithoutAGroup) {
  const ServerHelloReader r =
      AnswerOf(BuildClientHello(PostQuantumSelectionHello("mx.example.com")),
               "X25519:P-256", TLS1_2_VERSION, 1000);
  ASSERT_EQ(r.state(), ServerHelloReader::State::kDone) << r.error();
  EXPECT_EQ(r.summary().kind, ServerHelloSummary::Kind::kServerHello);
  EXPECT_EQ(VersionName(r.summary().version), "TLSv1.2");
  EXPECT_EQ(r.summary().group, 0);
}

TEST(GroupSelectionTest, NoCommonGroupIsAnAlert) {
  ClientHelloSpec spec = PostQuantumSelectionHello("mx.example.com");
  spec.versions = {kTls13};
  spec.groups = {kGroupX25519MlKem768};
  spec.key_shares.resize(1);
  const ServerHelloReader r =
      AnswerOf(BuildClientHello(spec), "P-256", TLS1_3_VERSION);
  ASSERT_EQ(r.state(), ServerHelloReader::State::kDone) << r.error();
  EXPECT_EQ(r.summary().kind, ServerHelloSummary::Kind::kAlert);
  EXPECT_EQ(AlertName(r.summary().alert), "handshake_failure");
}

// A TLS 1.2 DHE key exchange: the prime's size, read past the
// Certificate (RFC 5246 7.4.3).
TEST(ServerHelloReaderTest, ReadsTheSizeOfADhePrime) {
  auto message = [](uint8_t type, const std::string& body) {
    return std::string(1, static_cast<char>(type)) + std::string(1, '\0') +
           std::string(1, static_cast<char>(body.size() >> 8)) +
           std::string(1, static_cast<char>(body.size() & 0xff)) + body;
  };
  std::string hello("\x03\x03", 2);
  hello += std::string(32, 'r') + std::string(1, '\0');  // random, no id
  hello += std::string("\x00\x9e\x00", 3);  // DHE_RSA_AES_128_GCM, null
  std::string prime(256, '\x01');
  prime[0] = '\xff';  // 2048 bits
  const std::string key_exchange =
      std::string("\x01\x00", 2) + prime + std::string("\x00\x01\x02", 3);
  const std::string flight = message(2, hello) +
                             message(11, std::string(3, '\0')) +
                             message(12, key_exchange);
  const std::string record =
      std::string("\x16\x03\x03", 3) +
      std::string(1, static_cast<char>(flight.size() >> 8)) +
      std::string(1, static_cast<char>(flight.size() & 0xff)) + flight;
  ServerHelloReader plain;
  ASSERT_EQ(plain.Feed(record), ServerHelloReader::State::kDone);
  EXPECT_EQ(plain.summary().dhe_bits, 0u);  // not asked to read on
  ServerHelloReader reader(/*key_exchange=*/true);
  ServerHelloReader::State state = ServerHelloReader::State::kNeedMore;
  for (size_t at = 0; at < record.size(); at += 5) {
    state = reader.Feed(absl::string_view(record).substr(at, 5));
  }
  ASSERT_EQ(state, ServerHelloReader::State::kDone) << reader.error();
  EXPECT_EQ(reader.summary().cipher_suite, 0x009e);
  EXPECT_EQ(reader.summary().dhe_bits, 2048u);
}

TEST(ServerHelloReaderTest, RefusesWhatIsNotAServerHello) {
  ServerHelloReader smtp;
  EXPECT_EQ(smtp.Feed("220 mx.example.com ESMTP\r\n"),
            ServerHelloReader::State::kError);
  EXPECT_NE(smtp.error().find("not a TLS handshake record"), std::string::npos);

  ServerHelloReader huge;
  EXPECT_EQ(huge.Feed(std::string("\x16\x03\x03\xff\xff", 5)),
            ServerHelloReader::State::kError);

  ServerHelloReader other;  // a Certificate message first
  EXPECT_EQ(other.Feed(std::string("\x16\x03\x03\x00\x04\x0b\x00\x00\x00", 9)),
            ServerHelloReader::State::kError);

  // A ServerHello cut short inside its own length.
  ServerHelloReader truncated;
  EXPECT_EQ(truncated.Feed(std::string(
                "\x16\x03\x03\x00\x08\x02\x00\x00\x04\x03\x03\x00\x00", 13)),
            ServerHelloReader::State::kError);

  // A server that trickles a record forever stops being read.
  ServerHelloReader endless;
  std::string record("\x16\x03\x03\x40\x00\x02\xff\xff\xff", 9);
  record.resize(5 + 0x4000, 'x');
  ServerHelloReader::State state = ServerHelloReader::State::kNeedMore;
  for (int i = 0; i < 10 && state == ServerHelloReader::State::kNeedMore; ++i) {
    state = endless.Feed(record);
  }
  EXPECT_EQ(state, ServerHelloReader::State::kError);
}

}  // namespace
}  // namespace mxscan::tls
