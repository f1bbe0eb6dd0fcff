#include "scanner/tls/sct_list.h"

#include <openssl/bytestring.h>

#include <cstdint>

namespace mxscan::tls {
namespace {

CBS CbsOf(absl::string_view bytes) {
  CBS cbs;
  CBS_init(&cbs, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return cbs;
}

}  // namespace

std::optional<int> CountSctList(absl::string_view list) {
  CBS input = CbsOf(list);
  CBS scts;
  if (!CBS_get_u16_length_prefixed(&input, &scts) || CBS_len(&input) != 0 ||
      CBS_len(&scts) == 0) {
    return std::nullopt;
  }
  int count = 0;
  while (CBS_len(&scts) > 0) {
    CBS sct;
    if (!CBS_get_u16_length_prefixed(&scts, &sct) || CBS_len(&sct) == 0) {
      return std::nullopt;
    }
    ++count;
  }
  return count;
}

std::optional<int> CountEmbeddedScts(absl::string_view extension_value) {
  CBS input = CbsOf(extension_value);
  CBS list;
  if (!CBS_get_asn1(&input, &list, CBS_ASN1_OCTETSTRING) ||
      CBS_len(&input) != 0) {
    return std::nullopt;
  }
  return CountSctList(absl::string_view(
      reinterpret_cast<const char*>(CBS_data(&list)), CBS_len(&list)));
}

}  // namespace mxscan::tls
