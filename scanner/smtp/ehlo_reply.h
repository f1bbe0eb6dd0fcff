#ifndef MXSCAN_SCANNER_SMTP_EHLO_REPLY_H_
#define MXSCAN_SCANNER_SMTP_EHLO_REPLY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/smtp/reply_parser.h"

namespace mxscan::smtp {

// The service extensions of a 250 reply to EHLO (RFC 5321 section 4.1.1.1):
//   ehlo-ok-rsp = "250" SP Domain [ SP ehlo-greet ] CRLF
//               / "250-" Domain [ SP ehlo-greet ] CRLF
//                 *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF
//   ehlo-line   = ehlo-keyword *( SP ehlo-param )

// EhloExtension is one ehlo-line.
struct EhloExtension {
  // Upper-cased (keywords are case-insensitive).
  std::string keyword;
  // As sent.
  std::vector<std::string> params;

  // ToString returns "KEYWORD PARAM PARAM", one space apart.
  std::string ToString() const;
};

// EhloReply is what a server said about itself after EHLO.
struct EhloReply {
  // The first line: the server's name and the free text after it.
  std::string domain;
  std::string greeting;
  // Every non-empty line after the first, in order, duplicates included.
  // A line whose keyword breaks the grammar (legacy "AUTH=LOGIN PLAIN") is
  // kept here too, keyword and all, and listed in malformed_lines.
  std::vector<EhloExtension> extensions;
  // Lines after the first that break the grammar: an empty line, a keyword
  // that is not ALPHA/DIGIT followed by ALPHA/DIGIT/"-", a parameter with
  // bytes outside 33-126.
  std::vector<std::string> malformed_lines;

  // Find returns the first extension with `keyword` (any case), or null.
  const EhloExtension* Find(absl::string_view keyword) const;
  bool Has(absl::string_view keyword) const { return Find(keyword); }
  bool starttls() const { return Has("STARTTLS"); }
  bool pipelining() const { return Has("PIPELINING"); }
  // MaxSize is the SIZE parameter (RFC 1870; 0 means no fixed limit), or
  // nullopt when SIZE is absent or its parameter is not a decimal number.
  std::optional<uint64_t> MaxSize() const;
  // ExtensionStrings returns ToString() of each extension.
  std::vector<std::string> ExtensionStrings() const;
};

// ParseEhloReply reads the lines of a reply to EHLO (its code is the
// caller's business). It never fails: servers in the wild bend the grammar,
// and a scanner records what they said.
EhloReply ParseEhloReply(const Reply& reply);

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_EHLO_REPLY_H_
