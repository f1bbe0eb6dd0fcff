#ifndef MXSCAN_SCANNER_STATS_SVG_CHART_H_
#define MXSCAN_SCANNER_STATS_SVG_CHART_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::stats {

// Text made safe for HTML/SVG element content and attribute values.
std::string HtmlEscape(absl::string_view text);

struct Bar {
  std::string label;
  double percent = 0;      // 0..100: the bar's length
  std::string value_text;  // printed after the bar ("57.1% (400)")
};

// A horizontal bar chart as an inline <svg> element (no scripts, no
// external resources): one bar per entry, labelled, on a 0-100% axis.
std::string SvgBarChart(absl::string_view title, const std::vector<Bar>& bars);

struct Segment {
  std::string name;  // legend entry
  double percent = 0;
  std::string value_text;
};
struct StackedBar {
  std::string label;
  std::vector<Segment> segments;  // the same names in the same order per bar
};

// 100% stacked horizontal bars (one per label) with a legend.
std::string SvgStackedChart(absl::string_view title,
                            const std::vector<StackedBar>& bars);

// A line of a line chart: one value per x position (nullopt-like gaps are
// NaN: the line breaks there).
struct Line {
  std::string name;             // legend entry
  std::vector<double> percent;  // 0..100 per x label; NaN for none
};

// Lines over the x labels (scans in time order) on a 0-100% axis, with a
// legend; each point carries its value as a tooltip.
std::string SvgLineChart(absl::string_view title,
                         const std::vector<std::string>& x_labels,
                         const std::vector<Line>& lines);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_SVG_CHART_H_
