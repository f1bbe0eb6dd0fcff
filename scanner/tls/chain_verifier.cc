#include "scanner/tls/chain_verifier.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace mxscan::tls {
namespace {

// BoringSSL calls a certificate self-signed only when its keyUsage (if
// any) allows certificate signing; many self-signed server certificates
// carry digitalSignature alone and would be reported as "unable to get
// local issuer certificate". Subject equal to issuer and a signature that
// verifies with the certificate's own key is what self-signed means here.
bool IsSelfSigned(X509* cert) {
  if (cert == nullptr ||
      X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) !=
          0) {
    return false;
  }
  bssl::UniquePtr<EVP_PKEY> key(X509_get_pubkey(cert));
  const bool self_signed =
      key != nullptr && X509_verify(cert, key.get()) == 1;
  ERR_clear_error();
  return self_signed;
}

}  // namespace

ChainVerification VerifyChain(X509* leaf, absl::Span<X509* const> intermediates,
                              X509_STORE* trust, const VerifyOptions& options) {
  ChainVerification result;
  auto fail = [&result](int code) {
    result.ok = false;
    result.error_code = code;
    result.error = VerifyErrorText(code);
    ERR_clear_error();
    return result;
  };
  if (leaf == nullptr || trust == nullptr) {
    return fail(X509_V_ERR_UNSPECIFIED);
  }
  // The stack owns references of its own, so that freeing it is all the
  // clean-up there is.
  bssl::UniquePtr<STACK_OF(X509)> untrusted(sk_X509_new_null());
  if (untrusted == nullptr) return fail(X509_V_ERR_OUT_OF_MEM);
  for (X509* cert : intermediates) {
    if (cert == nullptr) continue;
    if (!sk_X509_push(untrusted.get(), cert)) return fail(X509_V_ERR_OUT_OF_MEM);
    X509_up_ref(cert);
  }
  bssl::UniquePtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (ctx == nullptr ||
      !X509_STORE_CTX_init(ctx.get(), trust, leaf, untrusted.get()) ||
      !X509_STORE_CTX_set_default(ctx.get(), "ssl_server")) {
    return fail(X509_V_ERR_OUT_OF_MEM);
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(options.time));
  if (options.partial_chain) {
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  }
  if (X509_verify_cert(ctx.get()) == 1) {
    result.ok = true;
    ERR_clear_error();
    return result;
  }
  int code = X509_STORE_CTX_get_error(ctx.get());
  if (code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
      code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) {
    if (IsSelfSigned(X509_STORE_CTX_get_current_cert(ctx.get()))) {
      code = X509_STORE_CTX_get_error_depth(ctx.get()) == 0
                 ? X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
                 : X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN;
    }
  }
  return fail(code == X509_V_OK ? X509_V_ERR_UNSPECIFIED : code);
}

std::string VerifyErrorText(int error_code) {
  switch (error_code) {
    case X509_V_OK:
      return "";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate is not yet valid";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return "self-signed certificate";
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return "self-signed certificate in certificate chain";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      return "unable to get local issuer certificate";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      return "unable to get issuer certificate";
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "unable to verify the first certificate";
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return "certificate signature failure";
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
      return "unable to decode issuer public key";
    case X509_V_ERR_INVALID_CA:
      return "invalid CA certificate";
    case X509_V_ERR_INVALID_PURPOSE:
      return "unsupported certificate purpose";
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
      return "path length constraint exceeded";
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
      return "certificate chain too long";
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
      return "format error in certificate's notBefore field";
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return "format error in certificate's notAfter field";
    case X509_V_ERR_UNSPECIFIED:
      return "unspecified certificate verification error";
    default:
      return X509_verify_cert_error_string(error_code);
  }
}

}  // namespace mxscan::tls
