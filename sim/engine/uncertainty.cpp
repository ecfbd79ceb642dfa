// Uncertainty of a scenario's results (methodology §8): the replay is repeated over N seeds
// (forecast noise and every other seeded draw; the workload stays as loaded) and at the two
// ends of the energy model's coefficient intervals, and each run's summary gets the spread:
// p5 / p50 / p95 of its savings over the seeds, and lower/upper totals and savings over the
// coefficient intervals combined with the missing-data bounds (DESIGN §3).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "cfsim/engine.hpp"
#include "cfsim/stats.hpp"
#include "engine/replay.hpp"

namespace cfsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void set(RunResult& r, const std::string& name, std::variant<double, std::int64_t, std::string> v) {
  for (Field& f : r.summary)
    if (f.name == name)
      f.value = std::move(v);
}

// The scenario at one end of the energy model's intervals: every utilisation moved by
// `utilisation_offset` (clamped to [0, 1]) and every CPU and GPU min/max watt coefficient scaled
// by `watts_factor`. Power is non-decreasing in both, so the low end bounds energy from below
// and the high end from above for the same placements.
Scenario energy_model_end(const Scenario& sc, double utilisation_offset, double watts_factor) {
  Scenario out = sc;
  auto shift = [utilisation_offset](double u) {
    return std::clamp(u + utilisation_offset, 0.0, 1.0);
  };
  for (FleetGroup& g : out.fleet)
    for (double& u : g.utilisation.hourly)
      u = shift(u);
  if (out.job_pool)
    out.job_pool->utilisation = shift(out.job_pool->utilisation);
  for (auto& [name, m] : out.catalog.microarchs) {
    m.min_w_per_vcpu *= watts_factor;
    m.max_w_per_vcpu *= watts_factor;
  }
  for (auto& [name, g] : out.catalog.gpus) {
    g.min_w *= watts_factor;
    g.max_w *= watts_factor;
  }
  return out;
}

bool all_ok(const std::vector<const ResultSet*>& sets, std::size_t i) {
  for (const ResultSet* s : sets)
    if (s->runs[i].status != "ok")
      return false;
  return true;
}

double pct(std::vector<double> v, double p) {
  for (double x : v)
    if (std::isnan(x))
      return kNaN;
  return percentile_linear(std::move(v), p).value_or(kNaN);
}

// p5 of the per-seed lower bounds, p95 of the upper bounds, p50 of the central values: with
// complete data the bounds meet and these are the plain percentiles; with missing data the
// band also spans the unknown intensities, and p50 is NaN where a central value is.
void seed_spread(RunResult& out, const std::vector<const ResultSet*>& seeded, std::size_t i) {
  std::vector<double> lower, upper, central, cost;
  for (const ResultSet* s : seeded) {
    const RunResult& r = s->runs[i];
    lower.push_back(field_number(r, "savings_co2e_lower_pct"));
    upper.push_back(field_number(r, "savings_co2e_upper_pct"));
    central.push_back(field_number(r, "savings_co2e_pct"));
    cost.push_back(field_number(r, "savings_cost_pct"));
  }
  set(out, "uncertainty_seeds", static_cast<std::int64_t>(seeded.size()));
  set(out, "savings_co2e_p5_pct", pct(lower, 5));
  set(out, "savings_co2e_p50_pct", pct(central, 50));
  set(out, "savings_co2e_p95_pct", pct(upper, 95));
  set(out, "savings_cost_p5_pct", pct(cost, 5));
  set(out, "savings_cost_p50_pct", pct(cost, 50));
  set(out, "savings_cost_p95_pct", pct(cost, 95));
}

// Lower/upper over the energy model's ends and the missing-data bounds of each.
void model_bounds(RunResult& out, const std::vector<const ResultSet*>& ends, std::size_t i) {
  double e_lo = INFINITY, e_hi = -INFINITY, c_lo = INFINITY, c_hi = -INFINITY, s_lo = INFINITY,
         s_hi = -INFINITY;
  for (const ResultSet* s : ends) {
    const RunResult& r = s->runs[i];
    e_lo = std::min(e_lo, field_number(r, "energy_kwh"));
    e_hi = std::max(e_hi, field_number(r, "energy_kwh"));
    c_lo = std::min(c_lo, field_number(r, "co2e_operational_lower_kg"));
    c_hi = std::max(c_hi, field_number(r, "co2e_operational_upper_kg"));
    s_lo = std::min(s_lo, field_number(r, "savings_co2e_lower_pct"));
    s_hi = std::max(s_hi, field_number(r, "savings_co2e_upper_pct"));
  }
  auto finite = [](double x) { return std::isfinite(x) ? x : kNaN; };
  set(out, "energy_model_lower_kwh", finite(e_lo));
  set(out, "energy_model_upper_kwh", finite(e_hi));
  set(out, "co2e_model_lower_kg", finite(c_lo));
  set(out, "co2e_model_upper_kg", finite(c_hi));
  set(out, "savings_co2e_model_lower_pct", finite(s_lo));
  set(out, "savings_co2e_model_upper_pct", finite(s_hi));
}

// /tables/seeds: one row per run and seed, so figures can draw the whole distribution.
Table seeds_table(const std::vector<const ResultSet*>& seeded, std::uint64_t first_seed) {
  std::vector<std::int64_t> run, seed;
  std::vector<double> co2e, cost, sav, sav_lo, sav_hi, sav_cost;
  for (std::size_t k = 0; k < seeded.size(); ++k)
    for (std::size_t i = 0; i < seeded[k]->runs.size(); ++i) {
      const RunResult& r = seeded[k]->runs[i];
      run.push_back(static_cast<std::int64_t>(i));
      seed.push_back(static_cast<std::int64_t>(first_seed + k));
      co2e.push_back(field_number(r, "co2e_operational_kg"));
      cost.push_back(field_number(r, "cost_usd"));
      sav.push_back(field_number(r, "savings_co2e_pct"));
      sav_lo.push_back(field_number(r, "savings_co2e_lower_pct"));
      sav_hi.push_back(field_number(r, "savings_co2e_upper_pct"));
      sav_cost.push_back(field_number(r, "savings_cost_pct"));
    }
  return Table{"seeds",
               {{"run", "", run},
                {"seed", "", seed},
                {"co2e_operational_kg", "kg", co2e},
                {"cost_usd", "USD", cost},
                {"savings_co2e_pct", "%", sav},
                {"savings_co2e_lower_pct", "%", sav_lo},
                {"savings_co2e_upper_pct", "%", sav_hi},
                {"savings_cost_pct", "%", sav_cost}}};
}

} // namespace

ResultSet run_scenario(const Scenario& sc, const TimeZoneDb& tz, const EngineOptions& opt) {
  ResultSet central = run_replay(sc, tz, opt);
  const UncertaintySpec& u = sc.uncertainty;
  EngineOptions quiet = opt;
  quiet.progress = false;

  // Seeds seed + 1 ... seed + N − 1 (the central replay is seed + 0).
  std::vector<ResultSet> more_seeds;
  for (int k = 1; k < u.seeds; ++k) {
    if (opt.progress)
      std::fprintf(stderr, "cfsim: uncertainty: seed %d of %d\n", k + 1, u.seeds);
    Scenario s = sc;
    s.seed = sc.seed + static_cast<std::uint64_t>(k);
    more_seeds.push_back(run_replay(s, tz, quiet));
  }
  std::vector<ResultSet> ends;
  if (u.energy_interval()) {
    if (opt.progress)
      std::fprintf(stderr, "cfsim: uncertainty: energy model at both ends of its intervals\n");
    ends.push_back(
        run_replay(energy_model_end(sc, u.utilisation_low, u.watts_factor_low), tz, quiet));
    ends.push_back(
        run_replay(energy_model_end(sc, u.utilisation_high, u.watts_factor_high), tz, quiet));
  }

  std::vector<const ResultSet*> seeded{&central}, model{&central};
  for (const ResultSet& s : more_seeds)
    seeded.push_back(&s);
  for (const ResultSet& s : ends)
    model.push_back(&s);
  for (std::size_t i = 0; i < central.runs.size(); ++i) {
    RunResult& r = central.runs[i];
    if (!all_ok(seeded, i) || !all_ok(model, i))
      continue; // a failed replay leaves the spread NaN; the failure is in its own status
    seed_spread(r, seeded, i);
    model_bounds(r, model, i);
  }
  if (u.seeds > 1)
    central.tables.push_back(seeds_table(seeded, sc.seed));
  return central;
}

} // namespace cfsim
