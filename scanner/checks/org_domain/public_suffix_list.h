#ifndef MXSCAN_SCANNER_CHECKS_ORG_DOMAIN_PUBLIC_SUFFIX_LIST_H_
#define MXSCAN_SCANNER_CHECKS_ORG_DOMAIN_PUBLIC_SUFFIX_LIST_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::checks::org_domain {

// Where Debian's `publicsuffix` package installs the list.
inline constexpr char kDebianPublicSuffixListPath[] =
    "/usr/share/publicsuffix/public_suffix_list.dat";

// PublicSuffixList answers "what is the public suffix / the Organizational
// Domain of this name" from the Public Suffix List (publicsuffix.org format:
// plain rules, "*." wildcard rules and "!" exception rules), as RFC 7489
// section 3.2 uses it to find a DMARC Organizational Domain.
//
// Both sections of the list are used by default. RFC 7489 names the list
// without restricting it, and the PRIVATE section is where independently
// registered names under a shared suffix live (github.io, blogspot.com,
// s3.amazonaws.com ...): exactly the "separate administrative authority"
// that an Organizational Domain stands for. `include_private = false` gives
// the ICANN-only view for comparisons.
//
// Rules written in Unicode are stored as A-labels, so lookups take A-label
// names (as DNS carries them); names are compared without ASCII case and
// with one trailing dot ignored.
//
// Loaded once and then read-only: the rules live in one arena with a hash
// index of views into it. Thread-compatible (const methods may be called
// concurrently). Move-only.
class PublicSuffixList {
 public:
  struct Options {
    bool include_private = true;
  };

  // Load reads a list file. Fails when the file cannot be read, a rule is
  // malformed (a wildcard other than a leading "*.", an empty label, an
  // exception rule of one label, invalid UTF-8) or no rule is found.
  static absl::StatusOr<PublicSuffixList> Load(absl::string_view path,
                                               Options options);
  static absl::StatusOr<PublicSuffixList> Load(absl::string_view path) {
    return Load(path, Options());
  }
  // FromString parses list text (as Load does with a file's contents).
  static absl::StatusOr<PublicSuffixList> FromString(absl::string_view text,
                                                     Options options);
  static absl::StatusOr<PublicSuffixList> FromString(absl::string_view text) {
    return FromString(text, Options());
  }

  PublicSuffixList(PublicSuffixList&&) = default;
  PublicSuffixList& operator=(PublicSuffixList&&) = default;
  PublicSuffixList(const PublicSuffixList&) = delete;
  PublicSuffixList& operator=(const PublicSuffixList&) = delete;

  // PublicSuffix returns the public suffix of `domain` by the list's
  // algorithm: an exception rule wins, else the matching rule with the most
  // labels, else the implicit rule "*" (so an unknown TLD is its own public
  // suffix). Lowercase, no trailing dot. Returns "" for a name that is not a
  // domain name (empty, or with an empty label).
  std::string PublicSuffix(absl::string_view domain) const;

  // OrganizationalDomain returns the public suffix plus one label (RFC 7489
  // section 3.2, step 4). A name that is itself a public suffix has no
  // label to add and is returned as is: it is its own Organizational Domain,
  // which is where its operator would publish a PSD policy. "" as above.
  std::string OrganizationalDomain(absl::string_view domain) const;

  // Number of rules loaded (a rule carrying both a plain and a wildcard form
  // counts twice).
  size_t rule_count() const { return rule_count_; }

 private:
  enum RuleBits : uint8_t {
    kPlain = 1,      // "example"
    kWildcard = 2,   // "*.example": any one label below
    kException = 4,  // "!www.example"
  };

  PublicSuffixList() = default;

  uint8_t Bits(absl::string_view suffix) const;

  // The rules' names ("a.b", without "*." or "!"), each once, back to back;
  // `index_` views into it, so the arena never moves after loading.
  std::unique_ptr<char[]> arena_;
  absl::flat_hash_map<absl::string_view, uint8_t> index_;
  size_t rule_count_ = 0;
};

}  // namespace mxscan::checks::org_domain

#endif  // MXSCAN_SCANNER_CHECKS_ORG_DOMAIN_PUBLIC_SUFFIX_LIST_H_
