// A main() that drives a libFuzzer target without libFuzzer, so that the
// target builds with plain gcc under Bazel and runs on every `bazel test`.
// Command line as the other corpus drivers under tests/fuzz:
//
//   fuzz_main [--mutations=N] [--seed=S] [--dict=FILE] DIR...
//
// Every file of the DIRs is run first, then N mutations of them, drawn
// from a generator seeded with S (same seed, same inputs). A mutation
// chains one to four edits: insert a dictionary token or a delimiter,
// overwrite, flip or delete bytes, duplicate a run, cross two inputs, cut,
// or change a letter's case. Each input is copied into a heap block of its
// exact size so that a sanitizer build sees any read past the end. A crash
// prints the input in hex on stderr and, under Bazel, writes it to
// $TEST_UNDECLARED_OUTPUTS_DIR/crash-input.

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
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Bytes with a meaning in tag-value records and URIs.
constexpr char kDelimiters[] = ";=,:!%@ \t\r\n.-_\"\\/?\x00\x7f\x80\xff";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> CorpusFiles(const std::string& dir) {
  std::vector<std::string> paths;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return paths;
  for (const dirent* e = readdir(d); e != nullptr; e = readdir(d)) {
    if (e->d_name[0] != '.') paths.push_back(dir + "/" + e->d_name);
  }
  closedir(d);
  std::sort(paths.begin(), paths.end());  // readdir order is not stable
  return paths;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// LoadDictionary reads libFuzzer's dictionary format: one "token" (or
// name="token") a line, "#" comments, \\ \" and \xNN escapes.
std::vector<std::string> LoadDictionary(const std::string& path) {
  std::vector<std::string> tokens;
  std::istringstream lines(Slurp(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t first = line.find('"');
    const size_t last = line.rfind('"');
    if (first == std::string::npos || last <= first) continue;
    std::string token;
    for (size_t i = first + 1; i < last; ++i) {
      if (line[i] == '\\' && i + 3 < last && line[i + 1] == 'x' &&
          Hex(line[i + 2]) >= 0 && Hex(line[i + 3]) >= 0) {
        token.push_back(
            static_cast<char>(Hex(line[i + 2]) << 4 | Hex(line[i + 3])));
        i += 3;
      } else if (line[i] == '\\' && i + 1 < last) {
        token.push_back(line[++i]);
      } else {
        token.push_back(line[i]);
      }
    }
    if (!token.empty()) tokens.push_back(std::move(token));
  }
  return tokens;
}

// What is running now, for the signal handler (async-signal-safe calls
// only there).
const uint8_t* g_current = nullptr;
size_t g_current_size = 0;
char g_crash_path[4096] = "";

void DumpAndDie(int sig) {
  static const char kHex[] = "0123456789abcdef";
  static const char kTitle[] = "\ncrashing input (hex): ";
  (void)!write(STDERR_FILENO, kTitle, sizeof(kTitle) - 1);
  for (size_t i = 0; i < g_current_size; ++i) {
    const char pair[2] = {kHex[g_current[i] >> 4], kHex[g_current[i] & 0xf]};
    (void)!write(STDERR_FILENO, pair, 2);
  }
  (void)!write(STDERR_FILENO, "\n", 1);
  if (g_crash_path[0] != '\0') {
    const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, g_current, g_current_size);
      close(fd);
    }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void RunOne(const std::string& input) {
  auto block = std::make_unique<uint8_t[]>(input.size());
  if (!input.empty()) std::memcpy(block.get(), input.data(), input.size());
  g_current = block.get();
  g_current_size = input.size();
  LLVMFuzzerTestOneInput(block.get(), input.size());
  g_current = nullptr;
  g_current_size = 0;
}

class Mutator {
 public:
  Mutator(uint64_t seed, const std::vector<std::string>& corpus,
          const std::vector<std::string>& dictionary)
      : rng_(seed), corpus_(corpus), dictionary_(dictionary) {}

  std::string Next() {
    std::string s = corpus_[Pick(corpus_.size())];
    for (size_t edits = 1 + Pick(4); edits > 0; --edits) Edit(s);
    return s;
  }

 private:
  size_t Pick(size_t n) { return n == 0 ? 0 : rng_() % n; }
  char Delimiter() { return kDelimiters[Pick(sizeof(kDelimiters) - 1)]; }

  void Edit(std::string& s) {
    const size_t at = Pick(s.size() + 1);  // == size() only for inserts
    const bool has_byte = at < s.size();
    switch (Pick(9)) {
      case 0:
        if (!dictionary_.empty()) {
          s.insert(at, dictionary_[Pick(dictionary_.size())]);
          break;
        }
        [[fallthrough]];
      case 1:
        s.insert(s.begin() + at, Delimiter());
        break;
      case 2:
        if (has_byte) s[at] = Delimiter();
        break;
      case 3:
        if (has_byte) s[at] = static_cast<char>(s[at] ^ (1u << Pick(8)));
        break;
      case 4:
        if (has_byte)
          s.erase(at, 1 + Pick(std::min<size_t>(s.size() - at, 12)));
        break;
      case 5:
        if (has_byte) {
          const std::string run = s.substr(at, 1 + Pick(24));
          const size_t copies = Pick(8) == 0 ? 1 + Pick(100) : 1 + Pick(2);
          for (size_t i = 0; i < copies; ++i) s.insert(at, run);
        }
        break;
      case 6: {
        const std::string& other = corpus_[Pick(corpus_.size())];
        s = s.substr(0, at) + other.substr(Pick(other.size() + 1));
        break;
      }
      case 7:
        s.resize(at);
        break;
      default:
        if (has_byte && ((s[at] | 0x20) >= 'a' && (s[at] | 0x20) <= 'z')) {
          s[at] = static_cast<char>(s[at] ^ 0x20);
        }
        break;
    }
  }

  std::mt19937_64 rng_;
  const std::vector<std::string>& corpus_;
  const std::vector<std::string>& dictionary_;
};

bool Flag(const std::string& arg, const char* name, std::string* value) {
  const std::string prefix = std::string("--") + name + "=";
  if (arg.compare(0, prefix.size(), prefix) != 0) return false;
  *value = arg.substr(prefix.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 10000;
  uint64_t seed = 1;
  std::vector<std::string> dictionary;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    if (Flag(arg, "mutations", &value)) {
      mutations = std::strtol(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "seed", &value)) {
      seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (Flag(arg, "dict", &value)) {
      dictionary = LoadDictionary(value);
      if (dictionary.empty()) {
        std::fprintf(stderr, "%s: no dictionary tokens\n", value.c_str());
        return 1;
      }
    } else {
      for (const std::string& path : CorpusFiles(arg)) {
        corpus.push_back(Slurp(path));
      }
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files given\n");
    return 1;
  }
  if (const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::snprintf(g_crash_path, sizeof(g_crash_path), "%s/crash-input", dir);
  }
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    signal(sig, DumpAndDie);
  }
  for (const std::string& input : corpus) RunOne(input);
  Mutator mutator(seed, corpus, dictionary);
  for (long i = 0; i < mutations; ++i) RunOne(mutator.Next());
  std::printf(
      "%zu corpus inputs and %ld mutations (seed %llu, %zu "
      "dictionary tokens): no crash\n",
      corpus.size(), mutations, static_cast<unsigned long long>(seed),
      dictionary.size());
  return 0;
}
