// Re-creations of published experiments (docs/reproducing.md, scenarios/published/). A scenario
// file whose top-level object has the key "experiment" names one; its rules follow the
// experiment's specification (../shared/published/<name>.md), with a "faithful" mode that keeps
// the original code's quirks and a "clean" mode that fixes them, not the generic engine.
#pragma once

#include <string>

#include "cfsim/result.hpp"

namespace cfsim {

struct ExperimentOptions {
  int threads = 0;       // 0: one per core; results are identical for any count
  bool progress = false; // progress lines on stderr
};

// True when `path` holds a JSON object with the key "experiment" (InputError if unreadable).
bool is_experiment_file(const std::string& path);

// Reads, checks and runs an experiment file. Unknown experiments, keys or modes are
// ConfigErrors naming the allowed ones; data errors are InputErrors naming file and line.
// The result set carries root attributes (experiment, mode, scenario sha256, input sha256s);
// the caller adds the tool's own (version, command line, creation time).
ResultSet run_experiment_file(const std::string& path, const ExperimentOptions& opt);

// Reads and checks an experiment file and its data without running it; returns a one-line
// description ("lets_wait_awhile scenario I, faithful: 102 runs ...").
std::string validate_experiment_file(const std::string& path);

} // namespace cfsim
