// Domain names: presentation form (NormalizeName, AppendWireName) and wire
// form with compression (ReadWireName, SkipWireName), cross-checked with
// ldns where both accept a name.

#include "scanner/dns/name.h"

// <stdbool.h> first: otherwise ldns/common.h defines true and false as
// macros in C++, which breaks gmock.
#include <stdbool.h>
// clang-format off
#include <ldns/ldns.h>
// clang-format on

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/message.h"
#include "tests/testing/dns_packet.h"

namespace mxscan::dns {
namespace {

using ::mxscan::testing::WireWriter;
using ::testing::HasSubstr;

std::string Normalized(absl::string_view name) {
  absl::StatusOr<std::string> n = NormalizeName(name);
  return n.ok() ? *n : "ERROR: " + std::string(n.status().message());
}

bool Rejected(absl::string_view name) { return !NormalizeName(name).ok(); }

std::string Wire(absl::string_view name) {
  std::string out;
  absl::Status s = AppendWireName(name, &out);
  return s.ok() ? out : "ERROR";
}

// A name of `labels` labels of `length` octets each ("aaa.bbb...").
std::string NameOf(int labels, int length, char first = 'a') {
  std::vector<std::string> parts;
  for (int i = 0; i < labels; ++i) {
    parts.push_back(std::string(length, static_cast<char>(first + i % 26)));
  }
  return absl::StrJoin(parts, ".");
}

// ---------------------------------------------------------------------------
// NormalizeName

TEST(NormalizeNameTest, LowercasesAndAddsTrailingDot) {
  EXPECT_EQ(Normalized("Example.ORG"), "example.org.");
  EXPECT_EQ(Normalized("example.org."), "example.org.");
  EXPECT_EQ(Normalized("WWW.EXAMPLE.ORG."), "www.example.org.");
  EXPECT_EQ(Normalized("a"), "a.");
  EXPECT_EQ(Normalized("_dmarc.Example.org"), "_dmarc.example.org.");
  EXPECT_EQ(Normalized("*.example.org"), "*.example.org.");
  EXPECT_EQ(Normalized("xn--bcher-kva.example"), "xn--bcher-kva.example.");
  EXPECT_EQ(Normalized("1.2.0.192.in-addr.arpa"), "1.2.0.192.in-addr.arpa.");
}

TEST(NormalizeNameTest, Root) {
  EXPECT_EQ(Normalized("."), ".");
}

TEST(NormalizeNameTest, EmptyAndEmptyLabelsRejected) {
  EXPECT_TRUE(Rejected(""));
  EXPECT_TRUE(Rejected(".."));
  EXPECT_TRUE(Rejected(".example.org"));
  EXPECT_TRUE(Rejected("example..org"));
  EXPECT_TRUE(Rejected("example.org.."));
  EXPECT_THAT(NormalizeName("a..b").status().message(),
              HasSubstr("empty label"));
}

TEST(NormalizeNameTest, EscapedDot) {
  EXPECT_EQ(Normalized("a\\.b.Example"), "a\\.b.example.");
  EXPECT_EQ(Normalized("\\."), "\\..");
  EXPECT_EQ(Normalized("\\.\\."), "\\.\\..");
}

TEST(NormalizeNameTest, DecimalEscapes) {
  EXPECT_EQ(Normalized("\\065BC.example"), "abc.example.");  // 'A'
  EXPECT_EQ(Normalized("a\\000b"), "a\\000b.");
  EXPECT_EQ(Normalized("\\255"), "\\255.");
  EXPECT_EQ(Normalized("\\032"), "\\032.");  // space stays escaped
  EXPECT_EQ(Normalized("\\046"), "\\..");    // a dot inside a label
  EXPECT_EQ(Normalized("\\092"), "\\\\.");   // a backslash
  EXPECT_EQ(Normalized("\\127x"), "\\127x.");
}

TEST(NormalizeNameTest, OtherEscapes) {
  EXPECT_EQ(Normalized("a\\ b"), "a\\032b.");
  EXPECT_EQ(Normalized("\\\\"), "\\\\.");
  EXPECT_EQ(Normalized("\\A"), "a.");
  EXPECT_EQ(Normalized("\\;x"), ";x.");
}

TEST(NormalizeNameTest, BadEscapesRejected) {
  EXPECT_TRUE(Rejected("\\"));
  EXPECT_TRUE(Rejected("example\\"));
  EXPECT_TRUE(Rejected("\\1"));
  EXPECT_TRUE(Rejected("\\12"));
  EXPECT_TRUE(Rejected("\\12a"));
  EXPECT_TRUE(Rejected("\\1a2"));
  EXPECT_TRUE(Rejected("\\256"));
  EXPECT_TRUE(Rejected("\\999"));
}

TEST(NormalizeNameTest, SpacesControlAndNonAsciiRejected) {
  EXPECT_TRUE(Rejected("exa mple.org"));
  EXPECT_TRUE(Rejected(" example.org"));
  EXPECT_TRUE(Rejected("example.org "));
  EXPECT_TRUE(Rejected("exa\tmple.org"));
  EXPECT_TRUE(Rejected("example.org\n"));
  EXPECT_TRUE(Rejected("example.org\r"));
  EXPECT_TRUE(Rejected(std::string("exa\0mple", 8)));
  EXPECT_TRUE(Rejected("exa\x7fmple"));
  EXPECT_TRUE(Rejected("b\xc3\xbc"
                       "cher.example"));
  EXPECT_TRUE(Rejected("\xff"));
}

TEST(NormalizeNameTest, LabelLengthLimit) {
  const std::string l63(63, 'x');
  const std::string l64(64, 'x');
  EXPECT_EQ(Normalized(l63 + ".example"), l63 + ".example.");
  EXPECT_TRUE(Rejected(l64 + ".example"));
  EXPECT_TRUE(Rejected("example." + l64));
  EXPECT_TRUE(Rejected("example." + l64 + "."));
  EXPECT_THAT(NormalizeName(l64).status().message(), HasSubstr("63"));
  // The limit is on octets: escapes count once.
  std::string escaped;
  for (int i = 0; i < 63; ++i) escaped += "\\065";
  EXPECT_EQ(Normalized(escaped), std::string(63, 'a') + ".");
  EXPECT_TRUE(Rejected(escaped + "\\065"));
}

TEST(NormalizeNameTest, WireLengthLimit) {
  // 3 x 63 + 61 = 4 labels, 1 + 64 * 3 + 62 = 255 octets on the wire.
  const std::string max = NameOf(3, 63) + "." + std::string(61, 'z');
  EXPECT_EQ(Wire(max).size(), 255u);
  EXPECT_EQ(Normalized(max), max + ".");
  EXPECT_EQ(Normalized(max + "."), max + ".");
  const std::string over = NameOf(3, 63) + "." + std::string(62, 'z');
  EXPECT_TRUE(Rejected(over));
  EXPECT_TRUE(Rejected(over + "."));
  EXPECT_THAT(NormalizeName(over).status().message(), HasSubstr("255"));
  // Many one-octet labels: 127 labels = 1 + 127 * 2 = 255.
  const std::string many = NameOf(127, 1);
  EXPECT_EQ(Normalized(many), many + ".");
  EXPECT_TRUE(Rejected(NameOf(128, 1)));
}

TEST(NormalizeNameTest, Idempotent) {
  for (const char* name :
       {"Example.ORG", "a\\.b.c", "\\000\\255.x", "\\\\", ".", "A\\ B",
        "\\;\\(\\)"}) {
    const std::string once = Normalized(name);
    ASSERT_EQ(once.rfind("ERROR", 0), std::string::npos) << name;
    EXPECT_EQ(Normalized(once), once) << name;
  }
}

TEST(NormalizeNameTest, IntoAStringAgreesAndKeepsItOnFailure) {
  std::string out = "previous.name.with.a.long.buffer.";
  for (const char* name : {"Example.ORG", "a\\.b.c", ".", "\\000\\255.x"}) {
    ASSERT_TRUE(NormalizeName(name, &out).ok()) << name;
    EXPECT_EQ(out, Normalized(name));
  }
  const std::string before = out;
  EXPECT_FALSE(NormalizeName("a..b", &out).ok());
  EXPECT_EQ(out, before);
  // An over-long label with a bad character after its 63rd octet: the
  // character is reported, as before the label's length.
  EXPECT_THAT(NormalizeName(std::string(70, 'a') + " b", &out).message(),
              HasSubstr("invalid character"));
}

// ---------------------------------------------------------------------------
// AppendWireName

TEST(AppendWireNameTest, Encodes) {
  EXPECT_EQ(Wire("www.example.org"),
            std::string("\x03www\x07" "example\x03org\x00", 17));
  EXPECT_EQ(Wire("www.example.org."), Wire("www.example.org"));
  EXPECT_EQ(Wire("."), std::string("\x00", 1));
}

TEST(AppendWireNameTest, KeepsCase) {
  // Queries carry the name as given (case randomisation is the caller's).
  EXPECT_EQ(Wire("WwW.Example"), std::string("\x03WwW\x07" "Example\x00", 13));
}

TEST(AppendWireNameTest, Escapes) {
  EXPECT_EQ(Wire("a\\.b.c"), std::string("\x03" "a.b\x01" "c\x00", 7));
  EXPECT_EQ(Wire("\\000"), std::string("\x01\x00\x00", 3));
  EXPECT_EQ(Wire("\\255\\032"), std::string("\x02\xff \x00", 4));
}

TEST(AppendWireNameTest, AppendsAndRestoresOnFailure) {
  std::string out = "prefix";
  ASSERT_TRUE(AppendWireName("a", &out).ok());
  EXPECT_EQ(out, std::string("prefix\x01" "a\x00", 9));
  const std::string before = out;
  EXPECT_FALSE(AppendWireName("ok.bad..name", &out).ok());
  EXPECT_EQ(out, before);
  EXPECT_FALSE(AppendWireName(std::string(64, 'x'), &out).ok());
  EXPECT_EQ(out, before);
}

TEST(AppendWireNameTest, AgreesWithLdns) {
  for (const char* name :
       {"example.org", "WWW.Example.org.", "a\\.b.c", "\\000.x", "_25._tcp.mx",
        ".", "a\\\\b", "\\255\\001"}) {
    ldns_rdf* rdf = nullptr;
    ASSERT_EQ(ldns_str2rdf_dname(&rdf, name), LDNS_STATUS_OK) << name;
    const std::string theirs(reinterpret_cast<const char*>(ldns_rdf_data(rdf)),
                             ldns_rdf_size(rdf));
    ldns_rdf_deep_free(rdf);
    EXPECT_EQ(Wire(name), theirs) << name;
  }
}

TEST(WriteWireNameTest, AgreesWithAppendWireName) {
  for (const char* name :
       {"example.org", "WWW.Example.org.", "a\\.b.c", ".", "\\255\\001"}) {
    uint8_t wire[kMaxNameWireLength];
    absl::StatusOr<size_t> length = WriteWireName(name, wire);
    ASSERT_TRUE(length.ok()) << name;
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(wire), *length),
              Wire(name));
  }
  // The longest name fills the buffer exactly.
  uint8_t wire[kMaxNameWireLength];
  const std::string longest = NameOf(4, 62) + "." + std::string(1, 'z');
  ASSERT_EQ(Wire(longest).size(), 4 * 63 + 2 + 1u);
  absl::StatusOr<size_t> length = WriteWireName(longest, wire);
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(*length, kMaxNameWireLength);
  EXPECT_FALSE(WriteWireName(NameOf(4, 62) + ".zz", wire).ok());
}

// ---------------------------------------------------------------------------
// AppendEscapedOctets

TEST(AppendEscapedOctetsTest, Flags) {
  std::string out;
  AppendEscapedOctets("A.b\\C d", /*lowercase=*/true, /*escape_dot=*/true,
                      &out);
  EXPECT_EQ(out, "a\\.b\\\\c\\032d");
  out.clear();
  AppendEscapedOctets("A.b", /*lowercase=*/false, /*escape_dot=*/false, &out);
  EXPECT_EQ(out, "A.b");
  out.clear();
  AppendEscapedOctets(std::string("\x00\x1f\x7f\x80\xff~!", 7), false, false,
                      &out);
  EXPECT_EQ(out, "\\000\\031\\127\\128\\255~!");
}

// ---------------------------------------------------------------------------
// ReadWireName / SkipWireName

// Reads the name at `offset`; returns the text or "ERROR: <message>" and
// leaves the new offset in `*end`.
std::string Read(const WireWriter& w, size_t offset, size_t* end = nullptr) {
  std::string out;
  size_t pos = offset;
  absl::Status s = ReadWireName(w.span(), &pos, &out);
  if (!s.ok()) return "ERROR: " + std::string(s.message());
  if (end != nullptr) *end = pos;
  return out;
}

bool Skip(const WireWriter& w, size_t offset, size_t* end) {
  size_t pos = offset;
  if (!SkipWireName(w.span(), &pos).ok()) return false;
  *end = pos;
  return true;
}

// A 12-octet stand-in header, so that offsets look like a message's.
WireWriter WithHeader() {
  WireWriter w;
  w.Header(0, 0, 0, 0, 0, 0);
  return w;
}

TEST(ReadWireNameTest, Plain) {
  WireWriter w = WithHeader();
  w.Name({"WWW", "Example", "org"}).U16(0xFFFF);
  size_t end = 0;
  EXPECT_EQ(Read(w, 12, &end), "www.example.org.");
  EXPECT_EQ(end, 12u + 17u);
}

TEST(ReadWireNameTest, Root) {
  WireWriter w = WithHeader();
  w.U8(0);
  size_t end = 0;
  EXPECT_EQ(Read(w, 12, &end), ".");
  EXPECT_EQ(end, 13u);
}

TEST(ReadWireNameTest, AppendsToOutput) {
  WireWriter w = WithHeader();
  w.Name({"a"});
  std::string out = "x ";
  size_t pos = 12;
  ASSERT_TRUE(ReadWireName(w.span(), &pos, &out).ok());
  EXPECT_EQ(out, "x a.");
}

TEST(ReadWireNameTest, SpecialOctetsAreEscaped) {
  WireWriter w = WithHeader();
  w.Name({std::string("a.b"), std::string("c\\d"), std::string("e f"),
          std::string("\x00\xff", 2), std::string("\"();@$")});
  EXPECT_EQ(Read(w, 12),
            "a\\.b.c\\\\d.e\\032f.\\000\\255.\"();@$.");
}

TEST(ReadWireNameTest, OutputIsNormalized) {
  // What ReadWireName produces is a fixed point of NormalizeName.
  WireWriter w = WithHeader();
  w.Name({"MiXeD", std::string("\x01.\\ ", 4), "Z"});
  const std::string text = Read(w, 12);
  EXPECT_EQ(Normalized(text), text);
}

TEST(ReadWireNameTest, MaxLabelLength) {
  WireWriter w = WithHeader();
  w.Name({std::string(63, 'q')});
  EXPECT_EQ(Read(w, 12), std::string(63, 'q') + ".");
}

TEST(ReadWireNameTest, CompressionPointerBack) {
  WireWriter w = WithHeader();
  w.Name({"example", "org"});      // 12..24
  const size_t www = w.size();     // 25
  w.U8(3).Bytes("www").Pointer(12);
  const size_t bare = w.size();    // 31
  w.Pointer(www);
  const size_t mail = w.size();    // 33
  w.U8(4).Bytes("mail").Pointer(www);
  size_t end = 0;
  EXPECT_EQ(Read(w, www, &end), "www.example.org.");
  EXPECT_EQ(end, www + 6) << "offset goes past the pointer, not its target";
  EXPECT_EQ(Read(w, bare, &end), "www.example.org.");
  EXPECT_EQ(end, bare + 2);
  // A chain: mail -> www -> example.org.
  EXPECT_EQ(Read(w, mail, &end), "mail.www.example.org.");
  EXPECT_EQ(end, mail + 7);
}

TEST(ReadWireNameTest, PointerToRoot) {
  WireWriter w = WithHeader();
  w.U8(0);             // 12: root
  w.U8(1).Bytes("a").Pointer(12);
  EXPECT_EQ(Read(w, 13), "a.");
  w.Pointer(12);       // 17: just the root, through a pointer
  EXPECT_EQ(Read(w, 17), ".");
}

TEST(ReadWireNameTest, LongPointerChain) {
  // Every pointer goes further back: 200 hops, then the labels.
  WireWriter w = WithHeader();
  w.Name({"end"});
  size_t previous = 12;
  for (int i = 0; i < 200; ++i) {
    const size_t here = w.size();
    w.Pointer(static_cast<uint16_t>(previous));
    previous = here;
  }
  size_t end = 0;
  EXPECT_EQ(Read(w, previous, &end), "end.");
  EXPECT_EQ(end, previous + 2);
}

TEST(ReadWireNameTest, ForwardPointerRejected) {
  WireWriter w = WithHeader();
  w.Pointer(14);        // 12 -> 14, forward
  w.Name({"later"});    // 14
  EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));
}

TEST(ReadWireNameTest, SelfPointerRejected) {
  WireWriter w = WithHeader();
  w.Pointer(12);
  EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));
  WireWriter w2 = WithHeader();
  w2.U8(1).Bytes("a").Pointer(12);  // back to the start of its own name
  EXPECT_THAT(Read(w2, 12), HasSubstr("ERROR"));
  WireWriter w3 = WithHeader();
  w3.U8(1).Bytes("a").Pointer(14);  // to itself
  EXPECT_THAT(Read(w3, 12), HasSubstr("ERROR"));
}

TEST(ReadWireNameTest, LoopThroughTwoPointersRejected) {
  WireWriter w = WithHeader();
  w.U8(1).Bytes("a").Pointer(16);  // 12: a, then -> 16
  w.Pointer(12);                   // 16: -> 12
  EXPECT_THAT(Read(w, 16), HasSubstr("ERROR"));
  EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));
}

TEST(ReadWireNameTest, PointerMustGoBackFurtherEachHop) {
  // 20 -> 12 is fine, but the name at 12 then jumps forward to 16: a
  // pointer reached through another one may not point forward either, even
  // though 16 is still before the name being read.
  WireWriter w = WithHeader();
  w.U8(1).Bytes("a").Pointer(16);  // 12
  w.U8(1).Bytes("b").U8(0);        // 16: b.
  w.Bytes(std::string(1, 'x'));    // 19: filler
  w.Pointer(12);                   // 20
  EXPECT_THAT(Read(w, 20), HasSubstr("ERROR"));
}

TEST(ReadWireNameTest, Truncated) {
  {
    WireWriter w = WithHeader();
    EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));  // offset at the end
    EXPECT_THAT(Read(w, 100), HasSubstr("ERROR"));
  }
  {
    WireWriter w = WithHeader();
    w.U8(5).Bytes("abc");  // label past the end
    EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));
  }
  {
    WireWriter w = WithHeader();
    w.U8(3).Bytes("abc");  // no root octet
    EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));
  }
  {
    WireWriter w = WithHeader();
    w.U8(0xC0);  // half a pointer
    EXPECT_THAT(Read(w, 12), HasSubstr("ERROR"));
  }
  {
    WireWriter w;
    EXPECT_THAT(Read(w, 0), HasSubstr("ERROR"));  // empty packet
  }
}

TEST(ReadWireNameTest, ReservedLabelTypesRejected) {
  for (uint8_t type : {0x40, 0x80, 0x41, 0xBF}) {
    WireWriter w = WithHeader();
    w.U8(type).Bytes(std::string(70, 'a')).U8(0);
    EXPECT_THAT(Read(w, 12), HasSubstr("ERROR")) << int{type};
    size_t end;
    EXPECT_FALSE(Skip(w, 12, &end)) << int{type};
  }
}

TEST(ReadWireNameTest, WireLengthLimitWithoutPointers) {
  WireWriter ok = WithHeader();
  ok.Name({std::string(63, 'a'), std::string(63, 'b'), std::string(63, 'c'),
           std::string(61, 'd')});
  EXPECT_EQ(Read(ok, 12).size(), 254u);  // 255 wire octets
  WireWriter over = WithHeader();
  over.Name({std::string(63, 'a'), std::string(63, 'b'),
             std::string(63, 'c'), std::string(62, 'd')});
  EXPECT_THAT(Read(over, 12), HasSubstr("ERROR"));
}

TEST(ReadWireNameTest, WireLengthLimitAcrossPointers) {
  // Base: 3 x 63 = 193 octets with its root. A prefix of 62 octets (label
  // of 61) makes 255; a label of 62 makes 256.
  WireWriter w = WithHeader();
  w.Name({std::string(63, 'a'), std::string(63, 'b'), std::string(63, 'c')});
  const size_t ok_at = w.size();
  w.U8(61).Bytes(std::string(61, 'd')).Pointer(12);
  const size_t over_at = w.size();
  w.U8(62).Bytes(std::string(62, 'e')).Pointer(12);
  EXPECT_EQ(Read(w, ok_at).size(), 254u);
  EXPECT_THAT(Read(w, over_at), HasSubstr("255"));
  // The same overflow spread over two pointer hops.
  const size_t mid = w.size();
  w.U8(30).Bytes(std::string(30, 'f')).Pointer(12);  // 224 octets
  const size_t top = w.size();
  w.U8(31).Bytes(std::string(31, 'g')).Pointer(static_cast<uint16_t>(mid));
  const size_t top_ok = w.size();
  w.U8(30).Bytes(std::string(30, 'h')).Pointer(static_cast<uint16_t>(mid));
  EXPECT_THAT(Read(w, top), HasSubstr("ERROR"));  // 224 + 32 = 256
  EXPECT_EQ(Read(w, top_ok).size(), 254u);        // 224 + 31 = 255
}

// After the header: "Example.ORG", "wWw" and a pointer to it, and a name
// of octets that need escapes and a pointer to "wWw": their offsets.
std::vector<size_t> CompressedNames(WireWriter* w) {
  w->Name({"Example", "ORG"});
  const size_t www = w->size();
  w->U8(3).Bytes("wWw").Pointer(12);
  const size_t deep = w->size();
  w->U8(2).Bytes("x\x01").U8(1).Bytes(".").Pointer(static_cast<uint16_t>(www));
  return {12, www, deep};
}

TEST(ReadWireNameTest, AgreesWithLdnsOnCompressedNames) {
  WireWriter w = WithHeader();
  for (size_t at : CompressedNames(&w)) {
    std::string ours;
    size_t pos = at;
    ASSERT_TRUE(ReadWireName(w.span(), &pos, &ours).ok());
    ldns_rdf* rdf = nullptr;
    size_t ldns_pos = at;
    ASSERT_EQ(ldns_wire2dname(&rdf, w.span().data(), w.size(), &ldns_pos),
              LDNS_STATUS_OK);
    EXPECT_EQ(pos, ldns_pos) << at;
    // Same name on the wire, ignoring case.
    ldns_dname2canonical(rdf);
    const std::string theirs(reinterpret_cast<const char*>(ldns_rdf_data(rdf)),
                             ldns_rdf_size(rdf));
    ldns_rdf_deep_free(rdf);
    EXPECT_EQ(Wire(ours), theirs) << ours;
  }
}

// CheckWireName accepts and rejects exactly what ReadWireName does, and
// moves the offset the same way.
TEST(CheckWireNameTest, AgreesWithReadWireName) {
  WireWriter w = WithHeader();
  std::vector<size_t> starts = CompressedNames(&w);
  starts.push_back(w.size());
  w.Pointer(0x3FFF);  // forward
  starts.push_back(w.size());
  w.U8(5).Bytes("ab");  // cut short
  starts.push_back(0);  // a header is no name
  starts.push_back(w.size());
  for (size_t at : starts) {
    size_t read_end = at, check_end = at;
    std::string text;
    const bool read = ReadWireName(w.span(), &read_end, &text).ok();
    EXPECT_EQ(CheckWireName(w.span(), &check_end).ok(), read) << at;
    EXPECT_EQ(check_end, read_end) << at;
  }
}

TEST(SkipWireNameTest, Plain) {
  WireWriter w = WithHeader();
  w.Name({"www", "example"}).U16(1);
  size_t end = 0;
  ASSERT_TRUE(Skip(w, 12, &end));
  EXPECT_EQ(end, 12u + 13u);
}

TEST(SkipWireNameTest, StopsAfterFirstPointer) {
  WireWriter w = WithHeader();
  w.Name({"example"});
  const size_t at = w.size();
  w.U8(1).Bytes("a").Pointer(12).U16(0xFFFF);
  size_t end = 0;
  ASSERT_TRUE(Skip(w, at, &end));
  EXPECT_EQ(end, at + 4);
  // The target is not visited: even a forward pointer is skipped.
  WireWriter f = WithHeader();
  f.Pointer(0x3FFF);
  ASSERT_TRUE(Skip(f, 12, &end));
  EXPECT_EQ(end, 14u);
}

TEST(SkipWireNameTest, Truncated) {
  size_t end;
  WireWriter a = WithHeader();
  a.U8(3).Bytes("ab");
  EXPECT_FALSE(Skip(a, 12, &end));
  WireWriter b = WithHeader();
  b.U8(3).Bytes("abc");
  EXPECT_FALSE(Skip(b, 12, &end));
  WireWriter c = WithHeader();
  c.U8(1).Bytes("a").U8(0xC0);
  EXPECT_FALSE(Skip(c, 12, &end));
  EXPECT_FALSE(Skip(c, 99, &end));
}

TEST(SkipWireNameTest, AgreesWithReadWireName) {
  WireWriter w = WithHeader();
  w.Name({"example", "org"});
  const size_t a = w.size();
  w.U8(3).Bytes("www").Pointer(12);
  const size_t b = w.size();
  w.Pointer(static_cast<uint16_t>(a));
  for (size_t at : {size_t{12}, a, b}) {
    size_t read_end = 0, skip_end = 0;
    ASSERT_NE(Read(w, at, &read_end).rfind("ERROR", 0), 0u);
    ASSERT_TRUE(Skip(w, at, &skip_end));
    EXPECT_EQ(read_end, skip_end) << at;
  }
}

}  // namespace
}  // namespace mxscan::dns
