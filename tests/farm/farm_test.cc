// The farm in-process on free ports, each behaviour on its own loopback
// address (127.77.0.N), checked from the outside with plain sockets and the
// scanner's TLS client.

#include "tools/farm/farm.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/tls/certificate_facts.h"
#include "scanner/tls/chain_verifier.h"
#include "scanner/tls/parsed_chain.h"
#include "tests/farm/farm_fixture.h"
#include "tools/farm/behaviours.h"

namespace mxscan::farm {
namespace {

using ::mxscan::farm::testing::Client;
using ::mxscan::farm::testing::FarmThread;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kBehaviours[] = R"json({
  "127.77.0.1":  {"behaviour": "valid", "names": ["mx1.valid.sim", "mx.valid.sim"]},
  "127.77.0.2":  {"behaviour": "no_starttls", "names": ["mx.plain.sim"]},
  "127.77.0.3":  {"behaviour": "starttls_refused", "names": ["mx.refused.sim"]},
  "127.77.0.4":  {"behaviour": "tls10_only", "names": ["mx.old.sim"]},
  "127.77.0.5":  {"behaviour": "expired", "names": ["mx.expired.sim"]},
  "127.77.0.6":  {"behaviour": "self_signed", "names": ["mx.self.sim"]},
  "127.77.0.7":  {"behaviour": "wrong_name", "names": ["mx.wrong.sim"]},
  "127.77.0.8":  {"behaviour": "missing_intermediate", "names": ["mx.lonely.sim"]},
  "127.77.0.9":  {"behaviour": "multiline_banner", "names": ["mx.multi.sim"]},
  "127.77.0.10": {"behaviour": "defer_421", "names": ["mx.busy.sim"]},
  "127.77.0.11": {"behaviour": "slow_banner", "names": ["mx.slow.sim"], "delay_ms": 300},
  "127.77.0.12": {"behaviour": "silent", "names": ["mx.silent.sim"]},
  "127.77.0.13": {"behaviour": "endless_line", "names": ["mx.endless.sim"]},
  "127.77.0.14": {"behaviour": "huge_reply", "names": ["mx.huge.sim"]},
  "127.77.0.15": {"behaviour": "garbage_tls", "names": ["mx.garbage.sim"]},
  "127.77.0.16": {"behaviour": "reset_handshake", "names": ["mx.reset.sim"]},
  "127.77.0.17": {"behaviour": "ehlo_502", "names": ["mx.helo.sim"]},
  "127.77.0.18": {"behaviour": "starttls_injection", "names": ["mx.inject.sim"]},
  "::ffff:127.77.0.19": {"behaviour": "valid", "host": "mx.mapped.sim"},
  "mta-sts.redirect.sim": {"behaviour": "redirect"},
  "mta-sts.expired.sim":  {"behaviour": "expired"},
  "mta-sts.huge.sim":     {"behaviour": "huge"},
  "mta-sts.slow.sim":     {"behaviour": "slow", "delay_ms": 300}
})json";

constexpr char kPolicy[] =
    "version: STSv1\nmode: enforce\nmx: mx1.valid.sim\nmax_age: 86400\n";

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

int64_t Now() { return static_cast<int64_t>(time(nullptr)); }

class FarmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* tmp = getenv("TEST_TMPDIR");
    policy_dir_ = new std::string(
        absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/mta-sts.", getpid()));
    mkdir(policy_dir_->c_str(), 0700);
    for (const char* domain :
         {"valid.sim", "redirect.sim", "expired.sim", "huge.sim", "slow.sim"}) {
      WriteFile(absl::StrCat(*policy_dir_, "/", domain), kPolicy);
    }
    absl::StatusOr<FarmConfig> config = ParseBehaviours(kBehaviours);
    ASSERT_TRUE(config.ok()) << config.status();
    Farm::Options options;
    options.config = *std::move(config);
    options.mta_sts_dir = *policy_dir_;
    absl::StatusOr<std::unique_ptr<FarmThread>> farm =
        FarmThread::Start(std::move(options));
    ASSERT_TRUE(farm.ok()) << farm.status();
    farm_ = farm->release();
    store_ = LoadStore(farm_->ca_pem());
  }

  static void TearDownTestSuite() {
    delete farm_;
    farm_ = nullptr;
    X509_STORE_free(store_);
    delete policy_dir_;
  }

  static X509_STORE* LoadStore(const std::string& pem) {
    X509_STORE* store = X509_STORE_new();
    bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), pem.size()));
    bssl::UniquePtr<X509> root(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    EXPECT_NE(root, nullptr);
    X509_STORE_add_cert(store, root.get());
    return store;
  }

  static std::unique_ptr<Client> Connect(int n, int timeout_ms = 5000) {
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Connect(
        absl::StrCat("127.77.0.", n), farm_->smtp_port(), timeout_ms);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

  // Banner, EHLO (checked for STARTTLS), STARTTLS answered 220.
  static std::unique_ptr<Client> UpToStarttls(int n) {
    std::unique_ptr<Client> c = Connect(n);
    if (c == nullptr) return nullptr;
    EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("220 "));
    EXPECT_TRUE(c->Send("EHLO scanner.test\r\n").ok());
    EXPECT_THAT(c->ReadReply().value_or(""), HasSubstr("250-STARTTLS\r\n"));
    EXPECT_TRUE(c->Send("STARTTLS\r\n").ok());
    EXPECT_THAT(c->ReadReply().value_or(""),
                StartsWith("220 2.0.0 Ready to start TLS\r\n"));
    return c;
  }

  static tls::ChainVerification Verify(const tls::ParsedChain& chain) {
    tls::VerifyOptions options;
    options.time = Now();
    const std::vector<X509*> intermediates = chain.Intermediates();
    return tls::VerifyChain(chain.leaf(), intermediates, store_, options);
  }

  static tls::CertificateFacts Leaf(const tls::HandshakeInfo& info,
                                    tls::ParsedChain* chain) {
    *chain = tls::ParseChain(info.chain_der);
    EXPECT_EQ(chain->error, "");
    return tls::DescribeCertificate(info.chain_der.at(0), chain->leaf());
  }

  static std::string* policy_dir_;
  static FarmThread* farm_;
  static X509_STORE* store_;
};

std::string* FarmTest::policy_dir_ = nullptr;
FarmThread* FarmTest::farm_ = nullptr;
X509_STORE* FarmTest::store_ = nullptr;

TEST_F(FarmTest, ValidConversationWithTrustedChain) {
  std::unique_ptr<Client> c = UpToStarttls(1);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->StartTls("mx1.valid.sim").ok());
  const tls::HandshakeInfo& info = c->tls_info();
  EXPECT_TRUE(info.version == "TLSv1.3" || info.version == "TLSv1.2")
      << info.version;
  ASSERT_EQ(info.chain_der.size(), 2u);
  tls::ParsedChain chain;
  const tls::CertificateFacts leaf = Leaf(info, &chain);
  EXPECT_THAT(leaf.dns_names, ElementsAre("mx1.valid.sim", "mx.valid.sim"));
  EXPECT_EQ(leaf.key_type, "RSA");
  EXPECT_EQ(leaf.key_bits, 2048u);
  EXPECT_GT(leaf.not_after, Now());
  const tls::ChainVerification verdict = Verify(chain);
  EXPECT_TRUE(verdict.ok) << verdict.error;

  ASSERT_TRUE(c->Send("EHLO scanner.test\r\n").ok());
  const std::string ehlo = c->ReadReply().value_or("");
  EXPECT_THAT(ehlo, StartsWith("250-mx1.valid.sim Hello scanner.test\r\n"));
  EXPECT_THAT(ehlo, Not(HasSubstr("STARTTLS")));
  ASSERT_TRUE(c->Send("STARTTLS\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("503 "));
  ASSERT_TRUE(c->Send("QUIT\r\n").ok());
  EXPECT_EQ(c->ReadReply().value_or(""), "221 2.0.0 Bye\r\n");
  bool closed = false;
  EXPECT_EQ(c->ReadUntilClosed(1024, &closed), "");
  EXPECT_TRUE(closed);
}

TEST_F(FarmTest, BannerAndEhloBytesTrickled) {
  std::unique_ptr<Client> c = Connect(1);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->ReadReply().value_or(""),
            "220 mx1.valid.sim ESMTP mxscan farm\r\n");
  for (char ch : std::string("EHLO a\r\nNOOP\r\n")) {
    ASSERT_TRUE(c->Send(std::string(1, ch)).ok());
  }
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("250-mx1.valid.sim"));
  EXPECT_EQ(c->ReadReply().value_or(""), "250 2.0.0 Ok\r\n");
}

TEST_F(FarmTest, PlaintextPipelinedAfterStarttlsIsDropped) {
  std::unique_ptr<Client> c = Connect(1);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("STARTTLS\r\nNOOP\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("220 "));
  ASSERT_TRUE(c->StartTls("mx1.valid.sim").ok());
  ASSERT_TRUE(c->Send("HELO a\r\n").ok());
  // The first answer inside TLS is HELO's: the NOOP was not carried over.
  EXPECT_EQ(c->ReadReply().value_or(""), "250 mx1.valid.sim\r\n");
}

TEST_F(FarmTest, MappedIpv6AddressIsTheIpv4Listener) {
  absl::StatusOr<std::unique_ptr<Client>> c =
      Client::Connect("::ffff:127.77.0.19", farm_->smtp_port());
  if (!c.ok()) GTEST_SKIP() << "no IPv6 sockets here: " << c.status();
  EXPECT_THAT((*c)->ReadReply().value_or(""), StartsWith("220 mx.mapped.sim "));
  // And the plain IPv4 form reaches it too.
  std::unique_ptr<Client> v4 = Connect(19);
  ASSERT_NE(v4, nullptr);
  EXPECT_THAT(v4->ReadReply().value_or(""), StartsWith("220 mx.mapped.sim "));
}

TEST_F(FarmTest, NoStarttls) {
  std::unique_ptr<Client> c = Connect(2);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  const std::string ehlo = c->ReadReply().value_or("");
  EXPECT_THAT(ehlo, StartsWith("250-mx.plain.sim"));
  EXPECT_THAT(ehlo, Not(HasSubstr("STARTTLS")));
  ASSERT_TRUE(c->Send("STARTTLS\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("502 "));
}

TEST_F(FarmTest, StarttlsRefused) {
  std::unique_ptr<Client> c = Connect(3);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), HasSubstr("250-STARTTLS\r\n"));
  ASSERT_TRUE(c->Send("STARTTLS\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("454 4.7.0 "));
}

TEST_F(FarmTest, Tls10Only) {
  std::unique_ptr<Client> c = UpToStarttls(4);
  ASSERT_NE(c, nullptr);
  const absl::Status s = c->StartTls("mx.old.sim");
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(c->tls_info().version, "TLSv1");
  EXPECT_EQ(c->tls_info().chain_der.size(), 2u);
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("250-mx.old.sim"));

  // A client that insists on TLS 1.2 gets no handshake.
  std::unique_ptr<Client> modern = UpToStarttls(4);
  ASSERT_NE(modern, nullptr);
  tls::ClientContextOptions options;
  options.min_version = TLS1_2_VERSION;
  EXPECT_FALSE(modern->StartTls("mx.old.sim", options).ok());
}

TEST_F(FarmTest, ExpiredLeaf) {
  std::unique_ptr<Client> c = UpToStarttls(5);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->StartTls("mx.expired.sim").ok());
  ASSERT_EQ(c->tls_info().chain_der.size(), 2u);
  tls::ParsedChain chain;
  const tls::CertificateFacts leaf = Leaf(c->tls_info(), &chain);
  EXPECT_THAT(leaf.dns_names, ElementsAre("mx.expired.sim"));
  EXPECT_LT(leaf.not_after, Now());
  const tls::ChainVerification verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.error_code, X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_F(FarmTest, SelfSignedLeaf) {
  std::unique_ptr<Client> c = UpToStarttls(6);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->StartTls("mx.self.sim").ok());
  ASSERT_EQ(c->tls_info().chain_der.size(), 1u);
  tls::ParsedChain chain;
  const tls::CertificateFacts leaf = Leaf(c->tls_info(), &chain);
  EXPECT_THAT(leaf.dns_names, ElementsAre("mx.self.sim"));
  EXPECT_EQ(leaf.subject, leaf.issuer);
  EXPECT_GT(leaf.not_after, Now());
  const tls::ChainVerification verdict = Verify(chain);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.error_code, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
      << verdict.error;
}

TEST_F(FarmTest, WrongNameLeaf) {
  std::unique_ptr<Client> c = UpToStarttls(7);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->StartTls("mx.wrong.sim").ok());
  ASSERT_EQ(c->tls_info().chain_der.size(), 2u);
  tls::ParsedChain chain;
  const tls::CertificateFacts leaf = Leaf(c->tls_info(), &chain);
  EXPECT_THAT(leaf.dns_names, ElementsAre(TlsContexts::kWrongName));
  EXPECT_EQ(X509_check_host(chain.leaf(), "mx.wrong.sim", 12, 0, nullptr), 0);
  EXPECT_TRUE(Verify(chain).ok);  // trusted, for another name
}

TEST_F(FarmTest, MissingIntermediate) {
  std::unique_ptr<Client> c = UpToStarttls(8);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->StartTls("mx.lonely.sim").ok());
  ASSERT_EQ(c->tls_info().chain_der.size(), 1u);
  tls::ParsedChain chain;
  const tls::CertificateFacts leaf = Leaf(c->tls_info(), &chain);
  EXPECT_THAT(leaf.dns_names, ElementsAre("mx.lonely.sim"));
  EXPECT_THAT(leaf.issuer, HasSubstr("intermediate"));
  const tls::ChainVerification verdict = Verify(chain);
  EXPECT_EQ(verdict.error_code, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
      << verdict.error;
}

TEST_F(FarmTest, MultilineBanner) {
  std::unique_ptr<Client> c = Connect(9);
  ASSERT_NE(c, nullptr);
  const std::string banner = c->ReadReply().value_or("");
  std::vector<std::string> lines =
      absl::StrSplit(banner, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << banner;
  EXPECT_THAT(lines[0], StartsWith("220-mx.multi.sim "));
  EXPECT_THAT(lines[1], StartsWith("220-"));
  EXPECT_THAT(lines[2], StartsWith("220 "));
}

TEST_F(FarmTest, Defer421ThenClose) {
  std::unique_ptr<Client> c = Connect(10);
  ASSERT_NE(c, nullptr);
  EXPECT_THAT(c->ReadReply().value_or(""),
              StartsWith("421 4.3.2 mx.busy.sim "));
  bool closed = false;
  EXPECT_EQ(c->ReadUntilClosed(1024, &closed), "");
  EXPECT_TRUE(closed);
}

TEST_F(FarmTest, SlowBanner) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Client> c = Connect(11);
  ASSERT_NE(c, nullptr);
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("220 mx.slow.sim "));
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(250));
}

TEST_F(FarmTest, SilentServerSaysNothing) {
  std::unique_ptr<Client> c = Connect(12, /*timeout_ms=*/300);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  const absl::StatusOr<std::string> reply = c->ReadReply();
  ASSERT_FALSE(reply.ok());
  EXPECT_THAT(std::string(reply.status().message()), StartsWith("timeout"));
}

TEST_F(FarmTest, EndlessLineStopsAtTheCap) {
  std::unique_ptr<Client> c = Connect(13);
  ASSERT_NE(c, nullptr);
  bool closed = false;
  const std::string all = c->ReadUntilClosed(32 << 20, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(all.size(), size_t{10} << 20);
  EXPECT_THAT(all, StartsWith("220 xxxx"));
  EXPECT_EQ(all.find('\n'), std::string::npos);
}

TEST_F(FarmTest, HugeEhloReply) {
  std::unique_ptr<Client> c = Connect(14);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\nNOOP\r\n").ok());
  const std::string ehlo = c->ReadReply(32 << 20).value_or("");
  EXPECT_GE(ehlo.size(), size_t{10} << 20);
  EXPECT_THAT(ehlo, StartsWith("250-mx.huge.sim Hello a\r\n"));
  EXPECT_TRUE(absl::EndsWith(ehlo, "250-STARTTLS\r\n250 8BITMIME\r\n"));
  // The pipelined NOOP is answered after it.
  EXPECT_EQ(c->ReadReply().value_or(""), "250 2.0.0 Ok\r\n");
}

TEST_F(FarmTest, GarbageInsteadOfServerHello) {
  std::unique_ptr<Client> c = UpToStarttls(15);
  ASSERT_NE(c, nullptr);
  const absl::Status s = c->StartTls("mx.garbage.sim");
  EXPECT_FALSE(s.ok());
}

TEST_F(FarmTest, ResetMidHandshake) {
  std::unique_ptr<Client> c = UpToStarttls(16);
  ASSERT_NE(c, nullptr);
  const absl::Status s = c->StartTls("mx.reset.sim");
  EXPECT_FALSE(s.ok());
}

TEST_F(FarmTest, Ehlo502HeloAccepted) {
  std::unique_ptr<Client> c = Connect(17);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("502 "));
  ASSERT_TRUE(c->Send("HELO a\r\n").ok());
  EXPECT_EQ(c->ReadReply().value_or(""), "250 mx.helo.sim\r\n");
  ASSERT_TRUE(c->Send("STARTTLS\r\n").ok());
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("502 "));
}

TEST_F(FarmTest, StarttlsInjection) {
  std::unique_ptr<Client> c = Connect(18);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("STARTTLS\r\n").ok());
  EXPECT_EQ(c->ReadReply().value_or(""), "220 2.0.0 Ready to start TLS\r\n");
  // The extra reply came in the clear, before any TLS byte: a client must
  // reject it (here it is read to show it is there).
  EXPECT_THAT(c->ReadReply().value_or(""), StartsWith("250 2.0.0 injected"));
  // The server itself does speak TLS afterwards.
  EXPECT_TRUE(c->StartTls("mx.inject.sim").ok());
}

TEST_F(FarmTest, NaiveClientFeedingInjectedBytesToTlsFails) {
  std::unique_ptr<Client> c = Connect(18);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("EHLO a\r\n").ok());
  ASSERT_TRUE(c->ReadReply().ok());
  ASSERT_TRUE(c->Send("STARTTLS\r\n").ok());
  EXPECT_EQ(c->ReadReply().value_or(""), "220 2.0.0 Ready to start TLS\r\n");
  // The injected line precedes the ServerHello in the stream: a client
  // that hands everything after the 220 to TLS fails the handshake.
  EXPECT_FALSE(c->StartTls("mx.inject.sim").ok());
}

TEST_F(FarmTest, PolicyBySni) {
  absl::StatusOr<std::unique_ptr<Client>> c =
      Client::Connect("127.0.0.1", farm_->https_port());
  ASSERT_TRUE(c.ok()) << c.status();
  absl::StatusOr<std::string> response =
      (*c)->HttpsGet("mta-sts.valid.sim", "/.well-known/mta-sts.txt");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(*response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(*response, HasSubstr("Content-Type: text/plain\r\n"));
  EXPECT_TRUE(absl::EndsWith(*response, absl::StrCat("\r\n\r\n", kPolicy)));
  tls::ParsedChain chain;
  const tls::CertificateFacts leaf = Leaf((*c)->tls_info(), &chain);
  EXPECT_THAT(leaf.dns_names, ElementsAre("mta-sts.valid.sim"));
  EXPECT_TRUE(Verify(chain).ok);
}

TEST_F(FarmTest, PolicyNotFound) {
  for (const auto& [host, path] :
       std::vector<std::pair<std::string, std::string>>{
           {"mta-sts.unknown.sim", "/.well-known/mta-sts.txt"},
           {"mta-sts.valid.sim", "/other"}}) {
    absl::StatusOr<std::unique_ptr<Client>> c =
        Client::Connect("127.0.0.1", farm_->https_port());
    ASSERT_TRUE(c.ok()) << c.status();
    absl::StatusOr<std::string> response = (*c)->HttpsGet(host, path);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_THAT(*response, StartsWith("HTTP/1.1 404 ")) << host << path;
    // Unknown hosts still get a valid certificate for their name.
    tls::ParsedChain chain;
    EXPECT_THAT(Leaf((*c)->tls_info(), &chain).dns_names, ElementsAre(host));
  }
}

TEST_F(FarmTest, PolicyHostBehaviours) {
  auto get = [](const std::string& host, tls::HandshakeInfo* info) {
    absl::StatusOr<std::unique_ptr<Client>> c =
        Client::Connect("127.0.0.1", farm_->https_port());
    EXPECT_TRUE(c.ok()) << c.status();
    if (!c.ok()) return std::string();
    absl::StatusOr<std::string> r =
        (*c)->HttpsGet(host, "/.well-known/mta-sts.txt");
    EXPECT_TRUE(r.ok()) << r.status();
    if (info != nullptr) *info = (*c)->tls_info();
    return r.value_or("");
  };
  const std::string redirect = get("mta-sts.redirect.sim", nullptr);
  EXPECT_THAT(redirect, StartsWith("HTTP/1.1 301 "));
  EXPECT_THAT(redirect, HasSubstr("Location: https://mta-sts.redirect.sim/"));

  tls::HandshakeInfo info;
  EXPECT_THAT(get("mta-sts.expired.sim", &info), StartsWith("HTTP/1.1 200 "));
  tls::ParsedChain chain;
  EXPECT_LT(Leaf(info, &chain).not_after, Now());
  EXPECT_EQ(Verify(chain).error_code, X509_V_ERR_CERT_HAS_EXPIRED);

  const std::string huge = get("mta-sts.huge.sim", nullptr);
  EXPECT_THAT(huge, HasSubstr("Content-Length: 1048576\r\n"));
  const size_t body = huge.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(huge.size() - body - 4, size_t{1} << 20);
  EXPECT_EQ(huge.substr(body + 4, 14), "version: STSv1");

  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(get("mta-sts.slow.sim", nullptr), StartsWith("HTTP/1.1 200 "));
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(250));
}

TEST(FarmLimitsTest, ConnectionsEndAfterTheTimeout) {
  absl::StatusOr<FarmConfig> config = ParseBehaviours(
      R"({"127.77.1.1": {"behaviour": "silent", "names": ["mx.t.sim"]}})");
  ASSERT_TRUE(config.ok()) << config.status();
  Farm::Options options;
  options.config = *std::move(config);
  options.connection_timeout_ms = 300;
  absl::StatusOr<std::unique_ptr<FarmThread>> farm =
      FarmThread::Start(std::move(options));
  ASSERT_TRUE(farm.ok()) << farm.status();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<Client>> c =
      Client::Connect("127.77.1.1", (*farm)->smtp_port(), 5000);
  ASSERT_TRUE(c.ok()) << c.status();
  bool closed = false;
  EXPECT_EQ((*c)->ReadUntilClosed(1024, &closed), "");
  EXPECT_TRUE(closed);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(4000));
}

TEST(FarmLimitsTest, ConnectionsBeyondTheCapAreClosed) {
  absl::StatusOr<FarmConfig> config = ParseBehaviours(
      R"({"127.77.1.2": {"behaviour": "valid", "names": ["mx.t.sim"]}})");
  ASSERT_TRUE(config.ok()) << config.status();
  Farm::Options options;
  options.config = *std::move(config);
  options.max_connections = 1;
  absl::StatusOr<std::unique_ptr<FarmThread>> farm =
      FarmThread::Start(std::move(options));
  ASSERT_TRUE(farm.ok()) << farm.status();
  absl::StatusOr<std::unique_ptr<Client>> first =
      Client::Connect("127.77.1.2", (*farm)->smtp_port());
  ASSERT_TRUE(first.ok());
  EXPECT_THAT((*first)->ReadReply().value_or(""), StartsWith("220 "));
  absl::StatusOr<std::unique_ptr<Client>> second =
      Client::Connect("127.77.1.2", (*farm)->smtp_port());
  ASSERT_TRUE(second.ok());
  bool closed = false;
  EXPECT_EQ((*second)->ReadUntilClosed(1024, &closed), "");
  EXPECT_TRUE(closed);
}

TEST(FarmStartTest, RefusesNonLoopbackHttpsAddress) {
  Farm::Options options;
  options.https_addresses = {"0.0.0.0"};
  absl::StatusOr<std::unique_ptr<FarmThread>> farm =
      FarmThread::Start(std::move(options));
  EXPECT_FALSE(farm.ok());
}

TEST(FarmStartTest, PortInUseIsAnError) {
  absl::StatusOr<FarmConfig> config = ParseBehaviours(
      R"({"127.77.1.3": {"behaviour": "valid", "names": ["mx.t.sim"]}})");
  ASSERT_TRUE(config.ok());
  Farm::Options options;
  options.config = *config;
  absl::StatusOr<std::unique_ptr<FarmThread>> first =
      FarmThread::Start(options);
  ASSERT_TRUE(first.ok()) << first.status();
  options.smtp_port = (*first)->smtp_port();
  absl::StatusOr<std::unique_ptr<FarmThread>> second =
      FarmThread::Start(options);
  EXPECT_FALSE(second.ok());
}

}  // namespace
}  // namespace mxscan::farm
