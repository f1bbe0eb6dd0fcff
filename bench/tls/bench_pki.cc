#include "bench/tls/bench_pki.h"

#include <openssl/asn1.h>
#include <openssl/bytestring.h>
#include <openssl/ec_key.h>
#include <openssl/err.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/obj.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

namespace mxscan::bench {
namespace {

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  bssl::UniquePtr<X509_EXTENSION> ext(
      X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  if (!ext || !X509_add_ext(cert, ext.get(), -1)) Die(value);
}

// The embedded SCT list (1.3.6.1.4.1.11129.2.4.2): an OCTET STRING around
// a TLS-encoded list of two SCTs of 118 bytes each (v1, log id, timestamp,
// no extensions, an ECDSA P-256 signature), random bytes inside.
void AddSctList(X509* cert) {
  bssl::ScopedCBB cbb;
  CBB octets, list, sct;
  if (!CBB_init(cbb.get(), 256) ||
      !CBB_add_asn1(cbb.get(), &octets, CBS_ASN1_OCTETSTRING) ||
      !CBB_add_u16_length_prefixed(&octets, &list)) {
    Die("SCT list");
  }
  for (int i = 0; i < 2; ++i) {
    uint8_t body[118];
    RAND_bytes(body, sizeof(body));
    if (!CBB_add_u16_length_prefixed(&list, &sct) ||
        !CBB_add_bytes(&sct, body, sizeof(body)) || !CBB_flush(&list)) {
      Die("SCT");
    }
  }
  uint8_t* der = nullptr;
  size_t der_len = 0;
  if (!CBB_finish(cbb.get(), &der, &der_len)) Die("SCT list");
  bssl::UniquePtr<uint8_t> owned(der);
  bssl::UniquePtr<ASN1_OBJECT> oid(OBJ_txt2obj("1.3.6.1.4.1.11129.2.4.2", 1));
  bssl::UniquePtr<ASN1_OCTET_STRING> value(ASN1_OCTET_STRING_new());
  if (!oid || !value ||
      !ASN1_OCTET_STRING_set(value.get(), der, static_cast<int>(der_len))) {
    Die("SCT extension");
  }
  bssl::UniquePtr<X509_EXTENSION> ext(
      X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, value.get()));
  if (!ext || !X509_add_ext(cert, ext.get(), -1)) Die("SCT extension");
}

}  // namespace

void Die(const char* what) {
  std::fprintf(stderr, "benchmark set-up: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

std::string Der(X509* cert) {
  uint8_t* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0) Die("i2d_X509");
  std::string out(reinterpret_cast<const char*>(der), n);
  OPENSSL_free(der);
  return out;
}

bssl::UniquePtr<EVP_PKEY> NewKey(KeyKind kind) {
  bssl::UniquePtr<EVP_PKEY> key(EVP_PKEY_new());
  if (!key) Die("EVP_PKEY_new");
  if (kind == KeyKind::kP256 || kind == KeyKind::kP384) {
    bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(
        kind == KeyKind::kP256 ? NID_X9_62_prime256v1 : NID_secp384r1));
    if (!ec || !EC_KEY_generate_key(ec.get()) ||
        !EVP_PKEY_assign_EC_KEY(key.get(), ec.release())) {
      Die("EC key");
    }
    return key;
  }
  bssl::UniquePtr<RSA> rsa(RSA_new());
  bssl::UniquePtr<BIGNUM> e(BN_new());
  if (!rsa || !e || !BN_set_word(e.get(), RSA_F4) ||
      !RSA_generate_key_ex(rsa.get(), kind == KeyKind::kRsa2048 ? 2048 : 4096,
                           e.get(), nullptr) ||
      !EVP_PKEY_assign_RSA(key.get(), rsa.release())) {
    Die("RSA key");
  }
  return key;
}

bssl::UniquePtr<X509> Issue(const IssueSpec& spec, EVP_PKEY* key, X509* issuer,
                            EVP_PKEY* issuer_key) {
  bssl::UniquePtr<X509> cert(X509_new());
  uint64_t serial = 0;
  RAND_bytes(reinterpret_cast<uint8_t*>(&serial), sizeof(serial));
  serial >>= 1;
  if (!cert || !X509_set_version(cert.get(), X509_VERSION_3) ||
      !ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial) ||
      !ASN1_TIME_set(X509_getm_notBefore(cert.get()), spec.not_before) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), spec.not_after) ||
      !X509_set_pubkey(cert.get(), key)) {
    Die("certificate fields");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (spec.ca) {
    X509_NAME_add_entry_by_NID(
        name, NID_organizationName, MBSTRING_UTF8,
        reinterpret_cast<const uint8_t*>("mxscan test PKI"), -1, -1, 0);
  }
  X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                             reinterpret_cast<const uint8_t*>(spec.common_name),
                             -1, -1, 0);
  X509* signer_cert = issuer != nullptr ? issuer : cert.get();
  EVP_PKEY* signer_key = issuer_key != nullptr ? issuer_key : key;
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert));
  if (spec.ca) {
    AddExtension(
        cert.get(), signer_cert, NID_basic_constraints,
        issuer != nullptr ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE");
    AddExtension(cert.get(), signer_cert, NID_key_usage,
                 "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), signer_cert, NID_basic_constraints,
                 "critical,CA:FALSE");
    AddExtension(cert.get(), signer_cert, NID_key_usage,
                 "critical,digitalSignature,keyEncipherment");
    AddExtension(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth");
    AddExtension(cert.get(), signer_cert, NID_subject_alt_name, spec.san);
  }
  AddExtension(cert.get(), signer_cert, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), signer_cert, NID_authority_key_identifier,
               "keyid:always");
  if (spec.public_ca_extensions) {
    AddExtension(cert.get(), signer_cert, NID_info_access,
                 "OCSP;URI:http://o.bench.sim,caIssuers;URI:http://"
                 "i.bench.sim/intermediate.der");
    AddExtension(cert.get(), signer_cert, NID_certificate_policies,
                 "2.23.140.1.2.1");
    AddSctList(cert.get());
  }
  const bool p384 = EVP_PKEY_id(signer_key) == EVP_PKEY_EC &&
                    EVP_PKEY_bits(signer_key) == 384;
  if (!X509_sign(cert.get(), signer_key, p384 ? EVP_sha384() : EVP_sha256())) {
    Die("X509_sign");
  }
  return cert;
}

}  // namespace mxscan::bench
