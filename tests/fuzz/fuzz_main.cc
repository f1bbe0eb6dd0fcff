// The main() of every fuzz target built without libFuzzer (gcc under Bazel,
// plain or --config=asan): the <name>_fuzzer_corpus_test targets declared
// by mxscan_fuzzer() in fuzzer.bzl.
//
//   fuzz_main [--mutations=N] [--seed=S] [--dict=FILE] [--mutator=KIND]
//             [--header=H] PATH...
//
// Runs LLVMFuzzerTestOneInput over every file of the PATHs (a directory
// means its files, sorted), then over N pseudo-random mutations of them,
// the same ones for the same seed. A mutation chains one to four edits:
// every KIND flips, overwrites, drops, repeats and inserts bytes, splices
// two inputs, cuts, and inserts tokens of the libFuzzer-format dictionary;
// each KIND adds edits of its own format:
//   packet  DNS messages: counts, lengths, compression pointers;
//   der     DER: tag bytes, short, long and indefinite length forms;
//   text    tag-value records: delimiters, a letter's case;
//   lines   line protocols (SMTP): reply-code digits, the '-'/' '
//           continuation mark, CRLF <-> LF, repeated lines, long runs.
// The first H bytes of an input are control bytes of the target (how to
// split or replay the rest): edits keep to the bytes after them, and one
// edit rewrites them.
//
// Each input is copied into a heap block of exactly its size, so that a
// sanitizer build sees any read past its end. On a crash (a signal, or a
// sanitizer report under --config=asan) the input is printed in hex with
// the corpus file it came from and, under Bazel, saved as crash-input in
// the test's undeclared outputs (bazel-testlogs/.../test.outputs/), ready
// to become corpus/<name>/regression-<what>. Give that file as the only
// PATH (with --mutations=0) to reproduce.

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

// Set when the sanitizer runtime is linked in (--config=asan): it then
// reports crashes itself, and calls the death callback before exiting.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

namespace {

enum class Kind { kPacket, kDer, kText, kLines };

struct Input {
  std::string name;  // the corpus file, or "" for a mutation
  std::string bytes;
};

// ---- reading the corpus and the dictionary ----

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// The files of `path`: itself, or a directory's files sorted by name
// (readdir's order is not stable).
std::vector<std::string> FilesAt(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return {};
  if (!S_ISDIR(st.st_mode)) return {path};
  std::vector<std::string> files;
  if (DIR* d = opendir(path.c_str())) {
    while (const dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') files.push_back(path + "/" + e->d_name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ReadDictionary reads libFuzzer's format: one `[name=]"token"` a line,
// with \\, \" and \xHH escapes; '#' lines are comments.
std::vector<std::string> ReadDictionary(const std::string& path) {
  std::vector<std::string> tokens;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t open = line.find('"');
    const size_t close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos ||
        close <= open) {
      continue;
    }
    std::string token;
    for (size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        token.push_back(line[i]);
      } else if (line[i + 1] == 'x' && i + 3 < close &&
                 HexValue(line[i + 2]) >= 0 && HexValue(line[i + 3]) >= 0) {
        token.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 +
                                          HexValue(line[i + 3])));
        i += 3;
      } else {
        token.push_back(line[++i]);
      }
    }
    if (!token.empty()) tokens.push_back(token);
  }
  return tokens;
}

// ---- running one input, and reporting a crash ----

// The input being run, for the crash report (async-signal-safe calls only
// there).
const uint8_t* g_input = nullptr;
size_t g_input_size = 0;
const char* g_input_name = "";
char g_crash_path[4096] = "";

void WriteString(const char* s) { (void)!write(2, s, std::strlen(s)); }

void ReportCrash() {
  static const char kHex[] = "0123456789abcdef";
  if (g_input == nullptr && g_input_size == 0) return;
  WriteString("\n*** crash on this input");
  if (g_input_name[0] != '\0') {
    WriteString(" (corpus file ");
    WriteString(g_input_name);
    WriteString(")");
  }
  WriteString(", hex:\n");
  for (size_t i = 0; i < g_input_size; ++i) {
    const char pair[2] = {kHex[g_input[i] >> 4], kHex[g_input[i] & 15]};
    (void)!write(2, pair, 2);
  }
  WriteString("\n");
  if (g_crash_path[0] != '\0') {
    const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, g_input, g_input_size);
      close(fd);
      WriteString("*** saved as crash-input in the test's outputs "
                  "(test.outputs/ beside its test.log)\n");
    }
  }
}

void OnFatalSignal(int signal_number) {
  ReportCrash();
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void InstallCrashReport() {
  if (const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::snprintf(g_crash_path, sizeof(g_crash_path), "%s/crash-input", dir);
  }
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    signal(s, OnFatalSignal);
  }
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(ReportCrash);
  }
}

void Run(const Input& input) {
  // Exactly bytes.size() bytes, so that reads past the end are caught.
  std::unique_ptr<uint8_t[]> block(new uint8_t[input.bytes.size()]);
  std::memcpy(block.get(), input.bytes.data(), input.bytes.size());
  g_input = block.get();
  g_input_size = input.bytes.size();
  g_input_name = input.name.c_str();
  LLVMFuzzerTestOneInput(block.get(), input.bytes.size());
  g_input = nullptr;
  g_input_size = 0;
  g_input_name = "";
}

// ---- mutations ----

// Bytes that delimit or matter in the text grammars (SPF, DMARC, MTA-STS,
// TLS-RPT, BIMI, DKIM, HTTP, CSV, URIs), and a few non-ASCII ones.
constexpr char kTextBytes[] =
    ";=,:!%@ \t\r\n.-_+~?/\\\"'#[]{}*<>\x00\x7f\x80\xc3\xef\xff";
// Values that tend to matter in DNS messages: counts, lengths, pointers.
constexpr uint8_t kPacketBytes[] = {0x00, 0x01, 0x02, 0x03, 0x0C, 0x10,
                                    0x29, 0x3F, 0x40, 0x7F, 0x80, 0xBF,
                                    0xC0, 0xC1, 0xFE, 0xFF};
constexpr uint16_t kPacketWords[] = {0,  1,  2,   5,   6,      12,
                                     15, 16, 28,  41,  255,    256,
                                     0x7FFF, 0x8000, 0xC00C, 0xFFFF};
// Tags, lengths and flag values that steer a DER parser.
constexpr uint8_t kDerBytes[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                 0x0C, 0x13, 0x16, 0x17, 0x18, 0x1E, 0x30,
                                 0x31, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84,
                                 0x88, 0xA0, 0xA3, 0xFF};

class Mutator {
 public:
  Mutator(uint64_t seed, Kind kind, size_t header,
          const std::vector<Input>& corpus,
          const std::vector<std::string>& dictionary)
      : rng_(seed),
        kind_(kind),
        header_(header),
        corpus_(corpus),
        dictionary_(dictionary) {}

  std::string Next() {
    std::string s = corpus_[Below(corpus_.size())].bytes;
    for (size_t edits = 1 + Below(4); edits > 0; --edits) Edit(&s);
    return s;
  }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }
  bool OneIn(size_t n) { return Below(n) == 0; }

  // Where the body starts: after the control bytes.
  size_t Body(const std::string& s) const { return std::min(header_, s.size()); }
  // A position in the body, end included (for inserts and cuts).
  size_t Position(const std::string& s) {
    return Body(s) + Below(s.size() - Body(s) + 1);
  }
  // A position of a body byte; false when there is none.
  bool ByteAt(const std::string& s, size_t* at) {
    if (s.size() <= Body(s)) return false;
    *at = Body(s) + Below(s.size() - Body(s));
    return true;
  }

  char FormatByte() {
    switch (kind_) {
      case Kind::kPacket:
        return static_cast<char>(kPacketBytes[Below(sizeof(kPacketBytes))]);
      case Kind::kDer:
        return static_cast<char>(kDerBytes[Below(sizeof(kDerBytes))]);
      default:
        return kTextBytes[Below(sizeof(kTextBytes) - 1)];
    }
  }

  void Edit(std::string* s) {
    size_t at = 0;
    switch (Below(14)) {
      case 0:  // a dictionary token (or a format byte without one)
        if (!dictionary_.empty() && !OneIn(4)) {
          s->insert(Position(*s), dictionary_[Below(dictionary_.size())]);
        } else {
          s->insert(Position(*s), 1, FormatByte());
        }
        return;
      case 1:  // a format byte over one of ours
        if (ByteAt(*s, &at)) (*s)[at] = FormatByte();
        return;
      case 2:  // any byte
        if (ByteAt(*s, &at)) (*s)[at] = static_cast<char>(Below(256));
        return;
      case 3:  // a bit, control bytes included
        if (!s->empty()) (*s)[Below(s->size())] ^= static_cast<char>(1 << Below(8));
        return;
      case 4:  // drop a run
        if (ByteAt(*s, &at)) {
          s->erase(at, 1 + Below(std::min<size_t>(32, s->size() - at)));
        }
        return;
      case 5:  // repeat a run: many fields, long values, repeated records
        if (ByteAt(*s, &at)) {
          const std::string run = s->substr(at, 1 + Below(32));
          const size_t times = 1 + Below(OneIn(6) ? 200 : 3);
          std::string repeated;
          for (size_t i = 0; i < times; ++i) repeated += run;
          s->insert(at, repeated);
        }
        return;
      case 6: {  // splice: our front, another input's back
        const std::string& other = corpus_[Below(corpus_.size())].bytes;
        const size_t from = std::min(other.size(), Position(other));
        *s = s->substr(0, Position(*s)) + other.substr(from);
        return;
      }
      case 7:  // cut
        s->resize(Position(*s));
        return;
      case 8:  // random bytes
        s->insert(Position(*s), std::string(1 + Below(8),
                                            static_cast<char>(Below(256))));
        return;
      case 9:  // new control bytes
        for (size_t i = 0; i < Body(*s); ++i) {
          (*s)[i] = static_cast<char>(Below(256));
        }
        if (header_ == 0) FormatEdit(s);
        return;
      default:
        FormatEdit(s);
        return;
    }
  }

  void FormatEdit(std::string* s) {
    switch (kind_) {
      case Kind::kPacket: return PacketEdit(s);
      case Kind::kDer: return DerEdit(s);
      case Kind::kText: return TextEdit(s);
      case Kind::kLines: return LineEdit(s);
    }
  }

  void PacketEdit(std::string* s) {
    if (s->size() < Body(*s) + 2) return;
    const size_t at = Body(*s) + Below(s->size() - Body(*s) - 1);
    if (OneIn(2)) {  // a 16-bit field: counts, RDLENGTH, pointers
      const uint16_t v = kPacketWords[Below(std::size(kPacketWords))];
      (*s)[at] = static_cast<char>(v >> 8);
      (*s)[at + 1] = static_cast<char>(v & 0xFF);
    } else {  // a compression pointer to an earlier offset (or just after)
      const size_t target = Below(at + 4);
      (*s)[at] = static_cast<char>(0xC0 | ((target >> 8) & 0x3F));
      (*s)[at + 1] = static_cast<char>(target & 0xFF);
    }
  }

  void DerEdit(std::string* s) {  // a length: short, long or indefinite form
    if (s->size() < Body(*s) + 4) return;
    const size_t at = Body(*s) + 1 + Below(s->size() - Body(*s) - 3);
    const uint8_t forms[] = {static_cast<uint8_t>(Below(128)), 0x81, 0x82,
                             0x80};
    (*s)[at] = static_cast<char>(forms[Below(4)]);
    if (static_cast<uint8_t>((*s)[at]) >= 0x81) {
      (*s)[at + 1] = static_cast<char>(Below(256));
    }
  }

  void TextEdit(std::string* s) {  // a letter's case
    size_t at = 0;
    if (ByteAt(*s, &at) && (((*s)[at] | 0x20) >= 'a' && ((*s)[at] | 0x20) <= 'z')) {
      (*s)[at] ^= 0x20;
    }
  }

  void LineEdit(std::string* s) {
    switch (Below(5)) {
      case 0: {  // a reply-code digit
        std::vector<size_t> digits;
        for (size_t i = Body(*s); i < s->size(); ++i) {
          if ((*s)[i] >= '0' && (*s)[i] <= '9') digits.push_back(i);
        }
        if (!digits.empty()) {
          (*s)[digits[Below(digits.size())]] = static_cast<char>('0' + Below(10));
        }
        return;
      }
      case 1: {  // '-' <-> ' ' after a code: end a reply early or late
        std::vector<size_t> marks;
        for (size_t i = Body(*s) + 1; i < s->size(); ++i) {
          if (((*s)[i] == '-' || (*s)[i] == ' ') && (*s)[i - 1] >= '0' &&
              (*s)[i - 1] <= '9') {
            marks.push_back(i);
          }
        }
        if (!marks.empty()) {
          char& c = (*s)[marks[Below(marks.size())]];
          c = c == '-' ? ' ' : '-';
        }
        return;
      }
      case 2: {  // CRLF <-> LF
        const size_t at = s->find(OneIn(2) ? "\r\n" : "\n", Position(*s));
        if (at == std::string::npos) return;
        if ((*s)[at] == '\r') {
          s->erase(at, 1);
        } else {
          s->insert(at, "\r");
        }
        return;
      }
      case 3: {  // repeat a line
        const size_t start = Position(*s);
        const size_t end = s->find('\n', start);
        if (end == std::string::npos) return;
        const std::string line = s->substr(start, end + 1 - start);
        const size_t times = 1 + Below(OneIn(8) ? 200 : 3);
        for (size_t i = 0; i < times && s->size() < (1 << 20); ++i) {
          s->insert(end + 1, line);
        }
        return;
      }
      default:  // a long run of one byte
        s->insert(Position(*s), std::string(1 + Below(4000), OneIn(2) ? 'A' : '\n'));
        return;
    }
  }

  std::mt19937_64 rng_;
  const Kind kind_;
  const size_t header_;
  const std::vector<Input>& corpus_;
  const std::vector<std::string>& dictionary_;
};

bool Flag(const std::string& arg, const char* name, std::string* value) {
  const std::string prefix = std::string("--") + name + "=";
  if (arg.compare(0, prefix.size(), prefix) != 0) return false;
  *value = arg.substr(prefix.size());
  return true;
}

bool ParseKind(const std::string& text, Kind* kind) {
  if (text == "packet") *kind = Kind::kPacket;
  else if (text == "der") *kind = Kind::kDer;
  else if (text == "text") *kind = Kind::kText;
  else if (text == "lines") *kind = Kind::kLines;
  else return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 20000;
  uint64_t seed = 1;
  Kind kind = Kind::kText;
  size_t header = 0;
  std::vector<std::string> dictionary;
  std::vector<Input> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    if (Flag(arg, "mutations", &value)) {
      mutations = std::strtol(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "seed", &value)) {
      seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "header", &value)) {
      header = std::strtoul(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "mutator", &value)) {
      if (!ParseKind(value, &kind)) {
        std::fprintf(stderr, "--mutator: packet, der, text or lines\n");
        return 2;
      }
    } else if (Flag(arg, "dict", &value)) {
      dictionary = ReadDictionary(value);
      if (dictionary.empty()) {
        std::fprintf(stderr, "no tokens in %s\n", value.c_str());
        return 1;
      }
    } else if (arg.rfind("--", 0) == 0) {
      std::fprintf(stderr, "unknown flag %s\n", arg.c_str());
      return 2;
    } else {
      for (const std::string& file : FilesAt(arg)) {
        corpus.push_back({file, ReadFile(file)});
      }
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files in the paths given\n");
    return 1;
  }
  InstallCrashReport();
  for (const Input& input : corpus) Run(input);
  Mutator mutator(seed, kind, header, corpus, dictionary);
  for (long i = 0; i < mutations; ++i) Run({"", mutator.Next()});
  std::printf(
      "ran %zu corpus files and %ld mutations (seed %llu, %zu dictionary "
      "tokens): no crash\n",
      corpus.size(), mutations, static_cast<unsigned long long>(seed),
      dictionary.size());
  return 0;
}
