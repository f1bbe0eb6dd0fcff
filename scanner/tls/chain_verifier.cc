#include "scanner/tls/chain_verifier.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "scanner/tls/parsed_chain.h"

namespace mxscan::tls {
namespace {

// BoringSSL calls a certificate self-signed only when its keyUsage (if
// any) allows certificate signing; many self-signed server certificates
// carry digitalSignature alone and would be reported as "unable to get
// local issuer certificate". Subject equal to issuer and a signature that
// verifies with the certificate's own key is what self-signed means here.
bool IsSelfSigned(X509* cert) {
  if (cert == nullptr || X509_NAME_cmp(X509_get_subject_name(cert),
                                       X509_get_issuer_name(cert)) != 0) {
    return false;
  }
  bssl::UniquePtr<EVP_PKEY> key(X509_get_pubkey(cert));
  const bool self_signed = key != nullptr && X509_verify(cert, key.get()) == 1;
  ERR_clear_error();
  return self_signed;
}

// The signature check of path validation: `subject` by `issuer`'s key.
int VerifySignature(X509* subject, X509* issuer) {
  bssl::UniquePtr<EVP_PKEY> key(X509_get_pubkey(issuer));
  if (key == nullptr) return X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY;
  return X509_verify(subject, key.get()) > 0
             ? X509_V_OK
             : X509_V_ERR_CERT_SIGNATURE_FAILURE;
}

// The validity period of `cert` at `time`, as path validation judges it.
int CheckValidity(X509* cert, time_t time) {
  int order = X509_cmp_time(X509_get0_notBefore(cert), &time);
  if (order == 0) return X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD;
  if (order > 0) return X509_V_ERR_CERT_NOT_YET_VALID;
  order = X509_cmp_time(X509_get0_notAfter(cert), &time);
  if (order == 0) return X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
  if (order < 0) return X509_V_ERR_CERT_HAS_EXPIRED;
  return X509_V_OK;
}

// What VerifySignaturesAndTimes needs and says, reached through the
// X509_STORE_CTX's ex_data (the context's own error fields have no
// setters).
struct MemoVerification {
  SignatureMemo* memo;  // null: every signature is verified
  time_t time;
  bool partial_chain;
  bool failed = false;
  X509* error_cert = nullptr;  // as X509_STORE_CTX_get_current_cert
  int error_depth = 0;         // as X509_STORE_CTX_get_error_depth
};

int MemoVerificationIndex() {
  static const int index =
      X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// VerifySignaturesAndTimes makes the checks that end path validation,
// with the outcomes BoringSSL's own final step gives (chain_verifier_test
// compares the two): from the top of the built chain down, each
// certificate's signature by the one above it (not the self-issued top's
// own, nor a partial chain's anchor's), then its validity period; the
// first problem ends it. The signatures above the leaf go through the
// memo. BoringSSL calls it (X509_STORE_set_verify) once the chain is
// built, trusted and its extensions checked.
int VerifySignaturesAndTimes(X509_STORE_CTX* ctx) {
  auto* state = static_cast<MemoVerification*>(
      X509_STORE_CTX_get_ex_data(ctx, MemoVerificationIndex()));
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  if (state == nullptr || chain == nullptr || sk_X509_num(chain) == 0) {
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
    return 0;
  }
  auto fail = [ctx, state](int code, X509* cert, int depth) {
    X509_STORE_CTX_set_error(ctx, code);
    state->failed = true;
    state->error_cert = cert;
    state->error_depth = depth;
    return 0;
  };
  int depth = static_cast<int>(sk_X509_num(chain)) - 1;
  X509* issuer = sk_X509_value(chain, depth);
  X509* subject = issuer;
  if (X509_check_issued(issuer, issuer) != X509_V_OK && !state->partial_chain) {
    if (depth == 0) {
      return fail(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, issuer, 0);
    }
    subject = sk_X509_value(chain, --depth);
  }
  for (;;) {
    if (subject != issuer) {
      const int code = depth > 0 && state->memo != nullptr
                           ? state->memo->Check(subject, issuer)
                           : VerifySignature(subject, issuer);
      if (code != X509_V_OK) {
        return fail(code,
                    code == X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY
                        ? issuer
                        : subject,
                    depth);
      }
    }
    if (const int code = CheckValidity(subject, state->time);
        code != X509_V_OK) {
      return fail(code, subject, depth);
    }
    if (depth == 0) return 1;
    issuer = subject;
    subject = sk_X509_value(chain, --depth);
  }
}

}  // namespace

void EnableSignatureMemo(X509_STORE* store) {
  X509_STORE_set_verify(store, VerifySignaturesAndTimes);
}

int SignatureMemo::Check(X509* subject, X509* issuer) {
  const absl::string_view subject_sha256 = RecordedSha256(subject);
  const absl::string_view issuer_sha256 = RecordedSha256(issuer);
  if (capacity_ == 0 || subject_sha256.empty() || issuer_sha256.empty()) {
    ++misses_;
    return VerifySignature(subject, issuer);
  }
  std::string key = absl::StrCat(subject_sha256, issuer_sha256);
  if (auto it = outcomes_.find(key); it != outcomes_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  const int code = VerifySignature(subject, issuer);
  if (outcomes_.size() >= capacity_) outcomes_.clear();
  outcomes_.emplace(std::move(key), code);
  return code;
}

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
    if (!sk_X509_push(untrusted.get(), cert)) {
      return fail(X509_V_ERR_OUT_OF_MEM);
    }
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
  // Read by VerifySignaturesAndTimes when `trust` has EnableSignatureMemo.
  MemoVerification memo{options.memo, static_cast<time_t>(options.time),
                        options.partial_chain};
  if (MemoVerificationIndex() < 0 ||
      !X509_STORE_CTX_set_ex_data(ctx.get(), MemoVerificationIndex(), &memo)) {
    return fail(X509_V_ERR_OUT_OF_MEM);
  }
  if (X509_verify_cert(ctx.get()) == 1) {
    result.ok = true;
    ERR_clear_error();
    return result;
  }
  int code = X509_STORE_CTX_get_error(ctx.get());
  if (code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
      code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) {
    X509* current = memo.failed ? memo.error_cert
                                : X509_STORE_CTX_get_current_cert(ctx.get());
    const int depth = memo.failed ? memo.error_depth
                                  : X509_STORE_CTX_get_error_depth(ctx.get());
    if (IsSelfSigned(current)) {
      code = depth == 0 ? X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
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
