// no_wait: the job baseline (DESIGN §6). Every job runs at once, in one piece
// [arrival, arrival + duration), ignoring the forecast. This is GAIA's No-Jobs-Wait (NJW, Hanafy
// et al., ASPLOS 2024, §5: Lowest-Window* with W = 0) and the clean "start at once" baseline of
// Let's Wait Awhile (Wiesner et al., Middleware 2021, §6.3), without that paper's off-by-one
// second candidate. It never reads the forecast, so it is never blind. No parameters.
#include <memory>

#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
class NoWait final : public JobStrategy {
public:
  Placement place(const Job& job, const ForecastView&) const override {
    Placement p;
    if (job.duration_s > 0)
      p.pieces.push_back({job.arrival_s, job.arrival_s + job.duration_s});
    return p;
  }
};
} // namespace

std::unique_ptr<JobStrategy> make_no_wait(const Value& params) {
  ParamReader(params, "strategy 'no_wait'").finish();
  return std::make_unique<NoWait>();
}

} // namespace cfsim::strategies
