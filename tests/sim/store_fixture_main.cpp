// Test helper for tests/python/read_back.py:
//   cfsim_store_fixture write PATH   writes the store fixture (store_fixture.hpp) to PATH
//   cfsim_store_fixture read PATH    reads PATH with read_results; prints "runs=N" or the
//                                    error, and exits with the error's exit code
#include <cstdio>
#include <exception>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/store.hpp"
#include "store_fixture.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s write|read PATH\n", argv[0]);
    return 64;
  }
  const std::string mode = argv[1];
  const std::string path = argv[2];
  try {
    if (mode == "write") {
      cfsim::write_results(path, cfsim::testing::store_fixture());
      return 0;
    }
    if (mode == "read") {
      const cfsim::ResultSet rs = cfsim::read_results(path);
      std::printf("runs=%zu\n", rs.runs.size());
      return 0;
    }
    std::fprintf(stderr, "unknown mode '%s' (write or read)\n", mode.c_str());
    return 64;
  } catch (const cfsim::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected error: %s\n", e.what());
    return 70;
  }
}
