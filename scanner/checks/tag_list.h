#ifndef MXSCAN_SCANNER_CHECKS_TAG_LIST_H_
#define MXSCAN_SCANNER_CHECKS_TAG_LIST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::checks {

// The tag=value lists of DNS TXT records: DKIM key records (RFC 6376
// section 3.2, which defines the syntax), BIMI assertion records (which
// borrow it), DMARC (RFC 7489 section 6.4, RFC 9989), MTA-STS (RFC 8461
// section 3.1) and TLS-RPT (RFC 8460 section 3). All cut the text at ";"
// into tag-specs of name "=" value; they differ in which whitespace they
// allow, in the grammar of names and values, in whether names ignore case,
// and in what they make of an empty tag-spec or a repeated name.
// LexTagList does the cutting for all of them under a TagListSyntax and
// reports what it found; each protocol's parser judges it (ParseTagList
// below is the judgement of RFC 6376, shared by DKIM and BIMI).

// IsTagName: RFC 6376's tag-name, ALPHA *(ALPHA / DIGIT / "_").
bool IsTagName(absl::string_view name);

// IsTagValue: RFC 6376's tag-value, words of printable ASCII other than ";"
// separated by whitespace (SP, HTAB, CR, LF); may be empty.
bool IsTagValue(absl::string_view value);

// TagListSyntax: how a protocol's tag-list differs from RFC 6376's. The
// defaults are RFC 6376's. An aggregate, so that a protocol can spell its
// syntax as a constant (fields in this order).
struct TagListSyntax {
  // CR and LF are whitespace as well as SP and HTAB (RFC 6376's FWS; TXT
  // data has no folding, so they can only be stray). DMARC, MTA-STS and
  // TLS-RPT allow only SP and HTAB (WSP).
  bool cr_lf_are_space = true;
  // The grammar of names and of values; null accepts anything (the caller
  // judges, as DMARC does with unknown names, or MTA-STS with values).
  bool (*is_name)(absl::string_view) = IsTagName;
  bool (*is_value)(absl::string_view) = IsTagValue;
  // Names are compared without case when looking for repeats (DMARC).
  bool names_ignore_case = false;
};

// TagSpec is one tag-spec, the text between two ";" (or the start or end of
// the list).
struct TagSpec {
  enum class Kind {
    kTag,       // a name and a value, both in the syntax's grammar
    kEmpty,     // nothing but whitespace (";;" or a leading ";")
    kNoEquals,  // no "="
    kBadName,   // the name is outside the syntax's grammar
    kBadValue,  // the value is outside the syntax's grammar
  };
  Kind kind = Kind::kTag;
  std::string text;   // the tag-spec, whitespace around it removed
  std::string name;   // whitespace around it removed (not for kEmpty or
                      // kNoEquals)
  std::string value;  // whitespace around it removed, inside it kept
  // Whitespace right before or after the "=" (allowed by RFC 6376 and
  // DMARC, not by MTA-STS and TLS-RPT).
  bool space_before_equals = false;
  bool space_after_equals = false;
  // A kTag whose name an earlier kTag has (RFC 6376: the whole list is
  // invalid; the other protocols decide per name).
  bool repeated = false;
};

// LexedTagList is a tag-list cut into tag-specs, not yet judged.
struct LexedTagList {
  // Record order. A final ";" ends the list: the whitespace after it is no
  // tag-spec.
  std::vector<TagSpec> specs;
  bool blank = false;           // the text is empty or only whitespace
  bool trailing_space = false;  // the text ends in whitespace
};

// LexTagList cuts `text` at every ";" and each tag-spec at its first "="
// (a value may hold more), under `syntax`. Never fails.
LexedTagList LexTagList(absl::string_view text,
                        const TagListSyntax& syntax = {});

// TagList is a tag-list judged by RFC 6376 section 3.2.
struct TagList {
  std::vector<TagSpec> tags;  // the kTag specs, record order, no repeats
  // Tag-specs that break the grammar, and repeated names: RFC 6376 makes a
  // tag-list with a duplicate tag invalid as a whole. These tag-specs are
  // not in `tags`; a repeated name keeps its first value.
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // an empty tag-spec (";;")

  // FindTag returns the tag named `name` (case-sensitive), or null. The
  // pointer is into `tags` and lives as long as this TagList.
  const TagSpec* FindTag(absl::string_view name) const;
};

// ParseTagList lexes `text` with the default (RFC 6376) syntax and judges
// it: the syntax of DKIM key records and BIMI assertion records. An empty
// text is an error, an empty tag-spec a warning, a final ";" allowed. Never
// fails.
TagList ParseTagList(absl::string_view text);

}  // namespace mxscan::checks

#endif  // MXSCAN_SCANNER_CHECKS_TAG_LIST_H_
