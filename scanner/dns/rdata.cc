#include "scanner/dns/rdata.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {
namespace {

// Obsolete RFC 1035 types whose RDATA is one (compressible) name.
constexpr uint16_t kMd = 3, kMf = 4, kMb = 7, kMg = 8, kMr = 9;
// MINFO: two names (RMAILBX, EMAILBX), compressible too.
constexpr uint16_t kMinfo = 14;

absl::Status Malformed(const RecordView& record, absl::string_view why) {
  return absl::DataLossError(
      absl::StrCat("malformed ", RrTypeName(record.type), " record: ", why));
}

// RdataReader reads the fields of one record's RDATA, never past its end.
class RdataReader {
 public:
  RdataReader(absl::Span<const uint8_t> packet, const RecordView& record)
      : packet_(packet),
        record_(record),
        pos_(record.rdata_offset),
        end_(record.rdata_offset + record.rdata_length) {}

  size_t remaining() const { return end_ - pos_; }

  absl::Status U8(uint8_t* out) {
    if (remaining() < 1) return Malformed(record_, "too short");
    *out = packet_[pos_++];
    return absl::OkStatus();
  }
  absl::Status U16(uint16_t* out) {
    if (remaining() < 2) return Malformed(record_, "too short");
    *out = static_cast<uint16_t>((packet_[pos_] << 8) | packet_[pos_ + 1]);
    pos_ += 2;
    return absl::OkStatus();
  }
  absl::Status U32(uint32_t* out) {
    if (remaining() < 4) return Malformed(record_, "too short");
    *out = (uint32_t{packet_[pos_]} << 24) |
           (uint32_t{packet_[pos_ + 1]} << 16) |
           (uint32_t{packet_[pos_ + 2]} << 8) | uint32_t{packet_[pos_ + 3]};
    pos_ += 4;
    return absl::OkStatus();
  }
  // A name that must lie within the RDATA (its compression targets may
  // lie anywhere before it in the message).
  absl::Status Name(std::string* out) {
    absl::Status s = ReadWireName(packet_.subspan(0, end_), &pos_, out);
    if (!s.ok()) return Malformed(record_, s.message());
    return absl::OkStatus();
  }
  // `n` octets; data() + offset, not &packet[pos]: an empty field may sit
  // exactly at the end of the message.
  absl::Status Octets(size_t n, std::string* out) {
    if (remaining() < n) return Malformed(record_, "field runs past the RDATA");
    out->assign(reinterpret_cast<const char*>(packet_.data() + pos_), n);
    pos_ += n;
    return absl::OkStatus();
  }
  absl::Status Rest(std::string* out) { return Octets(remaining(), out); }
  // `n` octets into `out`.
  absl::Status Bytes(size_t n, uint8_t* out) {
    if (remaining() < n) return Malformed(record_, "field runs past the RDATA");
    std::memcpy(out, packet_.data() + pos_, n);
    pos_ += n;
    return absl::OkStatus();
  }
  absl::Status End() const {
    if (pos_ != end_) return Malformed(record_, "trailing octets");
    return absl::OkStatus();
  }

 private:
  absl::Span<const uint8_t> packet_;
  const RecordView& record_;
  size_t pos_;
  size_t end_;
};

// Each reader returns its type's RDATA or why it is malformed.
#define MXSCAN_RETURN_IF_ERROR(expr)   \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (false)

absl::StatusOr<Rdata> ReadAddress(RdataReader& in, const RecordView& record,
                                  bool ip6) {
  if (in.remaining() != (ip6 ? 16u : 4u)) {
    return Malformed(record, "bad length");
  }
  AddressData address;
  address.ip6 = ip6;
  MXSCAN_RETURN_IF_ERROR(in.Bytes(ip6 ? 16u : 4u, address.bytes.data()));
  return address;
}

absl::StatusOr<Rdata> ReadName(RdataReader& in) {
  NameData data;
  MXSCAN_RETURN_IF_ERROR(in.Name(&data.name));
  MXSCAN_RETURN_IF_ERROR(in.End());
  return data;
}

absl::StatusOr<Rdata> ReadMx(RdataReader& in) {
  MxData mx;
  MXSCAN_RETURN_IF_ERROR(in.U16(&mx.preference));
  MXSCAN_RETURN_IF_ERROR(in.Name(&mx.exchange));
  MXSCAN_RETURN_IF_ERROR(in.End());
  return mx;
}

absl::StatusOr<Rdata> ReadTxt(RdataReader& in, const RecordView& record) {
  if (in.remaining() == 0) return Malformed(record, "empty RDATA");
  TxtData txt;
  while (in.remaining() > 0) {
    uint8_t length = 0;
    MXSCAN_RETURN_IF_ERROR(in.U8(&length));
    if (in.remaining() < length) {
      return Malformed(record, "character-string runs past the RDATA");
    }
    MXSCAN_RETURN_IF_ERROR(in.Octets(length, &txt.strings.emplace_back()));
  }
  return txt;
}

absl::StatusOr<Rdata> ReadSoa(RdataReader& in, const RecordView& record) {
  SoaData soa;
  MXSCAN_RETURN_IF_ERROR(in.Name(&soa.mname));
  MXSCAN_RETURN_IF_ERROR(in.Name(&soa.rname));
  if (in.remaining() != 20) return Malformed(record, "bad length");
  for (uint32_t* field :
       {&soa.serial, &soa.refresh, &soa.retry, &soa.expire, &soa.minimum}) {
    MXSCAN_RETURN_IF_ERROR(in.U32(field));
  }
  return soa;
}

absl::StatusOr<Rdata> ReadSrv(RdataReader& in) {
  SrvData srv;
  MXSCAN_RETURN_IF_ERROR(in.U16(&srv.priority));
  MXSCAN_RETURN_IF_ERROR(in.U16(&srv.weight));
  MXSCAN_RETURN_IF_ERROR(in.U16(&srv.port));
  MXSCAN_RETURN_IF_ERROR(in.Name(&srv.target));
  MXSCAN_RETURN_IF_ERROR(in.End());
  return srv;
}

absl::StatusOr<Rdata> ReadTlsa(RdataReader& in, const RecordView& record) {
  TlsaData tlsa;
  MXSCAN_RETURN_IF_ERROR(in.U8(&tlsa.usage));
  MXSCAN_RETURN_IF_ERROR(in.U8(&tlsa.selector));
  MXSCAN_RETURN_IF_ERROR(in.U8(&tlsa.matching_type));
  // The association data cannot be empty (RFC 6698 section 2.1.4).
  if (in.remaining() == 0) return Malformed(record, "too short");
  MXSCAN_RETURN_IF_ERROR(in.Rest(&tlsa.association));
  return tlsa;
}

absl::StatusOr<Rdata> ReadCaa(RdataReader& in, const RecordView& record) {
  CaaData caa;
  uint8_t tag_length = 0;
  MXSCAN_RETURN_IF_ERROR(in.U8(&caa.flags));
  MXSCAN_RETURN_IF_ERROR(in.U8(&tag_length));
  if (tag_length == 0 || tag_length > in.remaining()) {
    return Malformed(record, "bad tag length");
  }
  MXSCAN_RETURN_IF_ERROR(in.Octets(tag_length, &caa.tag));
  MXSCAN_RETURN_IF_ERROR(in.Rest(&caa.value));
  return caa;
}

// MINFO's names may be compressed against the message: written out
// uncompressed so that the octets stand alone.
absl::StatusOr<Rdata> ReadMinfo(RdataReader& in, const RecordView& record) {
  OpaqueData data;
  for (int i = 0; i < 2; ++i) {
    std::string name;
    MXSCAN_RETURN_IF_ERROR(in.Name(&name));
    absl::Status s = AppendWireName(name, &data.octets);
    if (!s.ok()) return Malformed(record, s.message());
  }
  MXSCAN_RETURN_IF_ERROR(in.End());
  return data;
}

#undef MXSCAN_RETURN_IF_ERROR

}  // namespace

std::string AddressData::ToString() const {
  std::string text;
  AppendTo(&text);
  return text;
}

void AddressData::AppendTo(std::string* out) const {
  char text[kMaxAddressText];
  out->append(text, WriteText(text));
}

size_t AddressData::WriteText(char* out) const {
  if (ip6) {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, bytes.data(), text, sizeof(text));
    const size_t length = std::strlen(text);
    std::memcpy(out, text, length);
    return length;
  }
  // The dotted quad by hand: inet_ntop formats it with sprintf, which cost
  // as much as the rest of a lookup's output.
  char* p = out;
  for (int i = 0; i < 4; ++i) {
    const unsigned v = bytes[i];
    if (i > 0) *p++ = '.';
    if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *p++ = static_cast<char>('0' + (v / 10) % 10);
    *p++ = static_cast<char>('0' + v % 10);
  }
  return static_cast<size_t>(p - out);
}

std::string TxtData::Joined() const { return absl::StrJoin(strings, ""); }

std::string PrintableOctets(absl::string_view octets) {
  std::string out;
  out.reserve(octets.size());
  for (char ch : octets) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      absl::StrAppend(&out, "\\", c / 100, (c / 10) % 10, c % 10);
    }
  }
  return out;
}

absl::StatusOr<Rdata> ParseRdata(absl::Span<const uint8_t> packet,
                                 const RecordView& record) {
  if (record.rdata_offset + record.rdata_length > packet.size()) {
    return Malformed(record, "RDATA past the end");
  }
  RdataReader in(packet, record);
  switch (record.type) {
    case rr_type::kA:
      return ReadAddress(in, record, false);
    case rr_type::kAaaa:
      return ReadAddress(in, record, true);
    case rr_type::kNs:
    case rr_type::kCname:
    case rr_type::kPtr:
    case kMd:
    case kMf:
    case kMb:
    case kMg:
    case kMr:
      return ReadName(in);
    case rr_type::kMx:
      return ReadMx(in);
    case rr_type::kTxt:
      return ReadTxt(in, record);
    case rr_type::kSoa:
      return ReadSoa(in, record);
    case rr_type::kSrv:
      return ReadSrv(in);
    case rr_type::kTlsa:
      return ReadTlsa(in, record);
    case rr_type::kCaa:
      return ReadCaa(in, record);
    case kMinfo:
      return ReadMinfo(in, record);
    default: {
      OpaqueData data;
      absl::Status s = in.Rest(&data.octets);
      if (!s.ok()) return s;
      return data;
    }
  }
}

absl::StatusOr<AddressData> AddressFromText(absl::string_view text) {
  AddressData address;
  const std::string s(text);
  address.ip6 = s.find(':') != std::string::npos;
  if (inet_pton(address.ip6 ? AF_INET6 : AF_INET, s.c_str(),
                address.bytes.data()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an IP address: \"", text, "\""));
  }
  return address;
}

}  // namespace mxscan::dns
