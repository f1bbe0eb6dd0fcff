// Writes the seed corpus of dns_response_fuzzer: real-looking responses
// built with ldns (to the fuzzer's fixed query: ID 0x1234, example.org MX)
// and malformed ones made by hand. The files are checked in under
// tests/fuzz/corpus/dns_response/; regenerate with
//
//   d=$PWD/tests/fuzz/corpus/dns_response
//   bazel run //tests/fuzz:make_dns_response_corpus -- "$d"
//
// Regression inputs found by fuzzing live in the same directory under
// names starting with "regression-"; this program leaves them alone.

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "tests/testing/dns_packet.h"

namespace {

using ::mxscan::testing::kResponseFlags;
using ::mxscan::testing::ResponseSpec;
using ::mxscan::testing::WireWriter;

constexpr uint16_t kMx = 15;

ResponseSpec Base() {
  ResponseSpec spec;
  spec.id = 0x1234;
  spec.qname = "example.org.";
  spec.qtype = kMx;
  return spec;
}

std::vector<std::pair<std::string, std::string>> Corpus() {
  std::vector<std::pair<std::string, std::string>> files;
  auto add = [&](const std::string& name, const std::string& bytes) {
    files.emplace_back(name, bytes);
  };

  {
    ResponseSpec s = Base();
    s.answers = {"example.org. 3600 IN MX 10 mx1.example.org.",
                 "example.org. 3600 IN MX 20 mx2.example.net."};
    s.authority = {"example.org. 86400 IN NS ns1.example.org."};
    s.additional = {"mx1.example.org. 3600 IN A 192.0.2.25",
                    "mx1.example.org. 3600 IN AAAA 2001:db8::25"};
    add("mx_noerror", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.qname = "EXample.ORG.";  // 0x20 case randomisation echoed back
    s.ad = true;
    s.edns_do = true;
    s.answers = {"example.org. 300 IN MX 0 ."};
    add("null_mx_mixed_case", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.answers = {"example.org. 60 IN CNAME a.example.net.",
                 "a.example.net. 60 IN CNAME b.example.com.",
                 "b.example.com. 60 IN MX 5 mx.b.example.com."};
    add("cname_chain", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.answers = {"example.org. 60 IN CNAME elsewhere.example.net."};
    add("cname_dangling", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.answers = {"example.org. 60 IN CNAME b.example.org.",
                 "b.example.org. 60 IN CNAME example.org."};
    add("cname_loop", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.rcode = 3;
    s.authority = {"org. 900 IN SOA a0.org-servers.org. noc.example.org. "
                   "2024010101 1800 900 604800 86400"};
    add("nxdomain_soa", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.answers = {
        "example.org. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 \" \"-all\"",
        "example.org. 300 IN TXT \"bin\\000\\255\\\\ \\\"q\\\"\" \"\"",
        "example.org. 300 IN A 192.0.2.1",
        "example.org. 300 IN AAAA 2001:db8::1",
        "example.org. 300 IN NS ns.example.org.",
        "example.org. 300 IN PTR host.example.org.",
        "example.org. 300 IN SOA ns.example.org. h\\.m.example.org. 1 2 3 4 5",
        "example.org. 300 IN SRV 10 60 25 mx.example.org.",
        "example.org. 300 IN TLSA 3 1 1 0123456789ABCDEF",
        "example.org. 300 IN CAA 0 issue \"ca.example.net; account=1\"",
        "example.org. 300 IN DS 12345 13 2 "
        "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE89B6F2F0A6E7E31F1A8B8F2D",
        "example.org. 300 IN TYPE65534 \\# 4 DEADBEEF",
        "example.org. 300 IN MX 10 mx.example.org."};
    add("all_types", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.edns_udp_size = 0;
    s.answers = {"example.org. 3600 IN MX 10 mx.example.org."};
    add("no_edns", s.Wire());
  }
  {
    ResponseSpec s = Base();
    s.edns_extended_rcode = 1;  // BADVERS
    add("badvers", s.Wire());
  }
  {
    // Two OPT records.
    ResponseSpec s = Base();
    std::string p = s.Wire();
    p[11] = 2;
    WireWriter opt;
    opt.U8(0).RecordHeader(41, 1232, 0, 0);
    add("two_opt", p + opt.str());
  }
  add("truncated_header", std::string("\x12\x34\x81\x80\x00", 5));
  {
    ResponseSpec s = Base();
    s.answers = {"example.org. 3600 IN MX 10 mx.example.org."};
    std::string p = s.Wire();
    p[6] = '\xFF';  // ANCOUNT 0xFF01
    add("count_overflow", p);
  }
  {
    WireWriter w;
    w.Header(0x1234, kResponseFlags, 1, 1, 0, 0);
    w.Name({"example", "org"}).U16(kMx).U16(1);
    w.Pointer(12).RecordHeader(kMx, 1, 60, 200).U16(10).Pointer(12);
    add("rdlength_past_end", w.str());
  }
  {
    WireWriter w;  // answer owner: pointer loop 29 -> 31 -> 29
    w.Header(0x1234, kResponseFlags, 1, 1, 0, 0);
    w.Name({"example", "org"}).U16(kMx).U16(1);
    w.Pointer(31).Pointer(29);
    w.RecordHeader(kMx, 1, 60, 3).U16(10).U8(0);
    add("pointer_loop", w.str());
  }
  {
    WireWriter w;  // MX exchange compressed forward
    w.Header(0x1234, kResponseFlags, 1, 1, 0, 0);
    w.Name({"example", "org"}).U16(kMx).U16(1);
    w.Pointer(12).RecordHeader(kMx, 1, 60, 4).U16(10).Pointer(50);
    w.Name({"later"});
    add("forward_pointer", w.str());
  }
  {
    // A 255-octet name spread over pointer hops, and one octet too long.
    // The names sit in the RDATA of an opaque record (TYPE65534) that the
    // MX records point into.
    constexpr size_t kRdata = 12 + 13 + 4 + 2 + 10;  // where it starts
    WireWriter names;
    const size_t base = kRdata + names.size();
    names.Name({std::string(63, 'a'), std::string(63, 'b'),
                std::string(63, 'c')});
    const size_t ok = kRdata + names.size();
    names.U8(61).Bytes(std::string(61, 'd')).Pointer(
        static_cast<uint16_t>(base));
    const size_t over = kRdata + names.size();
    names.U8(62).Bytes(std::string(62, 'e')).Pointer(
        static_cast<uint16_t>(base));
    WireWriter w;
    w.Header(0x1234, kResponseFlags, 1, 3, 0, 0);
    w.Name({"example", "org"}).U16(kMx).U16(1);
    w.Pointer(12).RecordHeader(65534, 1, 60,
                               static_cast<uint16_t>(names.size()));
    w.Bytes(names.str());
    w.Pointer(12).RecordHeader(kMx, 1, 60, 4).U16(1).Pointer(
        static_cast<uint16_t>(ok));
    w.Pointer(12).RecordHeader(kMx, 1, 60, 4).U16(2).Pointer(
        static_cast<uint16_t>(over));
    add("long_names", w.str());
  }
  {
    WireWriter w;
    w.Header(0x1234, kResponseFlags, 0, 1, 0, 0);
    w.Name({"example", "org"}).RecordHeader(kMx, 1, 60, 3).U16(0).U8(0);
    add("no_question", w.str());
  }
  add("empty", "");
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  for (const auto& [name, bytes] : Corpus()) {
    const std::string path = std::string(argv[1]) + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
      std::perror(path.c_str());
      return 1;
    }
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
  }
  return 0;
}
