// carbon_time: a non-interruptible job starts where it saves the most carbon per unit of
// completion time (DESIGN §6). Models GAIA's Carbon-Time* (Hanafy et al., ASPLOS 2024, §5
// `cst_oracle`), i.e. with the job's true length L. GAIA's `cst_average` variant (Carbon-Time,
// with an expected length E in place of L in both the sum and the denominator) is not this one:
// cfsim's strategies see each job's true duration.
//
// Candidates: offsets o = 0, step_s, 2·step_s, … with o ≤ max_wait (whole grid steps after the
// arrival, not cell boundaries, like lowest_window's default; W inclusive).
// C(o) = ∫ intensity dt over [arrival + o, arrival + o + L) (ForecastView::integrate).
// score(o) = (C(0) − C(o)) / (o + L): carbon saved against starting at once, per second of
// completion time (arrival to finish). The maximum wins, earliest on ties; o = 0 scores 0, so a
// later start must score strictly more than 0 to be chosen.
// Unknown data (No-Fallback, DESIGN §3): if C(0) touches an unknown cell (or the window runs
// past the forecast window, e.g. the period end) there is no reference to save against and the
// job starts at its arrival, blind. Otherwise candidates with unknown data are not scored and
// Placement::blind is set. No parameters.
#include <memory>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
class CarbonTime final : public JobStrategy {
public:
  Placement place(const Job& job, const ForecastView& view) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    const TimeS a = job.arrival_s;
    const TimeS len = job.duration_s;
    const ForecastView::Integral c0 = view.integrate(a, a + len);
    TimeS best_offset = 0;
    if (c0.unknown_s > 0) {
      p.blind = true;
    } else {
      double best_score = 0; // o = 0
      for (TimeS o = view.grid().step_s; o <= job.max_wait_s; o += view.grid().step_s) {
        const ForecastView::Integral c = view.integrate(a + o, a + o + len);
        if (c.unknown_s > 0) {
          p.blind = true;
          continue;
        }
        const double score = (c0.value_s - c.value_s) / static_cast<double>(o + len);
        if (score > best_score) { // strict: earliest wins ties, o = 0 wins at 0
          best_score = score;
          best_offset = o;
        }
      }
    }
    p.pieces.push_back({a + best_offset, a + best_offset + len});
    return p;
  }
};
} // namespace

std::unique_ptr<JobStrategy> make_carbon_time(const Value& params) {
  ParamReader(params, "strategy 'carbon_time'").finish();
  return std::make_unique<CarbonTime>();
}

} // namespace cfsim::strategies
