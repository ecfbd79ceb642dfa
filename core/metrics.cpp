// The thesis's data-quality metrics (DESIGN §7). Definitions, choices and worked examples:
// docs/metrics.md. Pure: plain values in, plain values out, no I/O.
#include "cfsim/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "cfsim/error.hpp"

namespace cfsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

bool is_usage(const CostRecord& r) {
  return iequals(r.charge_category, "Usage");
}

// FOCUS ConsumedUnit "Hours", CUR pricing unit "Hrs", and their obvious spellings.
bool is_hours_unit(std::string_view u) {
  for (const std::string_view h : {"hours", "hour", "hrs", "hr", "h"})
    if (iequals(u, h))
      return true;
  return false;
}

// The cells [first, last] of `g` that [a, b) overlaps by more than 0 s; false if none.
bool overlapped_cells(const TimeGrid& g, TimeS a, TimeS b, std::int64_t& first,
                      std::int64_t& last) {
  if (b <= a || b <= g.start_s || a >= g.end_s())
    return false;
  first = std::max<std::int64_t>(0, g.cell_of(a));
  last = std::min<std::int64_t>(g.n - 1, g.cell_of(b - 1));
  return first <= last;
}

// Seconds of [a, b) inside cell c.
TimeS overlap_in_cell(const TimeGrid& g, std::int64_t c, TimeS a, TimeS b) {
  const TimeS lo = std::max(a, g.cell_start(c));
  const TimeS hi = std::min(b, g.cell_start(c) + g.step_s);
  return hi > lo ? hi - lo : 0;
}

// The screening every cost metric shares, in the order RecordTally documents. Returns the
// reason a record is left out, or nullptr if it is usable for the period of `g`.
const char* screen(const CostRecord& r, const TimeGrid& g, bool usage_only) {
  if (usage_only && !is_usage(r))
    return "not_usage";
  if (r.resource_id.empty())
    return "no_resource_id";
  if (r.charge_end_s <= r.charge_start_s)
    return "empty_charge_period";
  std::int64_t f = 0, l = 0;
  if (!overlapped_cells(g, r.charge_start_s, r.charge_end_s, f, l))
    return "outside_period";
  return nullptr;
}

std::size_t idx(std::int64_t i) {
  return static_cast<std::size_t>(i);
}

double share(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : kNaN;
}

// Marks the cells a (shifted) record occupies under `rule`.
void mark(std::vector<bool>& cells, const TimeGrid& g, TimeS a, TimeS b, CostPointRule rule) {
  if (rule == CostPointRule::start) {
    const std::int64_t c = g.cell_of(a);
    if (c >= 0 && c < g.n)
      cells[idx(c)] = true;
    return;
  }
  std::int64_t f = 0, l = 0;
  if (overlapped_cells(g, a, b, f, l))
    for (std::int64_t c = f; c <= l; ++c)
      cells[idx(c)] = true;
}

} // namespace

const char* to_string(CostPointRule r) {
  switch (r) {
  case CostPointRule::overlap:
    return "overlap";
  case CostPointRule::start:
    return "start";
  }
  return "?";
}

const char* to_string(ModelHours h) {
  switch (h) {
  case ModelHours::charge_period:
    return "charge_period";
  case ModelHours::consumed_quantity:
    return "consumed_quantity";
  }
  return "?";
}

const char* to_string(PriceSource p) {
  switch (p) {
  case PriceSource::bill:
    return "bill";
  case PriceSource::catalog:
    return "catalog";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// TAC

CostCells cost_cells(const CostTrace& costs, const TimeGrid& grid, const TacOptions& opt) {
  CostCells out;
  std::map<std::string, std::vector<bool>> by_resource;
  for (const CostRecord& r : costs.records) {
    ++out.records.total;
    if (const char* why = screen(r, grid, opt.usage_only)) {
      out.records.exclude(why);
      continue;
    }
    ++out.records.used;
    std::vector<bool>& cells = by_resource[r.resource_id];
    if (cells.empty())
      cells.assign(idx(grid.n), false);
    // The resource belongs to the fleet because it has a record in the period; the offset may
    // still move that record's cost point out of the period (an edge effect of one cell).
    mark(cells, grid, r.charge_start_s + opt.label_offset_s, r.charge_end_s + opt.label_offset_s,
         opt.rule);
  }
  for (auto& [id, cells] : by_resource) {
    out.resource_ids.push_back(id);
    out.present.push_back(std::move(cells));
  }
  return out;
}

std::vector<bool> carbon_cells(const GridSeries& carbon, bool filled_is_carbon) {
  std::vector<bool> out(carbon.coverage.size(), false);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = carbon.coverage[i] > 0.0 && (filled_is_carbon || carbon.quality[i] != Quality::filled);
  return out;
}

double tac_share(const std::vector<bool>& cost, const std::vector<bool>& carbon) {
  CFSIM_CHECK(cost.size() == carbon.size(), "cost and carbon cells on different grids");
  std::int64_t both = 0;
  for (std::size_t i = 0; i < cost.size(); ++i)
    both += (cost[i] && carbon[i]) ? 1 : 0;
  return share(both, static_cast<std::int64_t>(cost.size()));
}

TacResult time_alignment_coverage(const CostTrace& costs, const GridSeries& carbon,
                                  const TacOptions& opt) {
  const TimeGrid& g = carbon.grid;
  CFSIM_CHECK(carbon.coverage.size() == idx(g.n), "carbon series does not match its grid");
  CostCells cc = cost_cells(costs, g, opt);
  const std::vector<bool> carb = carbon_cells(carbon, opt.filled_is_carbon);

  TacResult res;
  res.label_offset_s = opt.label_offset_s;
  res.rule = opt.rule;
  res.cells = g.n;
  res.records = std::move(cc.records);
  res.carbon_cells = static_cast<std::int64_t>(std::count(carb.begin(), carb.end(), true));

  std::vector<std::int64_t> aligned(idx(g.n), 0); // resources aligned per cell
  double tac_sum = 0;
  for (std::size_t k = 0; k < cc.resource_ids.size(); ++k) {
    const std::vector<bool>& cost = cc.present[k];
    ResourceTac rt;
    rt.resource_id = cc.resource_ids[k];
    std::int64_t first = -1, last = -1;
    for (std::int64_t c = 0; c < g.n; ++c) {
      if (!cost[idx(c)])
        continue;
      ++rt.cost_cells;
      if (first < 0)
        first = c;
      last = c;
      if (carb[idx(c)]) {
        ++rt.both_cells;
        ++aligned[idx(c)];
      }
    }
    rt.span_cells = first < 0 ? 0 : last - first + 1;
    rt.tac = share(rt.both_cells, g.n);
    rt.tac_span = share(rt.both_cells, rt.span_cells);
    tac_sum += rt.tac;
    res.resources.push_back(std::move(rt));
  }
  const auto n_res = static_cast<std::int64_t>(res.resources.size());
  std::int64_t any = 0, all = 0;
  for (const std::int64_t a : aligned) {
    any += a > 0 ? 1 : 0;
    all += (n_res > 0 && a == n_res) ? 1 : 0;
  }
  res.fleet_tac = n_res > 0 ? tac_sum / static_cast<double>(n_res) : kNaN;
  res.fleet_any = n_res > 0 ? share(any, g.n) : kNaN;
  res.fleet_all = n_res > 0 ? share(all, g.n) : kNaN;
  return res;
}

// ---------------------------------------------------------------------------------------------
// Cost-MAPE

MapeResult cost_mape(const std::vector<double>& modelled, const std::vector<double>& billed) {
  CFSIM_CHECK(modelled.size() == billed.size(), "modelled and billed differ in length");
  MapeResult m;
  m.pairs = modelled.size();
  double ape_sum = 0;
  double ape_max = 0;
  for (std::size_t i = 0; i < modelled.size(); ++i) {
    const double mo = modelled[i], b = billed[i];
    if (std::isnan(mo) || std::isnan(b)) {
      ++m.unknown;
      continue;
    }
    if (b == 0.0) {
      ++m.zero_billed;
      continue;
    }
    if (b < 0.0) {
      ++m.negative_billed;
      continue;
    }
    const double ape = std::abs(mo - b) / b;
    ape_sum += ape;
    ape_max = std::max(ape_max, ape);
    m.modelled_total += mo;
    m.billed_total += b;
    ++m.used;
  }
  m.mape_pct = m.used > 0 ? 100.0 * ape_sum / static_cast<double>(m.used) : kNaN;
  m.max_ape_pct = m.used > 0 ? 100.0 * ape_max : kNaN;
  return m;
}

CostMapeResult cost_mape(const CostTrace& costs, const Catalog& catalog, const TimeGrid& grid,
                         const CostMapeOptions& opt) {
  CostMapeResult res;
  res.column = opt.column;
  res.hours = opt.hours;
  // (resource, cell) -> (modelled, billed); std::map keeps the documented order.
  std::map<std::pair<std::string, std::int64_t>, std::pair<double, double>> acc;
  for (const CostRecord& r : costs.records) {
    ++res.records.total;
    const char* why = screen(r, grid, true);
    if (!why && opt.standard_pricing_only && !iequals(r.pricing_category, "Standard"))
      why = "not_standard_pricing";
    const InstanceType* it = nullptr;
    if (!why && r.instance_type.empty())
      why = "no_instance_type";
    if (!why) {
      const auto f = catalog.instances.find(r.instance_type);
      if (f == catalog.instances.end())
        why = "unknown_instance_type";
      else
        it = &f->second;
    }
    double price_usd_per_h = 0;
    if (!why) {
      const auto p = it->on_demand_usd_per_h.find(r.region_id);
      if (p == it->on_demand_usd_per_h.end())
        why = "no_region_price";
      else
        price_usd_per_h = p->second;
    }
    const double billed = cost_of(r, opt.column);
    if (!why && std::isnan(billed))
      why = "cost_unknown";
    if (!why && opt.hours == ModelHours::consumed_quantity &&
        !(is_hours_unit(r.consumed_unit) && std::isfinite(r.consumed_quantity) &&
          r.consumed_quantity >= 0))
      why = "no_consumed_hours";
    if (why) {
      res.records.exclude(why);
      continue;
    }
    ++res.records.used;

    const auto duration = static_cast<double>(r.charge_end_s - r.charge_start_s);
    std::int64_t first = 0, last = 0;
    overlapped_cells(grid, r.charge_start_s, r.charge_end_s, first, last);
    for (std::int64_t c = first; c <= last; ++c) {
      const auto ov =
          static_cast<double>(overlap_in_cell(grid, c, r.charge_start_s, r.charge_end_s));
      if (ov <= 0)
        continue;
      const double frac = ov / duration;
      const double hours =
          opt.hours == ModelHours::charge_period ? ov / 3600.0 : r.consumed_quantity * frac;
      auto& [m, b] = acc[{r.resource_id, c}];
      m += price_usd_per_h * hours;
      b += billed * frac;
    }
  }
  std::vector<double> modelled, billed;
  modelled.reserve(acc.size());
  billed.reserve(acc.size());
  for (const auto& [key, mb] : acc) {
    res.pairs.push_back(CostPair{key.first, key.second, mb.first, mb.second});
    modelled.push_back(mb.first);
    billed.push_back(mb.second);
  }
  res.mape = cost_mape(modelled, billed);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Availability

Availability availability(const RawSeries& raw, const TimeGrid& grid) {
  Availability a;
  a.cells = grid.n;
  const TimeS p0 = grid.start_s, p1 = grid.end_s();
  a.period_s = p1 - p0;
  TimeS secs[4] = {0, 0, 0, 0}; // by Quality
  std::map<TimeS, std::size_t> durations;
  for (std::size_t k = 0; k < raw.size(); ++k) {
    const TimeS ov = std::min(raw.end_s[k], p1) - std::max(raw.start_s[k], p0);
    if (ov <= 0)
      continue;
    ++a.samples;
    ++durations[raw.end_s[k] - raw.start_s[k]];
    switch (raw.quality[k]) {
    case Quality::measured:
      ++a.samples_measured;
      break;
    case Quality::estimated:
      ++a.samples_estimated;
      break;
    case Quality::filled:
      ++a.samples_filled;
      break;
    case Quality::missing:
      ++a.samples_missing;
      break;
    }
    secs[static_cast<std::size_t>(raw.quality[k])] += ov;
  }
  std::size_t best = 0;
  for (const auto& [d, count] : durations) // ascending: a tie keeps the shorter duration
    if (count > best) {
      best = count;
      a.nominal_step_s = d;
    }
  if (a.period_s <= 0) {
    a.measured = a.estimated = a.filled = a.missing = kNaN;
    return a;
  }
  const auto period = static_cast<double>(a.period_s);
  const TimeS present = secs[0] + secs[1] + secs[3];
  a.measured = static_cast<double>(secs[static_cast<std::size_t>(Quality::measured)]) / period;
  a.estimated = static_cast<double>(secs[static_cast<std::size_t>(Quality::estimated)]) / period;
  a.filled = static_cast<double>(secs[static_cast<std::size_t>(Quality::filled)]) / period;
  // Explicit missing samples and gaps alike: the period's time no known sample covers.
  a.missing = static_cast<double>(a.period_s - present) / period;
  return a;
}

Availability availability(const GridSeries& s) {
  Availability a;
  a.cells = s.grid.n;
  a.period_s = s.grid.end_s() - s.grid.start_s;
  if (s.grid.n <= 0) {
    a.measured = a.estimated = a.filled = a.missing = kNaN;
    return a;
  }
  for (std::size_t i = 0; i < s.coverage.size(); ++i) {
    const double cov = s.coverage[i], est = s.estimated_share[i];
    const double rest = std::max(0.0, cov - est);
    (s.quality[i] == Quality::filled ? a.filled : a.measured) += rest;
    a.estimated += est;
    a.missing += 1.0 - cov;
  }
  const auto n = static_cast<double>(s.grid.n);
  a.measured /= n;
  a.estimated /= n;
  a.filled /= n;
  a.missing /= n;
  return a;
}

// ---------------------------------------------------------------------------------------------
// DPS

double emission_credit(const GridSeries& carbon, std::int64_t i, const DpsWeights& w) {
  const std::size_t k = idx(i);
  const double cov = carbon.coverage[k], est = carbon.estimated_share[k];
  const double rest = std::max(0.0, cov - est);
  const double rest_weight = carbon.quality[k] == Quality::filled ? w.filled : 1.0;
  return rest_weight * rest + w.estimated * est;
}

Dps data_precision_score(const std::vector<double>& runtime, const std::vector<double>& price,
                         const std::vector<double>& emission) {
  CFSIM_CHECK(runtime.size() == price.size() && price.size() == emission.size(),
              "DPS inputs differ in length");
  Dps d;
  d.intervals = static_cast<std::int64_t>(runtime.size());
  if (runtime.empty()) {
    d.runtime_coverage = d.price_coverage = d.emission_coverage = d.score = kNaN;
    return d;
  }
  const auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (const double x : v) {
      CFSIM_CHECK(x >= 0.0 && x <= 1.0, "a DPS coverage value is outside [0, 1]");
      s += x;
    }
    return s / static_cast<double>(v.size());
  };
  d.runtime_coverage = mean(runtime);
  d.price_coverage = mean(price);
  d.emission_coverage = mean(emission);
  d.score = 100.0 * (d.runtime_coverage + d.price_coverage + d.emission_coverage) / 3.0;
  return d;
}

DpsResult data_precision_scores(const CostTrace& costs, const GridSeries& carbon,
                                const Catalog* catalog, const InstanceDpsOptions& opt) {
  if (opt.price == PriceSource::catalog && catalog == nullptr)
    throw ConfigError("price coverage from the catalog needs an instance catalog (give one, or "
                      "use the bill's prices)");
  if (!(opt.weights.estimated >= 0 && opt.weights.estimated <= 1 && opt.weights.filled >= 0 &&
        opt.weights.filled <= 1))
    throw ConfigError("DPS weights must lie in [0, 1] (estimated " +
                      std::to_string(opt.weights.estimated) + ", filled " +
                      std::to_string(opt.weights.filled) + ")");
  const TimeGrid& g = carbon.grid;

  // Pass 1: which resources are instances (have an instance-hour record in the period).
  std::map<std::string, const CostRecord*> first_instance_record;
  for (const CostRecord& r : costs.records)
    if (!screen(r, g, true) && !r.instance_type.empty())
      first_instance_record.try_emplace(r.resource_id, &r);

  struct Acc {
    std::vector<bool> runtime, price;
  };
  std::map<std::string, Acc> by_resource;
  DpsResult res;
  for (const CostRecord& r : costs.records) {
    ++res.records.total;
    const char* why = screen(r, g, true);
    const bool instance = !why && first_instance_record.count(r.resource_id) > 0;
    // An instance's runtime is its instance-hour records (its data transfer does not say it
    // ran); a resource without any counts only when instances_only is off.
    if (!why && r.instance_type.empty() && (instance || opt.instances_only))
      why = "no_instance_type";
    if (why) {
      res.records.exclude(why);
      continue;
    }
    ++res.records.used;
    bool priced = false;
    if (opt.price == PriceSource::bill) {
      priced = !std::isnan(cost_of(r, opt.column));
    } else {
      const auto it = catalog->instances.find(r.instance_type);
      priced = it != catalog->instances.end() && it->second.on_demand_usd_per_h.count(r.region_id);
    }
    Acc& a = by_resource[r.resource_id];
    if (a.runtime.empty()) {
      a.runtime.assign(idx(g.n), false);
      a.price.assign(idx(g.n), false);
    }
    const TimeS s = r.charge_start_s + opt.label_offset_s, e = r.charge_end_s + opt.label_offset_s;
    mark(a.runtime, g, s, e, CostPointRule::overlap);
    if (priced)
      mark(a.price, g, s, e, CostPointRule::overlap);
  }

  double score_sum = 0;
  std::size_t scored = 0;
  for (const auto& [id, a] : by_resource) {
    InstanceDps d;
    d.resource_id = id;
    if (const auto f = first_instance_record.find(id); f != first_instance_record.end()) {
      d.instance_type = f->second->instance_type;
      d.region_id = f->second->region_id;
    }
    const auto b = std::find(a.runtime.begin(), a.runtime.end(), true);
    std::vector<double> runtime, price, emission;
    if (b == a.runtime.end()) { // the offset moved every runtime cell out of the period
      d.first_cell = d.last_cell = -1;
    } else {
      d.first_cell = b - a.runtime.begin();
      d.last_cell = static_cast<std::int64_t>(
          a.runtime.rend() - std::find(a.runtime.rbegin(), a.runtime.rend(), true) - 1);
      for (std::int64_t c = d.first_cell; c <= d.last_cell; ++c) {
        runtime.push_back(a.runtime[idx(c)] ? 1.0 : 0.0);
        price.push_back(a.price[idx(c)] ? 1.0 : 0.0);
        emission.push_back(emission_credit(carbon, c, opt.weights));
      }
    }
    d.dps = data_precision_score(runtime, price, emission);
    if (d.dps.intervals > 0) {
      score_sum += d.dps.score;
      ++scored;
    }
    res.instances.push_back(std::move(d));
  }
  res.mean_score = scored > 0 ? score_sum / static_cast<double>(scored) : kNaN;
  return res;
}

// ---------------------------------------------------------------------------------------------
// Aggregation fidelity

PeriodMean period_mean(const RawSeries& raw, const Interval& period) {
  PeriodMean pm;
  double weighted = 0;
  TimeS known = 0, estimated = 0;
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (raw.quality[k] == Quality::missing)
      continue;
    const TimeS ov =
        std::min(raw.end_s[k], period.end_s) - std::max(raw.start_s[k], period.start_s);
    if (ov <= 0)
      continue;
    weighted += raw.value[k] * static_cast<double>(ov);
    known += ov;
    estimated += raw.quality[k] == Quality::estimated ? ov : 0;
    ++pm.samples;
  }
  const auto len = static_cast<double>(period.duration_s());
  pm.mean = known > 0 ? weighted / static_cast<double>(known) : kNaN;
  pm.coverage = len > 0 ? static_cast<double>(known) / len : kNaN;
  pm.estimated_share = len > 0 ? static_cast<double>(estimated) / len : kNaN;
  return pm;
}

Interval calendar_year(int year) {
  return Interval{to_epoch(CivilTime{year, 1, 1, 0, 0, 0}),
                  to_epoch(CivilTime{year + 1, 1, 1, 0, 0, 0})};
}

Fidelity aggregation_fidelity(double computed, double published) {
  Fidelity f;
  f.computed = computed;
  f.published = published;
  f.relative_difference = published != 0.0 ? (computed - published) / published : kNaN;
  f.abs_relative_difference = std::abs(f.relative_difference);
  return f;
}

// ---------------------------------------------------------------------------------------------
// kg CO2e per instance-month

InstanceCo2e instance_co2e(const std::vector<double>& energy_kwh, const GridSeries& intensity,
                           double embodied_kg) {
  const TimeGrid& g = intensity.grid;
  CFSIM_CHECK(energy_kwh.size() == idx(g.n), "energy is not on the intensity grid");
  CFSIM_CHECK(embodied_kg >= 0, "negative embodied emissions");
  InstanceCo2e out;
  const KnownRange range = known_range(intensity);
  for (std::int64_t c = 0; c < g.n; ++c) {
    const double e = energy_kwh[idx(c)];
    CFSIM_CHECK(e >= 0, "negative or NaN energy");
    if (e > 0) // a cell the instance does not run in adds nothing (and no unknown)
      out.operational.add(cell_emissions(intensity, c, e, range));
  }
  out.embodied_kg = embodied_kg;
  out.period_h = static_cast<double>(g.n) * g.step_h();
  out.total_kg = out.operational.known_g / 1000.0 + embodied_kg;
  out.lower_kg = out.operational.lower_g / 1000.0 + embodied_kg;
  out.upper_kg = out.operational.upper_g / 1000.0 + embodied_kg;
  const double per_month = out.period_h > 0 ? kHoursPerMonth / out.period_h : kNaN;
  out.kg_per_instance_month = out.total_kg * per_month;
  out.lower_kg_per_instance_month = out.lower_kg * per_month;
  out.upper_kg_per_instance_month = out.upper_kg * per_month;
  return out;
}

} // namespace cfsim
