// The replay engine. Each run applies one strategy to the workload it governs (fleet or jobs);
// the other workload follows the scenario's baseline for that kind, so every run accounts the
// whole scenario and savings compare like with like (DESIGN §6–§7).
#include "cfsim/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "cfsim/accounting.hpp"
#include "cfsim/cost.hpp"
#include "cfsim/energy.hpp"
#include "cfsim/error.hpp"
#include "cfsim/fill.hpp"
#include "cfsim/forecast_models.hpp"
#include "cfsim/metrics.hpp"
#include "cfsim/strategy.hpp"

namespace cfsim {

namespace {

// CCF's default utilisation when none is measured (CCF methodology, "Compute": 50 %).
constexpr double kCcfUtilisation = 0.5;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kProvider = "aws"; // the catalog holds AWS instance types

// Inputs shared read-only by all runs.
struct Prepared {
  const Scenario* sc = nullptr;
  const TimeZoneDb* tz = nullptr;
  // The intensity on the grid as accounting and strategies see it: the source's values plus,
  // under an opt-in fill policy, the filled ones (coverage counts both; methodology §4).
  GridSeries intensity;
  std::vector<double> filled_share; // per cell, the part of `intensity` that was filled
  QualityShares shares;             // of the trace's cells, for /tables/quality
  KnownRange range;                 // observed extremes (source values only), for bounds
  // What strategies see (DESIGN §6). Static forecasts (oracle, gaussian): one seen value per
  // cell for every decision. Persistence depends on the decision time: filled per decision.
  std::vector<double> forecast;
  std::vector<std::uint8_t> known;
  ForecastErrors forecast_errors; // seen against the truth, reported next to the savings
  double pue = 0;
  // Data-quality metrics of the scenario's billing against its carbon trace (NaN without
  // billing data): the same for every run of the scenario, stored with each (DESIGN §7).
  double tac_fleet = std::numeric_limits<double>::quiet_NaN();
  double cost_mape_pct = std::numeric_limits<double>::quiet_NaN();
  std::int64_t cost_mape_pairs = 0, cost_mape_zero_billed = 0;
  double dps_mean = std::numeric_limits<double>::quiet_NaN();
};

// TAC, Cost-MAPE and the mean Data-Precision-Score of the scenario's billing data
// (docs/metrics.md), with the scenario's label offset and billing column.
void billing_quality(Prepared& p) {
  const Scenario& sc = *p.sc;
  if (!sc.costs)
    return;
  TacOptions tac;
  tac.label_offset_s = sc.cost_label_offset_s;
  p.tac_fleet = time_alignment_coverage(*sc.costs, p.intensity, tac).fleet_tac;
  CostMapeOptions mape;
  mape.column = sc.cost_column;
  const CostMapeResult m = cost_mape(*sc.costs, sc.catalog, sc.grid, mape);
  p.cost_mape_pct = m.mape.mape_pct;
  p.cost_mape_pairs = static_cast<std::int64_t>(m.mape.used);
  p.cost_mape_zero_billed = static_cast<std::int64_t>(m.mape.zero_billed);
  InstanceDpsOptions dps;
  dps.label_offset_s = sc.cost_label_offset_s;
  dps.column = sc.cost_column;
  p.dps_mean = data_precision_scores(*sc.costs, p.intensity, &sc.catalog, dps).mean_score;
}

// Per-cell series and totals of one workload (fleet or jobs) under one strategy.
struct WorkloadResult {
  std::vector<double> running; // instances (fleet) or vCPUs (jobs), mean over the cell
  std::vector<double> energy_kwh, co2e_kg, cost_usd;
  Emissions em;
  double filled_kwh = 0; // energy on filled intensity (counted as known in `em`)
  // Cloud Carbon Footprint's estimate of the same placements: 50 % utilisation and the region's
  // annual-average factor (DESIGN §10 baseline tool); NaN when the catalog has no factor.
  double ccf_g = 0;
  double embodied_kg = 0;
  double cost_total_usd = 0;
  double instance_hours = 0;
  std::vector<JobRecord> jobs;
  std::int64_t blind = 0;
  std::int64_t wait_clipped = 0;

  explicit WorkloadResult(std::int64_t n)
      : running(static_cast<std::size_t>(n), 0.0), energy_kwh(running), co2e_kg(running),
        cost_usd(running) {}
};

// part / whole, 0 when there is no whole (no energy: nothing rests on any data).
double share(double part, double whole) {
  return whole > 0 ? part / whole : 0.0;
}

// CCF's annual-average grid factor of a region, NaN when the catalog has none.
double ccf_factor(const Catalog& c, const std::string& region) {
  const auto it = c.ccf_grid_g_per_kwh.find(region);
  return it == c.ccf_grid_g_per_kwh.end() ? kNaN : it->second;
}

// Calls f(cell, seconds) for every grid cell overlapped by [a, b).
template <class F> void for_each_cell(const TimeGrid& g, TimeS a, TimeS b, F&& f) {
  a = std::max(a, g.start_s);
  b = std::min(b, g.end_s());
  for (std::int64_t c = g.cell_of(a); a < b && c < g.n; ++c) {
    const TimeS hi = std::min(b, g.cell_start(c) + g.step_s);
    f(c, hi - a);
    a = hi;
  }
}

// Energy and emissions of `power_w` running `seconds` in `cell`.
void add_energy(const Prepared& p, WorkloadResult& w, std::int64_t cell, double power_w,
                TimeS seconds) {
  const double kwh = energy_kwh(power_w, static_cast<double>(seconds) / 3600.0, p.pue);
  const Emissions e = cell_emissions(p.intensity, cell, kwh, p.range);
  const auto i = static_cast<std::size_t>(cell);
  w.energy_kwh[i] += kwh;
  w.co2e_kg[i] += e.known_g / 1000.0;
  w.em.add(e);
  w.filled_kwh += kwh * p.filled_share[i];
}

WorkloadResult account_fleet(const Prepared& p, const std::vector<std::vector<Interval>>& spans) {
  const Scenario& sc = *p.sc;
  const TimeGrid& g = sc.grid;
  WorkloadResult w(g.n);
  const double step_s = static_cast<double>(g.step_s);
  for (std::size_t gi = 0; gi < sc.fleet.size(); ++gi) {
    const FleetGroup& grp = sc.fleet[gi];
    const InstanceType& it = sc.catalog.instance(grp.instance_type);
    const double count = grp.count;
    const double od = sc.catalog.on_demand_usd_per_h(it, grp.region);
    auto price_at = [&](std::int64_t cell) {
      switch (grp.purchase) {
      case PurchaseOption::on_demand:
        return od;
      case PurchaseOption::spot:
        return grp.spot_usd_per_h.empty() ? grp.spot_fraction * od
                                          : grp.spot_usd_per_h[static_cast<std::size_t>(cell)];
      case PurchaseOption::reserved:
        return 0.0; // paid below for the whole period
      }
      return od;
    };
    const double ccf_w = count * instance_power(sc.catalog, it, kCcfUtilisation).total_w();
    const double ccf_g_per_kwh = ccf_factor(sc.catalog, grp.region);
    TimeS running_s = 0;
    for (const Interval& span : spans[gi]) {
      bool first = true;
      for_each_cell(g, span.start_s, span.end_s, [&](std::int64_t c, TimeS s) {
        const auto i = static_cast<std::size_t>(c);
        const double u = grp.utilisation.at(g.cell_start(c));
        add_energy(p, w, c, count * instance_power(sc.catalog, it, u).total_w(), s);
        w.running[i] += count * static_cast<double>(s) / step_s;
        // Per-second billing; the 60 s minimum's extra seconds fall on the span's first cell.
        const TimeS billed = first ? s + billed_seconds(span.duration_s()) - span.duration_s() : s;
        const double usd = count * price_at(c) * static_cast<double>(billed) / 3600.0;
        w.cost_usd[i] += usd;
        w.cost_total_usd += usd;
        first = false;
      });
      running_s += span.duration_s();
    }
    const double hours = static_cast<double>(running_s) / 3600.0;
    w.ccf_g += energy_kwh(ccf_w, hours, p.pue) * ccf_g_per_kwh;
    w.instance_hours += count * hours;
    w.embodied_kg += count * embodied_kg(sc.catalog, it, hours, it.vcpus);
    // EBS is billed whether the instance runs or not; reserved capacity whether used or not.
    const double ebs_per_cell = ebs_cost_usd(
        count * grp.ebs_gb, sc.catalog.ebs_usd_per_gb_month_in(grp.region), g.step_h());
    const double reserved_per_cell =
        grp.purchase == PurchaseOption::reserved
            ? reserved_cost_usd(grp.count, grp.reserved_usd_per_h, g.step_h())
            : 0.0;
    for (std::size_t i = 0; i < w.cost_usd.size(); ++i) {
      w.cost_usd[i] += ebs_per_cell + reserved_per_cell;
      w.cost_total_usd += ebs_per_cell + reserved_per_cell;
    }
  }
  return w;
}

// The forecast issued at `decision_s`, visible over [decision_s, to_s). For persistence the
// window is written into `buf` (valid until the next call with the same buffer).
struct ForecastBuffer {
  std::vector<double> values;
  std::vector<std::uint8_t> known;
};
// `replay`: the cells of [first, end) from the latest archived forecast issued at or before
// `decision_s` (time-weighted mean of its points overlapping each cell); cells it does not
// reach, or every cell when nothing was issued yet, are unknown (No-Fallback).
void replay_window(const ForecastArchive& a, const TimeGrid& g, TimeS decision_s,
                   std::int64_t first, std::int64_t end, ForecastBuffer& buf) {
  for (std::int64_t c = first; c < end; ++c) {
    buf.values[static_cast<std::size_t>(c)] = kNaN;
    buf.known[static_cast<std::size_t>(c)] = 0;
  }
  const auto it = std::upper_bound(a.issued_s.begin(), a.issued_s.end(), decision_s);
  if (it == a.issued_s.begin())
    return;
  const auto k = static_cast<std::size_t>(it - a.issued_s.begin() - 1);
  std::vector<double> sum(static_cast<std::size_t>(end - first), 0.0);
  std::vector<TimeS> covered(sum.size(), 0);
  for (std::size_t j = 0; j < a.point_s[k].size(); ++j) {
    const double v = a.value[k][j];
    if (std::isnan(v))
      continue;
    for_each_cell(g, a.point_s[k][j], a.point_s[k][j] + a.point_step_s,
                  [&](std::int64_t c, TimeS s) {
                    if (c < first || c >= end)
                      return;
                    sum[static_cast<std::size_t>(c - first)] += v * static_cast<double>(s);
                    covered[static_cast<std::size_t>(c - first)] += s;
                  });
  }
  for (std::size_t i = 0; i < sum.size(); ++i)
    if (covered[i] > 0) {
      buf.values[static_cast<std::size_t>(first) + i] = sum[i] / static_cast<double>(covered[i]);
      buf.known[static_cast<std::size_t>(first) + i] = 1;
    }
}

ForecastView forecast_view(const Prepared& p, TimeS decision_s, TimeS to_s, ForecastBuffer& buf) {
  const TimeGrid& g = p.sc->grid;
  const ForecastKind kind = p.sc->forecast.kind;
  if (kind != ForecastKind::persistence && kind != ForecastKind::replay)
    return ForecastView(g, p.forecast, p.known, decision_s, to_s);
  if (buf.values.empty()) {
    buf.values.assign(static_cast<std::size_t>(g.n), kNaN);
    buf.known.assign(static_cast<std::size_t>(g.n), 0);
  }
  const ForecastView shape(g, buf.values, buf.known, decision_s, to_s);
  if (kind == ForecastKind::persistence)
    persistence_window(p.intensity, g.cell_of(decision_s), shape.first_cell(), shape.end_cell(),
                       buf.values, buf.known);
  else
    replay_window(*p.sc->forecast_archive, g, decision_s, shape.first_cell(), shape.end_cell(),
                  buf);
  return shape;
}

// Error of every archived forecast point against the recorded intensity of the cell it falls
// in (points outside the grid or on unknown cells are left out).
ForecastErrors archive_errors(const ForecastArchive& a, const GridSeries& truth) {
  std::vector<double> seen, actual;
  for (std::size_t k = 0; k < a.point_s.size(); ++k)
    for (std::size_t j = 0; j < a.point_s[k].size(); ++j) {
      const std::int64_t c = truth.grid.cell_of(a.point_s[k][j]);
      if (c < 0 || c >= truth.grid.n || !truth.known(c) || std::isnan(a.value[k][j]))
        continue;
      seen.push_back(a.value[k][j]);
      actual.push_back(truth.value[static_cast<std::size_t>(c)]);
    }
  return forecast_errors(
      seen, grid_series(TimeGrid{0, truth.grid.step_s, static_cast<std::int64_t>(actual.size())},
                        actual));
}

std::vector<std::vector<Interval>> plan_fleet(const Prepared& p, const FleetStrategy& strat) {
  const Scenario& sc = *p.sc;
  FleetContext ctx;
  ctx.grid = sc.grid;
  ctx.time_zones = p.tz;
  ForecastBuffer buf;
  ctx.forecast_at = [&p, &sc, &buf](TimeS decision_s, TimeS horizon_s) {
    return forecast_view(p, decision_s, std::min(decision_s + horizon_s, sc.grid.end_s()), buf);
  };
  std::vector<std::vector<Interval>> spans;
  for (const FleetGroup& grp : sc.fleet) {
    std::vector<Interval> s = strat.plan(grp, ctx);
    TimeS prev = sc.grid.start_s;
    for (const Interval& iv : s)
      if (iv.start_s < prev || iv.end_s <= iv.start_s || iv.end_s > sc.grid.end_s())
        throw std::logic_error("fleet strategy returned spans that are unsorted, empty or outside "
                               "the period (a bug in the strategy)");
      else
        prev = iv.end_s;
    spans.push_back(std::move(s));
  }
  return spans;
}

WorkloadResult account_jobs(const Prepared& p, const JobStrategy& strat) {
  const Scenario& sc = *p.sc;
  const TimeGrid& g = sc.grid;
  WorkloadResult w(g.n);
  if (sc.jobs.empty())
    return w;
  const InstanceType& it = sc.catalog.instance(sc.job_pool->instance_type);
  const double od = sc.catalog.on_demand_usd_per_h(it, sc.job_pool->region);
  const double step_s = static_cast<double>(g.step_s);
  ForecastBuffer buf;
  for (Job job : sc.jobs) {
    // A job may not wait past the end of the period: its allowed wait is clipped and counted.
    const TimeS room = g.end_s() - job.arrival_s - job.duration_s;
    if (job.max_wait_s > room) {
      job.max_wait_s = room;
      ++w.wait_clipped;
    }
    const double power_w =
        share_power(sc.catalog, it, job.cpus, sc.job_pool->utilisation).total_w();
    job.run_power_w = power_w; // lets strategies weigh the suspension energy
    const TimeS to = std::min(job.arrival_s + strat.horizon_s(job), g.end_s());
    const ForecastView view = forecast_view(p, job.arrival_s, to, buf);
    const Placement pl = strat.place(job, view);
    TimeS total = 0, prev = job.arrival_s;
    for (std::size_t k = 0; k < pl.pieces.size(); ++k) {
      const Interval& iv = pl.pieces[k];
      if (iv.start_s < prev || iv.end_s <= iv.start_s)
        throw std::logic_error("job strategy returned unsorted or empty pieces (a bug)");
      if (k + 1 < pl.pieces.size() && iv.duration_s() < job.min_run_s)
        throw std::logic_error("job strategy ran job " + std::to_string(job.id) +
                               " in a piece shorter than its min_run (a bug)");
      prev = iv.end_s;
      total += iv.duration_s();
    }
    // Every resume reloads the checkpoint: pieces sum to duration + overhead × (pieces − 1).
    if (pl.pieces.empty() || total != job.running_s(pl.pieces.size()) || prev > job.deadline_s())
      throw std::logic_error("job strategy placed job " + std::to_string(job.id) +
                             " outside its window or with the wrong duration (a bug)");
    JobRecord rec;
    rec.job_id = job.id;
    rec.arrival_s = job.arrival_s;
    rec.start_s = pl.pieces.front().start_s;
    rec.end_s = pl.pieces.back().end_s;
    rec.pieces = static_cast<std::int32_t>(pl.pieces.size());
    rec.cpus = job.cpus;
    rec.wait_h = static_cast<double>(rec.start_s - job.arrival_s) / 3600.0;
    rec.blind = pl.blind;
    rec.deadline_missed = rec.end_s > job.deadline_s();
    const double usd_per_h = od * job.cpus / it.vcpus;
    Emissions em;
    double filled_kwh = 0;
    for (std::size_t k = 0; k < pl.pieces.size(); ++k) {
      const Interval& iv = pl.pieces[k];
      bool first = true;
      for_each_cell(g, iv.start_s, iv.end_s, [&](std::int64_t c, TimeS s) {
        const auto i = static_cast<std::size_t>(c);
        const double kwh = energy_kwh(power_w, static_cast<double>(s) / 3600.0, p.pue);
        const Emissions e = cell_emissions(p.intensity, c, kwh, p.range);
        em.add(e);
        filled_kwh += kwh * p.filled_share[i];
        w.energy_kwh[i] += kwh;
        w.co2e_kg[i] += e.known_g / 1000.0;
        w.running[i] += job.cpus * static_cast<double>(s) / step_s;
        // Each piece is a separate start: per-second billing with a 60 s minimum.
        const TimeS billed = first ? s + billed_seconds(iv.duration_s()) - iv.duration_s() : s;
        const double usd = usd_per_h * static_cast<double>(billed) / 3600.0;
        w.cost_usd[i] += usd;
        rec.cost_usd += usd;
        first = false;
      });
      // Suspending writes a checkpoint: its energy is drawn at the end of the suspended piece,
      // in that piece's last cell, at that cell's intensity (not running time: not billed).
      if (k + 1 < pl.pieces.size() && job.restart_energy_wh > 0) {
        const std::int64_t c = g.cell_of(iv.end_s - 1);
        const auto i = static_cast<std::size_t>(c);
        const double kwh = job.restart_energy_wh / 1000.0 * p.pue;
        const Emissions e = cell_emissions(p.intensity, c, kwh, p.range);
        em.add(e);
        filled_kwh += kwh * p.filled_share[i];
        w.energy_kwh[i] += kwh;
        w.co2e_kg[i] += e.known_g / 1000.0;
      }
    }
    w.em.add(em);
    rec.energy_kwh = em.energy_kwh;
    rec.co2e_g = em.known_g;
    rec.co2e_filled_share = share(filled_kwh, em.energy_kwh);
    rec.co2e_coverage = em.coverage() - rec.co2e_filled_share;
    w.filled_kwh += filled_kwh;
    w.cost_total_usd += rec.cost_usd;
    // Running time, the restart overheads included.
    const double hours = static_cast<double>(total) / 3600.0;
    w.instance_hours += hours * job.cpus / it.vcpus;
    w.embodied_kg += embodied_kg(sc.catalog, it, hours, job.cpus);
    w.ccf_g +=
        energy_kwh(share_power(sc.catalog, it, job.cpus, kCcfUtilisation).total_w(), hours, p.pue) *
        ccf_factor(sc.catalog, sc.job_pool->region);
    if (pl.blind)
      ++w.blind;
    w.jobs.push_back(rec);
  }
  return w;
}

// Percentile with linear interpolation between order statistics (numpy's default).
double percentile(std::vector<double> v, double q) {
  if (v.empty())
    return kNaN;
  std::sort(v.begin(), v.end());
  const double pos = q / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::vector<double> missing_energy_per_cell(const Prepared& p, const WorkloadResult& w) {
  std::vector<double> m(w.energy_kwh.size());
  for (std::size_t i = 0; i < m.size(); ++i)
    m[i] = w.energy_kwh[i] * (1.0 - p.intensity.coverage[i]);
  return m;
}

struct Outcome {
  RunResult result;
  // Energy shares of the run's total on source (measured/estimated), estimated and filled
  // intensity; NaN for a failed run. For /tables/quality.
  double co2e_coverage = kNaN, co2e_estimated_share = kNaN, co2e_filled_share = kNaN;
  StrategyKind kind = StrategyKind::fleet;
  Emissions governed_em;                    // emissions of the workload the strategy governs
  std::vector<double> governed_missing_kwh; // its energy per cell on unknown intensity
  double governed_cost = 0;
};

void put(RunResult& r, const char* name, const char* units, double v) {
  r.summary.push_back({name, units, v});
}
void put_int(RunResult& r, const char* name, std::int64_t v) {
  r.summary.push_back({name, "1", v});
}
void put_text(RunResult& r, const char* name, std::string v) {
  r.summary.push_back({name, "", std::move(v)});
}

std::string run_name(const Scenario& sc, const StrategySpec& s) {
  std::string params;
  if (s.params.is_object())
    for (const auto& [k, v] : s.params.as_object("params")) {
      std::string text;
      if (v.is_number() || v.is_bool())
        text = v.to_json();
      else if (v.is_string() && v.as_string(k).find_first_of("/,=") == std::string::npos)
        text = v.as_string(k);
      else
        continue; // structured values stay out of the name; the label tells them apart
      if (!params.empty())
        params += ',';
      params += k + "=" + text;
    }
  return sc.name + "/" + s.label + "/" + (params.empty() ? "-" : params) +
         "/seed=" + std::to_string(sc.seed);
}

Outcome assemble(const Prepared& p, const StrategySpec& spec, StrategyKind kind,
                 const WorkloadResult& fleet, const WorkloadResult& jobs) {
  const Scenario& sc = *p.sc;
  Outcome o;
  o.kind = kind;
  RunResult& r = o.result;
  r.name = run_name(sc, spec);
  r.strategy = spec.name;
  const WorkloadResult& gov = kind == StrategyKind::fleet ? fleet : jobs;
  o.governed_em = gov.em;
  o.governed_missing_kwh = missing_energy_per_cell(p, gov);
  o.governed_cost = gov.cost_total_usd;

  Emissions total = fleet.em;
  total.add(jobs.em);
  // Coverage counts only the source's own values; the filled share is reported beside it, and
  // coverage + filled share + missing share = 1 (methodology §4).
  o.co2e_filled_share = share(fleet.filled_kwh + jobs.filled_kwh, total.energy_kwh);
  o.co2e_coverage = total.coverage() - o.co2e_filled_share;
  o.co2e_estimated_share = share(total.estimated_energy_kwh, total.energy_kwh);
  std::vector<double> waits;
  std::int64_t misses = 0;
  for (const JobRecord& j : jobs.jobs) {
    waits.push_back(j.wait_h);
    misses += j.deadline_missed ? 1 : 0;
  }
  double wait_sum = 0;
  for (double x : waits)
    wait_sum += x;

  put_text(r, "scenario", sc.name);
  put_text(r, "label", spec.label);
  put_text(r, "kind", to_string(kind));
  const std::string& base = kind == StrategyKind::fleet ? sc.baseline_fleet : sc.baseline_jobs;
  put_int(r, "is_baseline", spec.label == base ? 1 : 0);
  put(r, "energy_kwh", "kW h", total.energy_kwh);
  put(r, "co2e_operational_kg", "kg", total.known_g / 1000);
  put(r, "co2e_operational_lower_kg", "kg", total.lower_g / 1000);
  put(r, "co2e_operational_upper_kg", "kg", total.upper_g / 1000);
  put(r, "co2e_coverage", "1", o.co2e_coverage);
  put(r, "co2e_estimated_share", "1", o.co2e_estimated_share);
  put(r, "co2e_filled_share", "1", o.co2e_filled_share);
  put(r, "co2e_embodied_kg", "kg", fleet.embodied_kg + jobs.embodied_kg);
  // The same placements estimated the Cloud Carbon Footprint way (annual-average factor, 50 %
  // utilisation), and how far it lies from the hourly accounting (NaN unless complete).
  const double ccf_kg = (fleet.ccf_g + jobs.ccf_g) / 1000;
  put(r, "co2e_ccf_estimate_kg", "kg", ccf_kg);
  put(r, "co2e_ccf_difference_pct", "%",
      total.complete() && total.known_g > 0 ? 100.0 * (ccf_kg * 1000 / total.known_g - 1.0) : kNaN);
  put(r, "cost_usd", "USD", fleet.cost_total_usd + jobs.cost_total_usd);
  // By position, not by address: the fleet and the jobs may be the same object (an empty
  // workload in summary_prototype).
  for (const bool f : {true, false}) {
    const WorkloadResult* w = f ? &fleet : &jobs;
    put(r, f ? "fleet_energy_kwh" : "jobs_energy_kwh", "kW h", w->em.energy_kwh);
    put(r, f ? "fleet_co2e_kg" : "jobs_co2e_kg", "kg", w->em.known_g / 1000);
    put(r, f ? "fleet_co2e_lower_kg" : "jobs_co2e_lower_kg", "kg", w->em.lower_g / 1000);
    put(r, f ? "fleet_co2e_upper_kg" : "jobs_co2e_upper_kg", "kg", w->em.upper_g / 1000);
    put(r, f ? "fleet_cost_usd" : "jobs_cost_usd", "USD", w->cost_total_usd);
  }
  put(r, "instance_hours", "h", fleet.instance_hours + jobs.instance_hours);
  // kg CO2e per fleet instance and month (730 h; operational over known intensity + embodied),
  // the thesis's per-instance figure; NaN without a fleet (docs/metrics.md).
  double instances = 0;
  for (const FleetGroup& g : sc.fleet)
    instances += g.count;
  const double months = static_cast<double>(sc.grid.n) * sc.grid.step_h() / kHoursPerMonth;
  put(r, "fleet_co2e_per_instance_month_kg", "kg",
      instances > 0 && months > 0
          ? (fleet.em.known_g / 1000 + fleet.embodied_kg) / instances / months
          : kNaN);
  put_int(r, "jobs", static_cast<std::int64_t>(jobs.jobs.size()));
  put(r, "wait_mean_h", "h", waits.empty() ? kNaN : wait_sum / static_cast<double>(waits.size()));
  put(r, "wait_p95_h", "h", percentile(waits, 95));
  put_int(r, "deadline_misses", misses);
  put_int(r, "blind_decisions", fleet.blind + jobs.blind);
  put_int(r, "jobs_wait_clipped", jobs.wait_clipped);
  put_int(r, "complete", total.complete() ? 1 : 0);
  put_text(r, "forecast", to_string(sc.forecast));
  put(r, "forecast_mae_g_per_kwh", "g kW-1 h-1", p.forecast_errors.mae);
  put(r, "forecast_rmse_g_per_kwh", "g kW-1 h-1", p.forecast_errors.rmse);
  put(r, "forecast_bias_g_per_kwh", "g kW-1 h-1", p.forecast_errors.bias);
  put(r, "tac_fleet", "1", p.tac_fleet);
  put(r, "cost_mape_pct", "%", p.cost_mape_pct);
  put_int(r, "cost_mape_pairs", p.cost_mape_pairs);
  put_int(r, "cost_mape_zero_billed", p.cost_mape_zero_billed);
  put(r, "dps_mean", "1", p.dps_mean);
  // Savings are filled in once every run is done.
  put(r, "savings_co2e_pct", "%", kNaN);
  put(r, "savings_co2e_lower_pct", "%", kNaN);
  put(r, "savings_co2e_upper_pct", "%", kNaN);
  put(r, "savings_cost_pct", "%", kNaN);
  put_text(r, "savings_workload", to_string(kind));

  const std::size_t n = static_cast<std::size_t>(sc.grid.n);
  auto sum = [&](const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i)
      s[i] = a[i] + b[i];
    return s;
  };
  std::vector<double> source_coverage(n);
  for (std::size_t i = 0; i < n; ++i)
    source_coverage[i] = p.intensity.coverage[i] - p.filled_share[i];
  r.series.push_back({"intensity_g_per_kwh", "g kW-1 h-1", p.intensity.value});
  r.series.push_back({"intensity_coverage", "1", source_coverage});
  r.series.push_back({"intensity_filled_share", "1", p.filled_share});
  r.series.push_back({"fleet_running", "1", fleet.running});
  r.series.push_back({"jobs_running_cpus", "1", jobs.running});
  r.series.push_back({"energy_kwh", "kW h", sum(fleet.energy_kwh, jobs.energy_kwh)});
  r.series.push_back({"co2e_kg", "kg", sum(fleet.co2e_kg, jobs.co2e_kg)});
  r.series.push_back({"cost_usd", "USD", sum(fleet.cost_usd, jobs.cost_usd)});
  r.jobs = jobs.jobs;
  return o;
}

void set_field(RunResult& r, const std::string& name, double v) {
  for (Field& f : r.summary)
    if (f.name == name)
      f.value = v;
}

// Savings of the governed workload against the baseline run of the same kind. With missing
// data the bounds come from the range of the emission ratio over the unknown intensities,
// shared by both runs (DESIGN §3); the central value is defined only when the bounds meet.
void fill_savings(Outcome& o, const Prepared& p, const WorkloadResult& base) {
  const Emissions& e = o.governed_em;
  auto pct = [](double run, double b) { return b > 0 ? 100.0 * (1.0 - run / b) : kNaN; };
  const RatioRange ratio =
      emission_ratio_range(e.known_g, o.governed_missing_kwh, base.em.known_g,
                           missing_energy_per_cell(p, base), p.range.min, p.range.max);
  const double lower = 100.0 * (1.0 - ratio.max), upper = 100.0 * (1.0 - ratio.min);
  set_field(o.result, "savings_co2e_pct", lower == upper ? lower : kNaN);
  set_field(o.result, "savings_co2e_lower_pct", lower);
  set_field(o.result, "savings_co2e_upper_pct", upper);
  set_field(o.result, "savings_cost_pct", pct(o.governed_cost, base.cost_total_usd));
}

// The summary fields of a run, in order, with their units and types (values meaningless).
std::vector<Field> summary_prototype() {
  Scenario sc;
  sc.name = "x";
  sc.grid = TimeGrid{0, 3600, 1};
  Prepared p;
  p.sc = &sc;
  p.intensity.value = {0};
  p.intensity.coverage = {1};
  p.filled_share = {0};
  const WorkloadResult w(1);
  return assemble(p, StrategySpec{"no_wait", "no_wait", Value()}, StrategyKind::jobs, w, w)
      .result.summary;
}

// A failed run has every summary field, so the table stays rectangular: its identity fields,
// and NaN, 0 or "" for the rest by type.
RunResult error_run(const Scenario& sc, const StrategySpec& spec, const std::string& msg) {
  RunResult r;
  r.name = run_name(sc, spec);
  r.strategy = spec.name;
  r.status = "error";
  r.message = msg;
  for (Field f : summary_prototype()) {
    if (f.name == "scenario")
      f.value = sc.name;
    else if (f.name == "label")
      f.value = spec.label;
    else if (f.name == "kind")
      f.value = std::string(to_string(strategy_info(spec.name).kind));
    else if (std::holds_alternative<double>(f.value))
      f.value = kNaN;
    else if (std::holds_alternative<std::int64_t>(f.value))
      f.value = std::int64_t{0};
    else
      f.value = std::string();
    r.summary.push_back(std::move(f));
  }
  return r;
}

// /tables/quality: one row per run and trace (today the carbon trace) with the trace's
// provenance and data quality over the grid, and the run's energy shares on it. Later
// data-quality metrics (TAC, Cost-MAPE, DPS) add columns; a metric that does not apply to a
// row's trace is NaN there (docs/result-schema.md).
Table quality_table(const Prepared& p, const std::vector<Outcome>& outcomes) {
  const Provenance& prov = p.intensity.provenance;
  const std::size_t rows = outcomes.size();
  std::vector<std::int64_t> run(rows);
  std::vector<double> co2e_coverage(rows), co2e_estimated(rows), co2e_filled(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    run[i] = static_cast<std::int64_t>(i);
    co2e_coverage[i] = outcomes[i].co2e_coverage;
    co2e_estimated[i] = outcomes[i].co2e_estimated_share;
    co2e_filled[i] = outcomes[i].co2e_filled_share;
  }
  auto text = [rows](const std::string& v) { return std::vector<std::string>(rows, v); };
  auto number = [rows](double v) { return std::vector<double>(rows, v); };
  return Table{"quality",
               {{"run", "", run},
                {"trace", "", text("carbon")},
                {"source", "", text(prov.source)},
                {"zone", "", text(prov.zone)},
                {"signal", "", text(to_string(prov.signal))},
                {"basis", "", text(to_string(prov.basis))},
                {"fill_policy", "", text(prov.fill_policy)},
                {"measured_share", "1", number(p.shares.measured)},
                {"estimated_share", "1", number(p.shares.estimated)},
                {"filled_share", "1", number(p.shares.filled)},
                {"missing_share", "1", number(p.shares.missing)},
                {"coverage", "1", number(p.shares.coverage())},
                {"co2e_coverage", "1", co2e_coverage},
                {"co2e_estimated_share", "1", co2e_estimated},
                {"co2e_filled_share", "1", co2e_filled},
                {"tac_fleet", "1", number(p.tac_fleet)},
                {"cost_mape_pct", "%", number(p.cost_mape_pct)},
                {"dps_mean", "1", number(p.dps_mean)}}};
}

// Runs tasks 0..n-1 on `threads` threads; each task writes only its own slot.
template <class F> void parallel_for(std::size_t n, int threads, F&& f) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++)
      f(i);
  };
  const auto t = static_cast<std::size_t>(std::max(1, threads));
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < std::min(t, n); ++k)
    pool.emplace_back(worker);
  worker();
  for (auto& th : pool)
    th.join();
}

StrategySpec baseline_spec(const Scenario& sc, const std::string& label) {
  for (const auto& s : sc.strategies)
    if (s.label == label)
      return s;
  return StrategySpec{label, label, Value()};
}

} // namespace

std::vector<std::pair<std::string, std::string>> summary_columns() {
  std::vector<std::pair<std::string, std::string>> cols;
  for (const Field& f : summary_prototype())
    cols.emplace_back(f.name, f.units);
  return cols;
}

ResultSet run_scenario(const Scenario& sc, const TimeZoneDb& tz, const EngineOptions& opt) {
  Prepared p;
  p.sc = &sc;
  p.tz = &tz;
  // The trace on the grid, then the opt-in fill policy its provenance names (the scenario
  // loader records it there; "none" unless the scenario asks). Bounds use observed values only.
  const GridSeries observed = resample(sc.carbon, sc.grid);
  p.range = known_range(observed);
  FilledSeries filled = fill_gaps(observed, parse_fill_policy(sc.carbon.provenance.fill_policy));
  p.shares = quality_shares(filled);
  p.intensity = std::move(filled.series);
  p.filled_share = std::move(filled.filled_share);
  // The forecast strategies see: the recorded values (and filled ones) for `oracle`, with
  // seeded noise for `gaussian` (one static vector per scenario and seed: common random
  // numbers across runs); `persistence` is built per decision. Accounting uses the truth.
  if (sc.forecast.kind == ForecastKind::persistence) {
    p.forecast_errors = persistence_errors(p.intensity);
  } else if (sc.forecast.kind == ForecastKind::replay) {
    CFSIM_CHECK(sc.forecast_archive.has_value(), "replay forecast without its archive");
    p.forecast_errors = archive_errors(*sc.forecast_archive, p.intensity);
  } else {
    p.forecast = static_forecast(p.intensity, sc.forecast, sc.seed);
    p.known.resize(p.forecast.size());
    for (std::size_t i = 0; i < p.known.size(); ++i)
      p.known[i] = p.intensity.coverage[i] > 0 && !std::isnan(p.forecast[i]) ? 1 : 0;
    p.forecast_errors = forecast_errors(p.forecast, p.intensity);
  }
  p.pue = sc.catalog.pue(kProvider);
  billing_quality(p);

  // The baseline of each workload, shared by the runs that govern the other one.
  const StrategySpec fleet_base = baseline_spec(sc, sc.baseline_fleet);
  const StrategySpec jobs_base = baseline_spec(sc, sc.baseline_jobs);
  const WorkloadResult base_fleet =
      sc.fleet.empty()
          ? WorkloadResult(sc.grid.n)
          : account_fleet(p,
                          plan_fleet(p, *make_fleet_strategy(fleet_base.name, fleet_base.params)));
  const WorkloadResult base_jobs =
      sc.jobs.empty() ? WorkloadResult(sc.grid.n)
                      : account_jobs(p, *make_job_strategy(jobs_base.name, jobs_base.params));

  const int threads = opt.threads > 0
                          ? opt.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<Outcome> outcomes(sc.strategies.size());
  std::vector<bool> ok(sc.strategies.size(), false);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  parallel_for(sc.strategies.size(), threads, [&](std::size_t i) {
    const StrategySpec& spec = sc.strategies[i];
    try {
      const StrategyKind kind = strategy_info(spec.name).kind;
      if (kind == StrategyKind::fleet) {
        const WorkloadResult f =
            account_fleet(p, plan_fleet(p, *make_fleet_strategy(spec.name, spec.params)));
        outcomes[i] = assemble(p, spec, kind, f, base_jobs);
      } else {
        const WorkloadResult j = account_jobs(p, *make_job_strategy(spec.name, spec.params));
        outcomes[i] = assemble(p, spec, kind, base_fleet, j);
      }
      ok[i] = true;
    } catch (const std::exception& e) {
      outcomes[i].result = error_run(sc, spec, e.what());
    }
    const std::size_t d = ++done;
    if (opt.progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      std::fprintf(stderr, "cfsim: run %zu/%zu done: %s%s\n", d, sc.strategies.size(),
                   outcomes[i].result.name.c_str(), ok[i] ? "" : " (error)");
    }
  });

  ResultSet rs;
  rs.grid = sc.grid;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (ok[i]) {
      const bool fleet = outcomes[i].kind == StrategyKind::fleet;
      fill_savings(outcomes[i], p, fleet ? base_fleet : base_jobs);
    }
    rs.runs.push_back(std::move(outcomes[i].result));
  }
  rs.tables.push_back(quality_table(p, outcomes));
  return rs;
}

} // namespace cfsim
