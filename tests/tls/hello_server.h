#ifndef MXSCAN_TESTS_TLS_HELLO_SERVER_H_
#define MXSCAN_TESTS_TLS_HELLO_SERVER_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <string>

namespace mxscan::tls::testing {

// A BoringSSL server in memory for the tests of mxscan's own ClientHellos
// (client_hello.h): what it answers a ClientHello with.
struct HelloServerConfig {
  const char* ciphers = nullptr;  // TLS 1.2 suites; null: BoringSSL's own
  const char* groups = "X25519:P-256";
  uint16_t max_version = TLS1_3_VERSION;
  bool server_preference = false;
};

// The bytes the server sends after reading `hello` (its ServerHello or
// HelloRetryRequest, or an alert).
std::string ServerAnswer(const HelloServerConfig& config,
                         const std::string& hello);

}  // namespace mxscan::tls::testing

#endif  // MXSCAN_TESTS_TLS_HELLO_SERVER_H_
