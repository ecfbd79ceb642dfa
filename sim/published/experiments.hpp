// Internal: one entry point per published experiment (sim/published/<name>.cpp), dispatched by
// sim/published/experiment.cpp on the file's "experiment" key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cfsim/published.hpp"

namespace cfsim::published {

// What every experiment runner gets: the parsed file, its name for errors, the folder relative
// paths resolve against, and the sha256 of the file's bytes.
struct ExperimentFile {
  nlohmann::json json;
  std::string origin;   // the path as given, for error messages
  std::string base_dir; // folder of the file
  std::string sha256;
};

// Let's Wait Awhile (Wiesner et al., Middleware 2021): ../shared/published/lets-wait-awhile.md.
ResultSet run_lets_wait_awhile(const ExperimentFile& f, const ExperimentOptions& opt);
std::string validate_lets_wait_awhile(const ExperimentFile& f);
// GAIA (Hanafy et al., ASPLOS 2024): ../shared/published/gaia.md.
ResultSet run_gaia(const ExperimentFile& f, const ExperimentOptions& opt);
std::string validate_gaia(const ExperimentFile& f);

} // namespace cfsim::published
