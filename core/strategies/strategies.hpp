// Internal: one factory per strategy file. The registry (registry.cpp) is the only list of
// names; each factory validates its parameters (ParamReader) and throws ConfigError.
#pragma once

#include <memory>

#include "cfsim/strategy.hpp"

namespace cfsim::strategies {

std::unique_ptr<FleetStrategy> make_always_on(const Value& params);
std::unique_ptr<FleetStrategy> make_office_hours(const Value& params);
std::unique_ptr<JobStrategy> make_no_wait(const Value& params);
std::unique_ptr<JobStrategy> make_lowest_window(const Value& params);
std::unique_ptr<JobStrategy> make_wait_awhile(const Value& params);
std::unique_ptr<JobStrategy> make_ecovisor(const Value& params);

} // namespace cfsim::strategies
