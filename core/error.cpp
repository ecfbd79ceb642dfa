#include "cfsim/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace cfsim {

void check_failed(const char* expr, const char* file, int line, const std::string& msg) {
  std::fprintf(stderr, "cfsim internal error: %s:%d: check '%s' failed: %s\n", file, line, expr,
               msg.c_str());
  std::abort();
}

} // namespace cfsim
