// Dispatch of experiment files (include/cfsim/published.hpp) on their "experiment" key.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "published/experiments.hpp"

namespace cfsim {

namespace {

published::ExperimentFile read_experiment_file(const std::string& path) {
  const std::string text = read_file(path);
  published::ExperimentFile f;
  try {
    f.json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError(path + ": not valid JSON: " + e.what());
  }
  f.origin = path;
  f.base_dir = std::filesystem::path(path).parent_path().string();
  f.sha256 = sha256_hex(text);
  return f;
}

// The one list of experiment names.
struct Experiment {
  const char* name;
  ResultSet (*run)(const published::ExperimentFile&, const ExperimentOptions&);
  std::string (*validate)(const published::ExperimentFile&);
};
constexpr Experiment kExperiments[] = {
    {"lets_wait_awhile", published::run_lets_wait_awhile, published::validate_lets_wait_awhile},
    {"gaia", published::run_gaia, published::validate_gaia},
};

const Experiment& experiment_of(const published::ExperimentFile& f) {
  const auto it = f.json.find("experiment");
  if (it != f.json.end() && it->is_string())
    for (const Experiment& e : kExperiments)
      if (it->get<std::string>() == e.name)
        return e;
  std::string valid;
  for (const Experiment& e : kExperiments)
    valid += std::string(valid.empty() ? "" : ", ") + e.name;
  throw ConfigError(f.origin + ": /experiment: unknown experiment " +
                    (it != f.json.end() ? it->dump() : std::string("(missing)")) +
                    " (valid: " + valid + ")");
}

} // namespace

bool is_experiment_file(const std::string& path) {
  const std::string text = read_file(path);
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("experiment");
}

ResultSet run_experiment_file(const std::string& path, const ExperimentOptions& opt) {
  const published::ExperimentFile f = read_experiment_file(path);
  return experiment_of(f).run(f, opt);
}

std::string validate_experiment_file(const std::string& path) {
  const published::ExperimentFile f = read_experiment_file(path);
  return experiment_of(f).validate(f);
}

} // namespace cfsim
