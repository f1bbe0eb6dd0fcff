#include "scanner/stats/svg_chart.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mxscan::stats {
namespace {

// Geometry, in SVG user units.
constexpr int kLabelWidth = 160;
constexpr int kBarArea = 300;
constexpr int kValueWidth = 110;
constexpr int kRowHeight = 22;
constexpr int kTitleHeight = 26;
constexpr int kWidth = kLabelWidth + kBarArea + kValueWidth;

// Colour-blind-safe palette (Okabe-Ito), cycled.
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73",
                                    "#D55E00", "#56B4E9", "#CC79A7",
                                    "#F0E442", "#000000", "#999999"};

std::string Shorten(absl::string_view label, size_t max_chars) {
  if (label.size() <= max_chars) return std::string(label);
  return absl::StrCat(label.substr(0, max_chars - 1), "\xE2\x80\xA6");
}

double Clamp(double percent) { return std::clamp(percent, 0.0, 100.0); }

std::string SvgOpen(absl::string_view title, int height) {
  return absl::StrFormat(
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
      "role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
      "<title>%s</title><text class=\"chart-title\" x=\"0\" y=\"17\">%s"
      "</text>",
      kWidth, height, kWidth, height, HtmlEscape(title), HtmlEscape(title));
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string SvgBarChart(absl::string_view title, const std::vector<Bar>& bars) {
  const int height = kTitleHeight + kRowHeight * static_cast<int>(bars.size()) + 4;
  std::string svg = SvgOpen(title, height);
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = bars[i];
    const int y = kTitleHeight + kRowHeight * static_cast<int>(i);
    const double length = kBarArea * Clamp(bar.percent) / 100.0;
    absl::StrAppendFormat(
        &svg,
        "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
        "<rect class=\"track\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
        "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
        "fill=\"%s\"><title>%s: %s</title></rect>"
        "<text class=\"value\" x=\"%d\" y=\"%d\">%s</text>",
        kLabelWidth - 6, y + 15, HtmlEscape(Shorten(bar.label, 24)),
        kLabelWidth, y + 3, kBarArea, kRowHeight - 6, kLabelWidth, y + 3,
        length, kRowHeight - 6, kPalette[0], HtmlEscape(bar.label),
        HtmlEscape(bar.value_text), kLabelWidth + kBarArea + 6, y + 15,
        HtmlEscape(bar.value_text));
  }
  svg += "</svg>";
  return svg;
}

std::string SvgStackedChart(absl::string_view title,
                            const std::vector<StackedBar>& bars) {
  std::vector<std::string> names;
  for (const StackedBar& bar : bars) {
    for (const Segment& s : bar.segments) {
      if (std::find(names.begin(), names.end(), s.name) == names.end()) {
        names.push_back(s.name);
      }
    }
  }
  const int legend_rows = (static_cast<int>(names.size()) + 3) / 4;
  const int height = kTitleHeight +
                     kRowHeight * static_cast<int>(bars.size()) +
                     kRowHeight * legend_rows + 8;
  std::string svg = SvgOpen(title, height);
  auto colour = [&](const std::string& name) {
    const size_t i = std::find(names.begin(), names.end(), name) - names.begin();
    return kPalette[i % (sizeof(kPalette) / sizeof(kPalette[0]))];
  };
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = kTitleHeight + kRowHeight * static_cast<int>(i);
    absl::StrAppendFormat(
        &svg,
        "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
        kLabelWidth - 6, y + 15, HtmlEscape(Shorten(bars[i].label, 24)));
    double x = kLabelWidth;
    for (const Segment& s : bars[i].segments) {
      const double length = kBarArea * Clamp(s.percent) / 100.0;
      if (length <= 0) continue;
      absl::StrAppendFormat(
          &svg,
          "<rect class=\"bar\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
          "height=\"%d\" fill=\"%s\"><title>%s, %s: %s</title></rect>",
          x, y + 3, length, kRowHeight - 6, colour(s.name),
          HtmlEscape(bars[i].label), HtmlEscape(s.name),
          HtmlEscape(s.value_text));
      x += length;
    }
  }
  const int legend_y = kTitleHeight + kRowHeight * static_cast<int>(bars.size()) + 4;
  for (size_t i = 0; i < names.size(); ++i) {
    const int x = 10 + static_cast<int>(i % 4) * (kWidth / 4);
    const int y = legend_y + kRowHeight * static_cast<int>(i / 4);
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
        "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>",
        x, y + 2, colour(names[i]), x + 16, y + 12,
        HtmlEscape(Shorten(names[i], 22)));
  }
  svg += "</svg>";
  return svg;
}

std::string SvgLineChart(absl::string_view title,
                         const std::vector<std::string>& x_labels,
                         const std::vector<Line>& lines) {
  constexpr int kPlotTop = kTitleHeight + 6;
  constexpr int kPlotHeight = 160;
  constexpr int kLeft = 40;
  constexpr int kPlotWidth = kWidth - kLeft - 20;
  const int legend_rows = static_cast<int>((lines.size() + 2) / 3);
  const int height = kPlotTop + kPlotHeight + 22 + 18 * legend_rows + 4;
  std::string svg = SvgOpen(title, height);
  const size_t n = x_labels.size();
  auto x_of = [&](size_t i) {
    return kLeft + (n <= 1 ? kPlotWidth / 2.0
                           : kPlotWidth * static_cast<double>(i) / (n - 1));
  };
  auto y_of = [&](double p) {
    return kPlotTop + kPlotHeight * (1.0 - Clamp(p) / 100.0);
  };
  for (int tick = 0; tick <= 100; tick += 50) {
    absl::StrAppendFormat(
        &svg,
        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
        "stroke=\"#ddd\"/><text class=\"label\" x=\"%d\" y=\"%.1f\" "
        "text-anchor=\"end\">%d%%</text>",
        kLeft, y_of(tick), kLeft + kPlotWidth, y_of(tick), kLeft - 4,
        y_of(tick) + 4, tick);
  }
  for (size_t i = 0; i < n; ++i) {
    // The first and last labels stay inside the chart.
    const char* anchor = n > 1 && i == 0       ? "start"
                         : n > 1 && i == n - 1 ? "end"
                                               : "middle";
    absl::StrAppendFormat(&svg,
                          "<text class=\"label\" x=\"%.1f\" y=\"%d\" "
                          "text-anchor=\"%s\">%s</text>",
                          x_of(i), kPlotTop + kPlotHeight + 16, anchor,
                          HtmlEscape(Shorten(x_labels[i], 12)));
  }
  for (size_t l = 0; l < lines.size(); ++l) {
    const char* colour = kPalette[l % (sizeof(kPalette) / sizeof(kPalette[0]))];
    std::string path;
    bool pen_down = false;
    for (size_t i = 0; i < lines[l].percent.size() && i < n; ++i) {
      const double p = lines[l].percent[i];
      if (p != p) {  // NaN: a gap
        pen_down = false;
        continue;
      }
      absl::StrAppendFormat(&path, "%s%.1f,%.1f ", pen_down ? "L" : "M",
                            x_of(i), y_of(p));
      pen_down = true;
      absl::StrAppendFormat(
          &svg,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
          "<title>%s, %s: %.1f%%</title></circle>",
          x_of(i), y_of(p), colour, HtmlEscape(lines[l].name),
          HtmlEscape(x_labels[i]), p);
    }
    if (!path.empty()) {
      absl::StrAppendFormat(&svg,
                            "<path d=\"%s\" fill=\"none\" stroke=\"%s\" "
                            "stroke-width=\"2\"/>",
                            path, colour);
    }
    const int row = static_cast<int>(l / 3), col = static_cast<int>(l % 3);
    const int ly = kPlotTop + kPlotHeight + 24 + 18 * row;
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
        "fill=\"%s\"/><text class=\"label\" x=\"%d\" y=\"%d\">%s</text>",
        col * 190, ly, colour, col * 190 + 14, ly + 9,
        HtmlEscape(Shorten(lines[l].name, 26)));
  }
  svg.append("</svg>");
  return svg;
}

}  // namespace mxscan::stats
