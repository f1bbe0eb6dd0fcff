// Writes the seed corpus of certificate_judge_fuzzer.cc into the directory
// given as argument (tests/fuzz/tls/corpus/certificate_judge/ is its
// checked-in output):
// chains made with the test PKI factory (public certificates only; the
// keys are thrown away), truncated and broken variants, in the fuzzer's
// input layout.
//
//   d=$PWD/tests/fuzz/tls/corpus/certificate_judge
//   bazel run //tests/fuzz/tls:make_certificate_corpus -- "$d"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "tools/certs/cert_factory.h"

namespace {

using mxscan::certs::CaSpec;
using mxscan::certs::IssueCertificate;
using mxscan::certs::IssuedCert;
using mxscan::certs::KeyType;
using mxscan::certs::LeafSpec;
using mxscan::certs::PrivateKey;

constexpr int64_t kNow = 1700000000;
constexpr int64_t kDay = 86400;

// Flags of the fuzzer's first byte.
constexpr uint8_t kTrustLast = 0x01;
constexpr uint8_t kAuthenticated = 0x02;
constexpr uint8_t kSingle = 0x40;

template <typename T>
T Must(T&& result) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(result);
}

std::string Chain(uint8_t flags, std::initializer_list<std::string> certs) {
  std::string out(1, static_cast<char>(flags));
  for (const std::string& der : certs) {
    out.push_back(static_cast<char>(der.size() >> 8));
    out.push_back(static_cast<char>(der.size() & 0xFF));
    out += der;
  }
  return out;
}

std::string Single(uint8_t flags, const std::string& der) {
  return std::string(1, static_cast<char>(flags | kSingle)) + der;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const PrivateKey ec = *Must(PrivateKey::Generate(KeyType::kEcP256));
  const PrivateKey rsa = *Must(PrivateKey::Generate(KeyType::kRsa1024));
  const PrivateKey ed = *Must(PrivateKey::Generate(KeyType::kEd25519));

  const IssuedCert root = *Must(IssueCertificate(
      CaSpec("Seed Root", kNow - 1000 * kDay, kNow + 1000 * kDay), ec,
      nullptr));
  const IssuedCert intermediate = *Must(IssueCertificate(
      CaSpec("Seed Intermediate", kNow - 500 * kDay, kNow + 500 * kDay), rsa,
      &root));
  const IssuedCert leaf = *Must(IssueCertificate(
      LeafSpec({"mx.example.com", "*.example.com"}, kNow - 10 * kDay,
               kNow + 80 * kDay),
      ec, &intermediate));
  const IssuedCert expired = *Must(IssueCertificate(
      LeafSpec({"mx.example.com"}, kNow - 100 * kDay, kNow - kDay), ed,
      &intermediate));
  const IssuedCert self_signed = *Must(IssueCertificate(
      LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay), rsa, nullptr));
  mxscan::certs::CertSpec odd_spec =
      LeafSpec({"*.com", std::string("a\0b.example.com", 15), "192.0.2.1"},
               kNow - kDay, kNow + kDay);
  odd_spec.common_name = "mx.example.com";
  odd_spec.organization = "Caf\xC3\xA9, \"Quoted\" + <Sons>";
  const IssuedCert odd = *Must(IssueCertificate(odd_spec, ec, &intermediate));

  const std::string& l = leaf.der();
  const struct {
    const char* name;
    std::string bytes;
  } seeds[] = {
      {"valid_chain_with_root",
       Chain(kTrustLast | kAuthenticated,
             {l, intermediate.der(), root.der()})},
      {"valid_chain", Chain(kAuthenticated, {l, intermediate.der()})},
      {"expired_ed25519", Chain(kTrustLast, {expired.der(), intermediate.der(),
                                             root.der()})},
      {"self_signed_rsa", Single(kAuthenticated, self_signed.der())},
      {"odd_names", Chain(kTrustLast | kAuthenticated | 0x04,
                          {odd.der(), intermediate.der(), root.der()})},
      {"leaf_only", Single(0x10, l)},
      {"truncated_leaf", Single(kAuthenticated, l.substr(0, l.size() / 2))},
      {"truncated_chain",
       Chain(kTrustLast, {l, intermediate.der()}).substr(0, l.size() + 100)},
      {"root_only", Single(kTrustLast | 0x20, root.der())},
      {"garbage", Chain(kAuthenticated, {"\x30\x82\xff\xff", "junk"})},
      {"empty", std::string(1, '\x02')},
  };
  for (const auto& seed : seeds) {
    const std::string path = dir + "/" + seed.name;
    std::ofstream out(path, std::ios::binary);
    out << seed.bytes;
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("wrote %zu seeds to %s\n", sizeof(seeds) / sizeof(seeds[0]),
              dir.c_str());
  return 0;
}
