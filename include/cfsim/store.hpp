// The HDF5 result store (DESIGN §9, docs/result-schema.md). HDF5 appears nowhere else.
#pragma once

#include <string>

#include "cfsim/result.hpp"

namespace cfsim {

// Writes `results` to `path` through `path + ".tmp"` and renames it when complete, so an
// existing file is never left half-written. StoreError (73/74) with the HDF5 reason on failure.
void write_results(const std::string& path, const ResultSet& results);

// Reads a result file back (dump, plot, check). StoreError/InputError on failure.
ResultSet read_results(const std::string& path);

} // namespace cfsim
