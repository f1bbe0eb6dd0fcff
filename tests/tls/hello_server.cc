#include "tests/tls/hello_server.h"

#include <openssl/bio.h>

#include "gtest/gtest.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls::testing {

std::string ServerAnswer(const HelloServerConfig& config,
                         const std::string& hello) {
  bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_method()));
  static const certs::IssuedCert* const leaf =
      new certs::IssuedCert(TestPki::Shared().Leaf({"mx.example.com"}));
  EXPECT_TRUE(SSL_CTX_use_certificate(ctx.get(), leaf->x509()));
  EXPECT_TRUE(SSL_CTX_use_PrivateKey(ctx.get(), leaf->key().get()));
  if (config.ciphers != nullptr) {
    EXPECT_TRUE(SSL_CTX_set_strict_cipher_list(ctx.get(), config.ciphers));
  }
  EXPECT_TRUE(SSL_CTX_set1_curves_list(ctx.get(), config.groups));
  EXPECT_TRUE(SSL_CTX_set_max_proto_version(ctx.get(), config.max_version));
  if (config.server_preference) {
    SSL_CTX_set_options(ctx.get(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  }
  bssl::UniquePtr<SSL> ssl(SSL_new(ctx.get()));
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl.get(), in, out);
  SSL_set_accept_state(ssl.get());
  BIO_write(in, hello.data(), static_cast<int>(hello.size()));
  SSL_do_handshake(ssl.get());
  const uint8_t* data = nullptr;
  size_t length = 0;
  BIO_mem_contents(out, &data, &length);
  return std::string(reinterpret_cast<const char*>(data), length);
}

}  // namespace mxscan::tls::testing
