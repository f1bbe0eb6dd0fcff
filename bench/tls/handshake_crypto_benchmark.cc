// The pure cryptographic cost of what the scanner's client does in one
// SMTP STARTTLS handshake with the farm (tools/farm), outside the network,
// and the same handshake run by the scanner's own TLS client entirely in
// memory. Run:
//   bazel run -c opt //bench/tls:handshake_crypto_benchmark
//
// What the farm negotiates (checked by handshake_load from the probe's
// HandshakeInfo): TLSv1.3, TLS_AES_128_GCM_SHA256, X25519, a chain of two
// (an RSA-2048 leaf signed by an ECDSA P-256 intermediate, itself signed
// by a P-256 root that the scanner trusts), CertificateVerify with
// rsa_pss_rsae_sha256. The client's cryptographic work in one handshake:
//   - the ClientHello's random bytes: the client random and, in TLS 1.3's
//     middlebox-compatibility mode (BoringSSL's default), a 32-byte legacy
//     session id, both from the CSPRNG;
//   - X25519: one key pair (ClientHello key share), one shared secret;
//   - RSA-2048 PSS verification of CertificateVerify, with the leaf's
//     public key parsed from its certificate (fresh in every handshake);
//   - the TLS 1.3 key schedule (HKDF-Extract/Expand-Label, the two
//     Finished MACs) and the SHA-256 transcript of the handshake messages;
//   - AES-128-GCM: the four traffic keys and every record of the session
//     (the server's encrypted flight, the client's Finished, EHLO and its
//     reply, QUIT and 221, two NewSessionTickets, close_notify);
//   - afterwards the scanner judges the chain (JudgeCertificateChain: X.509
//     parsing, two ECDSA P-256 verifications, names, facts with SHA-256
//     fingerprints), once per distinct (chain, host) thanks to the verdict
//     cache; every probe pays a cache lookup (SHA-256 of the chain).
// bench/tls/run_handshake_bench.sh sums these per handshake.
//
// The PKI is made here at start-up the way the farm makes its own (P-256
// root and intermediate, one RSA-2048 leaf key); key sizes and algorithms
// are what matter for the cost. When MXSCAN_FARM_CHAIN_DIR names a
// directory with cert-0.der, cert-1.der, ... and host (handshake_load
// --chain_out) and MXSCAN_FARM_CA the farm's root (PEM), the farm's real
// chain is judged too (BM_JudgeFarmChain).

#include <benchmark/benchmark.h>
#include <openssl/aead.h>
#include <openssl/bytestring.h>
#include <openssl/curve25519.h>
#include <openssl/digest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hkdf.h>
#include <openssl/hmac.h>
#include <openssl/mem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/tls/bench_pki.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/trust_store.h"
#include "scanner/tls/verdict_cache.h"

namespace mxscan::tls {
namespace {

using bench::Die;

// A certificate of the farm's PKI: valid from a year ago to ten years ahead.
bssl::UniquePtr<X509> Issue(const char* cn, EVP_PKEY* key, X509* issuer,
                            EVP_PKEY* issuer_key, bool ca, const char* san) {
  bench::IssueSpec spec;
  spec.common_name = cn;
  spec.ca = ca;
  spec.san = san;
  spec.not_before = time(nullptr) - 365 * 86400;
  spec.not_after = time(nullptr) + 3650 * 86400;
  return bench::Issue(spec, key, issuer, issuer_key);
}

constexpr char kHost[] = "mx1.bench.sim";

// The farm's PKI, made once.
struct Pki {
  bssl::UniquePtr<EVP_PKEY> root_key, intermediate_key, leaf_key;
  bssl::UniquePtr<X509> root, intermediate, leaf;
  std::vector<std::string> chain_der;  // leaf, intermediate (as sent)
  std::string root_der;
  std::shared_ptr<const TrustStore> trust;

  Pki() {
    root_key = bench::NewKey(bench::KeyKind::kP256);
    intermediate_key = bench::NewKey(bench::KeyKind::kP256);
    leaf_key = bench::NewKey(bench::KeyKind::kRsa2048);
    root = Issue("mxscan farm root CA", root_key.get(), nullptr, nullptr, true,
                 nullptr);
    intermediate = Issue("mxscan farm intermediate CA", intermediate_key.get(),
                         root.get(), root_key.get(), true, nullptr);
    leaf = Issue(kHost, leaf_key.get(), intermediate.get(),
                 intermediate_key.get(), false, "DNS:mx1.bench.sim");
    chain_der = {bench::Der(leaf.get()), bench::Der(intermediate.get())};
    root_der = bench::Der(root.get());
    auto store = TrustStore::FromDer({root_der});
    if (!store.ok()) Die("TrustStore::FromDer");
    trust = *store;
    // The chain must be what the farm's is: trusted, for the host.
    CertificateVerdict v =
        JudgeCertificateChain(*trust, chain_der, kHost, time(nullptr));
    if (!v.trusted || !v.hostname_match) Die("judging the generated chain");
  }
};

const Pki& GetPki() {
  static const Pki* pki = new Pki();
  return *pki;
}

// The leaf's SubjectPublicKeyInfo, found as BoringSSL's handshake finds
// it (ssl_cert_parse_pubkey): by walking the TBSCertificate.
bssl::UniquePtr<EVP_PKEY> ParseLeafKey(const std::string& der) {
  CBS cert, tbs, toplevel, spki;
  CBS_init(&cert, reinterpret_cast<const uint8_t*>(der.data()), der.size());
  if (!CBS_get_asn1(&cert, &toplevel, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1(&toplevel, &tbs, CBS_ASN1_SEQUENCE) ||
      !CBS_get_optional_asn1(
          &tbs, nullptr, nullptr,
          CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 0) ||
      !CBS_get_asn1(&tbs, nullptr, CBS_ASN1_INTEGER) ||   // serial
      !CBS_get_asn1(&tbs, nullptr, CBS_ASN1_SEQUENCE) ||  // signature
      !CBS_get_asn1(&tbs, nullptr, CBS_ASN1_SEQUENCE) ||  // issuer
      !CBS_get_asn1(&tbs, nullptr, CBS_ASN1_SEQUENCE) ||  // validity
      !CBS_get_asn1(&tbs, nullptr, CBS_ASN1_SEQUENCE) ||  // subject
      !CBS_get_asn1_element(&tbs, &spki, CBS_ASN1_SEQUENCE)) {
    Die("walking the leaf");
  }
  bssl::UniquePtr<EVP_PKEY> key(EVP_parse_public_key(&spki));
  if (!key) Die("EVP_parse_public_key");
  return key;
}

// --------------------------------------------------- ClientHello randoms

// The CSPRNG output every ClientHello carries besides the key share (whose
// private key X25519_keypair draws itself): the 32-byte client random and
// the 32-byte legacy session id of middlebox-compatibility mode, two
// RAND_bytes calls as BoringSSL makes them.
void BM_ClientHelloRandom(benchmark::State& state) {
  uint8_t client_random[32], session_id[32];
  for (auto _ : state) {
    RAND_bytes(client_random, sizeof(client_random));
    RAND_bytes(session_id, sizeof(session_id));
    benchmark::DoNotOptimize(client_random);
    benchmark::DoNotOptimize(session_id);
  }
}
BENCHMARK(BM_ClientHelloRandom);

// ---------------------------------------------------------------- X25519

void BM_X25519_KeyPair(benchmark::State& state) {
  uint8_t pub[32], priv[32];
  for (auto _ : state) {
    X25519_keypair(pub, priv);
    benchmark::DoNotOptimize(pub);
  }
}
BENCHMARK(BM_X25519_KeyPair);

void BM_X25519_SharedSecret(benchmark::State& state) {
  uint8_t pub[32], priv[32], peer_pub[32], peer_priv[32], out[32];
  X25519_keypair(pub, priv);
  X25519_keypair(peer_pub, peer_priv);
  for (auto _ : state) {
    if (!X25519(out, priv, peer_pub)) Die("X25519");
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_X25519_SharedSecret);

// ------------------------------------------------- CertificateVerify (RSA)

// The TLS 1.3 CertificateVerify input: 64 spaces, the context string, a
// zero byte and the transcript hash.
std::string CertificateVerifyInput() {
  std::string input(64, ' ');
  input += "TLS 1.3, server CertificateVerify";
  input.push_back('\0');
  input.append(32, '\x5a');
  return input;
}

std::string SignPss(EVP_PKEY* key, const std::string& input) {
  bssl::ScopedEVP_MD_CTX ctx;
  EVP_PKEY_CTX* pctx = nullptr;
  size_t len = 512;
  std::string sig(len, '\0');
  if (!EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) ||
      !EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) ||
      !EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1) ||
      !EVP_DigestSign(ctx.get(), reinterpret_cast<uint8_t*>(sig.data()), &len,
                      reinterpret_cast<const uint8_t*>(input.data()),
                      input.size())) {
    Die("RSA-PSS sign");
  }
  sig.resize(len);
  return sig;
}

bool VerifyPss(EVP_PKEY* key, const std::string& input,
               const std::string& sig) {
  bssl::ScopedEVP_MD_CTX ctx;
  EVP_PKEY_CTX* pctx = nullptr;
  return EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) &&
         EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1) &&
         EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const uint8_t*>(sig.data()),
             sig.size(), reinterpret_cast<const uint8_t*>(input.data()),
             input.size());
}

// What the handshake does: the leaf's key is parsed from the certificate
// (so RSA's Montgomery set-up is paid again), then the signature checked.
void BM_RsaPss2048_VerifyCertificateVerify(benchmark::State& state) {
  const Pki& pki = GetPki();
  const std::string input = CertificateVerifyInput();
  const std::string sig = SignPss(pki.leaf_key.get(), input);
  for (auto _ : state) {
    bssl::UniquePtr<EVP_PKEY> key = ParseLeafKey(pki.chain_der[0]);
    if (!VerifyPss(key.get(), input, sig)) Die("RSA-PSS verify");
  }
}
BENCHMARK(BM_RsaPss2048_VerifyCertificateVerify);

// The bare verification with a key already set up, for reference.
void BM_RsaPss2048_VerifyOnly(benchmark::State& state) {
  const Pki& pki = GetPki();
  const std::string input = CertificateVerifyInput();
  const std::string sig = SignPss(pki.leaf_key.get(), input);
  bssl::UniquePtr<EVP_PKEY> key = ParseLeafKey(pki.chain_der[0]);
  for (auto _ : state) {
    if (!VerifyPss(key.get(), input, sig)) Die("RSA-PSS verify");
  }
}
BENCHMARK(BM_RsaPss2048_VerifyOnly);

// ------------------------------------------- chain signatures (P-256 ECDSA)

// One certificate signature: ECDSA P-256 with SHA-256 over a TBS of the
// leaf's size (the chain has two: leaf by intermediate, intermediate by
// root). JudgeCertificateChain does them (with the X.509 work around).
void BM_EcdsaP256_VerifyCertificateSignature(benchmark::State& state) {
  const Pki& pki = GetPki();
  const std::string tbs(pki.chain_der[0].size() - 80, '\x42');
  bssl::ScopedEVP_MD_CTX sctx;
  size_t len = 80;
  std::vector<uint8_t> sig(len);
  if (!EVP_DigestSignInit(sctx.get(), nullptr, EVP_sha256(), nullptr,
                          pki.intermediate_key.get()) ||
      !EVP_DigestSign(sctx.get(), sig.data(), &len,
                      reinterpret_cast<const uint8_t*>(tbs.data()),
                      tbs.size())) {
    Die("ECDSA sign");
  }
  sig.resize(len);
  for (auto _ : state) {
    bssl::ScopedEVP_MD_CTX ctx;
    if (!EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                              pki.intermediate_key.get()) ||
        !EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                          reinterpret_cast<const uint8_t*>(tbs.data()),
                          tbs.size())) {
      Die("ECDSA verify");
    }
  }
}
BENCHMARK(BM_EcdsaP256_VerifyCertificateSignature);

// ------------------------------------------------ TLS 1.3 key schedule

void ExpandLabel(uint8_t* out, size_t out_len, const uint8_t* secret,
                 const char* label, const uint8_t* context,
                 size_t context_len) {
  uint8_t info[2 + 1 + 255 + 1 + 64];
  size_t n = 0;
  info[n++] = static_cast<uint8_t>(out_len >> 8);
  info[n++] = static_cast<uint8_t>(out_len);
  const size_t label_len = 6 + strlen(label);
  info[n++] = static_cast<uint8_t>(label_len);
  memcpy(info + n, "tls13 ", 6);
  memcpy(info + n + 6, label, label_len - 6);
  n += label_len;
  info[n++] = static_cast<uint8_t>(context_len);
  if (context_len > 0) memcpy(info + n, context, context_len);
  n += context_len;
  if (!HKDF_expand(out, out_len, EVP_sha256(), secret, 32, info, n)) {
    Die("HKDF_expand");
  }
}

// The client's key schedule of a full TLS 1.3 handshake with SHA-256
// (RFC 8446 section 7.1, as BoringSSL runs it): 3 HKDF-Extract, the
// "derived" secrets, handshake and application traffic secrets, exporter
// and resumption secrets, key and IV for the four traffic secrets, both
// Finished keys and MACs, and the PSK of two NewSessionTickets.
void BM_Tls13KeySchedule(benchmark::State& state) {
  uint8_t zeros[32] = {0}, ecdhe[32], th[32], empty_hash[32];
  RAND_bytes(ecdhe, sizeof(ecdhe));
  RAND_bytes(th, sizeof(th));
  for (auto _ : state) {
    uint8_t early[32], derived[32], hs[32], master[32], s[32], key[16], iv[12];
    size_t len = 0;
    SHA256(nullptr, 0, empty_hash);
    HKDF_extract(early, &len, EVP_sha256(), zeros, 32, zeros, 32);
    ExpandLabel(derived, 32, early, "derived", empty_hash, 32);
    HKDF_extract(hs, &len, EVP_sha256(), ecdhe, 32, derived, 32);
    for (const char* label : {"c hs traffic", "s hs traffic"}) {
      ExpandLabel(s, 32, hs, label, th, 32);
      ExpandLabel(key, 16, s, "key", nullptr, 0);
      ExpandLabel(iv, 12, s, "iv", nullptr, 0);
    }
    ExpandLabel(derived, 32, hs, "derived", empty_hash, 32);
    HKDF_extract(master, &len, EVP_sha256(), zeros, 32, derived, 32);
    for (const char* label : {"c ap traffic", "s ap traffic"}) {
      ExpandLabel(s, 32, master, label, th, 32);
      ExpandLabel(key, 16, s, "key", nullptr, 0);
      ExpandLabel(iv, 12, s, "iv", nullptr, 0);
    }
    ExpandLabel(s, 32, master, "exp master", th, 32);
    uint8_t mac[32];
    unsigned mac_len = 0;
    for (int i = 0; i < 2; ++i) {  // server Finished checked, client's made
      ExpandLabel(s, 32, hs, "finished", nullptr, 0);
      HMAC(EVP_sha256(), s, 32, th, 32, mac, &mac_len);
    }
    ExpandLabel(s, 32, master, "res master", th, 32);
    for (uint8_t nonce = 0; nonce < 2; ++nonce) {
      ExpandLabel(key, 16, s, "resumption", &nonce, 1);
    }
    benchmark::DoNotOptimize(mac);
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_Tls13KeySchedule);

// The SHA-256 transcript: every handshake message hashed once (ClientHello
// ~260 bytes, ServerHello 90, EncryptedExtensions 6, Certificate with the
// chain, CertificateVerify 264, two Finished 36), and a hash read out at
// each of the six points the key schedule and the signatures need it.
void BM_Tls13Transcript(benchmark::State& state) {
  const Pki& pki = GetPki();
  const size_t certificate_msg =
      pki.chain_der[0].size() + pki.chain_der[1].size() + 4 + 4 + 6 + 4;
  const std::vector<size_t> messages = {260, 90, 6, certificate_msg,
                                        264, 36, 36};
  const std::string bytes(4096, '\x17');
  for (auto _ : state) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    uint8_t out[32];
    for (size_t i = 0; i < messages.size(); ++i) {
      SHA256_Update(&ctx, bytes.data(), messages[i]);
      if (i >= 1) {
        SHA256_CTX copy = ctx;
        SHA256_Final(out, &copy);
      }
    }
    benchmark::DoNotOptimize(out);
  }
  state.counters["bytes_hashed"] =
      static_cast<double>(260 + 90 + 6 + certificate_msg + 264 + 36 + 36);
}
BENCHMARK(BM_Tls13Transcript);

// ----------------------------------------------------------- AES-128-GCM

// The records of one probe's TLS part with AES-128-GCM: the four traffic
// keys set up; opened: the server's encrypted handshake flight (one record
// of EncryptedExtensions, Certificate, CertificateVerify, Finished), the
// EHLO reply, two NewSessionTickets, 221 and close_notify; sealed: the
// client's Finished, EHLO and QUIT.
void BM_Aes128GcmSessionRecords(benchmark::State& state) {
  const Pki& pki = GetPki();
  const size_t flight =
      pki.chain_der[0].size() + pki.chain_der[1].size() + 18 + 264 + 36 + 6 + 1;
  const std::vector<size_t> opened = {flight, 180, 90, 90, 30, 3};
  const std::vector<size_t> sealed = {37, 25, 7};
  uint8_t key[16] = {1}, nonce[12] = {2};
  std::vector<uint8_t> plain(4096, 0x33), cipher(4096 + 16), out(4096 + 16);
  // Ciphertexts to open, made once.
  bssl::ScopedEVP_AEAD_CTX maker;
  EVP_AEAD_CTX_init(maker.get(), EVP_aead_aes_128_gcm(), key, 16, 16, nullptr);
  std::vector<std::vector<uint8_t>> records;
  for (size_t n : opened) {
    std::vector<uint8_t> r(n + 16);
    size_t len = 0;
    EVP_AEAD_CTX_seal(maker.get(), r.data(), &len, r.size(), nonce, 12,
                      plain.data(), n, nullptr, 0);
    records.push_back(r);
  }
  for (auto _ : state) {
    bssl::ScopedEVP_AEAD_CTX ctx[4];
    for (auto& c : ctx) {
      if (!EVP_AEAD_CTX_init(c.get(), EVP_aead_aes_128_gcm(), key, 16, 16,
                             nullptr)) {
        Die("EVP_AEAD_CTX_init");
      }
    }
    size_t len = 0;
    for (const auto& r : records) {
      if (!EVP_AEAD_CTX_open(ctx[0].get(), out.data(), &len, out.size(), nonce,
                             12, r.data(), r.size(), nullptr, 0)) {
        Die("open");
      }
    }
    for (size_t n : sealed) {
      EVP_AEAD_CTX_seal(ctx[1].get(), cipher.data(), &len, cipher.size(), nonce,
                        12, plain.data(), n, nullptr, 0);
    }
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Aes128GcmSessionRecords);

// ------------------------------------------- what the scanner does after

void BM_JudgeCertificateChain(benchmark::State& state) {
  const Pki& pki = GetPki();
  const int64_t now = time(nullptr);
  for (auto _ : state) {
    CertificateVerdict v =
        JudgeCertificateChain(*pki.trust, pki.chain_der, kHost, now);
    if (!v.trusted) Die("judging");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_JudgeCertificateChain);

// The farm's own chain, when handshake_load saved it.
void BM_JudgeFarmChain(benchmark::State& state) {
  const char* dir = std::getenv("MXSCAN_FARM_CHAIN_DIR");
  const char* ca = std::getenv("MXSCAN_FARM_CA");
  if (dir == nullptr || ca == nullptr) {
    state.SkipWithError("MXSCAN_FARM_CHAIN_DIR / MXSCAN_FARM_CA not set");
    for (auto _ : state) {
    }
    return;
  }
  std::vector<std::string> chain;
  for (int i = 0;; ++i) {
    std::ifstream in(std::string(dir) + "/cert-" + std::to_string(i) + ".der",
                     std::ios::binary);
    if (!in) break;
    std::stringstream s;
    s << in.rdbuf();
    chain.push_back(s.str());
  }
  std::string host;
  std::ifstream(std::string(dir) + "/host") >> host;
  auto trust = TrustStore::LoadFile(ca);
  if (!trust.ok() || chain.empty()) Die("reading the farm's chain");
  const int64_t now = time(nullptr);
  for (auto _ : state) {
    CertificateVerdict v = JudgeCertificateChain(**trust, chain, host, now);
    if (!v.trusted || !v.hostname_match) Die("judging the farm's chain");
    benchmark::DoNotOptimize(v);
  }
  state.counters["chain_length"] = static_cast<double>(chain.size());
}
BENCHMARK(BM_JudgeFarmChain);

// Every probe: the verdict cache's lookup (SHA-256 of the chain, the key).
void BM_VerdictCacheHit(benchmark::State& state) {
  const Pki& pki = GetPki();
  VerdictCache cache(pki.trust);
  const int64_t now = time(nullptr);
  cache.Judge(pki.chain_der, kHost, now);
  for (auto _ : state) {
    benchmark::DoNotOptimize(cache.Judge(pki.chain_der, kHost, now));
  }
  if (cache.misses() != 1) Die("verdict cache missed");
}
BENCHMARK(BM_VerdictCacheHit);

// ------------------------------ the scanner's TLS client, in memory

// A BoringSSL server as the farm's: TLS 1.2-1.3, buffers method, the
// chain and the RSA-2048 key, no session cache (tickets still sent).
SSL_CTX* ServerContext() {
  static SSL_CTX* ctx = [] {
    const Pki& pki = GetPki();
    SSL_CTX* c = SSL_CTX_new(TLS_with_buffers_method());
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
    std::vector<CRYPTO_BUFFER*> chain;
    for (const std::string& der : pki.chain_der) {
      chain.push_back(CRYPTO_BUFFER_new(
          reinterpret_cast<const uint8_t*>(der.data()), der.size(), nullptr));
    }
    if (!SSL_CTX_set_chain_and_key(c, chain.data(), chain.size(),
                                   pki.leaf_key.get(), nullptr)) {
      Die("SSL_CTX_set_chain_and_key");
    }
    return c;
  }();
  return ctx;
}

struct MemoryServer {
  bssl::UniquePtr<SSL> ssl;
  BIO* in;
  BIO* out;
  MemoryServer() : ssl(SSL_new(ServerContext())) {
    in = BIO_new(BIO_s_mem());
    out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);
    SSL_set_bio(ssl.get(), in, out);
    SSL_set_accept_state(ssl.get());
  }
  void Feed(const std::string& bytes) {
    if (!bytes.empty()) BIO_write(in, bytes.data(), bytes.size());
  }
  std::string Take() {
    const uint8_t* data = nullptr;
    size_t len = 0;
    std::string s;
    if (BIO_mem_contents(out, &data, &len) && len > 0) {
      s.assign(reinterpret_cast<const char*>(data), len);
      BIO_reset(out);
    }
    return s;
  }
  std::string ReadAll() {
    std::string s;
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl.get(), buf, sizeof(buf))) > 0) s.append(buf, n);
    return s;
  }
};

// The TLS part of one probe, the client being the scanner's (ClientContext
// with the scan's default options, TlsConnection, Info()), the server an
// in-memory BoringSSL like the farm's: ClientHello ... Finished, EHLO and
// its reply, QUIT, 221 and close_notify. Only the client's calls are timed
// (the server's work is excluded): what the probe's TLS costs the client
// without sockets, event loop or SMTP.
void BM_ScannerClientTlsInMemory(benchmark::State& state) {
  auto context = ClientContext::Create(ClientContextOptions());
  if (!context.ok()) Die("ClientContext");
  using Clock = std::chrono::steady_clock;
  size_t server_flight_bytes = 0, client_bytes = 0;
  HandshakeInfo info;
  for (auto _ : state) {
    MemoryServer server;
    Clock::duration client_time{};
    auto t = Clock::now();
    auto client = std::make_unique<TlsConnection>(**context, kHost);
    TlsConnection::Progress p = client->Handshake();
    std::string to_server = client->TakeCiphertext();
    client_time += Clock::now() - t;
    client_bytes = to_server.size();
    while (p == TlsConnection::Progress::kNeedMore) {
      server.Feed(to_server);
      SSL_do_handshake(server.ssl.get());
      std::string to_client = server.Take();
      server_flight_bytes = to_client.size();
      t = Clock::now();
      client->FeedCiphertext(to_client);
      p = client->Handshake();
      to_server = client->TakeCiphertext();
      client_time += Clock::now() - t;
      client_bytes += to_server.size();
    }
    if (p != TlsConnection::Progress::kDone) Die("in-memory handshake");
    t = Clock::now();
    info = client->Info();
    if (!client->Write("EHLO bench.mxscan.sim\r\n").ok()) Die("write");
    to_server += client->TakeCiphertext();
    client_time += Clock::now() - t;
    server.Feed(to_server);
    SSL_do_handshake(server.ssl.get());
    server.ReadAll();
    const std::string reply =
        "250-mx1.bench.sim\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
        "250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n";
    SSL_write(server.ssl.get(), reply.data(), reply.size());
    std::string to_client = server.Take();  // tickets + reply
    std::string plain;
    t = Clock::now();
    client->FeedCiphertext(to_client);
    if (!client->Read(&plain).ok()) Die("read");
    if (!client->Write("QUIT\r\n").ok()) Die("write");
    to_server = client->TakeCiphertext();
    client_time += Clock::now() - t;
    server.Feed(to_server);
    server.ReadAll();
    SSL_write(server.ssl.get(), "221 2.0.0 Bye\r\n", 15);
    SSL_shutdown(server.ssl.get());
    to_client = server.Take();
    t = Clock::now();
    client->FeedCiphertext(to_client);
    plain.clear();
    if (!client->Read(&plain).ok()) Die("read");
    client.reset();
    client_time += Clock::now() - t;
    state.SetIterationTime(std::chrono::duration<double>(client_time).count());
  }
  if (info.version != "TLSv1.3" || info.group != "X25519") Die("negotiated");
  state.SetLabel(info.version + " " + info.cipher + " " + info.group);
  state.counters["server_flight_bytes"] =
      static_cast<double>(server_flight_bytes);
}
BENCHMARK(BM_ScannerClientTlsInMemory)->UseManualTime();

}  // namespace
}  // namespace mxscan::tls
