// cost_carbon: each job takes the start time and capacity that minimise
// α·cost/cost_ref + (1 − α)·carbon/carbon_ref (DESIGN §6). A sweep of α from 0 to 1 traces the
// cost–carbon Pareto front of a workload, the trade-off GAIA studies between carbon savings and
// the cost of waiting on different purchase options (Hanafy et al., "Going Green for Less Green:
// Optimizing the Cost of Reducing Cloud Carbon Emissions", ASPLOS 2024), here as one weighted
// objective per job (the weighted-sum scalarisation of a bi-objective problem).
//
// Candidates: start times arrival + k·step ≤ arrival + wait (grid steps after the arrival, as
// lowest_window), each on three capacities in the home region:
//   reserved   if free over the whole run (JobContext::reserved); cost 0 — its fee is paid
//              whether used or not, so its marginal cost is 0;
//   spot       if the scenario offers it; expected cost and carbon of the interruption model to
//              first order (cfsim::spot_outcomes: the rework after an interruption included;
//              exact when jobs restart on on-demand);
//   on-demand  always: the job's price × billed seconds (per-second billing, 60 s minimum).
// Carbon is the forecast ∫ intensity dt over the running time (× the job's constant power,
// which the normalisation cancels).
// Normalisation (the two terms are commensurable, both 1 for "run now on demand"): cost_ref is
// the on-demand cost of starting at the arrival, carbon_ref its forecast carbon. If the arrival
// window is not fully known, carbon_ref is that of the earliest fully known on-demand start; a
// reference ≤ 0 normalises by 1.
// Ties: reserved, then spot, then on-demand, then the earliest start (α = 0 still prefers free
// reserved capacity at equal carbon; α = 1 runs as early as the cheapest capacity allows).
// Unknown data (No-Fallback): a candidate whose running time touches an unknown cell has no
// carbon; with α < 1 it is not scored, and Placement::blind is set. With α = 1 carbon is not
// needed. If no candidate has a known carbon, the job is placed on cost alone (blind). A spot
// candidate whose possible rework runs past the forecast window (the period end) is not offered.
// Interruptible jobs run in one piece.
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "cfsim/cost.hpp"
#include "cfsim/error.hpp"
#include "cfsim/spot.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
struct Candidate {
  TimeS start = 0;
  PurchaseOption capacity = PurchaseOption::on_demand;
  double cost_usd = 0;
  double carbon = 0; // forecast ∫ intensity dt over the running time (value × s)
  bool carbon_known = false;
};

class CostCarbon final : public JobStrategy {
public:
  explicit CostCarbon(double alpha) : alpha_(alpha) {}

  // Room for the rework of a spot start: the latest start, its run, a restart and a full rerun.
  TimeS horizon_s(const Job& job) const override {
    return job.max_wait_s + 2 * job.duration_s + job.restart_overhead_s;
  }

  Placement place(const Job& job, const ForecastView& view) const override {
    JobContext ctx;
    ctx.regions.push_back(RegionOption{"home", 1.0, 0, "", view});
    return place_with(job, ctx);
  }

  Placement place_with(const Job& job, const JobContext& ctx) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    const ForecastView& v = ctx.home();
    const double od_usd_per_h = ctx.regions.front().usd_per_h;
    const auto od_cost = [&](TimeS len) {
      return od_usd_per_h * static_cast<double>(billed_seconds(len)) / 3600.0;
    };
    const TimeS last = job.arrival_s + job.max_wait_s;
    const TimeS step = v.grid().step_s;
    std::vector<Candidate> cands;
    // Reserved first, then spot, then on-demand, each in start order: the scan order is the
    // tie order.
    if (ctx.reserved)
      for (TimeS s = job.arrival_s; s <= last; s += step)
        if (ctx.reserved->free(s, s + job.duration_s, job.cpus))
          cands.push_back(with_carbon(v, {s, PurchaseOption::reserved, 0.0, 0, false}, job, p));
    if (ctx.spot)
      for (TimeS s = job.arrival_s; s <= last; s += step)
        if (std::optional<Candidate> c = spot_candidate(ctx, job, s, od_cost, p))
          cands.push_back(*c);
    for (TimeS s = job.arrival_s; s <= last; s += step)
      cands.push_back(with_carbon(
          v, {s, PurchaseOption::on_demand, od_cost(job.duration_s), 0, false}, job, p));

    // References: "run now on demand".
    const double cost_ref = od_cost(job.duration_s);
    std::optional<double> carbon_ref;
    for (const Candidate& c : cands)
      if (c.capacity == PurchaseOption::on_demand && c.carbon_known) {
        carbon_ref = c.carbon;
        break;
      }
    double alpha = alpha_;
    if (!carbon_ref) {
      alpha = 1.0; // no known carbon anywhere: decide on cost alone
      p.blind = true;
    }
    const double cost_norm = cost_ref > 0 ? cost_ref : 1.0;
    const double carbon_norm = carbon_ref && *carbon_ref > 0 ? *carbon_ref : 1.0;
    const Candidate* best = nullptr;
    double best_score = 0;
    for (const Candidate& c : cands) {
      if (alpha < 1 && !c.carbon_known)
        continue;
      double score = alpha * (c.cost_usd / cost_norm);
      if (alpha < 1)
        score += (1 - alpha) * (c.carbon / carbon_norm);
      if (!best || score < best_score) { // strict: the scan order breaks ties
        best = &c;
        best_score = score;
      }
    }
    CFSIM_CHECK(best != nullptr, "cost_carbon: no candidate");
    p.capacity = best->capacity;
    p.pieces.push_back({best->start, best->start + job.duration_s});
    return p;
  }

private:
  static Candidate with_carbon(const ForecastView& v, Candidate c, const Job& job, Placement& p) {
    const ForecastView::Integral in = v.integrate(c.start, c.start + job.duration_s);
    c.carbon = in.value_s;
    c.carbon_known = in.unknown_s == 0;
    if (!c.carbon_known)
      p.blind = true;
    return c;
  }

  // The expected cost and carbon of starting on spot at `s` (nullopt: its rework may leave the
  // forecast window).
  template <class OdCost>
  static std::optional<Candidate> spot_candidate(const JobContext& ctx, const Job& job, TimeS s,
                                                 const OdCost& od_cost, Placement& p) {
    const ForecastView& v = ctx.home();
    const TimeGrid& g = v.grid();
    SpotModel m;
    m.interruption_per_h = ctx.spot->interruption_per_h;
    m.checkpoint_interval_s = ctx.spot->checkpoint_interval_s;
    m.restart_on = ctx.spot->restart_on;
    m.restart_overhead_s = job.restart_overhead_s;
    Candidate c{s, PurchaseOption::spot, 0.0, 0.0, true};
    for (const SpotOutcome& o : spot_outcomes(g, s, job.duration_s, m)) {
      for (const ExecutedPiece& piece : o.pieces) {
        if (piece.span.end_s > v.to_s())
          return std::nullopt;
        const ForecastView::Integral in = v.integrate(piece.span.start_s, piece.span.end_s);
        if (in.unknown_s > 0 && o.probability > 0)
          c.carbon_known = false;
        c.carbon += o.probability * in.value_s;
        double usd = 0;
        if (piece.capacity == PurchaseOption::on_demand) {
          usd = od_cost(piece.span.duration_s());
        } else {
          // Per-second at each cell's price; the 60 s minimum at the first cell's price.
          TimeS a = piece.span.start_s;
          const TimeS extra = billed_seconds(piece.span.duration_s()) - piece.span.duration_s();
          usd += ctx.spot_usd_per_h(g.cell_of(a)) * static_cast<double>(extra) / 3600.0;
          while (a < piece.span.end_s) {
            const std::int64_t cell = g.cell_of(a);
            const TimeS b = std::min(piece.span.end_s, g.cell_start(cell + 1));
            usd += ctx.spot_usd_per_h(cell) * static_cast<double>(b - a) / 3600.0;
            a = b;
          }
        }
        c.cost_usd += o.probability * usd;
      }
    }
    if (!c.carbon_known)
      p.blind = true;
    return c;
  }

  double alpha_;
};
} // namespace

std::unique_ptr<JobStrategy> make_cost_carbon(const Value& params) {
  ParamReader r(params, "strategy 'cost_carbon'");
  const double alpha = r.number_required("alpha");
  r.finish();
  if (!(alpha >= 0 && alpha <= 1))
    throw ConfigError(r.context() + ": parameter 'alpha' must lie in [0, 1] (0: carbon only, "
                                    "1: cost only)");
  return std::make_unique<CostCarbon>(alpha);
}

} // namespace cfsim::strategies
