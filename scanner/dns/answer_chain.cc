#include "scanner/dns/answer_chain.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "scanner/dns/rdata_text.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {

ChainStep FollowAnswer(absl::Span<const uint8_t> packet,
                       const ParsedResponse& response,
                       const std::string& name, uint16_t type,
                       std::vector<std::string>* visited, size_t max_cnames) {
  ChainStep step;
  // The name the walk is at: `name`, then the target of each CNAME taken.
  absl::string_view current = name;
  std::string target;
  while (true) {
    bool found = false;
    const RecordView* cname = nullptr;
    for (const RecordView& rr : response.answers) {
      if (rr.rr_class != kClassIn || rr.name != current) continue;
      if (rr.type == type) {
        absl::StatusOr<Rdata> data = ParseRdata(packet, rr);
        // Types mxscan does not decode are checked as strictly as the
        // others: their octets must make a record of their type.
        if (data.ok() && std::holds_alternative<OpaqueData>(*data)) {
          absl::StatusOr<std::string> text = RdataText(rr.type, *data);
          if (!text.ok()) data = text.status();
        }
        if (!data.ok()) {
          step.error = data.status();
          return step;
        }
        step.answers.push_back(
            Answer{rr.name, rr.type, rr.ttl, *std::move(data)});
        found = true;
      } else if (rr.type == rr_type::kCname && cname == nullptr) {
        cname = &rr;
      }
    }
    if (found || cname == nullptr) {
      // NODATA / NXDOMAIN at the end of a chain this answer did follow
      // (not the name asked) may come from a server that does not hold the
      // target: ask again there.
      if (!found && current != name && response.rcode == rcode::kNoError) {
        step.next_name = std::string(current);
      }
      return step;
    }
    absl::StatusOr<Rdata> rdata = ParseRdata(packet, *cname);
    if (!rdata.ok()) {
      step.error = rdata.status();
      return step;
    }
    std::string next = std::get<NameData>(*rdata).name;
    step.answers.push_back(
        Answer{cname->name, rr_type::kCname, cname->ttl, *std::move(rdata)});
    step.cnames.emplace_back(current);
    if (std::find(visited->begin(), visited->end(), next) != visited->end()) {
      step.error = absl::DataLossError(absl::StrCat("CNAME loop at ", next));
      return step;
    }
    if (visited->size() > max_cnames) {
      step.error = absl::DataLossError(
          absl::StrCat("CNAME chain longer than ", max_cnames));
      return step;
    }
    visited->push_back(next);
    target = std::move(next);
    current = target;
  }
}

}  // namespace mxscan::dns
