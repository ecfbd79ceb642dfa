// Scenario JSON → a resolved, validated Scenario (DESIGN §8). Every key is checked; unknown
// keys, strategies, instance types, regions and zones are ConfigErrors naming the choices.
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cfsim/capacity.hpp"
#include "cfsim/error.hpp"
#include "cfsim/fill.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/io_cost.hpp"
#include "cfsim/rng.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/strategy.hpp"
#include "cfsim/synthetic.hpp"
#include "io/json_reader.hpp"
#include "io/json_value.hpp"

namespace cfsim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Seed streams: each random input of a scenario draws from its own stream (DESIGN §2).
constexpr std::uint64_t kStreamCarbon = 1;
constexpr std::uint64_t kStreamJobs = 2;
constexpr std::uint64_t kStreamSpotBase = 100; // + fleet group index
constexpr std::uint64_t kStreamJobSpot = 3;    // the job pool's synthetic spot price

std::string resolve_path(const std::string& base_dir, const std::string& p) {
  const fs::path path(p);
  return (path.is_absolute() ? path : fs::path(base_dir) / path).lexically_normal().string();
}

TimeGrid read_period(JsonReader r) {
  const std::string start_text = r.string("start");
  const auto start = parse_utc(start_text);
  if (!start)
    r.fail("start", "'" + start_text +
                        "' is not a UTC time (allowed: 2024-04-01T00:00:00Z or "
                        "2024-04-01)");
  const std::int64_t step_min = r.integer("step_min", 60);
  TimeGrid g;
  g.start_s = *start;
  g.step_s = step_min * 60;
  if (!is_supported_step(g.step_s))
    r.fail("step_min", std::to_string(step_min) + " is not supported (allowed: 60, 30, 15, 5)");
  if (g.start_s % g.step_s != 0)
    r.fail("start", "must be aligned to the step (" + std::to_string(step_min) + " min)");
  const bool has_days = r.has("days"), has_end = r.has("end");
  if (has_days == has_end)
    r.fail("days", "give exactly one of 'days' or 'end'");
  TimeS end = 0;
  if (has_days) {
    const double days = r.number("days");
    if (!(days > 0) || days > 3660)
      r.fail("days", "must be > 0 and at most 3660");
    end = g.start_s + static_cast<TimeS>(std::llround(days * 86400.0));
  } else {
    const std::string end_text = r.string("end");
    const auto e = parse_utc(end_text);
    if (!e || *e <= g.start_s)
      r.fail("end", "'" + end_text + "' must be a UTC time after start");
    end = *e;
  }
  if ((end - g.start_s) % g.step_s != 0)
    r.fail(has_days ? "days" : "end", "the period must be a whole number of steps");
  g.n = (end - g.start_s) / g.step_s;
  r.finish();
  return g;
}

SignalKind parse_signal(JsonReader& r) {
  return r.choice("signal", {"average", "marginal"}, "average") == "average" ? SignalKind::average
                                                                             : SignalKind::marginal;
}
EmissionBasis parse_basis(JsonReader& r) {
  return r.choice("basis", {"lifecycle", "direct"}, "lifecycle") == "lifecycle"
             ? EmissionBasis::lifecycle
             : EmissionBasis::direct;
}

// traces.carbon.fill / max_fill_h: the opt-in gap-filling policy (DESIGN §3), applied by the
// engine on the grid. It travels in the trace's provenance, in the form the result file
// records ("linear(max 6 h)"), so the policy run and the policy reported cannot differ.
FillPolicy read_fill(JsonReader& r) {
  FillPolicy p;
  p.method = fill_method_from_name(r.choice("fill", fill_method_names(), "none"));
  if (r.has("max_fill_h")) {
    if (p.method == FillMethod::none)
      r.fail("max_fill_h", "limits a fill policy; set \"fill\" to one of hold, linear, "
                           "daily_profile or leave max_fill_h out");
    p.max_fill_h = r.number("max_fill_h");
    if (!(p.max_fill_h > 0) || !std::isfinite(p.max_fill_h))
      r.fail("max_fill_h", "must be a number of hours > 0 (leave it out for no limit)");
  } else {
    r.get("max_fill_h");
  }
  return p;
}

RawSeries read_carbon(JsonReader r, const TimeGrid& grid, std::uint64_t seed,
                      const std::string& base_dir, Scenario& sc, bool& check_zone) {
  check_zone = r.boolean("check_region_zone", true);
  const FillPolicy fill = read_fill(r);
  const bool synthetic = r.has("synthetic"), file = r.has("file");
  if (synthetic == file)
    r.fail("synthetic", "give exactly one of 'synthetic' or 'file'");
  if (synthetic) {
    JsonReader s = r.object("synthetic");
    SyntheticTraceParams p;
    p.zone = s.string("zone");
    p.grid = grid;
    if (s.has("gaps")) {
      JsonReader gaps = s.object("gaps");
      const std::int64_t count = gaps.integer("count");
      const double length_h = gaps.number("length_h");
      if (count < 0 || count > 1000)
        gaps.fail("count", "must be between 0 and 1000");
      if (!(length_h > 0))
        gaps.fail("length_h", "must be > 0");
      p.gap_count = static_cast<int>(count);
      p.gap_length_s = static_cast<TimeS>(std::llround(length_h * 3600));
      gaps.finish();
    }
    s.finish();
    r.finish();
    RawSeries raw = synthetic_intensity(p, splitmix64(seed) ^ kStreamCarbon);
    raw.provenance.fill_policy = to_string(fill);
    return raw;
  }
  const std::string path = resolve_path(base_dir, r.string("file"));
  const std::string format = r.choice(
      "format", {"tidy", "two_column", "em_portal", "em_api", "em_live", "watttime_actual"});
  SampleSpan span;
  span.max_sample_s = static_cast<TimeS>(std::llround(r.number("max_sample_min", 0) * 60));
  RawSeries raw;
  if (format == "tidy") {
    TidyOptions o;
    o.zone = r.string("zone", "");
    o.span = span;
    raw = load_tidy_intensity_csv(path, o);
  } else if (format == "two_column") {
    TwoColumnOptions o;
    o.zone = r.string("zone");
    o.signal = parse_signal(r);
    o.basis = parse_basis(r);
    o.source = r.string("source", "two-column-csv");
    o.span = span;
    raw = load_two_column_csv(path, o);
  } else if (format == "em_portal") {
    EmPortalOptions o;
    o.basis = parse_basis(r);
    o.span = span;
    raw = load_em_portal_csv(path, o);
  } else if (format == "em_api") {
    EmApiOptions o;
    o.span = span;
    raw = load_em_api_json(path, o);
  } else if (format == "em_live") {
    EmLiveOptions o;
    o.zone = r.string("zone");
    o.label = r.choice("label", {"start", "end"}, "start") == "end" ? Label::end : Label::start;
    o.basis = parse_basis(r);
    o.span = span;
    raw = load_em_live_csv(path, o);
  } else {
    WattTimeCsvOptions o;
    o.units = r.choice("units", {"lbs_co2_per_mwh", "g_per_kwh"});
    o.region = r.string("region", "");
    o.span = span;
    raw = load_watttime_actual_csv(path, o);
  }
  r.finish();
  raw.provenance.fill_policy = to_string(fill);
  sc.input_hashes.emplace_back(path, raw.provenance.sha256);
  if (raw.size() == 0 || raw.end_s.back() <= grid.start_s || raw.start_s.front() >= grid.end_s())
    throw ConfigError(path + ": the trace (" +
                      (raw.size()
                           ? format_utc(raw.start_s.front()) + " to " + format_utc(raw.end_s.back())
                           : std::string("empty")) +
                      ") does not overlap the scenario period " + format_utc(grid.start_s) +
                      " to " + format_utc(grid.end_s()));
  return raw;
}

// Billing data for the data-quality metrics. `time_shift_days` moves every charge period by
// whole days: an explicit what-if for aligning a bill with a trace recorded in another year
// (recorded in the resolved scenario and the result's provenance); it is never applied silently.
void read_costs(JsonReader r, const std::string& base_dir, Scenario& sc) {
  const std::string format = r.choice("format", {"focus", "cur2", "cost_explorer"});
  std::vector<std::string> paths;
  if (const nlohmann::json* f = r.get("file")) {
    if (f->is_string())
      paths.push_back(resolve_path(base_dir, f->get<std::string>()));
    else if (f->is_array() && !f->empty())
      for (const auto& e : *f) {
        if (!e.is_string())
          r.fail("file", "expected a path or a list of paths");
        paths.push_back(resolve_path(base_dir, e.get<std::string>()));
      }
    else
      r.fail("file", "expected a path or a non-empty list of paths (Cost Explorer pages)");
  } else {
    r.fail("file", "is required (a path, or a list of Cost Explorer pages in order)");
  }
  if (format != "cost_explorer" && paths.size() != 1)
    r.fail("file", "format " + format + " reads exactly one file");
  CostTrace costs = format == "focus" ? load_focus_csv(paths.front())
                    : format == "cur2"
                        ? load_cur2_csv(paths.front())
                        : load_cost_explorer_json(paths, r.string("metric", "UnblendedCost"));
  const double shift_days = r.number("time_shift_days", 0);
  if (std::floor(shift_days) != shift_days || std::fabs(shift_days) > 36600)
    r.fail("time_shift_days", "must be a whole number of days");
  const TimeS shift_s = static_cast<TimeS>(shift_days) * 86400;
  for (CostRecord& rec : costs.records) {
    rec.charge_start_s += shift_s;
    rec.charge_end_s += shift_s;
  }
  sc.cost_label_offset_s = static_cast<TimeS>(std::llround(r.number("label_offset_s", 0)));
  const std::string column = r.choice("column", {"billed", "effective", "list"}, "billed");
  sc.cost_column = column == "billed"      ? CostColumn::billed
                   : column == "effective" ? CostColumn::effective
                                           : CostColumn::list;
  r.finish();
  for (const auto& p : paths)
    sc.input_hashes.emplace_back(p, sha256_hex(read_file(p)));
  sc.costs = std::move(costs);
}

Utilisation read_utilisation(JsonReader& r, const std::string& key) {
  const json* v = r.get(key);
  if (!v)
    r.fail(key, "is required: a number in [0, 1] or 24 hourly values (UTC hours); cfsim "
                "never assumes a utilisation");
  Utilisation u;
  if (v->is_number()) {
    u.hourly = {v->get<double>()};
  } else if (v->is_array() && v->size() == 24) {
    for (const auto& e : *v) {
      if (!e.is_number())
        r.fail(key, "hourly values must be numbers");
      u.hourly.push_back(e.get<double>());
    }
  } else {
    r.fail(key, "expected a number in [0, 1] or an array of 24 numbers (one per UTC hour)");
  }
  for (double x : u.hourly)
    if (!(x >= 0 && x <= 1))
      r.fail(key, "utilisation must lie in [0, 1]");
  return u;
}

// {"mean_fraction", "noise_sd"}: a seeded synthetic spot price on the grid (USD per hour of
// the instance at `on_demand_usd_per_h`), from its own random stream.
std::vector<double> read_spot_synthetic(JsonReader s, const Scenario& sc,
                                        double on_demand_usd_per_h, std::uint64_t stream) {
  SpotPriceParams p;
  p.grid = sc.grid;
  p.on_demand_usd_per_h = on_demand_usd_per_h;
  p.mean_fraction = s.number("mean_fraction", 0.35);
  p.noise_sd = s.number("noise_sd", 0.03);
  s.finish();
  return resample(synthetic_spot_price(p, splitmix64(sc.seed) ^ stream), sc.grid).value;
}

FleetGroup read_fleet_group(JsonReader r, const Scenario& sc, std::size_t index) {
  FleetGroup g;
  g.name = r.string("name", "group" + std::to_string(index));
  g.instance_type = r.string("instance_type");
  g.region = r.string("region");
  const InstanceType& it = sc.catalog.instance(g.instance_type);  // throws listing valid types
  const double od = sc.catalog.on_demand_usd_per_h(it, g.region); // throws listing regions
  const std::int64_t count = r.integer("count", 1);
  if (count < 1 || count > 1000000)
    r.fail("count", "must be between 1 and 1000000");
  g.count = static_cast<int>(count);
  g.utilisation = read_utilisation(r, "utilisation");
  g.ebs_gb = r.number("ebs_gb", 0);
  if (g.ebs_gb < 0)
    r.fail("ebs_gb", "must be ≥ 0");
  const std::string purchase = r.choice("purchase", {"on_demand", "spot", "reserved"}, "on_demand");
  if (purchase == "spot") {
    g.purchase = PurchaseOption::spot;
    const bool frac = r.has("spot_fraction"), synth = r.has("spot_synthetic");
    if (frac == synth)
      r.fail("spot_fraction", "a spot group needs exactly one of 'spot_fraction' (of on-demand) "
                              "or 'spot_synthetic' ({mean_fraction, noise_sd})");
    if (frac) {
      g.spot_fraction = r.number("spot_fraction");
      if (!(g.spot_fraction > 0 && g.spot_fraction <= 1))
        r.fail("spot_fraction", "must be in (0, 1]");
    } else {
      g.spot_usd_per_h =
          read_spot_synthetic(r.object("spot_synthetic"), sc, od, kStreamSpotBase + index);
    }
  } else if (purchase == "reserved") {
    g.purchase = PurchaseOption::reserved;
    g.reserved_usd_per_h = r.number("reserved_usd_per_h");
    if (!(g.reserved_usd_per_h >= 0))
      r.fail("reserved_usd_per_h", "must be ≥ 0");
  }
  r.finish();
  return g;
}

// jobs.capacity: reserved and spot capacity of the job pool in its region (methodology §5.1).
// Every spot key needs spot capacity, and the interruption rate is never assumed.
JobCapacity read_capacity(JsonReader r, const Scenario& sc, double on_demand_usd_per_h) {
  JobCapacity c;
  c.reserved_vcpus = r.number("reserved_vcpus", 0);
  if (!(c.reserved_vcpus >= 0) || !std::isfinite(c.reserved_vcpus))
    r.fail("reserved_vcpus", "must be a number of vCPUs ≥ 0");
  if (r.has("reserved_fee_fraction")) {
    if (c.reserved_vcpus == 0)
      r.fail("reserved_fee_fraction", "prices reserved capacity; set reserved_vcpus > 0 or leave "
                                      "it out");
    c.reserved_fee_fraction = r.number("reserved_fee_fraction");
    if (!(c.reserved_fee_fraction >= 0 && c.reserved_fee_fraction <= 1))
      r.fail("reserved_fee_fraction", "must lie in [0, 1] (a fraction of the on-demand price)");
  } else {
    r.get("reserved_fee_fraction");
  }
  const bool frac = r.has("spot_fraction"), synth = r.has("spot_synthetic");
  if (frac && synth)
    r.fail("spot_fraction", "give at most one of 'spot_fraction' (of on-demand) or "
                            "'spot_synthetic' ({mean_fraction, noise_sd})");
  if (frac) {
    c.spot_fraction = r.number("spot_fraction");
    if (!(c.spot_fraction > 0 && c.spot_fraction <= 1))
      r.fail("spot_fraction", "must be in (0, 1]");
  } else if (synth) {
    c.spot_usd_per_h =
        read_spot_synthetic(r.object("spot_synthetic"), sc, on_demand_usd_per_h, kStreamJobSpot);
  } else {
    r.get("spot_fraction");
    r.get("spot_synthetic");
  }
  const bool spot = frac || synth;
  for (const char* key : {"spot_interruption_per_h", "checkpoint_interval_min", "restart_on"})
    if (!spot && r.has(key))
      r.fail(key, "belongs to spot capacity; set spot_fraction or spot_synthetic");
  if (spot) {
    if (!r.has("spot_interruption_per_h"))
      r.fail("spot_interruption_per_h",
             "is required with spot capacity: the probability of an interruption per hour on "
             "spot, in [0, 1] (0: never interrupted); cfsim never assumes one");
    c.interruption_per_h = r.number("spot_interruption_per_h");
    if (!(c.interruption_per_h >= 0 && c.interruption_per_h <= 1))
      r.fail("spot_interruption_per_h", "must lie in [0, 1] (a probability per hour)");
    const double checkpoint_min = r.number("checkpoint_interval_min", 0);
    if (!(checkpoint_min >= 0) || !std::isfinite(checkpoint_min))
      r.fail("checkpoint_interval_min", "must be a number of minutes ≥ 0 (0: no checkpoints)");
    c.checkpoint_interval_s = static_cast<TimeS>(std::llround(checkpoint_min * 60));
    c.restart_on = r.choice("restart_on", {"on_demand", "spot"}, "on_demand") == "spot"
                       ? PurchaseOption::spot
                       : PurchaseOption::on_demand;
  }
  r.finish();
  return c;
}

// jobs.regions: candidate regions of region_shift besides the home region. Each needs a
// catalog price for the pool's instance type and its own carbon trace (any traces.carbon
// form, read and checked the same way, its zone that of the region unless its
// check_region_zone is false).
std::vector<RegionCandidate> read_regions(JsonReader& jobs, Scenario& sc, const JobPool& pool,
                                          const std::string& base_dir) {
  std::vector<RegionCandidate> out;
  if (!jobs.has("regions")) {
    jobs.get("regions");
    return out;
  }
  const json& list = jobs.array("regions");
  const InstanceType& it = sc.catalog.instance(pool.instance_type);
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonReader c(list[i], jobs.origin(), jobs.path_of("regions") + "/" + std::to_string(i));
    RegionCandidate rc;
    rc.region = c.string("region");
    try {
      (void)sc.catalog.on_demand_usd_per_h(it, rc.region);
    } catch (const ConfigError& e) {
      c.fail("region", e.what());
    }
    if (rc.region == pool.region)
      c.fail("region", "'" + rc.region +
                           "' is the home region (run_on.region, candidate 0 with the scenario's "
                           "carbon trace); list only other regions");
    for (const RegionCandidate& other : out)
      if (other.region == rc.region)
        c.fail("region", "'" + rc.region + "' is listed twice");
    if (c.has("latency_ms")) {
      rc.latency_ms = c.number("latency_ms");
      if (!(rc.latency_ms >= 0) || !std::isfinite(rc.latency_ms))
        c.fail("latency_ms", "must be a number of milliseconds ≥ 0");
    } else {
      c.get("latency_ms");
    }
    if (c.has("sovereignty")) {
      rc.sovereignty = c.string("sovereignty");
      if (rc.sovereignty.empty())
        c.fail("sovereignty", "must be a non-empty label, e.g. \"eu\" (leave it out if unknown)");
    } else {
      c.get("sovereignty");
    }
    bool check_zone = true;
    rc.carbon = read_carbon(c.object("carbon"), sc.grid, sc.seed, base_dir, sc, check_zone);
    if (check_zone) {
      const auto z = sc.catalog.zone_by_region.find(rc.region);
      const std::string zone = z == sc.catalog.zone_by_region.end() ? "?" : z->second;
      if (zone != rc.carbon.provenance.zone)
        c.fail("carbon", "region " + rc.region + " lies in zone " + zone +
                             " but its carbon trace is for zone '" + rc.carbon.provenance.zone +
                             "'; use a trace of that zone or set check_region_zone to false in "
                             "this carbon object to study a what-if");
    }
    c.finish();
    out.push_back(std::move(rc));
  }
  return out;
}

void read_jobs(JsonReader r, Scenario& sc, const std::string& base_dir) {
  JsonReader on = r.object("run_on");
  JobPool pool;
  pool.instance_type = on.string("instance_type");
  pool.region = on.string("region");
  const InstanceType& it = sc.catalog.instance(pool.instance_type);
  (void)sc.catalog.on_demand_usd_per_h(it, pool.region);
  pool.utilisation = on.number("utilisation");
  if (!(pool.utilisation >= 0 && pool.utilisation <= 1))
    on.fail("utilisation", "must lie in [0, 1]");
  on.finish();
  if (r.has("capacity"))
    pool.capacity =
        read_capacity(r.object("capacity"), sc, sc.catalog.on_demand_usd_per_h(it, pool.region));
  else
    r.get("capacity");
  sc.job_pool = pool;
  sc.job_regions = read_regions(r, sc, pool, base_dir);

  const double max_wait_h = r.number("max_wait_h");
  if (!(max_wait_h >= 0))
    r.fail("max_wait_h", "must be ≥ 0");
  const TimeS max_wait_s = static_cast<TimeS>(std::llround(max_wait_h * 3600));
  // Checkpoint/restart of interruptible jobs, applied to every job (generated or CSV).
  const auto non_negative = [&r](const std::string& key) {
    const double v = r.number(key, 0);
    if (!(v >= 0))
      r.fail(key, "must be ≥ 0");
    return v;
  };
  const TimeS restart_overhead_s =
      static_cast<TimeS>(std::llround(non_negative("restart_overhead_min") * 60));
  const double restart_energy_wh = non_negative("restart_energy_wh");
  const TimeS min_run_s = static_cast<TimeS>(std::llround(non_negative("min_run_min") * 60));
  const bool gen = r.has("generate"), csv = r.has("gaia_csv");
  if (gen == csv)
    r.fail("generate", "give exactly one of 'generate' or 'gaia_csv'");
  if (csv) {
    JobCsvOptions o;
    o.period_start_s = sc.grid.start_s;
    o.max_wait_s = max_wait_s;
    o.interruptible = r.boolean("interruptible", false);
    const std::string path = resolve_path(base_dir, r.string("gaia_csv"));
    sc.jobs = load_gaia_jobs_csv(path, o);
    sc.input_hashes.emplace_back(path, sha256_hex(read_file(path)));
  } else {
    JsonReader g = r.object("generate");
    JobGeneratorParams p;
    p.count = g.integer("count");
    p.period_start_s = sc.grid.start_s;
    p.period_end_s = sc.grid.end_s();
    p.min_duration_s = static_cast<TimeS>(std::llround(g.number("min_duration_h") * 3600));
    p.max_duration_s = static_cast<TimeS>(std::llround(g.number("max_duration_h") * 3600));
    p.duration_step_s = static_cast<TimeS>(std::llround(g.number("duration_step_min", 15) * 60));
    p.min_cpus = g.number("min_cpus", 1);
    p.max_cpus = g.number("max_cpus", 4);
    p.max_wait_s = max_wait_s;
    p.interruptible_share = g.number("interruptible_share", 0);
    g.finish();
    sc.jobs = generate_jobs(p, splitmix64(sc.seed) ^ kStreamJobs);
  }
  r.finish();
  for (Job& j : sc.jobs) {
    j.restart_overhead_s = restart_overhead_s;
    j.restart_energy_wh = restart_energy_wh;
    j.min_run_s = min_run_s;
  }
  const double vcpus = it.vcpus;
  for (const Job& j : sc.jobs) {
    if (j.cpus > vcpus)
      throw ConfigError("job " + std::to_string(j.id) + " needs " + std::to_string(j.cpus) +
                        " vCPUs, more than a " + pool.instance_type + " has (" +
                        std::to_string(it.vcpus) + ")");
    if (j.arrival_s < sc.grid.start_s || j.arrival_s + j.duration_s > sc.grid.end_s())
      throw ConfigError("job " + std::to_string(j.id) + " (arrival " + format_utc(j.arrival_s) +
                        ", " + std::to_string(j.duration_s) +
                        " s) does not fit in the scenario period " + format_utc(sc.grid.start_s) +
                        " to " + format_utc(sc.grid.end_s()) + "; extend the period");
  }
}

std::string catalog_dir(JsonReader& r, const std::string& base_dir) {
  if (r.has("catalog"))
    return resolve_path(base_dir, r.string("catalog"));
  r.get("catalog");
  // Default: a folder named "catalog" beside the scenario or in one of its parent folders.
  for (fs::path d = fs::absolute(base_dir);; d = d.parent_path()) {
    if (fs::exists(d / "catalog" / "instances.json"))
      return (d / "catalog").string();
    if (d == d.root_path() || d.empty())
      break;
  }
  throw ConfigError(r.origin() + ": no instance catalog found beside the scenario or above it; "
                                 "set \"catalog\": \"path/to/scenarios/catalog\"");
}

// {"seeds": N, "utilisation_offset": [low, high], "watts_factor": [low, high]} (methodology §8).
// An interval must contain the point value (offset 0, factor 1): it brackets the model.
UncertaintySpec read_uncertainty(JsonReader r) {
  UncertaintySpec u;
  const std::int64_t seeds = r.integer("seeds", 1);
  if (seeds < 1 || seeds > 10000)
    r.fail("seeds",
           "expected a whole number of seeds from 1 to 10000, got " + std::to_string(seeds));
  u.seeds = static_cast<int>(seeds);
  auto pair = [&r](const std::string& key, double point, double lo_min, double hi_max,
                   const char* allowed, double& lo, double& hi) {
    const json* j = r.get(key);
    if (j == nullptr)
      return;
    if (!j->is_array() || j->size() != 2 || !(*j)[0].is_number() || !(*j)[1].is_number())
      r.fail(key, "expected [low, high], two numbers");
    lo = (*j)[0].get<double>();
    hi = (*j)[1].get<double>();
    if (!(lo <= point && point <= hi && lo >= lo_min && hi <= hi_max))
      r.fail(key, allowed);
  };
  pair("utilisation_offset", 0.0, -1.0, 1.0,
       "expected [low, high] with -1 ≤ low ≤ 0 ≤ high ≤ 1 (added to every utilisation)",
       u.utilisation_low, u.utilisation_high);
  pair("watts_factor", 1.0, 0.0, 10.0,
       "expected [low, high] with 0 ≤ low ≤ 1 ≤ high ≤ 10 (factors on min and max watts)",
       u.watts_factor_low, u.watts_factor_high);
  r.finish();
  return u;
}

} // namespace

Scenario parse_scenario(std::string_view json_text, std::string_view origin_view,
                        const std::string& base_dir) {
  const std::string origin(origin_view);
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw ConfigError(origin + ": not valid JSON: " + e.what());
  }
  JsonReader r(doc, origin, "");
  Scenario sc;
  sc.name = r.string("name");
  if (sc.name.empty() || sc.name.find('/') != std::string::npos)
    r.fail("name", "must be non-empty and contain no '/'");
  r.string("description", "");
  r.get("sweep"); // expanded by `cfsim sweep` (sim/sweep/expand.cpp) before a point is loaded
  sc.seed = static_cast<std::uint64_t>(r.integer("seed", 0));
  sc.grid = read_period(r.object("period"));
  const std::string cat = catalog_dir(r, base_dir);
  sc.catalog = load_catalog(cat);

  bool check_zone = true;
  {
    JsonReader traces = r.object("traces");
    sc.carbon = read_carbon(traces.object("carbon"), sc.grid, sc.seed, base_dir, sc, check_zone);
    if (traces.has("cost"))
      read_costs(traces.object("cost"), base_dir, sc);
    else
      traces.get("cost");
    traces.finish();
  }
  // Average and marginal signals, lifecycle and direct factors, are compared only on purpose
  // (DESIGN §2). The scenario has one carbon trace today; features that add traces pass them
  // all here.
  if (const nlohmann::json* f = r.get("forecast")) {
    try {
      sc.forecast = parse_forecast_spec(to_value(*f), origin + ": /forecast");
      if (sc.forecast.kind == ForecastKind::replay) {
        WattTimeCsvOptions o;
        o.units = sc.forecast.archive_units;
        o.region = sc.forecast.archive_region;
        const std::string path = resolve_path(base_dir, sc.forecast.archive_file);
        sc.forecast_archive = load_watttime_forecast_csv(path, o);
        sc.input_hashes.emplace_back(path, sc.forecast_archive->provenance.sha256);
      }
    } catch (const ConfigError& e) {
      throw ConfigError(e.what());
    }
  }
  if (r.has("uncertainty"))
    sc.uncertainty = read_uncertainty(r.object("uncertainty"));
  else
    r.get("uncertainty");
  const bool allow_mixed_signals = r.boolean("allow_mixed_signals", false);
  sc.allow_mixed_signals = allow_mixed_signals;
  check_comparable({sc.carbon.provenance}, allow_mixed_signals);
  if (r.has("fleet")) {
    const json& fleet = r.array("fleet");
    for (std::size_t i = 0; i < fleet.size(); ++i)
      sc.fleet.push_back(
          read_fleet_group(JsonReader(fleet[i], origin, "/fleet/" + std::to_string(i)), sc, i));
  } else {
    r.get("fleet");
  }
  if (r.has("jobs"))
    read_jobs(r.object("jobs"), sc, base_dir);
  else
    r.get("jobs");
  if (sc.fleet.empty() && sc.jobs.empty())
    throw ConfigError(origin + ": the scenario has neither a fleet nor jobs");
  // Candidate regions' traces are compared with the home trace like any other (DESIGN §2); a
  // recorded forecast archive covers the home trace only (No-Fallback: none is invented).
  if (!sc.job_regions.empty()) {
    std::vector<Provenance> traces{sc.carbon.provenance};
    for (const RegionCandidate& rc : sc.job_regions)
      traces.push_back(rc.carbon.provenance);
    try {
      check_comparable(traces, allow_mixed_signals);
    } catch (const ConfigError& e) {
      throw ConfigError(origin + ": /jobs/regions: " + e.what());
    }
    if (sc.forecast.kind == ForecastKind::replay)
      throw ConfigError(origin + ": /jobs/regions: the replay forecast archive covers the home "
                                 "carbon trace only; candidate regions need the oracle, "
                                 "gaussian or persistence forecast");
  }

  // Regions must lie in the carbon trace's zone: no silent mixing of grids (DESIGN §3).
  if (check_zone) {
    std::vector<std::string> regions;
    for (const auto& g : sc.fleet)
      regions.push_back(g.region);
    if (sc.job_pool)
      regions.push_back(sc.job_pool->region);
    for (const auto& region : regions) {
      const auto it = sc.catalog.zone_by_region.find(region);
      const std::string zone = it == sc.catalog.zone_by_region.end() ? "?" : it->second;
      if (zone != sc.carbon.provenance.zone)
        throw ConfigError(origin + ": region " + region + " lies in zone " + zone +
                          " but the carbon trace is for zone '" + sc.carbon.provenance.zone +
                          "'; use a trace of that zone or set traces/carbon/check_region_zone "
                          "to false to study a what-if");
    }
  }

  const json& strategies = r.array("strategies");
  if (strategies.empty())
    r.fail("strategies", "list at least one strategy");
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    JsonReader s(strategies[i], origin, "/strategies/" + std::to_string(i));
    StrategySpec spec;
    spec.name = s.string("name");
    const StrategyInfo& info = strategy_info(spec.name); // throws listing valid names
    spec.label = s.string("label", spec.name);
    if (spec.label.empty() || spec.label.find_first_of("/,= ") != std::string::npos)
      s.fail("label", "must be non-empty without '/', ',', '=' or spaces");
    if (const json* p = s.get("params"))
      spec.params = to_value(*p);
    s.finish();
    const std::string ctx = origin + ": /strategies/" + std::to_string(i);
    try {
      if (info.kind == StrategyKind::fleet)
        (void)make_fleet_strategy(spec.name, spec.params);
      else
        (void)make_job_strategy(spec.name, spec.params);
    } catch (const ConfigError& e) {
      throw ConfigError(ctx + ": " + e.what());
    }
    if (info.kind == StrategyKind::fleet && sc.fleet.empty())
      s.fail("name", "'" + spec.name + "' switches fleet instances but the scenario has no fleet");
    if (info.kind == StrategyKind::jobs && sc.jobs.empty())
      s.fail("name", "'" + spec.name + "' places jobs but the scenario has no jobs");
    for (const auto& other : sc.strategies)
      if (other.label == spec.label)
        s.fail("label", "'" + spec.label + "' is used twice; give one of them another 'label'");
    sc.strategies.push_back(std::move(spec));
  }
  if (r.has("baseline")) {
    JsonReader b = r.object("baseline");
    sc.baseline_fleet = b.string("fleet", sc.baseline_fleet);
    sc.baseline_jobs = b.string("jobs", sc.baseline_jobs);
    b.finish();
  } else {
    r.get("baseline");
  }
  // A baseline is a listed run label, or a registry strategy of the right kind (default params).
  auto check_baseline = [&](const std::string& label, StrategyKind kind, bool needed) {
    if (!needed)
      return;
    for (const auto& s : sc.strategies)
      if (s.label == label) {
        if (strategy_info(s.name).kind != kind)
          throw ConfigError(origin + ": /baseline: '" + label + "' is not a " + to_string(kind) +
                            " strategy");
        return;
      }
    if (strategy_info(label).kind != kind)
      throw ConfigError(origin + ": /baseline: '" + label + "' is not a " + to_string(kind) +
                        " strategy");
  };
  check_baseline(sc.baseline_fleet, StrategyKind::fleet, !sc.fleet.empty());
  check_baseline(sc.baseline_jobs, StrategyKind::jobs, !sc.jobs.empty());
  r.finish();

  json resolved = doc;
  resolved["seed"] = sc.seed;
  resolved["allow_mixed_signals"] = allow_mixed_signals;
  resolved["forecast"] = to_string(sc.forecast);
  resolved["catalog"] = cat;
  resolved["baseline"] = {{"fleet", sc.baseline_fleet}, {"jobs", sc.baseline_jobs}};
  if (sc.job_pool && resolved.contains("jobs") && resolved["jobs"].contains("capacity")) {
    json& cap = resolved["jobs"]["capacity"];
    const JobCapacity& c = sc.job_pool->capacity;
    if (c.reserved_vcpus > 0)
      cap["reserved_fee_fraction"] = c.reserved_fee_fraction;
    if (c.spot()) {
      cap["checkpoint_interval_min"] = static_cast<double>(c.checkpoint_interval_s) / 60.0;
      cap["restart_on"] = to_string(c.restart_on);
    }
  }
  resolved["uncertainty"] = {
      {"seeds", sc.uncertainty.seeds},
      {"utilisation_offset", {sc.uncertainty.utilisation_low, sc.uncertainty.utilisation_high}},
      {"watts_factor", {sc.uncertainty.watts_factor_low, sc.uncertainty.watts_factor_high}}};
  sc.resolved_json = resolved.dump();
  sc.sha256 = sha256_hex(json_text);
  sc.input_hashes.emplace_back(cat, sc.catalog.sha256);
  return sc;
}

Scenario load_scenario(const std::string& path) {
  const std::string text = read_file(path);
  const std::string dir = fs::path(path).parent_path().string();
  return parse_scenario(text, path, dir.empty() ? "." : dir);
}

} // namespace cfsim
