#ifndef MXSCAN_SCANNER_EXPORT_VALUE_H_
#define MXSCAN_SCANNER_EXPORT_VALUE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "scanner/export/schema.h"

namespace mxscan::db_export {

// Value is one column of a row on its way to a database: NULL, an integer
// (booleans are 0/1), text or bytes. Text and bytes are views: whoever
// builds a row keeps the bytes alive until RowSink::Add returns.
struct Value {
  enum class Kind : uint8_t { kNull, kInt, kText, kBlob };

  Kind kind = Kind::kNull;
  int64_t integer = 0;
  absl::string_view bytes;

  static Value Null() { return Value(); }
  static Value Int(int64_t v) {
    Value x;
    x.kind = Kind::kInt;
    x.integer = v;
    return x;
  }
  static Value Bool(bool b) { return Int(b ? 1 : 0); }
  static Value Text(absl::string_view s) {
    Value x;
    x.kind = Kind::kText;
    x.bytes = s;
    return x;
  }
  static Value Blob(absl::string_view s) {
    Value x;
    x.kind = Kind::kBlob;
    x.bytes = s;
    return x;
  }
};

// RowSink receives rows, each the values of one table's columns in the
// order of Table::columns.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Add(TableId table, absl::Span<const Value> values) = 0;
};

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_VALUE_H_
