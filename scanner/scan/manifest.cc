#include "scanner/scan/manifest.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/tls/digest.h"

namespace mxscan::scan {

ScanManifest::InputFile DescribeInputFile(const std::string& path) {
  ScanManifest::InputFile file;
  file.set_path(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return file;
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string data = bytes.str();
  file.set_sha256(tls::Sha256Hex(data));
  // The list's own header says which version it is, where it has one.
  for (absl::string_view line : absl::StrSplit(data.substr(0, 4096), '\n')) {
    for (absl::string_view key : {"// VERSION:", "// COMMIT:"}) {
      if (absl::StartsWith(line, key)) {
        file.set_date(
            std::string(absl::StripAsciiWhitespace(line.substr(key.size()))));
        return file;
      }
    }
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0) file.set_date(Rfc3339Utc(st.st_mtime));
  return file;
}

std::vector<std::string> LocalAddresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || (a->ifa_flags & IFF_LOOPBACK)) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (a->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET,
                &reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr,
                text, sizeof(text));
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6,
                &reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr,
                text, sizeof(text));
    } else {
      continue;
    }
    if (std::find(out.begin(), out.end(), text) == out.end()) {
      out.emplace_back(text);
    }
  }
  freeifaddrs(list);
  return out;
}

std::string Rfc3339Utc(std::time_t when) {
  std::tm utc;
  gmtime_r(&when, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace mxscan::scan
