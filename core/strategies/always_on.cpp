// always_on: the fleet baseline (DESIGN §6). Every instance runs for the whole scenario period,
// [grid.start_s, grid.end_s()), whatever the intensity: what an unmanaged fleet costs and emits,
// and the reference the start/stop strategies' savings are measured against. No parameters.
#include <memory>

#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
class AlwaysOn final : public FleetStrategy {
public:
  std::vector<Interval> plan(const FleetGroup&, const FleetContext& ctx) const override {
    if (ctx.grid.n <= 0)
      return {};
    return {Interval{ctx.grid.start_s, ctx.grid.end_s()}};
  }
};
} // namespace

std::unique_ptr<FleetStrategy> make_always_on(const Value& params) {
  ParamReader(params, "strategy 'always_on'").finish();
  return std::make_unique<AlwaysOn>();
}

} // namespace cfsim::strategies
