// region_shift: run each job in the candidate region where its forecast emissions are lowest
// (DESIGN §6: spatial shifting). Models the spatial half of Google's carbon-intelligent
// computing (Radovanović et al., "Carbon-Aware Computing for Datacenters", IEEE Transactions on
// Power Systems 38(2), 2023: flexible load moved between data centres towards cleaner grids)
// and the region choice studied by Sukprasert et al. ("On the Limitations of Carbon-Aware
// Temporal and Spatial Workload Shifting in the Cloud", EuroSys 2024), with optional temporal
// shifting inside the job's allowed wait (Wiesner et al., Let's Wait Awhile, Middleware 2021).
//
// Candidates: the home region (index 0, the job pool's region with the scenario's carbon trace;
// always allowed: it is where the job would run anyway) and the scenario's candidate regions
// (jobs.regions) that pass the allow-list — latency_ms ≤ max_latency_ms, sovereignty equal to
// the requested one. A filter set for a candidate that does not state that attribute is a
// ConfigError (No-Fallback: a latency or sovereignty is never assumed).
// Per allowed region: shift_time (default true) — the lowest-window start of lowest_window
// ("step" candidates: arrival + k·step ≤ arrival + wait, the lowest ∫ intensity over the job's
// length, earliest on ties); shift_time false — the arrival. The region with the lowest forecast
// ∫ intensity wins (the job draws the same power everywhere: same instance type), ties to the
// earliest listed, home first. Each region's intensity and on-demand price are its own; the job
// runs on on-demand capacity in one piece (also an interruptible job).
// Unknown data: a window touching an unknown cell (or leaving the forecast window) is not
// scored; Placement::blind is set when any window met unknown data; with nothing scored the job
// starts at its arrival at home.
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
class RegionShift final : public JobStrategy {
public:
  RegionShift(std::optional<double> max_latency_ms, std::string sovereignty, bool shift_time)
      : max_latency_ms_(max_latency_ms), sovereignty_(std::move(sovereignty)),
        shift_time_(shift_time) {}

  Placement place(const Job& job, const ForecastView& view) const override {
    JobContext ctx;
    ctx.regions.push_back(RegionOption{"home", 0, 0, "", view});
    return place_with(job, ctx);
  }

  Placement place_with(const Job& job, const JobContext& ctx) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    std::optional<TimeS> best_start;
    double best = 0;
    for (std::size_t k = 0; k < ctx.regions.size(); ++k) {
      const RegionOption& r = ctx.regions[k];
      if (k > 0 && !allowed(r))
        continue;
      const TimeS last = shift_time_ ? job.arrival_s + job.max_wait_s : job.arrival_s;
      for (TimeS s = job.arrival_s; s <= last; s += r.view.grid().step_s) {
        const ForecastView::Integral in = r.view.integrate(s, s + job.duration_s);
        if (in.unknown_s > 0) {
          p.blind = true;
        } else if (!best_start || in.value_s < best) { // strict: home and earlier starts win ties
          best_start = s;
          best = in.value_s;
          p.region = k;
        }
      }
    }
    const TimeS start = best_start.value_or(job.arrival_s);
    p.pieces.push_back({start, start + job.duration_s});
    return p;
  }

private:
  bool allowed(const RegionOption& r) const {
    if (max_latency_ms_) {
      if (std::isnan(r.latency_ms))
        throw ConfigError("strategy 'region_shift': max_latency_ms is set but candidate region '" +
                          r.region +
                          "' states no latency_ms (add it in jobs.regions; a latency is never "
                          "assumed)");
      if (r.latency_ms > *max_latency_ms_)
        return false;
    }
    if (!sovereignty_.empty()) {
      if (r.sovereignty.empty())
        throw ConfigError("strategy 'region_shift': sovereignty '" + sovereignty_ +
                          "' is required but candidate region '" + r.region +
                          "' states none (add \"sovereignty\" in jobs.regions; it is never "
                          "assumed)");
      if (r.sovereignty != sovereignty_)
        return false;
    }
    return true;
  }

  std::optional<double> max_latency_ms_;
  std::string sovereignty_;
  bool shift_time_;
};
} // namespace

std::unique_ptr<JobStrategy> make_region_shift(const Value& params) {
  ParamReader r(params, "strategy 'region_shift'");
  std::optional<double> max_latency;
  if (const Value* v = r.value("max_latency_ms")) {
    max_latency = v->as_number(r.context() + ": parameter 'max_latency_ms'");
    if (!(*max_latency >= 0) || !std::isfinite(*max_latency))
      throw ConfigError(r.context() +
                        ": parameter 'max_latency_ms' must be a number of milliseconds >= 0");
  }
  std::string sovereignty = r.string("sovereignty", "");
  const bool shift_time = r.boolean("shift_time", true);
  r.finish();
  if (params.is_object() && params.as_object("params").count("sovereignty") && sovereignty.empty())
    throw ConfigError(r.context() +
                      ": parameter 'sovereignty' must be a non-empty label, e.g. \"eu\"");
  return std::make_unique<RegionShift>(max_latency, std::move(sovereignty), shift_time);
}

} // namespace cfsim::strategies
