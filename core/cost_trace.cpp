// The billing-column choice of DESIGN §7: comparisons name the column they read.
#include "cfsim/cost_trace.hpp"

#include "cfsim/error.hpp"

namespace cfsim {

const char* to_string(CostColumn c) {
  switch (c) {
  case CostColumn::billed:
    return "BilledCost";
  case CostColumn::effective:
    return "EffectiveCost";
  case CostColumn::list:
    return "ListCost";
  }
  check_failed("known CostColumn", __FILE__, __LINE__,
               "CostColumn value " + std::to_string(static_cast<int>(c)));
}

double cost_of(const CostRecord& r, CostColumn c) {
  switch (c) {
  case CostColumn::billed:
    return r.billed_cost;
  case CostColumn::effective:
    return r.effective_cost;
  case CostColumn::list:
    return r.list_cost;
  }
  check_failed("known CostColumn", __FILE__, __LINE__,
               "CostColumn value " + std::to_string(static_cast<int>(c)));
}

} // namespace cfsim
