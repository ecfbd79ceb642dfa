// Helpers shared by the sim tests: the shared-data folder, the MANIFEST sha256 check, and
// "throws E with a message containing ...".
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/series.hpp"

namespace cfsim::test {

inline const std::string kShared = std::string(CFSIM_SHARED_DIR) + "/data/";

// The file's sha256 must be the one in shared/data/MANIFEST.md; otherwise every expected value
// of a test is meaningless, so the test stops there.
inline ::testing::AssertionResult sha_matches(const std::string& rel, const std::string& expected) {
  const std::string got = sha256_hex(read_file(kShared + rel));
  if (got == expected)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "shared data file " << rel << " changed: sha256 " << got
                                       << ", MANIFEST.md says " << expected;
}

// Runs f; succeeds if it throws E whose message contains every one of `parts`.
template <class E = TraceError>
::testing::AssertionResult throws_with(const std::function<void()>& f,
                                       std::initializer_list<std::string> parts) {
  try {
    f();
  } catch (const E& e) {
    const std::string msg = e.what();
    for (const std::string& p : parts)
      if (msg.find(p) == std::string::npos)
        return ::testing::AssertionFailure() << "message \"" << msg << "\" lacks \"" << p << "\"";
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a different exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

inline std::size_t count_quality(const RawSeries& s, Quality q) {
  std::size_t n = 0;
  for (const Quality x : s.quality)
    n += x == q ? 1u : 0u;
  return n;
}

// Places where a sample ends before the next one starts.
inline std::size_t count_gaps(const RawSeries& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    n += s.end_s[i] < s.start_s[i + 1] ? 1u : 0u;
  return n;
}

} // namespace cfsim::test
