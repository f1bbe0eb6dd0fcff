#include "scanner/tls/tls_client.h"

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::TestPki;

// A BoringSSL server in memory that staples `ocsp` and sends `scts` (the
// TLS-encoded SCT list) when asked; empty: not offered.
struct MemoryServer {
  bssl::UniquePtr<SSL_CTX> ctx{SSL_CTX_new(TLS_method())};
  bssl::UniquePtr<SSL> ssl;
  BIO* in = nullptr;   // what the client sent, owned by ssl
  BIO* out = nullptr;  // what the server sends, owned by ssl

  MemoryServer(const std::string& ocsp, const std::string& scts) {
    const TestPki& pki = TestPki::Shared();
    static const certs::IssuedCert* const leaf =
        new certs::IssuedCert(pki.Leaf({"mx.example.com"}));
    EXPECT_TRUE(SSL_CTX_use_certificate(ctx.get(), leaf->x509()));
    EXPECT_TRUE(SSL_CTX_use_PrivateKey(ctx.get(), leaf->key().get()));
    if (!ocsp.empty()) {
      EXPECT_TRUE(SSL_CTX_set_ocsp_response(
          ctx.get(), reinterpret_cast<const uint8_t*>(ocsp.data()),
          ocsp.size()));
    }
    if (!scts.empty()) {
      EXPECT_TRUE(SSL_CTX_set_signed_cert_timestamp_list(
          ctx.get(), reinterpret_cast<const uint8_t*>(scts.data()),
          scts.size()));
    }
    ssl.reset(SSL_new(ctx.get()));
    in = BIO_new(BIO_s_mem());
    out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl.get(), in, out);
    SSL_set_accept_state(ssl.get());
  }
};

HandshakeInfo HandshakeWith(MemoryServer& server) {
  auto context = ClientContext::Create(ClientContextOptions());
  EXPECT_TRUE(context.ok()) << context.status();
  TlsConnection client(**context, "mx.example.com");
  for (int round = 0; round < 10; ++round) {
    const TlsConnection::Progress progress = client.Handshake();
    const std::string to_server = client.TakeCiphertext();
    BIO_write(server.in, to_server.data(), static_cast<int>(to_server.size()));
    if (progress == TlsConnection::Progress::kDone) break;
    EXPECT_NE(progress, TlsConnection::Progress::kFailed) << client.error();
    SSL_do_handshake(server.ssl.get());
    const uint8_t* data = nullptr;
    size_t length = 0;
    BIO_mem_contents(server.out, &data, &length);
    client.FeedCiphertext(
        std::string(reinterpret_cast<const char*>(data), length));
    BIO_reset(server.out);
  }
  return client.Info();
}

TEST(TlsClientTest, AsksForStapledOcspAndScts) {
  // Two SCTs of 2 and 1 bytes (RFC 6962 section 3.3).
  const std::string scts(
      "\x00\x07\x00\x02"
      "ab"
      "\x00\x01"
      "c",
      9);
  MemoryServer server("an OCSP response", scts);
  const HandshakeInfo info = HandshakeWith(server);
  EXPECT_EQ(info.version, "TLSv1.3");
  EXPECT_TRUE(info.ocsp_stapled);
  EXPECT_EQ(info.tls_scts, 2);
  EXPECT_EQ(info.chain_der.size(), 1u);
}

TEST(TlsClientTest, NothingStapled) {
  MemoryServer server("", "");
  const HandshakeInfo info = HandshakeWith(server);
  EXPECT_EQ(info.version, "TLSv1.3");
  EXPECT_FALSE(info.ocsp_stapled);
  EXPECT_EQ(info.tls_scts, 0);
}

}  // namespace
}  // namespace mxscan::tls
