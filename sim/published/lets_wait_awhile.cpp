// PLACEHOLDER, replaced by the experiment's implementation.
#include "cfsim/error.hpp"
#include "published/experiments.hpp"

namespace cfsim::published {

ResultSet run_lets_wait_awhile(const ExperimentFile& f, const ExperimentOptions& /*opt*/) {
  throw ConfigError(f.origin + ": experiment 'lets_wait_awhile' is not implemented yet");
}
std::string validate_lets_wait_awhile(const ExperimentFile& f) {
  throw ConfigError(f.origin + ": experiment 'lets_wait_awhile' is not implemented yet");
}

} // namespace cfsim::published
