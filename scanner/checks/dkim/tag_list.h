#ifndef MXSCAN_SCANNER_CHECKS_DKIM_TAG_LIST_H_
#define MXSCAN_SCANNER_CHECKS_DKIM_TAG_LIST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/checks/quote.h"

namespace mxscan::checks::dkim {

// One "name=value" tag-spec.
struct Tag {
  std::string name;
  std::string value;  // whitespace around it removed, inside it kept
};

// TagList is a parsed tag-list with what was wrong with it.
struct TagList {
  std::vector<Tag> tags;  // record order
  // Syntax errors and duplicate names. RFC 6376: a tag-list with a
  // duplicate tag is invalid as a whole.
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // e.g. an empty tag-spec (";;")

  // FindTag returns the first tag named `name` (case-sensitive), or null.
  // The pointer is into `tags` and lives as long as this TagList.
  const Tag* FindTag(absl::string_view name) const;
};

// ParseTagList parses the tag=value list of RFC 6376 section 3.2, the
// syntax of DKIM key records and (by reference) BIMI assertion records:
// tag-specs separated by ";", a final ";" allowed, folding whitespace
// allowed around names, "=" and values and between the words of a value.
// Names: ALPHA *(ALPHA / DIGIT / "_"). Values: printable ASCII except ";".
// Tag names are case-sensitive. CR and LF count as whitespace (TXT data
// has no folding, so they can only be stray). Never fails.
TagList ParseTagList(absl::string_view text);

// Messages quote records with the checks' one QuoteForMessage.
using ::mxscan::checks::QuoteForMessage;

}  // namespace mxscan::checks::dkim

#endif  // MXSCAN_SCANNER_CHECKS_DKIM_TAG_LIST_H_
