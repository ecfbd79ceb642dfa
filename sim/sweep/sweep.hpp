// `cfsim sweep` (DESIGN §8, docs/sweeps.md): a scenario's `sweep` block expanded into points,
// every strategy of every point one run, selected by --filter and --shard, run in parallel and
// streamed to one writer thread that spools finished runs; the HDF5 file is built from the spool
// at the end. MPI ranks (when built with MPI) share the points and send their runs to rank 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sweep/expand.hpp"

namespace cfsim {

// True when the scenario file has a "sweep" block (`cfsim run` then points to `cfsim sweep`).
bool has_sweep_block(const std::string& scenario_path);

// The runs of a sweep after --filter and --shard, grouped by point.
struct SweepPlan {
  std::string scenario_path, origin, base_dir;
  std::string text;   // the scenario file's bytes (stored in the result, so `merge` can re-plan)
  nlohmann::json doc; // the scenario as written, with its sweep block
  std::string scenario_sha256;
  Sweep sweep;
  std::string filter;
  int shard_k = 1, shard_n = 1;
  struct Point {
    std::size_t index = 0;               // in the sweep's product
    std::vector<std::size_t> strategies; // selected strategy indices
    std::vector<std::string> run_names;  // their run names
    std::uint64_t first_run = 0;         // global index of its first run in the full list
  };
  std::vector<Point> points;    // this shard's points (all selected points when shard_n = 1)
  std::uint64_t total_runs = 0; // runs of the whole filtered sweep, all shards together
  std::uint64_t runs() const;   // runs of this shard
};

// Reads the scenario, expands its sweep and selects runs: `filter` is an ECMAScript regular
// expression searched in run names (empty: all); shard k of n takes every n-th selected point
// starting with the k-th (1-based). ConfigError/UsageError on mistakes.
SweepPlan plan_sweep(const std::string& scenario_path, const std::string& filter, int shard_k,
                     int shard_n);

// The same from the scenario's text (`merge` re-plans from the text stored in a shard).
SweepPlan plan_sweep_text(const std::string& text, const std::string& scenario_path,
                          const std::string& base_dir, const std::string& filter, int shard_k,
                          int shard_n);

struct SweepOptions {
  std::string output;   // the HDF5 file
  int threads = 0;      // 0: one per core
  bool progress = true; // progress on stderr (a bar on a TTY, periodic lines otherwise)
  bool resume = false;  // keep the runs already in OUTPUT.spool
  bool jobs = false;    // also store /tables/jobs (one row per job and run)
  // Stop once this many runs are in the spool (0: no limit) and leave it for --resume: work in
  // slices shorter than a batch system's time limit.
  std::uint64_t max_runs = 0;
  // The tool's provenance attributes (version, git sha, creation time, command line); the
  // sweep adds the scenario, filter, shard and run counts.
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct SweepOutcome {
  bool root = true;       // this process wrote (or would write) the result (MPI rank 0)
  bool complete = false;  // every run is done and OUTPUT is written (false: stopped at max_runs)
  std::size_t failed = 0; // runs with status = error
  std::uint64_t in_spool = 0;
};
SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& opt);

} // namespace cfsim
