// A main() that runs the SPF fuzz target without libFuzzer, so that it
// builds with plain gcc under Bazel and runs on every `bazel test`. Same
// command line as the other corpus drivers under tests/fuzz:
//
//   fuzz_main [--mutations=N] [--seed=S] [--dict=FILE] DIR...
//
// It runs LLVMFuzzerTestOneInput over every file of the DIRs, then over N
// deterministic pseudo-random mutations of them (same seed, same inputs).
// A mutation applies one to four edits chosen for a space-separated text
// grammar: insert a dictionary token or a syntax byte, overwrite or flip a
// byte, drop or repeat a run, splice two inputs, cut, or swap a letter's
// case. Each input lives in a heap block of its exact size so that a
// sanitizer build (--config=asan) sees reads past its end. On a crash the
// input is printed in hex and, under Bazel, saved as crash-input in the
// test's undeclared outputs.

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
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Bytes that separate or start something in SPF records and macros.
constexpr char kSyntaxBytes[] = " :/=%{}.-+~?_,@\t\r\n\\\"\x00\x7f\x80\xef\xff";
constexpr size_t kSyntaxCount = sizeof(kSyntaxBytes) - 1;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
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

// Reads a libFuzzer dictionary: one "token" (or name="token") per line,
// with \\, \" and \xNN escapes; lines starting with '#' are comments.
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
      if (line[i] == '\\' && i + 3 < close && line[i + 1] == 'x' &&
          std::isxdigit(static_cast<unsigned char>(line[i + 2])) &&
          std::isxdigit(static_cast<unsigned char>(line[i + 3]))) {
        token.push_back(
            static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16)));
        i += 3;
      } else if (line[i] == '\\' && i + 1 < close) {
        token.push_back(line[++i]);
      } else {
        token.push_back(line[i]);
      }
    }
    if (!token.empty()) tokens.push_back(token);
  }
  return tokens;
}

const uint8_t* g_input = nullptr;
size_t g_input_size = 0;
char g_crash_path[4096] = "";

// Async-signal-safe: write(2) only.
void OnCrash(int signal_number) {
  static const char kHex[] = "0123456789abcdef";
  static const char kHeader[] = "\n*** crash on this input (hex):\n";
  (void)!write(2, kHeader, sizeof(kHeader) - 1);
  for (size_t i = 0; i < g_input_size; ++i) {
    const char pair[2] = {kHex[g_input[i] >> 4], kHex[g_input[i] & 15]};
    (void)!write(2, pair, 2);
  }
  (void)!write(2, "\n", 1);
  if (g_crash_path[0] != '\0') {
    const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, g_input, g_input_size);
      close(fd);
    }
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void RunOne(const std::string& input) {
  std::unique_ptr<uint8_t[]> exact(new uint8_t[input.size()]);
  if (!input.empty()) std::memcpy(exact.get(), input.data(), input.size());
  g_input = exact.get();
  g_input_size = input.size();
  LLVMFuzzerTestOneInput(exact.get(), input.size());
  g_input = nullptr;
  g_input_size = 0;
}

class Mutator {
 public:
  Mutator(uint64_t seed, const std::vector<std::string>& corpus,
          const std::vector<std::string>& dictionary)
      : rng_(seed), corpus_(corpus), dictionary_(dictionary) {}

  std::string Next() {
    std::string s = corpus_[Below(corpus_.size())];
    for (size_t edits = 1 + Below(4); edits > 0; --edits) Edit(&s);
    return s;
  }

 private:
  size_t Below(size_t n) {
    if (n == 0) return 0;
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  char SyntaxByte() { return kSyntaxBytes[Below(kSyntaxCount)]; }

  std::string Token() {
    if (!dictionary_.empty() && Below(4) != 0) {
      return dictionary_[Below(dictionary_.size())];
    }
    return std::string(1, SyntaxByte());
  }

  void Edit(std::string* s) {
    const size_t at = Below(s->size() + 1);
    switch (Below(9)) {
      case 0:
        s->insert(at, Token());
        return;
      case 1:
        if (at < s->size()) (*s)[at] = SyntaxByte();
        return;
      case 2:
        if (at < s->size()) (*s)[at] = static_cast<char>(Below(256));
        return;
      case 3:
        if (at < s->size()) (*s)[at] ^= static_cast<char>(1u << Below(8));
        return;
      case 4:
        if (at < s->size()) {
          s->erase(at, 1 + Below(std::min<size_t>(12, s->size() - at)));
        }
        return;
      case 5: {  // repeat a run: many terms, long labels, deep macros
        if (at >= s->size()) return;
        const std::string run = s->substr(at, 1 + Below(24));
        const size_t times = 1 + Below(Below(5) == 0 ? 120 : 3);
        std::string repeated;
        for (size_t i = 0; i < times; ++i) repeated += run;
        s->insert(at, repeated);
        return;
      }
      case 6: {
        const std::string& other = corpus_[Below(corpus_.size())];
        *s = s->substr(0, at) + other.substr(Below(other.size() + 1));
        return;
      }
      case 7:
        s->resize(at);
        return;
      default:
        if (at < s->size() &&
            std::isalpha(static_cast<unsigned char>((*s)[at]))) {
          (*s)[at] ^= 0x20;
        }
        return;
    }
  }

  std::mt19937_64 rng_;
  const std::vector<std::string>& corpus_;
  const std::vector<std::string>& dictionary_;
};

}  // namespace

int main(int argc, char** argv) {
  long mutations = 10000;
  uint64_t seed = 1;
  std::vector<std::string> dirs;
  std::vector<std::string> dictionary;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtol(arg.c_str() + 12, nullptr, 10);
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(arg.c_str() + 7, nullptr, 10);
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
    std::snprintf(g_crash_path, sizeof(g_crash_path), "%s/crash-input", out);
  }
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) signal(s, OnCrash);

  std::vector<std::string> corpus;
  for (const std::string& dir : dirs) {
    for (const std::string& file : FilesIn(dir)) {
      corpus.push_back(ReadFile(file));
      RunOne(corpus.back());
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files in the directories given\n");
    return 1;
  }
  Mutator mutator(seed, corpus, dictionary);
  for (long i = 0; i < mutations; ++i) RunOne(mutator.Next());
  std::printf(
      "ran %zu corpus files and %ld mutations (seed %llu, %zu "
      "dictionary tokens)\n",
      corpus.size(), mutations, static_cast<unsigned long long>(seed),
      dictionary.size());
  return 0;
}
