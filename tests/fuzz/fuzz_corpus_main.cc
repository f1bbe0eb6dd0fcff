// A main() for fuzz targets built without libFuzzer (plain gcc under
// Bazel): runs LLVMFuzzerTestOneInput over every file of the corpus
// directories given as arguments, then over seeded random mutations of
// them, so that `bazel test` exercises the target on every change.
//
//   fuzz_corpus_main [--mutations=N] [--seed=S] DIR...
//
// Each input is copied into a heap block of exactly its size, so that a
// sanitizer build (--config=asan) catches reads past the end.

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
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return files;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    files.push_back(dir + "/" + e->d_name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// The input being run, for the crash handler.
const uint8_t* g_current = nullptr;
size_t g_current_size = 0;
char g_crash_path[4096] = "";

// On a crash, print the input in hex and save it (to the test's undeclared
// outputs when run by Bazel) so that it can become a regression file.
void OnCrash(int signal_number) {
  static const char kHex[] = "0123456789abcdef";
  const char header[] = "\n*** crash on this input (hex):\n";
  (void)!write(2, header, sizeof(header) - 1);
  for (size_t i = 0; i < g_current_size; ++i) {
    const char pair[2] = {kHex[g_current[i] >> 4], kHex[g_current[i] & 0xF]};
    (void)!write(2, pair, 2);
  }
  (void)!write(2, "\n", 1);
  if (g_crash_path[0] != '\0') {
    const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, g_current, g_current_size);
      close(fd);
      const char saved[] = "*** saved as crash-input in the test outputs\n";
      (void)!write(2, saved, sizeof(saved) - 1);
    }
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void InstallCrashHandler() {
  if (const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::snprintf(g_crash_path, sizeof(g_crash_path), "%s/crash-input", dir);
  }
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) signal(s, OnCrash);
}

void Run(const std::string& input) {
  // An exact-size allocation (not the string's buffer, which has slack).
  std::unique_ptr<uint8_t[]> copy(new uint8_t[input.size() + 1]);
  std::memcpy(copy.get(), input.data(), input.size());
  g_current = copy.get();
  g_current_size = input.size();
  LLVMFuzzerTestOneInput(input.empty() ? nullptr : copy.get(), input.size());
  g_current = nullptr;
  g_current_size = 0;
}

// Values that tend to matter in DNS messages: counts, lengths, pointers.
constexpr uint8_t kInterestingBytes[] = {0x00, 0x01, 0x02, 0x03, 0x0C, 0x10,
                                         0x29, 0x3F, 0x40, 0x7F, 0x80, 0xBF,
                                         0xC0, 0xC1, 0xFE, 0xFF};
constexpr uint16_t kInterestingWords[] = {0,      1,      2,      5,
                                          6,      12,     15,     16,
                                          28,     41,     255,    256,
                                          0x7FFF, 0x8000, 0xC00C, 0xFFFF};

std::string Mutate(std::string s, const std::vector<std::string>& corpus,
                   std::mt19937& rng) {
  auto below = [&](size_t n) {
    return n == 0 ? size_t{0}
                  : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  const size_t rounds = 1 + below(4);
  for (size_t r = 0; r < rounds; ++r) {
    switch (below(10)) {
      case 0:  // flip a bit
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1 << below(8));
        break;
      case 1:  // random byte
        if (!s.empty()) s[below(s.size())] = static_cast<char>(below(256));
        break;
      case 2:  // interesting byte
        if (!s.empty()) {
          s[below(s.size())] = static_cast<char>(
              kInterestingBytes[below(sizeof(kInterestingBytes))]);
        }
        break;
      case 3:  // interesting 16-bit field (counts, RDLENGTH, pointers)
        if (s.size() >= 2) {
          const size_t at = below(s.size() - 1);
          const uint16_t v = kInterestingWords[below(
              sizeof(kInterestingWords) / sizeof(kInterestingWords[0]))];
          s[at] = static_cast<char>(v >> 8);
          s[at + 1] = static_cast<char>(v & 0xFF);
        }
        break;
      case 4:  // compression pointer to a random earlier offset
        if (s.size() >= 2) {
          const size_t at = below(s.size() - 1);
          const size_t target = below(std::max<size_t>(at + 4, 1));
          s[at] = static_cast<char>(0xC0 | ((target >> 8) & 0x3F));
          s[at + 1] = static_cast<char>(target & 0xFF);
        }
        break;
      case 5:  // truncate
        s.resize(below(s.size() + 1));
        break;
      case 6:  // insert bytes
        s.insert(below(s.size() + 1), std::string(1 + below(4),
                                                  static_cast<char>(below(256))));
        break;
      case 7:  // erase bytes
        if (!s.empty()) {
          const size_t at = below(s.size());
          s.erase(at, 1 + below(std::min<size_t>(8, s.size() - at)));
        }
        break;
      case 8: {  // splice: our prefix, another input's suffix
        const std::string& other = corpus[below(corpus.size())];
        s = s.substr(0, below(s.size() + 1)) +
            other.substr(below(other.size() + 1));
        break;
      }
      default:  // duplicate a chunk (repeated records)
        if (!s.empty()) {
          const size_t at = below(s.size());
          const size_t n = 1 + below(std::min<size_t>(64, s.size() - at));
          s.insert(below(s.size() + 1), s.substr(at, n));
        }
        break;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 20000;
  unsigned long seed = 20240601;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtol(arg.c_str() + 12, nullptr, 10);
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = std::strtoul(arg.c_str() + 7, nullptr, 10);
    } else {
      dirs.push_back(arg);
    }
  }
  InstallCrashHandler();
  std::vector<std::string> corpus;
  for (const std::string& dir : dirs) {
    for (const std::string& file : ListFiles(dir)) {
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
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  for (long i = 0; i < mutations; ++i) {
    const std::string& base =
        corpus[std::uniform_int_distribution<size_t>(0, corpus.size() - 1)(
            rng)];
    Run(Mutate(base, corpus, rng));
  }
  std::printf("ran %zu corpus files and %ld mutations (seed %lu)\n",
              corpus.size(), mutations, seed);
  return 0;
}
