#ifndef MXSCAN_SCANNER_REPORT_CARD_CARD_H_
#define MXSCAN_SCANNER_REPORT_CARD_CARD_H_

#include <string>
#include <vector>

#include "proto/mxscan.pb.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::report_card {

// A domain's report card: each control a national team checks, whether the
// domain meets it, and for each failure the fix, in words and, where it can
// be derived from what the scan found, the exact record to publish. Pure:
// built from the domain's record and its statistics summary.

enum class ControlState { kPass, kFail, kNotApplicable, kNotMeasured };
const char* ControlStateName(ControlState state);  // "pass", "fail", ...

struct ControlResult {
  std::string key;     // "dmarc_enforced"
  std::string title;   // "DMARC enforced"
  std::string metric;  // its definition in scanner/stats/METRICS.md
  ControlState state = ControlState::kNotApplicable;
  std::string why;     // what was found, in a sentence
  std::string fix;     // what to do, in words (failures only)
  std::string record;  // the record to publish, when derivable
};

struct Card {
  std::string domain;
  std::string organization;
  std::string sector;
  std::vector<ControlResult> controls;
  // Evidence in brief: one line per MX server, per record found.
  std::vector<std::string> evidence;
  int passed = 0;
  int applicable = 0;  // pass + fail
};

// BuildCard judges every control for `result` (whose summary is `summary`).
Card BuildCard(const DomainResult& result, const stats::DomainSummary& summary);

// RenderCardText: the card for a terminal; RenderCardJson: one JSON object.
std::string RenderCardText(const Card& card);
std::string RenderCardJson(const Card& card);

}  // namespace mxscan::report_card

#endif  // MXSCAN_SCANNER_REPORT_CARD_CARD_H_
