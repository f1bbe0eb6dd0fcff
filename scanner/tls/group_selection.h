#ifndef MXSCAN_SCANNER_TLS_GROUP_SELECTION_H_
#define MXSCAN_SCANNER_TLS_GROUP_SELECTION_H_

#include <string>

#include "scanner/tls/client_hello.h"

namespace mxscan::tls {

// The post-quantum selection probe: a ClientHello that offers TLS 1.3 and
// 1.2 as current browsers do, with the hybrid groups X25519MLKEM768 (a
// key share) and X25519Kyber768Draft00 (named only) before X25519 (a key
// share), P-256 and P-384. The server's ServerHello or HelloRetryRequest
// names the group it selects; the handshake is abandoned there, as the
// packaged BoringSSL cannot finish an ML-KEM exchange. The ML-KEM-768
// encapsulation key is well-formed (FIPS 203 section 7.2's modulus check
// holds: every coefficient 0) but of no secret: nothing is ever derived
// from it. Thread-safe.
ClientHelloSpec PostQuantumSelectionHello(const std::string& server_name);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_GROUP_SELECTION_H_
