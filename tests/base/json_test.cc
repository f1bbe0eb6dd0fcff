// AppendJsonString: escaping, UTF-8 handling, and that every output parses
// as a JSON string (checked with a small independent decoder below).

#include "scanner/base/json.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace mxscan {
namespace {

std::string Json(absl::string_view s) {
  std::string out;
  base::AppendJsonString(s, &out);
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Utf8(uint32_t cp) {
  std::string s;
  AppendUtf8(cp, &s);
  return s;
}

// Well-formed UTF-8 per Unicode table 3-7 (byte ranges, not arithmetic).
bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  auto in = [&](size_t k, int lo, int hi) {
    if (i + k >= s.size()) return false;
    const int c = static_cast<unsigned char>(s[i + k]);
    return c >= lo && c <= hi;
  };
  while (i < s.size()) {
    const int c = static_cast<unsigned char>(s[i]);
    if (c <= 0x7F) {
      i += 1;
    } else if (c >= 0xC2 && c <= 0xDF && in(1, 0x80, 0xBF)) {
      i += 2;
    } else if (c == 0xE0 && in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF)) {
      i += 3;
    } else if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) &&
               in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF)) {
      i += 3;
    } else if (c == 0xED && in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF)) {
      i += 3;
    } else if (c == 0xF0 && in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) &&
               in(3, 0x80, 0xBF)) {
      i += 4;
    } else if (c >= 0xF1 && c <= 0xF3 && in(1, 0x80, 0xBF) &&
               in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) {
      i += 4;
    } else if (c == 0xF4 && in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) &&
               in(3, 0x80, 0xBF)) {
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one RFC 8259 string literal that must span all of `json`;
// nullopt when it is not one.
std::optional<std::string> ParseJsonString(absl::string_view json) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') {
    return std::nullopt;
  }
  if (!IsValidUtf8(json)) return std::nullopt;
  std::string out;
  size_t i = 1;
  const size_t end = json.size() - 1;
  auto read_hex4 = [&](size_t at) -> int {
    if (at + 4 > end) return -1;
    int v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int h = HexValue(json[at + k]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  while (i < end) {
    const unsigned char c = static_cast<unsigned char>(json[i]);
    if (c == '"' || c < 0x20) return std::nullopt;  // must be escaped
    if (c != '\\') {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (i + 1 >= end) return std::nullopt;
    const char e = json[i + 1];
    i += 2;
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        int cp = read_hex4(i);
        if (cp < 0) return std::nullopt;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (i + 1 >= end || json[i] != '\\' || json[i + 1] != 'u') {
            return std::nullopt;
          }
          const int low = read_hex4(i + 2);
          if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return std::nullopt;
        }
        AppendUtf8(static_cast<uint32_t>(cp), &out);
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(JsonStringTest, Empty) { EXPECT_EQ(Json(""), "\"\""); }

TEST(JsonStringTest, PlainAscii) {
  EXPECT_EQ(Json("v=spf1 include:_spf.example.org ~all"),
            "\"v=spf1 include:_spf.example.org ~all\"");
}

TEST(JsonStringTest, QuoteAndBackslash) {
  EXPECT_EQ(Json("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(Json("a\\b"), R"("a\\b")");
  EXPECT_EQ(Json("\\\""), R"("\\\"")");
  EXPECT_EQ(Json("\\"), R"("\\")");
}

TEST(JsonStringTest, EveryControlCharacterIsEscaped) {
  for (int c = 0; c < 0x20; ++c) {
    const std::string in(1, static_cast<char>(c));
    char expected[16];
    std::snprintf(expected, sizeof(expected), "\"\\u%04x\"", c);
    EXPECT_EQ(Json(in), expected) << "byte " << c;
  }
  EXPECT_EQ(Json(std::string("a\0b", 3)), "\"a\\u0000b\"");
  EXPECT_EQ(Json("\n\t\r"), "\"\\u000a\\u0009\\u000d\"");
}

TEST(JsonStringTest, PrintableBytesKeptAsIs) {
  // DEL and '/' need no escaping in JSON.
  EXPECT_EQ(Json("\x7f/ ~"), "\"\x7f/ ~\"");
}

TEST(JsonStringTest, AppendsWithoutClearing) {
  std::string out = "{\"name\":";
  base::AppendJsonString("x", &out);
  out += ",\"v\":";
  base::AppendJsonString("y", &out);
  out += "}";
  EXPECT_EQ(out, "{\"name\":\"x\",\"v\":\"y\"}");
}

TEST(JsonStringTest, ValidUtf8IsKept) {
  for (uint32_t cp : {0x80u, 0xE9u, 0x7FFu, 0x800u, 0x20ACu, 0xD7FFu, 0xE000u,
                      0xFFFDu, 0xFFFFu, 0x10000u, 0x1F600u, 0x10FFFFu,
                      0x2028u, 0x2029u}) {
    const std::string s = "<" + Utf8(cp) + ">";
    EXPECT_EQ(Json(s), "\"" + s + "\"") << std::hex << cp;
  }
  EXPECT_EQ(Json("b\xC3\xBC"
                 "cher.example"),
            "\"b\xC3\xBC"
            "cher.example\"");
}

TEST(JsonStringTest, InvalidUtf8IsReplacedBytewise) {
  struct Case {
    std::string in;
    std::string out;  // without the quotes
  };
  const std::string R = kReplacement;
  const Case cases[] = {
      {"\x80", R},                              // lone continuation
      {"a\xBF" "b", "a" + R + "b"},
      {"\xC0\x80", R + R},                      // overlong NUL
      {"\xC1\xBF", R + R},                      // overlong
      {"\xE0\x80\x80", R + R + R},              // overlong 3-byte
      {"\xE0\x9F\xBF", R + R + R},              // overlong U+07FF
      {"\xF0\x8F\xBF\xBF", R + R + R + R},      // overlong U+FFFF
      {"\xED\xA0\x80", R + R + R},              // surrogate D800
      {"\xED\xBF\xBF", R + R + R},              // surrogate DFFF
      {"\xF4\x90\x80\x80", R + R + R + R},      // above U+10FFFF
      {"\xF5\x80\x80\x80", R + R + R + R},
      {"\xF8\x88\x80\x80\x80", R + R + R + R + R},
      {"\xFE", R},
      {"\xFF", R},
      {"\xE2\x82", R + R},                      // truncated at the end
      {"\xE2\x82" "A", R + R + "A"},            // truncated before ASCII
      {"\xC3", R},
      {"\xC3\xC3\xA9", R + "\xC3\xA9"},         // bad lead, then valid
      {"\xF0\x9F\x98", R + R + R},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Json(c.in), "\"" + c.out + "\"") << absl::CHexEscape(c.in);
  }
}

TEST(JsonStringTest, InvalidBytesNextToEscapes) {
  EXPECT_EQ(Json("\"\xFF\\\x01"),
            "\"\\\"" + kReplacement + "\\\\\\u0001\"");
}

TEST(JsonStringTest, RandomValidUtf8RoundTrips) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> kind(0, 5);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    const int n = iter % 40;
    for (int k = 0; k < n; ++k) {
      uint32_t cp;
      switch (kind(rng)) {
        case 0: cp = std::uniform_int_distribution<uint32_t>(0, 0x7F)(rng); break;
        case 1: cp = std::uniform_int_distribution<uint32_t>(0x80, 0x7FF)(rng); break;
        case 2: cp = std::uniform_int_distribution<uint32_t>(0x800, 0xD7FF)(rng); break;
        case 3: cp = std::uniform_int_distribution<uint32_t>(0xE000, 0xFFFF)(rng); break;
        case 4: cp = std::uniform_int_distribution<uint32_t>(0x10000, 0x10FFFF)(rng); break;
        default: cp = static_cast<uint32_t>("\"\\\n\x01/"[k % 5]); break;
      }
      AppendUtf8(cp, &s);
    }
    const std::string json = Json(s);
    const std::optional<std::string> back = ParseJsonString(json);
    ASSERT_TRUE(back.has_value()) << absl::CHexEscape(json);
    ASSERT_EQ(*back, s) << absl::CHexEscape(s);
  }
}

TEST(JsonStringTest, RandomBytesAlwaysGiveAParseableString) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s;
    const int n = iter % 64;
    for (int k = 0; k < n; ++k) s.push_back(static_cast<char>(byte(rng)));
    const std::string json = Json(s);
    const std::optional<std::string> back = ParseJsonString(json);
    ASSERT_TRUE(back.has_value()) << absl::CHexEscape(s);
    if (IsValidUtf8(s)) {
      ASSERT_EQ(*back, s);
    } else {
      ASSERT_NE(back->find(kReplacement), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace mxscan
