// The replay engine. Each run applies one strategy to the workload it governs (fleet or jobs);
// the other workload follows the scenario's baseline for that kind, so every run accounts the
// whole scenario and savings compare like with like (DESIGN §6–§7).
#include "cfsim/engine.hpp"
#include "engine/replay.hpp"
#include "parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "cfsim/accounting.hpp"
#include "cfsim/capacity.hpp"
#include "cfsim/cost.hpp"
#include "cfsim/energy.hpp"
#include "cfsim/error.hpp"
#include "cfsim/fill.hpp"
#include "cfsim/forecast_models.hpp"
#include "cfsim/metrics.hpp"
#include "cfsim/rng.hpp"
#include "cfsim/spot.hpp"
#include "cfsim/stats.hpp"
#include "cfsim/strategy.hpp"

namespace cfsim {

namespace {

// CCF's default utilisation when none is measured (CCF methodology, "Compute": 50 %).
constexpr double kCcfUtilisation = 0.5;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kProvider = "aws"; // the catalog holds AWS instance types

// A carbon trace on the grid as accounting and strategies see it: resampled, then the opt-in
// fill policy its provenance names (the scenario loader records it there; "none" unless the
// scenario asks); the observed range (source values only) bounds the unknown intensities.
struct TraceOnGrid {
  GridSeries intensity;             // source values plus filled ones (coverage counts both)
  std::vector<double> filled_share; // per cell, the part of `intensity` that was filled
  QualityShares shares;
  KnownRange range;
};

TraceOnGrid trace_on_grid(const RawSeries& raw, const TimeGrid& grid) {
  const GridSeries observed = resample(raw, grid);
  TraceOnGrid t;
  t.range = known_range(observed);
  FilledSeries filled = fill_gaps(observed, parse_fill_policy(raw.provenance.fill_policy));
  t.shares = quality_shares(filled);
  t.intensity = std::move(filled.series);
  t.filled_share = std::move(filled.filled_share);
  return t;
}

// A candidate region of job placement beyond home (Scenario::job_regions; methodology §5.2):
// its trace on the grid through the same path as the home trace, and what strategies see of it.
struct RegionTrace : TraceOnGrid {
  const RegionCandidate* spec = nullptr;
  std::vector<double> forecast; // static forecasts (oracle, gaussian); empty: persistence
  std::vector<std::uint8_t> known;
};

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
  std::vector<RegionTrace> regions; // candidate regions of jobs beyond home, in scenario order
  // The union of the home and candidate regions' observed ranges: bounds the unknown intensities
  // of job runs' savings (methodology §5.2); `range` itself without candidate regions.
  KnownRange jobs_range;
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

// Each candidate region's trace through the home trace's path: resampled, its observed range,
// its own opt-in fill policy, quality shares and forecast (gaussian noise on a stream of its own
// per region, so that regions' noise is independent); and the union of the observed ranges.
void prepare_regions(Prepared& p) {
  const Scenario& sc = *p.sc;
  p.jobs_range = p.range;
  for (std::size_t k = 0; k < sc.job_regions.size(); ++k) {
    const RegionCandidate& rc = sc.job_regions[k];
    RegionTrace t;
    static_cast<TraceOnGrid&>(t) = trace_on_grid(rc.carbon, sc.grid);
    t.spec = &rc;
    CFSIM_CHECK(sc.forecast.kind != ForecastKind::replay,
                "a replayed forecast archive with candidate regions (the loader rejects it)");
    if (sc.forecast.kind != ForecastKind::persistence) {
      t.forecast = static_forecast(t.intensity, sc.forecast, sc.seed,
                                   splitmix64(kForecastNoiseStream + k + 1));
      t.known.resize(t.forecast.size());
      for (std::size_t i = 0; i < t.known.size(); ++i)
        t.known[i] = t.intensity.coverage[i] > 0 && !std::isnan(t.forecast[i]) ? 1 : 0;
    }
    if (t.range.any) {
      p.jobs_range.min = p.jobs_range.any ? std::min(p.jobs_range.min, t.range.min) : t.range.min;
      p.jobs_range.max = p.jobs_range.any ? std::max(p.jobs_range.max, t.range.max) : t.range.max;
      p.jobs_range.any = true;
    }
    p.regions.push_back(std::move(t));
  }
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
  // Jobs only (methodology §5.1–5.2): energy per region and cell ([0] home, then the candidate
  // regions; empty without candidate regions), vCPU-hours run in all, on spot, on reserved
  // capacity and outside home, the spot model's outcomes, and the reserved fee.
  std::vector<std::vector<double>> region_energy_kwh;
  double cpu_h = 0, spot_cpu_h = 0, reserved_cpu_h = 0, other_region_cpu_h = 0;
  std::int64_t interruptions = 0;
  double lost_work_h = 0, unfinished_work_h = 0, reserved_fee_usd = 0;

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

// The per-decision window of `buf` over [decision_s, to_s), allocated on first use (persistence
// and replay fill it; valid until the next call with the same buffer).
ForecastView buffer_view(const TimeGrid& g, TimeS decision_s, TimeS to_s, ForecastBuffer& buf) {
  if (buf.values.empty()) {
    buf.values.assign(static_cast<std::size_t>(g.n), kNaN);
    buf.known.assign(static_cast<std::size_t>(g.n), 0);
  }
  return ForecastView(g, buf.values, buf.known, decision_s, to_s);
}

ForecastView forecast_view(const Prepared& p, TimeS decision_s, TimeS to_s, ForecastBuffer& buf) {
  const TimeGrid& g = p.sc->grid;
  const ForecastKind kind = p.sc->forecast.kind;
  if (kind != ForecastKind::persistence && kind != ForecastKind::replay)
    return ForecastView(g, p.forecast, p.known, decision_s, to_s);
  const ForecastView shape = buffer_view(g, decision_s, to_s, buf);
  if (kind == ForecastKind::persistence)
    persistence_window(p.intensity, g.cell_of(decision_s), shape.first_cell(), shape.end_cell(),
                       buf.values, buf.known);
  else
    replay_window(*p.sc->forecast_archive, g, decision_s, shape.first_cell(), shape.end_cell(),
                  buf);
  return shape;
}

// forecast_view for candidate region k (an index into Prepared::regions).
ForecastView region_view(const Prepared& p, std::size_t k, TimeS decision_s, TimeS to_s,
                         ForecastBuffer& buf) {
  const RegionTrace& t = p.regions[k];
  const TimeGrid& g = p.sc->grid;
  if (p.sc->forecast.kind != ForecastKind::persistence)
    return ForecastView(g, t.forecast, t.known, decision_s, to_s);
  const ForecastView shape = buffer_view(g, decision_s, to_s, buf);
  persistence_window(t.intensity, g.cell_of(decision_s), shape.first_cell(), shape.end_cell(),
                     buf.values, buf.known);
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

// The jobs, placed one by one in arrival order (id order on equal arrivals), so that reserved
// capacity goes to the earlier job whatever the thread count; their records keep the
// scenario's order. Each placement is checked against
// the strategy contract (strategy.hpp), then its executed pieces are accounted: the pieces as
// placed, or for spot the outcome of the interruption model (cfsim/spot.hpp), each on the
// capacity it ran on, in the region it ran in (that region's intensity and price).
WorkloadResult account_jobs(const Prepared& p, const JobStrategy& strat) {
  const Scenario& sc = *p.sc;
  const TimeGrid& g = sc.grid;
  WorkloadResult w(g.n);
  if (sc.jobs.empty())
    return w;
  const JobPool& pool = *sc.job_pool;
  const JobCapacity& cap = pool.capacity;
  const InstanceType& it = sc.catalog.instance(pool.instance_type);
  const double od = sc.catalog.on_demand_usd_per_h(it, pool.region);
  const double step_s = static_cast<double>(g.step_s);
  // Region k: 0 is home (the pool's region and the scenario's trace), k ≥ 1 candidate k − 1.
  const std::size_t regions = 1 + p.regions.size();
  std::vector<double> region_od{od};
  for (const RegionTrace& t : p.regions)
    region_od.push_back(sc.catalog.on_demand_usd_per_h(it, t.spec->region));
  const auto trace = [&p](std::size_t k) -> const GridSeries& {
    return k == 0 ? p.intensity : p.regions[k - 1].intensity;
  };
  const auto filled_share_of = [&p](std::size_t k) -> const std::vector<double>& {
    return k == 0 ? p.filled_share : p.regions[k - 1].filled_share;
  };
  const auto range_of = [&p](std::size_t k) -> const KnownRange& {
    return k == 0 ? p.range : p.regions[k - 1].range;
  };
  const auto region_name = [&](std::size_t k) -> const std::string& {
    return k == 0 ? pool.region : p.regions[k - 1].spec->region;
  };
  if (regions > 1)
    w.region_energy_kwh.assign(regions, std::vector<double>(static_cast<std::size_t>(g.n), 0.0));
  // Reserved capacity: the engine's occupancy timeline, and its fee, paid for every reserved
  // vCPU over the whole period whether used or not (fraction × on-demand per vCPU-hour).
  ReservedTimeline reserved(g, cap.reserved_vcpus);
  if (cap.reserved_vcpus > 0) {
    const double fee_per_cell =
        cap.reserved_fee_fraction * od / it.vcpus * cap.reserved_vcpus * g.step_h();
    for (std::size_t i = 0; i < w.cost_usd.size(); ++i) {
      w.cost_usd[i] += fee_per_cell;
      w.cost_total_usd += fee_per_cell;
      w.reserved_fee_usd += fee_per_cell;
    }
  }
  std::vector<std::size_t> order(sc.jobs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&sc](std::size_t a, std::size_t b) {
    const Job& x = sc.jobs[a];
    const Job& y = sc.jobs[b];
    return x.arrival_s != y.arrival_s ? x.arrival_s < y.arrival_s : x.id < y.id;
  });
  std::vector<ForecastBuffer> bufs(regions);
  std::vector<JobRecord> records(sc.jobs.size()); // in scenario order
  for (const std::size_t index : order) {
    Job job = sc.jobs[index];
    // A job may not wait past the end of the period: its allowed wait is clipped and counted.
    const TimeS room = g.end_s() - job.arrival_s - job.duration_s;
    if (job.max_wait_s > room) {
      job.max_wait_s = room;
      ++w.wait_clipped;
    }
    const double power_w = share_power(sc.catalog, it, job.cpus, pool.utilisation).total_w();
    job.run_power_w = power_w; // lets strategies weigh the suspension energy
    const TimeS to = std::min(job.arrival_s + strat.horizon_s(job), g.end_s());
    JobContext ctx;
    ctx.instance_share = job.cpus / it.vcpus;
    ctx.regions.push_back(RegionOption{pool.region, od * job.cpus / it.vcpus, 0.0, "",
                                       forecast_view(p, job.arrival_s, to, bufs[0])});
    for (std::size_t k = 1; k < regions; ++k) {
      const RegionCandidate& rc = *p.regions[k - 1].spec;
      ctx.regions.push_back(RegionOption{rc.region, region_od[k] * job.cpus / it.vcpus,
                                         rc.latency_ms, rc.sovereignty,
                                         region_view(p, k - 1, job.arrival_s, to, bufs[k])});
    }
    ctx.reserved = cap.reserved_vcpus > 0 ? &reserved : nullptr;
    ctx.spot = cap.spot() ? &cap : nullptr;
    const Placement pl = strat.place_with(job, ctx);
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
    const std::string who = "job strategy placed job " + std::to_string(job.id);
    if (pl.region >= regions)
      throw std::logic_error(who + " in a region that is not a candidate (a bug)");
    if (pl.capacity != PurchaseOption::on_demand && pl.region != 0)
      throw std::logic_error(who + " on reserved or spot capacity outside home (a bug)");
    if (pl.capacity == PurchaseOption::spot && (ctx.spot == nullptr || pl.pieces.size() != 1))
      throw std::logic_error(who + " on spot capacity that is not offered or in pieces (a bug)");
    if (pl.capacity == PurchaseOption::reserved)
      for (const Interval& iv : pl.pieces) {
        if (ctx.reserved == nullptr || !reserved.free(iv.start_s, iv.end_s, job.cpus))
          throw std::logic_error(who + " on reserved capacity that is not free (a bug)");
        reserved.commit(iv.start_s, iv.end_s, job.cpus);
      }
    // What ran: the placement, or the spot model's outcome (cut at the period end).
    std::vector<ExecutedPiece> run;
    SpotRun spot;
    if (pl.capacity == PurchaseOption::spot) {
      const SpotModel model{cap.interruption_per_h, cap.checkpoint_interval_s, cap.restart_on,
                            job.restart_overhead_s};
      spot = simulate_spot(g, pl.pieces.front().start_s, job.duration_s, model, sc.seed, job.id,
                           g.end_s());
      run = spot.pieces;
    } else {
      for (const Interval& iv : pl.pieces)
        run.push_back({iv, pl.capacity});
    }
    JobRecord rec;
    rec.job_id = job.id;
    rec.arrival_s = job.arrival_s;
    rec.start_s = run.front().span.start_s;
    rec.end_s = run.back().span.end_s;
    rec.pieces = static_cast<std::int32_t>(run.size());
    rec.cpus = job.cpus;
    rec.wait_h = static_cast<double>(rec.start_s - job.arrival_s) / 3600.0;
    rec.blind = pl.blind;
    rec.deadline_missed = rec.end_s > job.deadline_s() || spot.unfinished_work_s > 0;
    rec.capacity = to_string(pl.capacity);
    rec.region = region_name(pl.region);
    rec.interruptions = spot.interruptions;
    rec.lost_work_h = static_cast<double>(spot.lost_work_s) / 3600.0;
    rec.unfinished_work_h = static_cast<double>(spot.unfinished_work_s) / 3600.0;
    const GridSeries& intensity = trace(pl.region);
    const std::vector<double>& filled_share = filled_share_of(pl.region);
    const KnownRange& range = range_of(pl.region);
    const double usd_per_h = ctx.regions[pl.region].usd_per_h;
    Emissions em;
    double filled_kwh = 0;
    TimeS running = 0;
    for (std::size_t k = 0; k < run.size(); ++k) {
      const Interval& iv = run[k].span;
      const PurchaseOption on = run[k].capacity;
      bool first = true;
      for_each_cell(g, iv.start_s, iv.end_s, [&](std::int64_t c, TimeS s) {
        const auto i = static_cast<std::size_t>(c);
        const double kwh = energy_kwh(power_w, static_cast<double>(s) / 3600.0, p.pue);
        const Emissions e = cell_emissions(intensity, c, kwh, range);
        em.add(e);
        filled_kwh += kwh * filled_share[i];
        w.energy_kwh[i] += kwh;
        w.co2e_kg[i] += e.known_g / 1000.0;
        w.running[i] += job.cpus * static_cast<double>(s) / step_s;
        if (!w.region_energy_kwh.empty())
          w.region_energy_kwh[pl.region][i] += kwh;
        // Each piece is a separate start: per-second billing with a 60 s minimum. Reserved
        // capacity costs nothing more (its fee is paid above).
        const TimeS billed = first ? s + billed_seconds(iv.duration_s()) - iv.duration_s() : s;
        const double price = on == PurchaseOption::on_demand ? usd_per_h
                             : on == PurchaseOption::spot    ? ctx.spot_usd_per_h(c)
                                                             : 0.0;
        const double usd = price * static_cast<double>(billed) / 3600.0;
        w.cost_usd[i] += usd;
        rec.cost_usd += usd;
        first = false;
      });
      // Suspending writes a checkpoint: its energy is drawn at the end of the suspended piece,
      // in that piece's last cell, at that cell's intensity (not running time: not billed).
      // A spot interruption writes none (the work since the last checkpoint is lost instead).
      if (pl.capacity != PurchaseOption::spot && k + 1 < run.size() && job.restart_energy_wh > 0) {
        const std::int64_t c = g.cell_of(iv.end_s - 1);
        const auto i = static_cast<std::size_t>(c);
        const double kwh = job.restart_energy_wh / 1000.0 * p.pue;
        const Emissions e = cell_emissions(intensity, c, kwh, range);
        em.add(e);
        filled_kwh += kwh * filled_share[i];
        w.energy_kwh[i] += kwh;
        w.co2e_kg[i] += e.known_g / 1000.0;
        if (!w.region_energy_kwh.empty())
          w.region_energy_kwh[pl.region][i] += kwh;
      }
      running += iv.duration_s();
      const double cpu_h = static_cast<double>(iv.duration_s()) / 3600.0 * job.cpus;
      w.cpu_h += cpu_h;
      if (on == PurchaseOption::spot)
        w.spot_cpu_h += cpu_h;
      else if (on == PurchaseOption::reserved)
        w.reserved_cpu_h += cpu_h;
      if (pl.region != 0)
        w.other_region_cpu_h += cpu_h;
    }
    w.em.add(em);
    rec.energy_kwh = em.energy_kwh;
    rec.co2e_g = em.known_g;
    rec.co2e_filled_share = share(filled_kwh, em.energy_kwh);
    rec.co2e_coverage = em.coverage() - rec.co2e_filled_share;
    w.filled_kwh += filled_kwh;
    w.cost_total_usd += rec.cost_usd;
    w.interruptions += spot.interruptions;
    w.lost_work_h += rec.lost_work_h;
    w.unfinished_work_h += rec.unfinished_work_h;
    // Running time, the restart overheads included.
    const double hours = static_cast<double>(running) / 3600.0;
    w.instance_hours += hours * job.cpus / it.vcpus;
    w.embodied_kg += embodied_kg(sc.catalog, it, hours, job.cpus);
    w.ccf_g +=
        energy_kwh(share_power(sc.catalog, it, job.cpus, kCcfUtilisation).total_w(), hours, p.pue) *
        ccf_factor(sc.catalog, region_name(pl.region));
    if (pl.blind)
      ++w.blind;
    records[index] = std::move(rec);
  }
  w.jobs = std::move(records);
  return w;
}

// Energy per cell on unknown intensity. With candidate regions, the concatenation over (region,
// cell) of the energy drawn there on that region's unknown intensity: each is its own unknown.
std::vector<double> missing_energy_per_cell(const Prepared& p, const WorkloadResult& w) {
  if (!w.region_energy_kwh.empty()) {
    std::vector<double> m;
    for (std::size_t k = 0; k < w.region_energy_kwh.size(); ++k) {
      const GridSeries& s = k == 0 ? p.intensity : p.regions[k - 1].intensity;
      for (std::size_t i = 0; i < w.region_energy_kwh[k].size(); ++i)
        m.push_back(w.region_energy_kwh[k][i] * (1.0 - s.coverage[i]));
    }
    return m;
  }
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
  return cfsim::run_name(sc.name, s.label, s.params, sc.sweep_params, sc.seed);
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
  // A sweep's expanded parameters, one column each (docs/sweeps.md): numbers as float64,
  // text as text.
  for (const SweepParam& sp : sc.sweep_params) {
    if (sp.is_number)
      put(r, ("param_" + sp.name).c_str(), "", sp.number);
    else
      put_text(r, ("param_" + sp.name).c_str(), sp.text);
  }
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
  put(r, "wait_p95_h", "h", percentile_linear(waits, 95).value_or(kNaN));
  put_int(r, "deadline_misses", misses);
  put_int(r, "blind_decisions", fleet.blind + jobs.blind);
  put_int(r, "jobs_wait_clipped", jobs.wait_clipped);
  // Capacity and regions of the jobs (methodology §5.1–5.2): shares of the jobs' vCPU-hours run
  // on spot, on reserved capacity and outside the home region; the spot model's interruptions,
  // lost (redone) and unfinished work; the reserved fee (part of jobs_cost_usd).
  put(r, "jobs_spot_share", "1", share(jobs.spot_cpu_h, jobs.cpu_h));
  put(r, "jobs_reserved_share", "1", share(jobs.reserved_cpu_h, jobs.cpu_h));
  put(r, "jobs_other_region_share", "1", share(jobs.other_region_cpu_h, jobs.cpu_h));
  put_int(r, "jobs_interruptions", jobs.interruptions);
  put(r, "jobs_lost_work_h", "h", jobs.lost_work_h);
  put(r, "jobs_unfinished_work_h", "h", jobs.unfinished_work_h);
  put(r, "jobs_reserved_fee_usd", "USD", jobs.reserved_fee_usd);
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
  // Uncertainty (methodology §8), filled in by run_scenario once the seeded and energy-model
  // replays are done: p5 / p50 / p95 of the savings over the seeds, and the bounds of the
  // totals and savings over the energy model's coefficient intervals and the missing data.
  put_int(r, "uncertainty_seeds", 1);
  put(r, "savings_co2e_p5_pct", "%", kNaN);
  put(r, "savings_co2e_p50_pct", "%", kNaN);
  put(r, "savings_co2e_p95_pct", "%", kNaN);
  put(r, "savings_cost_p5_pct", "%", kNaN);
  put(r, "savings_cost_p50_pct", "%", kNaN);
  put(r, "savings_cost_p95_pct", "%", kNaN);
  put(r, "energy_model_lower_kwh", "kW h", kNaN);
  put(r, "energy_model_upper_kwh", "kW h", kNaN);
  put(r, "co2e_model_lower_kg", "kg", kNaN);
  put(r, "co2e_model_upper_kg", "kg", kNaN);
  put(r, "savings_co2e_model_lower_pct", "%", kNaN);
  put(r, "savings_co2e_model_upper_pct", "%", kNaN);

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
  // Jobs may run in candidate regions: their unknowns lie in the union of the observed ranges.
  const KnownRange& range = o.kind == StrategyKind::jobs ? p.jobs_range : p.range;
  const RatioRange ratio =
      emission_ratio_range(e.known_g, o.governed_missing_kwh, base.em.known_g,
                           missing_energy_per_cell(p, base), range.min, range.max);
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
// One more row per run and candidate region of job placement (trace = the region's name), after
// the home trace's rows: the region trace's provenance and grid shares, the run's own co2e_*
// shares (as in the home rows); the billing metrics, which concern the home trace, are NaN.
void add_region_quality_rows(Table& t, const Prepared& p, const std::vector<Outcome>& outcomes) {
  for (const RegionTrace& rt : p.regions) {
    const Provenance& prov = rt.intensity.provenance;
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      for (TableColumn& col : t.columns) {
        const std::string& n = col.name;
        if (auto* ints = std::get_if<std::vector<std::int64_t>>(&col.values)) {
          ints->push_back(n == "run" ? static_cast<std::int64_t>(i) : 0);
        } else if (auto* texts = std::get_if<std::vector<std::string>>(&col.values)) {
          texts->push_back(n == "trace"         ? rt.spec->region
                           : n == "source"      ? prov.source
                           : n == "zone"        ? prov.zone
                           : n == "signal"      ? std::string(to_string(prov.signal))
                           : n == "basis"       ? std::string(to_string(prov.basis))
                           : n == "fill_policy" ? prov.fill_policy
                                                : std::string());
        } else {
          const Outcome& o = outcomes[i];
          std::get<std::vector<double>>(col.values)
              .push_back(n == "measured_share"         ? rt.shares.measured
                         : n == "estimated_share"      ? rt.shares.estimated
                         : n == "filled_share"         ? rt.shares.filled
                         : n == "missing_share"        ? rt.shares.missing
                         : n == "coverage"             ? rt.shares.coverage()
                         : n == "co2e_coverage"        ? o.co2e_coverage
                         : n == "co2e_estimated_share" ? o.co2e_estimated_share
                         : n == "co2e_filled_share"    ? o.co2e_filled_share
                                                       : kNaN);
        }
      }
  }
}

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
  Table t{"quality",
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
  add_region_quality_rows(t, p, outcomes);
  return t;
}

StrategySpec baseline_spec(const Scenario& sc, const std::string& label) {
  for (const auto& s : sc.strategies)
    if (s.label == label)
      return s;
  return StrategySpec{label, label, Value()};
}

} // namespace

std::string run_name(const std::string& scenario, const std::string& label, const Value& params,
                     const std::vector<SweepParam>& sweep_params, std::uint64_t seed) {
  std::string kv;
  auto add = [&kv](const std::string& k, const std::string& v) {
    kv += (kv.empty() ? "" : ",") + k + "=" + v;
  };
  for (const SweepParam& p : sweep_params)
    add(p.name, p.text);
  if (params.is_object())
    for (const auto& [k, v] : params.as_object("params")) {
      std::string text;
      if (v.is_number() || v.is_bool())
        text = v.to_json();
      else if (v.is_string() && v.as_string(k).find_first_of("/,=") == std::string::npos)
        text = v.as_string(k);
      else
        continue; // structured values stay out of the name; the label tells them apart
      const bool swept = std::any_of(sweep_params.begin(), sweep_params.end(),
                                     [&](const SweepParam& p) { return p.name == k; });
      if (!swept) // a swept strategy parameter is named once, by its sweep axis
        add(k, text);
    }
  return scenario + "/" + label + "/" + (kv.empty() ? "-" : kv) + "/seed=" + std::to_string(seed);
}

std::vector<std::pair<std::string, std::string>> summary_columns() {
  std::vector<std::pair<std::string, std::string>> cols;
  for (const Field& f : summary_prototype())
    cols.emplace_back(f.name, f.units);
  return cols;
}

ResultSet run_replay(const Scenario& sc, const TimeZoneDb& tz, const EngineOptions& opt) {
  Prepared p;
  p.sc = &sc;
  p.tz = &tz;
  TraceOnGrid home = trace_on_grid(sc.carbon, sc.grid);
  p.range = home.range;
  p.shares = home.shares;
  p.intensity = std::move(home.intensity);
  p.filled_share = std::move(home.filled_share);
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
  prepare_regions(p);

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

  const int threads = thread_count(opt.threads);
  // The runs asked for: every strategy, or those in opt.only (the baselines are accounted
  // above either way, so savings do not depend on the selection).
  std::vector<std::size_t> selected = opt.only;
  if (selected.empty())
    for (std::size_t i = 0; i < sc.strategies.size(); ++i)
      selected.push_back(i);
  std::vector<Outcome> outcomes(selected.size());
  std::vector<bool> ok(selected.size(), false);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  parallel_for(selected.size(), threads, [&](std::size_t i) {
    CFSIM_CHECK(selected[i] < sc.strategies.size(), "EngineOptions::only names no strategy");
    const StrategySpec& spec = sc.strategies[selected[i]];
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
      std::fprintf(stderr, "cfsim: run %zu/%zu done: %s%s\n", d, selected.size(),
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
