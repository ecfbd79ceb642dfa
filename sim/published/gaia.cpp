// PLACEHOLDER, replaced by the experiment's implementation.
#include "cfsim/error.hpp"
#include "published/experiments.hpp"

namespace cfsim::published {

ResultSet run_gaia(const ExperimentFile& f, const ExperimentOptions& /*opt*/) {
  throw ConfigError(f.origin + ": experiment 'gaia' is not implemented yet");
}
std::string validate_gaia(const ExperimentFile& f) {
  throw ConfigError(f.origin + ": experiment 'gaia' is not implemented yet");
}

} // namespace cfsim::published
