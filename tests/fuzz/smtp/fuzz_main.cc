// A main() that runs the SMTP session fuzz target without libFuzzer, so
// that it builds with plain gcc under Bazel and runs on every `bazel test`.
// Same command line as the other corpus drivers under tests/fuzz:
//
//   fuzz_main [--mutations=N] [--seed=S] [--dict=FILE] DIR...
//
// It runs LLVMFuzzerTestOneInput over every file of the DIRs, then over N
// deterministic pseudo-random mutations of them (same seed, same inputs).
// The mutations suit a line protocol: dictionary tokens (reply codes, line
// endings, keywords), reply-code digits, the '-'/' ' continuation mark,
// line endings, repeated lines, splices, cuts, and the two control bytes
// at the front of each input (see smtp_session_fuzzer.cc). Each input sits
// in a heap block of its exact size so that a sanitizer build
// (--config=asan) sees reads past its end. On a crash the input is printed
// in hex and, under Bazel, saved as crash-input in the test's undeclared
// outputs, ready to become corpus/regression-<what>.

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
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

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') files.push_back(dir + "/" + e->d_name);
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

// The input being run, for the crash handler.
const uint8_t* g_input = nullptr;
size_t g_input_size = 0;
char g_crash_file[4096] = "";

void OnFatalSignal(int signal_number) {
  static const char kHex[] = "0123456789abcdef";
  static const char kHeader[] = "\n*** crash on this input (hex):\n";
  (void)!write(2, kHeader, sizeof(kHeader) - 1);
  for (size_t i = 0; i < g_input_size; ++i) {
    const char hex[2] = {kHex[g_input[i] >> 4], kHex[g_input[i] & 15]};
    (void)!write(2, hex, 2);
  }
  (void)!write(2, "\n", 1);
  if (g_crash_file[0] != '\0') {
    const int fd = open(g_crash_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, g_input, g_input_size);
      close(fd);
      static const char kSaved[] = "*** saved as crash-input\n";
      (void)!write(2, kSaved, sizeof(kSaved) - 1);
    }
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void Run(const std::string& input) {
  // Exactly input.size() bytes, so that reads past the end are caught.
  std::unique_ptr<uint8_t[]> block(new uint8_t[input.size() + 1]);
  std::memcpy(block.get(), input.data(), input.size());
  g_input = block.get();
  g_input_size = input.size();
  LLVMFuzzerTestOneInput(input.empty() ? nullptr : block.get(), input.size());
  g_input = nullptr;
  g_input_size = 0;
}

class Mutator {
 public:
  Mutator(unsigned long seed, std::vector<std::string> dictionary,
          const std::vector<std::string>* corpus)
      : rng_(static_cast<std::mt19937::result_type>(seed)),
        dictionary_(std::move(dictionary)),
        corpus_(corpus) {}

  std::string Mutate(std::string s) {
    const size_t edits = 1 + Below(4);
    for (size_t i = 0; i < edits; ++i) Edit(&s);
    return s;
  }

  const std::string& Pick() { return (*corpus_)[Below(corpus_->size())]; }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  // Where text starts: after the two control bytes.
  static size_t Body(const std::string& s) {
    return std::min<size_t>(2, s.size());
  }

  size_t BodyPosition(const std::string& s) {
    const size_t body = Body(s);
    return body + Below(s.size() - body + 1);
  }

  void Edit(std::string* s) {
    switch (Below(12)) {
      case 0:  // a dictionary token
        if (!dictionary_.empty()) {
          s->insert(BodyPosition(*s), dictionary_[Below(dictionary_.size())]);
        }
        break;
      case 1:  // a random byte
        if (s->size() > Body(*s)) {
          (*s)[Body(*s) + Below(s->size() - Body(*s))] =
              static_cast<char>(Below(256));
        }
        break;
      case 2:  // a bit flip anywhere, control bytes included
        if (!s->empty())
          (*s)[Below(s->size())] ^= static_cast<char>(1 << Below(8));
        break;
      case 3: {  // a reply-code digit
        std::vector<size_t> digits;
        for (size_t i = Body(*s); i < s->size(); ++i) {
          if ((*s)[i] >= '0' && (*s)[i] <= '9') digits.push_back(i);
        }
        if (!digits.empty()) {
          (*s)[digits[Below(digits.size())]] =
              static_cast<char>('0' + Below(10));
        }
        break;
      }
      case 4: {  // '-' <-> ' ' after a code: end a reply early or late
        std::vector<size_t> marks;
        for (size_t i = Body(*s) + 3; i < s->size(); ++i) {
          if (((*s)[i] == '-' || (*s)[i] == ' ') && (*s)[i - 1] >= '0' &&
              (*s)[i - 1] <= '9') {
            marks.push_back(i);
          }
        }
        if (!marks.empty()) {
          char& c = (*s)[marks[Below(marks.size())]];
          c = c == '-' ? ' ' : '-';
        }
        break;
      }
      case 5: {  // CRLF <-> LF
        const size_t at = s->find(Below(2) ? "\r\n" : "\n", BodyPosition(*s));
        if (at != std::string::npos) {
          if ((*s)[at] == '\r') {
            s->erase(at, 1);
          } else {
            s->insert(at, "\r");
          }
        }
        break;
      }
      case 6: {  // repeat a line
        const size_t start = BodyPosition(*s);
        const size_t end = s->find('\n', start);
        if (end != std::string::npos) {
          const size_t times = 1 + Below(Below(8) == 0 ? 200 : 3);
          const std::string line = s->substr(start, end + 1 - start);
          for (size_t i = 0; i < times && s->size() < (1 << 20); ++i) {
            s->insert(end + 1, line);
          }
        }
        break;
      }
      case 7:  // drop a run
        if (s->size() > Body(*s)) {
          const size_t at = Body(*s) + Below(s->size() - Body(*s));
          s->erase(at, 1 + Below(std::min<size_t>(32, s->size() - at)));
        }
        break;
      case 8: {  // splice: our front, another input's back
        const std::string& other = Pick();
        *s = s->substr(0, BodyPosition(*s)) +
             other.substr(std::min(other.size(), BodyPosition(other)));
        break;
      }
      case 9:  // cut
        s->resize(BodyPosition(*s));
        break;
      case 10:  // new control bytes
        if (s->size() >= 2) {
          (*s)[0] = static_cast<char>(Below(64));
          (*s)[1] = static_cast<char>(Below(256));
        }
        break;
      default:  // a long run of one byte
        s->insert(BodyPosition(*s),
                  std::string(1 + Below(4000), Below(2) ? 'A' : '\n'));
        break;
    }
  }

  std::mt19937 rng_;
  std::vector<std::string> dictionary_;
  const std::vector<std::string>* corpus_;
};

}  // namespace

int main(int argc, char** argv) {
  long mutations = 20000;
  unsigned long seed = 20240601;
  std::string dictionary_file;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtol(arg.c_str() + 12, nullptr, 10);
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = std::strtoul(arg.c_str() + 7, nullptr, 10);
    } else if (arg.rfind("--dict=", 0) == 0) {
      dictionary_file = arg.substr(7);
    } else {
      dirs.push_back(arg);
    }
  }
  if (const char* out = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::snprintf(g_crash_file, sizeof(g_crash_file), "%s/crash-input", out);
  }
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    signal(s, OnFatalSignal);
  }

  std::vector<std::string> corpus;
  for (const std::string& dir : dirs) {
    for (const std::string& file : FilesIn(dir)) {
      std::printf("corpus: %s\n", file.c_str());
      std::fflush(stdout);
      corpus.push_back(ReadFile(file));
      Run(corpus.back());
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files in the directories given\n");
    return 1;
  }
  std::vector<std::string> dictionary;
  if (!dictionary_file.empty()) {
    dictionary = ReadDictionary(dictionary_file);
    if (dictionary.empty()) {
      std::fprintf(stderr, "no tokens in %s\n", dictionary_file.c_str());
      return 1;
    }
  }
  Mutator mutator(seed, std::move(dictionary), &corpus);
  for (long i = 0; i < mutations; ++i) {
    Run(mutator.Mutate(mutator.Pick()));
  }
  std::printf("ran %zu corpus files and %ld mutations (seed %lu)\n",
              corpus.size(), mutations, seed);
  return 0;
}
