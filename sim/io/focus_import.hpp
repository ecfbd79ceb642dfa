// Internal to sim/io: the streaming `cfsim import focus` with its buffer sizes stated, for tests
// that force block boundaries and flushes into awkward places (include/cfsim/io_cost.hpp has the
// public import_focus_csv).
#pragma once

#include <cstddef>
#include <string>

#include "cfsim/io_cost.hpp"
#include "io/focus_blocks.hpp"

namespace cfsim::focus {

struct ImportOptions {
  BlockOptions blocks;                            // input blocks, hashing, second thread
  std::size_t flush_bytes = std::size_t{4} << 20; // output written once this much is buffered
};

FocusImportSummary import_csv(const std::string& in_path, const std::string& out_path,
                              const ImportOptions& options);

} // namespace cfsim::focus
