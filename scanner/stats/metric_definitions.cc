#include "scanner/stats/metric_definitions.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mxscan::stats {

// METRICS.md itself (metrics_doc.cc, generated from it by the build).
extern const char kMetricsDoc[];

std::map<std::string, std::string> ParseMetricDefinitions(
    absl::string_view markdown) {
  std::map<std::string, std::string> definitions;
  for (absl::string_view line : absl::StrSplit(markdown, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "|") || !absl::ConsumeSuffix(&line, "|")) {
      continue;
    }
    // The first cell names the keys; the rest (which may hold '|' only
    // escaped) is the definition.
    const size_t bar = line.find(" | ");
    if (bar == absl::string_view::npos) continue;
    const absl::string_view keys =
        absl::StripAsciiWhitespace(line.substr(0, bar));
    const std::string definition(
        absl::StripAsciiWhitespace(line.substr(bar + 3)));
    if (!absl::StartsWith(keys, "`") || definition.empty()) continue;
    for (absl::string_view key : absl::StrSplit(keys, ',')) {
      key = absl::StripAsciiWhitespace(key);
      if (!absl::ConsumePrefix(&key, "`") || !absl::ConsumeSuffix(&key, "`") ||
          key.empty()) {
        continue;
      }
      definitions.emplace(std::string(key), definition);
    }
  }
  return definitions;
}

const std::string& MetricDefinition(absl::string_view key) {
  static const std::map<std::string, std::string>* const kDefinitions =
      new std::map<std::string, std::string>(
          ParseMetricDefinitions(kMetricsDoc));
  static const std::string* const kNone = new std::string();
  auto found = kDefinitions->find(std::string(key));
  return found == kDefinitions->end() ? *kNone : found->second;
}

}  // namespace mxscan::stats
