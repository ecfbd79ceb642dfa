// nlohmann::json ↔ cfsim::Value at the JSON edge (the core never sees the JSON library).
#pragma once

#include <nlohmann/json.hpp>

#include "cfsim/value.hpp"

namespace cfsim {

Value to_value(const nlohmann::json& j);

} // namespace cfsim
