// A main() for the record fuzz targets built without libFuzzer (plain gcc
// under Bazel). Same command line as //tests/fuzz:fuzz_corpus_main.cc,
// with mutations suited to text records instead of DNS packets:
//
//   text_fuzz_main [--mutations=N] [--seed=S] [--dict=FILE] DIR...
//
// It runs LLVMFuzzerTestOneInput over every file of the corpus
// directories, then over N pseudo-random mutations of them, the same ones
// for the same seed. Mutations insert the grammar's delimiters and the
// tokens of a libFuzzer-format dictionary (the one run_fuzzer.sh hands to
// libFuzzer), splice inputs, and flip, drop and repeat bytes. Each input
// sits in a heap block of exactly its size, so a sanitizer build
// (--config=asan) catches reads past its end. On a crash the input is
// printed in hex and saved as crash-input in the test's undeclared outputs.

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
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

// Bytes that delimit or matter in the record grammars.
constexpr char kSyntaxBytes[] = ";=,: \t\r\n*.%@/?#[]!-_\"\\\x7f\x80\xc3\xff";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(d)) {
      if (entry->d_name[0] != '.') files.push_back(dir + "/" + entry->d_name);
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

// Reads the quoted tokens of a libFuzzer dictionary: one per line, as
// "text" or name="text", with \\, \" and \xNN escapes; "#" starts a comment.
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

void OnCrash(int signal_number) {
  static const char kDigits[] = "0123456789abcdef";
  static const char kHeader[] = "\n*** crash on this input (hex):\n";
  (void)!write(2, kHeader, sizeof(kHeader) - 1);
  for (size_t i = 0; i < g_input_size; ++i) {
    const char hex[2] = {kDigits[g_input[i] >> 4], kDigits[g_input[i] & 15]};
    (void)!write(2, hex, 2);
  }
  (void)!write(2, "\n", 1);
  if (g_crash_file[0] != '\0') {
    const int fd = open(g_crash_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, g_input, g_input_size);
      close(fd);
    }
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void Run(const std::string& input) {
  std::unique_ptr<uint8_t[]> exact(new uint8_t[input.size()]);
  std::memcpy(exact.get(), input.data(), input.size());
  g_input = exact.get();
  g_input_size = input.size();
  LLVMFuzzerTestOneInput(exact.get(), input.size());
  g_input = nullptr;
  g_input_size = 0;
}

class Mutator {
 public:
  Mutator(unsigned long seed, const std::vector<std::string>* corpus,
          const std::vector<std::string>* dictionary)
      : rng_(static_cast<std::mt19937_64::result_type>(seed)),
        corpus_(corpus),
        dictionary_(dictionary) {}

  std::string Next() {
    std::string s = (*corpus_)[Below(corpus_->size())];
    const size_t rounds = 1 + Below(5);
    for (size_t r = 0; r < rounds; ++r) MutateOnce(&s);
    return s;
  }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  std::string Token() {
    if (!dictionary_->empty() && Below(3) != 0) {
      return (*dictionary_)[Below(dictionary_->size())];
    }
    return std::string(1, kSyntaxBytes[Below(sizeof(kSyntaxBytes) - 1)]);
  }

  void MutateOnce(std::string* s) {
    switch (Below(9)) {
      case 0:  // insert a token or delimiter
        s->insert(Below(s->size() + 1), Token());
        break;
      case 1:  // overwrite a byte with a delimiter
        if (!s->empty()) {
          (*s)[Below(s->size())] =
              kSyntaxBytes[Below(sizeof(kSyntaxBytes) - 1)];
        }
        break;
      case 2:  // any byte
        if (!s->empty()) (*s)[Below(s->size())] = static_cast<char>(Below(256));
        break;
      case 3:  // flip a bit
        if (!s->empty())
          (*s)[Below(s->size())] ^= static_cast<char>(1 << Below(8));
        break;
      case 4:  // drop a run
        if (!s->empty()) {
          const size_t at = Below(s->size());
          s->erase(at, 1 + Below(std::min<size_t>(16, s->size() - at)));
        }
        break;
      case 5:  // repeat a run (duplicate fields, long values)
        if (!s->empty()) {
          const size_t at = Below(s->size());
          const std::string run = s->substr(at, 1 + Below(32));
          const size_t times = 1 + Below(Below(4) == 0 ? 200 : 3);
          std::string repeated;
          for (size_t i = 0; i < times; ++i) repeated += run;
          s->insert(at, repeated);
        }
        break;
      case 6:  // splice with another input
      {
        const std::string& other = (*corpus_)[Below(corpus_->size())];
        *s = s->substr(0, Below(s->size() + 1)) +
             other.substr(Below(other.size() + 1));
      } break;
      case 7:  // truncate
        s->resize(Below(s->size() + 1));
        break;
      default:  // swap case of a letter (names and values are case-sensitive)
        if (!s->empty()) {
          char& c = (*s)[Below(s->size())];
          if (std::isalpha(static_cast<unsigned char>(c))) c ^= 0x20;
        }
        break;
    }
  }

  std::mt19937_64 rng_;
  const std::vector<std::string>* corpus_;
  const std::vector<std::string>* dictionary_;
};

}  // namespace

int main(int argc, char** argv) {
  long mutations = 20000;
  unsigned long seed = 1;
  std::vector<std::string> dirs;
  std::vector<std::string> dictionary;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtol(arg.c_str() + 12, nullptr, 10);
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = std::strtoul(arg.c_str() + 7, nullptr, 10);
    } else if (arg.rfind("--dict=", 0) == 0) {
      dictionary = ReadDictionary(arg.substr(7));
      if (dictionary.empty()) {
        std::fprintf(stderr, "no tokens in %s\n", arg.c_str() + 7);
        return 1;
      }
    } else {
      dirs.push_back(arg);
    }
  }
  if (const char* out = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::snprintf(g_crash_file, sizeof(g_crash_file), "%s/crash-input", out);
  }
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) signal(s, OnCrash);

  std::vector<std::string> corpus;
  for (const std::string& dir : dirs) {
    for (const std::string& file : FilesIn(dir)) {
      corpus.push_back(ReadFile(file));
      Run(corpus.back());
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files in the directories given\n");
    return 1;
  }
  Mutator mutator(seed, &corpus, &dictionary);
  for (long i = 0; i < mutations; ++i) Run(mutator.Next());
  std::printf(
      "ran %zu corpus files, %zu dictionary tokens, %ld mutations "
      "(seed %lu)\n",
      corpus.size(), dictionary.size(), mutations, seed);
  return 0;
}
