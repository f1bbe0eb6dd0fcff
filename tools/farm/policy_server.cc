#include "tools/farm/policy_server.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mxscan::farm {
namespace {

using Then = Step::Then;

std::string Response(absl::string_view status, absl::string_view body,
                     absl::string_view extra_headers = "") {
  return absl::StrCat("HTTP/1.1 ", status, "\r\n",
                      "Content-Type: text/plain\r\n",
                      "Content-Length: ", body.size(), "\r\n", extra_headers,
                      "Connection: close\r\n\r\n", body);
}

// A domain that can safely name a file of the policy directory.
bool IsFileSafeDomain(absl::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.front() == '.' ||
      absl::StrContains(domain, "..")) {
    return false;
  }
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' ||
           c == '.' || c == '_';
  });
}

std::string NormalHost(absl::string_view host) {
  // "mta-sts.example.org:443" and "MTA-STS.example.org." alike.
  if (!absl::StartsWith(host, "[")) host = host.substr(0, host.find(':'));
  std::string out = absl::AsciiStrToLower(absl::StripAsciiWhitespace(host));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

std::optional<std::string> PolicyStore::Body(absl::string_view domain) const {
  if (dir_.empty() || !IsFileSafeDomain(domain)) return std::nullopt;
  std::ifstream in(absl::StrCat(dir_, "/", domain), std::ios::binary);
  if (!in) return std::nullopt;
  std::string body;
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    body.append(buf, static_cast<size_t>(in.gcount()));
    if (body.size() > kMaxBody) return std::nullopt;
  }
  return body;
}

HttpsSite PolicyStore::Site(absl::string_view host) const {
  auto it = sites_.find(std::string(host));
  if (it != sites_.end()) return it->second;
  HttpsSite site;
  site.host = std::string(host);
  return site;
}

Step PolicyExchange::OnTlsEstablished(absl::string_view server_name) {
  server_name_ = NormalHost(server_name);
  return Step();
}

Step PolicyExchange::OnBytes(absl::string_view bytes) {
  if (answered_) return Step();
  head_.append(bytes.data(), std::min(bytes.size(), kMaxHead + 4));
  if (head_.find("\r\n\r\n") == std::string::npos &&
      head_.find("\n\n") == std::string::npos) {
    if (head_.size() <= kMaxHead) return Step();
    answered_ = true;
    Step step;
    step.send = Response("431 Request Header Fields Too Large", "too large\n");
    step.then = Then::kClose;
    return step;
  }
  answered_ = true;
  return Answer();
}

Step PolicyExchange::OnTimer() {
  Step step;
  step.send = std::move(delayed_);
  step.then = Then::kClose;
  return step;
}

Step PolicyExchange::Answer() {
  std::vector<absl::string_view> lines = absl::StrSplit(head_, '\n');
  std::vector<absl::string_view> request = absl::StrSplit(
      absl::StripAsciiWhitespace(lines[0]), ' ', absl::SkipEmpty());
  std::string host = server_name_;
  for (size_t i = 1; i < lines.size() && host.empty(); ++i) {
    const absl::string_view line = lines[i];
    const size_t colon = line.find(':');
    if (colon != absl::string_view::npos &&
        absl::EqualsIgnoreCase(
            absl::StripAsciiWhitespace(line.substr(0, colon)), "host")) {
      host = NormalHost(line.substr(colon + 1));
    }
  }
  const HttpsSite site = store_.Site(host);
  Step step;
  step.then = Then::kClose;
  step.send = ResponseFor(request, host, site.behaviour);
  if (site.behaviour == HttpsBehaviour::kSlow) {
    delayed_ = std::move(step.send);
    step.send.clear();
    step.then = Then::kWait;
    step.wait_ms = site.delay_ms;
  }
  return step;
}

std::string PolicyExchange::ResponseFor(
    const std::vector<absl::string_view>& request, const std::string& host,
    HttpsBehaviour behaviour) const {
  if (request.size() != 3 || !absl::StartsWith(request[2], "HTTP/1.")) {
    return Response("400 Bad Request", "bad request\n");
  }
  if (request[0] != "GET") {
    return Response("405 Method Not Allowed", "GET only\n", "Allow: GET\r\n");
  }
  if (behaviour == HttpsBehaviour::kRedirect) {
    // RFC 8461 section 3.3: a policy fetch must not follow redirects.
    return Response("301 Moved Permanently", "moved\n",
                    absl::StrCat("Location: https://", host,
                                 "/.well-known/mta-sts-moved.txt\r\n"));
  }
  std::optional<std::string> body;
  if (absl::StartsWith(host, "mta-sts.") && request[1] == kPath) {
    body = store_.Body(absl::string_view(host).substr(8));
  }
  if (!body.has_value()) return Response("404 Not Found", "no policy here\n");
  if (behaviour == HttpsBehaviour::kHuge) {
    // The policy, then padding lines up to exactly kHugeBody bytes.
    if (!body->empty() && body->back() != '\n') body->push_back('\n');
    while (body->size() < kHugeBody) {
      const size_t n = std::min<size_t>(kHugeBody - body->size(), 80);
      body->append(n - 1, 'x');
      body->push_back('\n');
    }
    body->resize(kHugeBody);
  }
  return Response("200 OK", *body);
}

}  // namespace mxscan::farm
