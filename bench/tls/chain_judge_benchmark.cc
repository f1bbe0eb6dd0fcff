// What judging a certificate chain costs when every chain is new: each
// self-hosted mail server presents its own leaf, so in a real sector
// almost every handshake brings a chain the verdict cache has not seen,
// under one of a few intermediates that the big CAs share. Run (the
// default build is -O2 here, see .bazelrc):
//   bazel build //bench/tls:chain_judge_benchmark
//   bazel-bin/bench/tls/chain_judge_benchmark
// and, for instruction counts (repeatable on a shared machine), MODE
// uncached, cached or floor:
//   valgrind --tool=callgrind --toggle-collect='*ProfiledJudging*'
//       bazel-bin/bench/tls/chain_judge_benchmark --profile=rsa,cached,100
//   (floor: --toggle-collect='*ProfiledSignatures*')
// Instructions per chain = the Ir callgrind collected / 100; see
// bench/README.md, "Judging distinct chains".
//
// The set-up, made at start-up:
//   - the trust store: Debian's bundle (/etc/ssl/certs/ca-certificates.crt,
//     or MXSCAN_BENCH_CA_FILE) when present, else 140 generated roots, plus
//     the roots below;
//   - three hierarchies in the shapes public CAs use: "rsa" (an RSA-4096
//     root, two RSA-2048 intermediates, as Let's Encrypt's ISRG Root X1
//     and R10/R11), "p384" (a P-384 root and two P-384 intermediates, as
//     ISRG Root X2 and E5/E6), "p256" (a P-256 root and one P-256
//     intermediate: the farm's, tools/farm);
//   - distinct leaves under each intermediate in turn, their keys
//     alternately RSA-2048 and P-256 (from a pool of a few keys: a key's
//     parse costs the same whether it was seen before or not), each with
//     its own name, serial, validity, and a public CA's extensions (AIA,
//     policy, an embedded SCT list of two).
// Benchmarks (per judged chain, every one of them distinct):
//   BM_JudgeDistinctChains/<shape>/0   JudgeCertificateChain, no cache
//   BM_JudgeDistinctChains/<shape>/1   the same through one worker's
//                                      IssuerCache (what VerdictCache uses)
//   BM_LeafSignature/<shape>           the floor: the leaf's signature
//                                      alone (EVP_DigestVerify over its
//                                      TBSCertificate with the issuer's
//                                      parsed key)

#include <benchmark/benchmark.h>
#include <openssl/bio.h>
#include <openssl/bytestring.h>
#include <openssl/digest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

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
#include "scanner/tls/trust_store.h"

namespace mxscan::tls {
namespace {

using bench::Der;
using bench::Die;
using bench::IssueSpec;
using bench::KeyKind;
using bench::NewKey;

constexpr int64_t kDay = 86400;
constexpr size_t kLeafKeysPerKind = 4;

enum class Mode { kUncached = 0, kCached = 1 };

std::string Pem(X509* cert) {
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  const uint8_t* data = nullptr;
  size_t length = 0;
  if (!bio || !PEM_write_bio_X509(bio.get(), cert) ||
      !BIO_mem_contents(bio.get(), &data, &length)) {
    Die("PEM_write_bio_X509");
  }
  return std::string(reinterpret_cast<const char*>(data), length);
}

// The bundle the scanner trusts by default, or generated roots as many.
std::string BundlePem() {
  const char* path = std::getenv("MXSCAN_BENCH_CA_FILE");
  std::ifstream in(path != nullptr ? path : kDefaultCaFile, std::ios::binary);
  if (in) {
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string pem;
  for (int i = 0; i < 140; ++i) {
    const std::string cn = "mxscan bench unrelated root " + std::to_string(i);
    IssueSpec spec;
    spec.common_name = cn.c_str();
    spec.ca = true;
    spec.not_before = time(nullptr) - 365 * kDay;
    spec.not_after = time(nullptr) + 3650 * kDay;
    bssl::UniquePtr<EVP_PKEY> key = NewKey(KeyKind::kP256);
    pem += Pem(bench::Issue(spec, key.get(), nullptr, nullptr).get());
  }
  return pem;
}

struct ShapeSpec {
  const char* name;
  KeyKind root;
  KeyKind intermediate;
  int intermediates;
};

constexpr ShapeSpec kShapes[] = {
    {"rsa", KeyKind::kRsa4096, KeyKind::kRsa2048, 2},
    {"p384", KeyKind::kP384, KeyKind::kP384, 2},
    {"p256", KeyKind::kP256, KeyKind::kP256, 1},
};

// One leaf as the floor benchmark needs it: what its issuer signed, the
// signature, the digest, and the issuer's key.
struct LeafSignature {
  std::string tbs;
  std::string signature;
  const EVP_MD* md;
  EVP_PKEY* issuer_key;
};

bool VerifyLeafSignature(const LeafSignature& leaf) {
  bssl::ScopedEVP_MD_CTX ctx;
  return EVP_DigestVerifyInit(ctx.get(), nullptr, leaf.md, nullptr,
                              leaf.issuer_key) &&
         EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const uint8_t*>(leaf.signature.data()),
             leaf.signature.size(),
             reinterpret_cast<const uint8_t*>(leaf.tbs.data()),
             leaf.tbs.size());
}

LeafSignature SplitSignature(const std::string& der, EVP_PKEY* issuer_key,
                             const EVP_MD* md) {
  CBS cert, body, tbs, algorithm, signature;
  CBS_init(&cert, reinterpret_cast<const uint8_t*>(der.data()), der.size());
  uint8_t unused_bits = 0;
  if (!CBS_get_asn1(&cert, &body, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1_element(&body, &tbs, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1(&body, &algorithm, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1(&body, &signature, CBS_ASN1_BITSTRING) ||
      !CBS_get_u8(&signature, &unused_bits) || unused_bits != 0) {
    Die("splitting a leaf");
  }
  return LeafSignature{
      std::string(reinterpret_cast<const char*>(CBS_data(&tbs)), CBS_len(&tbs)),
      std::string(reinterpret_cast<const char*>(CBS_data(&signature)),
                  CBS_len(&signature)),
      md, issuer_key};
}

// A hierarchy of one shape with `leaves` distinct chains under it.
struct Shape {
  bssl::UniquePtr<EVP_PKEY> root_key;
  bssl::UniquePtr<X509> root;
  std::vector<bssl::UniquePtr<EVP_PKEY>> intermediate_keys;
  std::vector<bssl::UniquePtr<X509>> intermediates;
  std::vector<std::vector<std::string>> chains;  // leaf, intermediate
  std::vector<std::string> hosts;
  std::vector<LeafSignature> signatures;

  Shape(const ShapeSpec& spec, size_t leaves, int64_t now) {
    const std::string prefix = std::string("mxscan bench ") + spec.name;
    IssueSpec ca;
    ca.ca = true;
    ca.not_before = now - 365 * kDay;
    ca.not_after = now + 3650 * kDay;
    const std::string root_cn = prefix + " root";
    ca.common_name = root_cn.c_str();
    root_key = NewKey(spec.root);
    root = bench::Issue(ca, root_key.get(), nullptr, nullptr);
    for (int i = 0; i < spec.intermediates; ++i) {
      const std::string cn = prefix + " intermediate " + std::to_string(i);
      ca.common_name = cn.c_str();
      intermediate_keys.push_back(NewKey(spec.intermediate));
      intermediates.push_back(bench::Issue(ca, intermediate_keys.back().get(),
                                           root.get(), root_key.get()));
    }
    std::vector<bssl::UniquePtr<EVP_PKEY>> leaf_keys;
    for (size_t i = 0; i < kLeafKeysPerKind; ++i) {
      leaf_keys.push_back(NewKey(KeyKind::kRsa2048));
      leaf_keys.push_back(NewKey(KeyKind::kP256));
    }
    const EVP_MD* md =
        spec.intermediate == KeyKind::kP384 ? EVP_sha384() : EVP_sha256();
    for (size_t i = 0; i < leaves; ++i) {
      char host[64];
      std::snprintf(host, sizeof(host), "mx.d%05zu.%s.bench.sim", i, spec.name);
      const std::string san = std::string("DNS:") + host;
      IssueSpec leaf;
      leaf.common_name = host;
      leaf.san = san.c_str();
      leaf.public_ca_extensions = true;
      leaf.not_before = now - static_cast<int64_t>(i % 60) * kDay;
      leaf.not_after = leaf.not_before + 90 * kDay;
      const size_t issuer = i % intermediates.size();
      bssl::UniquePtr<X509> cert = bench::Issue(
          leaf, leaf_keys[i % leaf_keys.size()].get(),
          intermediates[issuer].get(), intermediate_keys[issuer].get());
      chains.push_back({Der(cert.get()), Der(intermediates[issuer].get())});
      hosts.push_back(host);
      signatures.push_back(SplitSignature(chains.back()[0],
                                          intermediate_keys[issuer].get(), md));
    }
  }
};

int64_t Now() {
  static const int64_t now = time(nullptr);
  return now;
}

// The trust store: the bundle plus every shape's root.
struct Setup {
  std::vector<std::unique_ptr<Shape>> shapes;
  std::shared_ptr<const TrustStore> trust;

  explicit Setup(size_t leaves) {
    std::string pem = BundlePem();
    for (const ShapeSpec& spec : kShapes) {
      shapes.push_back(std::make_unique<Shape>(spec, leaves, Now()));
      pem += Pem(shapes.back()->root.get());
    }
    auto store = TrustStore::FromPem(pem, "benchmark roots");
    if (!store.ok()) Die("TrustStore::FromPem");
    trust = *store;
  }
};

constexpr size_t kLeavesPerShape = 256;

const Setup& GetSetup() {
  static const Setup* setup = new Setup(kLeavesPerShape);
  return *setup;
}

CertificateVerdict JudgeOne(const TrustStore& trust, const Shape& shape,
                            size_t i, IssuerCache* cache) {
  return cache != nullptr ? JudgeCertificateChain(trust, shape.chains[i],
                                                  shape.hosts[i], Now(), cache)
                          : JudgeCertificateChain(trust, shape.chains[i],
                                                  shape.hosts[i], Now());
}

void BM_JudgeDistinctChains(benchmark::State& state) {
  const Setup& setup = GetSetup();
  const Shape& shape = *setup.shapes[state.range(0)];
  const Mode mode = static_cast<Mode>(state.range(1));
  IssuerCache cache;
  IssuerCache* cache_or_null = mode == Mode::kCached ? &cache : nullptr;
  size_t i = 0;
  for (auto _ : state) {
    CertificateVerdict v = JudgeOne(*setup.trust, shape, i, cache_or_null);
    if (!v.trusted || !v.hostname_match) Die("judging a bench chain");
    benchmark::DoNotOptimize(v);
    i = (i + 1) % shape.chains.size();
  }
  state.SetLabel(std::string(kShapes[state.range(0)].name) +
                 (mode == Mode::kCached ? ", cached" : ", uncached") +
                 ", store of " + std::to_string(setup.trust->size()));
}
BENCHMARK(BM_JudgeDistinctChains)->ArgsProduct({{0, 1, 2}, {0, 1}});

void BM_LeafSignature(benchmark::State& state) {
  const Shape& shape = *GetSetup().shapes[state.range(0)];
  size_t i = 0;
  for (auto _ : state) {
    if (!VerifyLeafSignature(shape.signatures[i])) {
      Die("verifying a leaf's signature");
    }
    i = (i + 1) % shape.signatures.size();
  }
  state.SetLabel(kShapes[state.range(0)].name);
}
BENCHMARK(BM_LeafSignature)->DenseRange(0, 2);

// --profile=SHAPE,MODE,COUNT: judge COUNT distinct chains of SHAPE (rsa,
// p384, p256) once each, MODE "uncached", "cached" (one IssuerCache,
// warmed by one chain per intermediate first, outside the count) or
// "floor" (the leaves' signatures alone), inside ProfiledJudging, for
// callgrind's --toggle-collect.
__attribute__((noinline)) size_t ProfiledJudging(const TrustStore& trust,
                                                 const Shape& shape,
                                                 size_t first, Mode mode,
                                                 IssuerCache* cache) {
  size_t good = 0;
  for (size_t i = first; i < shape.chains.size(); ++i) {
    const CertificateVerdict v =
        JudgeOne(trust, shape, i, mode == Mode::kCached ? cache : nullptr);
    good += v.trusted && v.hostname_match;
  }
  return good;
}

__attribute__((noinline)) size_t ProfiledSignatures(const Shape& shape,
                                                    size_t first) {
  size_t good = 0;
  for (size_t i = first; i < shape.signatures.size(); ++i) {
    good += VerifyLeafSignature(shape.signatures[i]);
  }
  return good;
}

int Profile(const char* arg) {
  char shape_name[16], mode_name[16];
  size_t count = 0;
  if (std::sscanf(arg, "%15[^,],%15[^,],%zu", shape_name, mode_name, &count) !=
          3 ||
      count == 0) {
    std::fprintf(stderr, "--profile=SHAPE,MODE,COUNT\n");
    return 2;
  }
  const ShapeSpec* spec = nullptr;
  for (const ShapeSpec& s : kShapes) {
    if (std::strcmp(s.name, shape_name) == 0) spec = &s;
  }
  const bool floor = std::strcmp(mode_name, "floor") == 0;
  const Mode mode =
      std::strcmp(mode_name, "cached") == 0 ? Mode::kCached : Mode::kUncached;
  if (spec == nullptr || (!floor && mode == Mode::kUncached &&
                          std::strcmp(mode_name, "uncached") != 0)) {
    std::fprintf(stderr, "unknown shape or mode\n");
    return 2;
  }
  // The first `warm` chains (one per intermediate) warm the cache.
  const size_t warm = static_cast<size_t>(spec->intermediates);
  const Shape shape(*spec, count + warm, Now());
  auto store = TrustStore::FromPem(BundlePem() + Pem(shape.root.get()),
                                   "benchmark roots");
  if (!store.ok()) Die("TrustStore::FromPem");
  IssuerCache cache;
  for (size_t i = 0; i < warm; ++i) JudgeOne(**store, shape, i, &cache);
  const size_t good = floor
                          ? ProfiledSignatures(shape, warm)
                          : ProfiledJudging(**store, shape, warm, mode, &cache);
  std::printf("%s %s: %zu of %zu good (store of %zu)\n", spec->name, mode_name,
              good, count, (*store)->size());
  return 0;
}

}  // namespace
}  // namespace mxscan::tls

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--profile=", 10) == 0) {
      return mxscan::tls::Profile(argv[i] + 10);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
