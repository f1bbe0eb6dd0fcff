#ifndef MXSCAN_TESTS_PROBE_EXPECT_ERROR_H_
#define MXSCAN_TESTS_PROBE_EXPECT_ERROR_H_

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::probe {

// ExpectError checks a probe's failure: its stage, kind, code and message
// (the probes report theirs in the SMTP session's terms).
inline void ExpectError(const std::optional<smtp::SessionError>& error,
                        smtp::Stage stage, smtp::ErrorKind kind, int code,
                        const std::string& message) {
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(smtp::StageName(error->stage), smtp::StageName(stage));
  EXPECT_EQ(smtp::ErrorKindName(error->kind), smtp::ErrorKindName(kind));
  EXPECT_EQ(error->code, code);
  EXPECT_EQ(error->message, message);
}

}  // namespace mxscan::probe

#endif  // MXSCAN_TESTS_PROBE_EXPECT_ERROR_H_
