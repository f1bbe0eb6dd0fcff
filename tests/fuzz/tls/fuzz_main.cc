// A main() that runs the certificate fuzz target without libFuzzer, so
// that it builds with plain gcc under Bazel and runs on every `bazel test`.
// Same command line as the other corpus drivers under tests/fuzz:
//
//   fuzz_main [--mutations=N] [--seed=S] DIR...
//
// It runs LLVMFuzzerTestOneInput over every file of the DIRs, then over N
// deterministic pseudo-random mutations of them (same seed, same inputs).
// A mutation applies one to four edits chosen for DER: flip a bit, write a
// random or a tag/length-shaped byte, rewrite a length field (short form,
// long form, indefinite), cut, insert, drop or repeat a run, or splice two
// inputs. Each input lives in a heap block of its exact size so that a
// sanitizer build (--config=asan) sees reads past its end. On a crash the
// input is printed in hex and, under Bazel, saved as crash-input in the
// test's undeclared outputs.

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
#include <utility>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Tags, lengths and flag values that steer a DER parser.
constexpr uint8_t kDerBytes[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                 0x0C, 0x13, 0x16, 0x17, 0x18, 0x1E, 0x30,
                                 0x31, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84,
                                 0x88, 0xA0, 0xA3, 0xFF};

const uint8_t* g_input = nullptr;
size_t g_input_size = 0;
char g_crash_path[4096] = "";

void OnCrash(int signal_number) {
  static const char kHex[] = "0123456789abcdef";
  static const char kHeader[] = "\n*** crash on this input (hex):\n";
  (void)!write(2, kHeader, sizeof(kHeader) - 1);
  for (size_t i = 0; i < g_input_size; ++i) {
    const char pair[2] = {kHex[g_input[i] >> 4], kHex[g_input[i] & 0xF]};
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

void Run(const std::string& input) {
  std::unique_ptr<uint8_t[]> block(new uint8_t[input.size() + 1]);
  std::memcpy(block.get(), input.data(), input.size());
  g_input = block.get();
  g_input_size = input.size();
  LLVMFuzzerTestOneInput(input.empty() ? nullptr : block.get(), input.size());
  g_input = nullptr;
  g_input_size = 0;
}

std::vector<std::string> ReadCorpus(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(d)) {
      if (entry->d_name[0] != '.') names.push_back(dir + "/" + entry->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> inputs;
  for (const std::string& name : names) {
    std::ifstream in(name, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in),
                        std::istreambuf_iterator<char>());
  }
  return inputs;
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  std::string Mutate(std::string s, const std::vector<std::string>& corpus) {
    for (size_t edits = 1 + Below(4); edits > 0; --edits) {
      switch (Below(10)) {
        case 0:
          if (!s.empty()) s[Below(s.size())] ^= static_cast<char>(1 << Below(8));
          break;
        case 1:
          if (!s.empty()) s[Below(s.size())] = static_cast<char>(Below(256));
          break;
        case 2:
          if (!s.empty()) {
            s[Below(s.size())] =
                static_cast<char>(kDerBytes[Below(sizeof(kDerBytes))]);
          }
          break;
        case 3:  // a length field: short, long form, or indefinite
          if (s.size() > 3) {
            const size_t at = 1 + Below(s.size() - 3);
            const uint8_t forms[] = {static_cast<uint8_t>(Below(128)), 0x81,
                                     0x82, 0x80};
            s[at] = static_cast<char>(forms[Below(4)]);
            if (static_cast<uint8_t>(s[at]) >= 0x81) {
              s[at + 1] = static_cast<char>(Below(256));
            }
          }
          break;
        case 4:
          s.resize(Below(s.size() + 1));
          break;
        case 5:
          s.insert(Below(s.size() + 1), std::string(1 + Below(8),
                                                   static_cast<char>(Below(256))));
          break;
        case 6:
          if (!s.empty()) {
            const size_t at = Below(s.size());
            s.erase(at, 1 + Below(std::min<size_t>(32, s.size() - at)));
          }
          break;
        case 7:
          if (!s.empty()) {
            const size_t at = Below(s.size());
            const size_t n = 1 + Below(std::min<size_t>(256, s.size() - at));
            s.insert(Below(s.size() + 1), s.substr(at, n));
          }
          break;
        case 8: {
          const std::string& other = corpus[Below(corpus.size())];
          s = s.substr(0, Below(s.size() + 1)) +
              other.substr(Below(other.size() + 1));
          break;
        }
        default:  // the flags byte
          if (!s.empty()) s[0] = static_cast<char>(Below(256));
          break;
      }
    }
    return s;
  }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  std::mt19937 rng_;
};

}  // namespace

int main(int argc, char** argv) {
  long mutations = 2000;
  uint32_t seed = 1;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtol(arg.c_str() + 12, nullptr, 10);
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = static_cast<uint32_t>(std::strtoul(arg.c_str() + 7, nullptr, 10));
    } else {
      for (std::string& input : ReadCorpus(arg)) corpus.push_back(std::move(input));
    }
  }
  if (const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::snprintf(g_crash_path, sizeof(g_crash_path), "%s/crash-input", dir);
  }
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) signal(s, OnCrash);
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files in the directories given\n");
    return 1;
  }
  for (const std::string& input : corpus) Run(input);
  Mutator mutator(seed);
  std::uniform_int_distribution<size_t> pick(0, corpus.size() - 1);
  std::mt19937 picker(seed ^ 0x9E3779B9u);
  for (long i = 0; i < mutations; ++i) {
    Run(mutator.Mutate(corpus[pick(picker)], corpus));
  }
  std::printf("ran %zu corpus files and %ld mutations (seed %u)\n",
              corpus.size(), mutations, seed);
  return 0;
}
