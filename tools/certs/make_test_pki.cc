// make_test_pki: writes a throw-away PKI for a server of the simulated
// sector or an end-to-end test (Postfix, the SMTP/HTTPS farm):
//
//   make_test_pki --out-dir DIR --name mx.example.com [--name ...]
//                 [--key ec|rsa2048|rsa1024|ed25519]
//                 [--not-before EPOCH] [--not-after EPOCH] [--self-signed]
//
// Files: DIR/ca.pem (the root, for --ca-file), DIR/chain.pem (server
// certificate then intermediate, as a server presents them), DIR/key.pem
// (the server's PKCS#8 private key). With --self-signed the server
// certificate is its own issuer and chain.pem holds it alone (ca.pem then
// holds an unrelated root). Validity defaults to one day ago to 90 days
// ahead. Fresh keys every run: nothing secret is ever checked in.

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/certs/cert_factory.h"

namespace {

using mxscan::certs::IssuedCert;
using mxscan::certs::KeyType;
using mxscan::certs::PrivateKey;

constexpr int64_t kDay = 86400;

template <typename T>
T OrDie(absl::StatusOr<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "make_test_pki: %s\n",
                 result.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(result);
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  std::vector<std::string> names;
  KeyType key_type = KeyType::kEcP256;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  int64_t not_before = now - kDay;
  int64_t not_after = now + 90 * kDay;
  bool self_signed = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--self-signed") {
      self_signed = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "make_test_pki: %s needs a value\n", flag.c_str());
      return 2;
    }
    const std::string value = argv[++i];
    if (flag == "--out-dir") {
      out_dir = value;
    } else if (flag == "--name") {
      names.push_back(value);
    } else if (flag == "--not-before") {
      not_before = std::strtoll(value.c_str(), nullptr, 10);
    } else if (flag == "--not-after") {
      not_after = std::strtoll(value.c_str(), nullptr, 10);
    } else if (flag == "--key" && value == "ec") {
      key_type = KeyType::kEcP256;
    } else if (flag == "--key" && value == "rsa2048") {
      key_type = KeyType::kRsa2048;
    } else if (flag == "--key" && value == "rsa1024") {
      key_type = KeyType::kRsa1024;
    } else if (flag == "--key" && value == "ed25519") {
      key_type = KeyType::kEd25519;
    } else {
      std::fprintf(stderr, "make_test_pki: bad flag %s %s\n", flag.c_str(),
                   value.c_str());
      return 2;
    }
  }
  if (out_dir.empty() || names.empty()) {
    std::fprintf(stderr,
                 "usage: make_test_pki --out-dir DIR --name HOST [--name ...] "
                 "[--key ec|rsa2048|rsa1024|ed25519] [--not-before EPOCH] "
                 "[--not-after EPOCH] [--self-signed]\n");
    return 2;
  }

  const PrivateKey ca_key = OrDie(PrivateKey::Generate(KeyType::kEcP256));
  const IssuedCert root = OrDie(mxscan::certs::IssueCertificate(
      mxscan::certs::CaSpec("mxscan Test Root", now - 365 * kDay,
                            now + 10 * 365 * kDay),
      ca_key, nullptr));
  const PrivateKey intermediate_key =
      OrDie(PrivateKey::Generate(KeyType::kEcP256));
  const IssuedCert intermediate = OrDie(mxscan::certs::IssueCertificate(
      mxscan::certs::CaSpec("mxscan Test Intermediate", now - 365 * kDay,
                            now + 5 * 365 * kDay),
      intermediate_key, &root));
  const PrivateKey server_key = OrDie(PrivateKey::Generate(key_type));
  const IssuedCert server = OrDie(mxscan::certs::IssueCertificate(
      mxscan::certs::LeafSpec(names, not_before, not_after), server_key,
      self_signed ? nullptr : &intermediate));

  const std::string chain = self_signed
                                ? server.Pem()
                                : mxscan::certs::ChainPem({&server, &intermediate});
  if (!WriteFile(out_dir + "/ca.pem", root.Pem()) ||
      !WriteFile(out_dir + "/chain.pem", chain) ||
      !WriteFile(out_dir + "/key.pem", server_key.ToPem())) {
    std::fprintf(stderr, "make_test_pki: cannot write into %s\n",
                 out_dir.c_str());
    return 1;
  }
  return 0;
}
