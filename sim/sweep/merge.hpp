// `cfsim merge OUT SHARD...` (docs/sweeps.md): combines the result files of `cfsim sweep
// --shard k/N` into the file a single-process sweep writes, after checking their provenance:
// the same scenario (sha256), cfsim version, filter and shard count, every shard k = 1..N once,
// and every run of the sweep exactly once.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cfsim {

// Writes `output`; ConfigError/InputError naming the offending shard on a mismatch.
// `attributes`: the tool's provenance (version, creation time, command line) for the result.
void merge_shards(const std::vector<std::string>& shards, const std::string& output,
                  std::vector<std::pair<std::string, std::string>> attributes);

} // namespace cfsim
