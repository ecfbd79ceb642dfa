// The GAIA experiment (Hanafy et al., ASPLOS 2024) as an experiment file: reads the file and
// its data strictly, runs every grid row with the pure simulation (include/cfsim/gaia.hpp) and
// builds the result set with the figure tables of spec §8 (../shared/published/gaia.md).
// scenarios/published/gaia/README.md documents the file format, the variants and every
// deviation; docs/reproducing.md the numbers.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/gaia.hpp"
#include "cfsim/io.hpp"
#include "io/csv.hpp"
#include "io/json_reader.hpp"
#include "parallel_for.hpp"
#include "published/experiments.hpp"
#include "published/gaia_data.hpp"

namespace cfsim::published {

// ---- data readers ------------------------------------------------------------------------------

namespace gaia_data {

namespace {
constexpr std::string_view kJobHeader = "arrival_time,length,cpus";
constexpr double kMaxSeconds = 3.2e11; // ten thousand years: far beyond any trace
} // namespace

JobTrace parse_job_trace(std::string_view text, std::string_view origin) {
  csv::Reader r(text, origin);
  const csv::Header header = csv::read_header(r, kJobHeader);
  if (header.joined() != kJobHeader)
    r.fail("header is `" + header.joined() + "` (expected exactly `" + std::string(kJobHeader) +
           "`)");
  JobTrace t;
  t.rows.reserve(r.max_records());
  double prev = 0;
  while (r.next()) {
    csv::expect_fields(r, 3, kJobHeader);
    const double arrival = csv::number_field(r, 0, "arrival_time");
    const double length = csv::number_field(r, 1, "length");
    const double cpus = csv::number_field(r, 2, "cpus");
    if (arrival < 0 || arrival > kMaxSeconds)
      r.fail("arrival_time " + r[0] + " is out of range (seconds after step 0, 0 … 3.2e11)");
    if (!t.rows.empty() && arrival < prev)
      r.fail("arrival_time " + r[0] +
             " is earlier than the previous row's (the trace must be in "
             "arrival order: jobs are submitted in trace order)");
    if (!(length > 0) || length > kMaxSeconds)
      r.fail("length " + r[1] + " is out of range (seconds, > 0 and ≤ 3.2e11)");
    if (std::trunc(length / static_cast<double>(gaia::kStepS)) < 1)
      r.fail("length " + r[1] +
             " is shorter than one 5-s step (L = trunc(length / 5) must be ≥ 1)");
    if (!(cpus >= 1) || cpus > 1e6 || std::floor(cpus) != cpus)
      r.fail("cpus " + r[2] + " is not a whole number of cores ≥ 1");
    t.rows.push_back(gaia::TraceJob{arrival, length, static_cast<std::int64_t>(cpus)});
    t.lines.push_back(r.line());
    prev = arrival;
  }
  if (t.rows.empty())
    throw TraceError(std::string(origin), 2, "no data rows after the header (expected jobs)");
  return t;
}

HourlyCarbon parse_hourly_carbon(std::string_view text, std::string_view origin,
                                 EmissionBasis basis) {
  EmPortalOptions opt;
  opt.basis = basis;
  const RawSeries raw = parse_em_portal_csv(text, origin, opt);
  HourlyCarbon c;
  c.basis = basis;
  c.zone = raw.provenance.zone;
  // The line of every record, and the intensity column's spelling (the importer found exactly
  // one matching column).
  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, "");
  const std::vector<std::string_view> names =
      basis == EmissionBasis::direct
          ? std::vector<std::string_view>{"Carbon Intensity gCO₂eq/kWh (direct)"}
          : std::vector<std::string_view>{"Carbon Intensity gCO₂eq/kWh (LCA)",
                                          "Carbon intensity gCO₂eq/kWh (Life cycle)"};
  for (const std::string_view n : names)
    for (const std::size_t i : h.find_folded(n))
      c.column = h.names()[i];
  while (r.next())
    c.lines.push_back(r.line());
  CFSIM_CHECK(c.lines.size() == raw.size(), "one sample per record of a portal export");
  c.hour_s = raw.start_s;
  c.g_per_kwh = raw.value;
  c.quality = raw.quality;
  for (std::size_t i = 1; i < c.hour_s.size(); ++i)
    if (c.hour_s[i] - c.hour_s[i - 1] != 3600)
      throw TraceError(std::string(origin), c.lines[i],
                       "hour " + format_utc(c.hour_s[i]) + " follows " +
                           format_utc(c.hour_s[i - 1]) +
                           " (the rows must be consecutive hours: GAIA selects hours by row "
                           "index)");
  return c;
}

CarbonWindow select_window(const HourlyCarbon& c, std::string_view origin, std::int64_t base_offset,
                           std::int64_t start_index) {
  const auto rows = static_cast<std::int64_t>(c.g_per_kwh.size());
  const std::int64_t first = base_offset + start_index;
  if (base_offset < 0 || start_index < 0 || first + gaia::kWindowHours > rows)
    throw TraceError(std::string(origin) + ": base offset " + std::to_string(base_offset) +
                     " + start index " + std::to_string(start_index) + " selects data rows [" +
                     std::to_string(first) + ", " + std::to_string(first + gaia::kWindowHours) +
                     "), but the file has " + std::to_string(rows) +
                     " data rows (720 consecutive hours are needed; the original would run a "
                     "shorter horizon, cfsim refuses)");
  CarbonWindow w;
  w.start_index = start_index;
  w.first_row = first;
  for (std::int64_t i = first; i < first + gaia::kWindowHours; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (c.quality[k] == Quality::missing || std::isnan(c.g_per_kwh[k]))
      throw TraceError(std::string(origin), c.lines[k],
                       "no value in `" + c.column + "` at " + format_utc(c.hour_s[k]) +
                           ", a row of the selected window (start index " +
                           std::to_string(start_index) + "; missing hours are not filled)");
    w.estimated_hours += c.quality[k] == Quality::estimated ? 1 : 0;
    w.g_per_kwh.push_back(c.g_per_kwh[k]);
  }
  w.first_hour_s = c.hour_s[static_cast<std::size_t>(first)];
  w.last_hour_s = c.hour_s[static_cast<std::size_t>(first + gaia::kWindowHours - 1)];
  return w;
}

} // namespace gaia_data

// ---- the experiment file -----------------------------------------------------------------------

namespace {

using namespace cfsim::gaia;
namespace fs = std::filesystem;

constexpr const char* kFigureNames[] = {"fig8", "fig9", "fig10", "fig11", "fig12"};

struct RunDef {
  Mode mode = Mode::carbon;
  Policy policy = Policy::none;
  Waits waits;
  std::int64_t reserved = 0;
  std::int64_t start_index = 0;
};

struct Setup {
  std::string origin;
  Variant variant = Variant::faithful;
  std::string description;
  std::string jobs_path, carbon_path;
  std::string carbon_column = "LCA";
  std::int64_t base_offset = 0;
  std::vector<std::int64_t> start_indices;
  bool start_sweep = false; // start_index given as an array: names carry start=i
  std::vector<RunDef> runs;
  std::vector<std::string> figures;
  // data
  gaia_data::JobTrace trace;
  std::string jobs_sha256, carbon_sha256;
  gaia_data::HourlyCarbon hourly;
  std::vector<gaia_data::CarbonWindow> windows; // per start index
  Workload workload;
};

// The reference of every normalisation (spec §8): NJW, carbon/oracle, 0x0, R = 0.
bool is_reference(const RunDef& d) {
  return d.mode == Mode::carbon && d.policy == Policy::oracle && d.waits.short_h == 0 &&
         d.waits.long_h == 0 && d.reserved == 0;
}

std::string resolve(const std::string& base_dir, const std::string& p) {
  const fs::path path(p);
  if (path.is_absolute() || base_dir.empty())
    return path.lexically_normal().string();
  return (fs::path(base_dir) / path).lexically_normal().string();
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

// A whole number ≥ 0, or a non-empty array of distinct ones.
std::vector<std::int64_t> whole_list(JsonReader& r, const std::string& key, std::int64_t max,
                                     bool* was_array = nullptr) {
  const nlohmann::json* v = r.get(key);
  if (!v)
    r.fail(key, "is required (a whole number ≥ 0, or an array of them)");
  std::vector<std::int64_t> out;
  auto one = [&](const nlohmann::json& x, const std::string& where) {
    if (!x.is_number_integer() && !x.is_number_unsigned())
      throw ConfigError(r.origin() + ": " + where + ": expected a whole number, got " + x.dump());
    const auto n = x.get<std::int64_t>();
    if (n < 0 || n > max)
      throw ConfigError(r.origin() + ": " + where + ": " + std::to_string(n) +
                        " is out of range (0 … " + std::to_string(max) + ")");
    if (std::find(out.begin(), out.end(), n) != out.end())
      throw ConfigError(r.origin() + ": " + where + ": " + std::to_string(n) + " appears twice");
    out.push_back(n);
  };
  if (was_array)
    *was_array = v->is_array();
  if (v->is_array()) {
    if (v->empty())
      r.fail(key, "is an empty array (give at least one value)");
    for (std::size_t i = 0; i < v->size(); ++i)
      one((*v)[i], r.path_of(key) + "/" + std::to_string(i));
  } else {
    one(*v, r.path_of(key));
  }
  return out;
}

Setup read_setup(const ExperimentFile& f) {
  Setup s;
  s.origin = f.origin;
  JsonReader root(f.json, f.origin, "");
  (void)root.choice("experiment", {"gaia"});
  s.description = root.string("description", std::string());
  s.variant =
      root.choice("variant", {"faithful", "clean"}) == "clean" ? Variant::clean : Variant::faithful;
  s.jobs_path = resolve(f.base_dir, root.string("jobs"));
  {
    JsonReader c = root.object("carbon");
    s.carbon_path = resolve(f.base_dir, c.string("file"));
    s.carbon_column = c.choice("column", {"LCA", "direct"}, std::string("LCA"));
    s.base_offset = c.integer("base_offset");
    if (s.base_offset < 0)
      c.fail("base_offset", "must be ≥ 0 (0 for a single-year export, 17544 in the original)");
    s.start_indices = whole_list(c, "start_index", 1000000, &s.start_sweep);
    c.finish();
  }
  const nlohmann::json& runs = root.array("runs");
  if (runs.empty())
    root.fail("runs", "is empty (list the grid rows to run)");
  std::set<std::tuple<int, int, std::string, std::int64_t>> seen;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    JsonReader r(runs[i], f.origin, "/runs/" + std::to_string(i));
    RunDef d;
    d.mode = *mode_from(r.choice("mode", mode_names()));
    if (uses_carbon_policy(d.mode)) {
      d.policy = *policy_from(r.choice("policy", policy_names()));
    } else if (r.has("policy")) {
      r.fail("policy", std::string("mode ") + to_string(d.mode) +
                           " ignores the carbon policy (the original passes oracle); leave "
                           "'policy' out");
    }
    const std::string w = r.string("waits");
    const auto waits = parse_waits(w);
    if (!waits)
      r.fail("waits", "'" + w +
                          "' is not AxB (maximum waits in whole hours for Short and Long "
                          "jobs, e.g. 6x24 or 0x0)");
    d.waits = *waits;
    for (const std::int64_t R : whole_list(r, "reserved_cores", 1000000)) {
      d.reserved = R;
      if (!seen.insert({static_cast<int>(d.mode), static_cast<int>(d.policy), d.waits.text(), R})
               .second)
        r.fail("reserved_cores", "run " + std::string(to_string(d.mode)) + "/" +
                                     to_string(d.policy) + " R=" + std::to_string(R) +
                                     " waits=" + d.waits.text() + " appears twice in /runs");
      s.runs.push_back(d);
    }
    r.finish();
  }
  if (root.has("figures")) {
    const nlohmann::json& figs = root.array("figures");
    for (std::size_t i = 0; i < figs.size(); ++i) {
      const std::string where = "/figures/" + std::to_string(i);
      const std::vector<std::string> allowed(std::begin(kFigureNames), std::end(kFigureNames));
      if (!figs[i].is_string() ||
          std::find(allowed.begin(), allowed.end(), figs[i].get<std::string>()) == allowed.end())
        throw ConfigError(f.origin + ": " + where + ": " + figs[i].dump() +
                          " is not a figure (allowed: " + join(allowed) + ")");
      if (std::find(s.figures.begin(), s.figures.end(), figs[i].get<std::string>()) !=
          s.figures.end())
        throw ConfigError(f.origin + ": " + where + ": " + figs[i].dump() + " appears twice");
      s.figures.push_back(figs[i].get<std::string>());
    }
  } else {
    s.figures.assign(std::begin(kFigureNames), std::end(kFigureNames));
  }
  root.finish();

  // The reference of every normalisation (spec §8) must be among the runs.
  if (std::none_of(s.runs.begin(), s.runs.end(), is_reference))
    throw ConfigError(f.origin + ": /runs: the reference run (mode carbon, policy oracle, waits "
                                 "0x0, reserved_cores 0: NJW) is missing; every normalisation "
                                 "divides by it (spec §8)");

  // Expand over start indices (outer), keeping the file's order.
  std::vector<RunDef> expanded;
  for (const std::int64_t i : s.start_indices)
    for (RunDef d : s.runs) {
      d.start_index = i;
      expanded.push_back(d);
    }
  s.runs = std::move(expanded);
  return s;
}

// Reads an input file; a missing one names the key that points to it.
std::string read_input(const Setup& s, const std::string& path, const std::string& key) {
  try {
    return read_file(path);
  } catch (const InputError& e) {
    throw InputError(s.origin + ": " + key + ": " + e.what());
  }
}

void load_data(Setup& s) {
  const std::string jobs_text = read_input(s, s.jobs_path, "/jobs");
  s.jobs_sha256 = sha256_hex(jobs_text);
  s.trace = gaia_data::parse_job_trace(jobs_text, s.jobs_path);
  const std::string carbon_text = read_input(s, s.carbon_path, "/carbon/file");
  s.carbon_sha256 = sha256_hex(carbon_text);
  s.hourly = gaia_data::parse_hourly_carbon(carbon_text, s.carbon_path,
                                            s.carbon_column == "direct" ? EmissionBasis::direct
                                                                        : EmissionBasis::lifecycle);
  for (const std::int64_t i : s.start_indices)
    s.windows.push_back(gaia_data::select_window(s.hourly, s.carbon_path, s.base_offset, i));
  s.workload = make_workload(s.trace.rows);
  // Every arrival must fall inside the 30-day horizon (it would never be submitted otherwise).
  const std::int64_t horizon = kWindowHours * kStepsPerHour;
  for (std::size_t j = 0; j < s.workload.jobs.size(); ++j)
    if (s.workload.jobs[j].arrival >= horizon)
      throw TraceError(s.jobs_path, s.trace.lines[j],
                       "arrival step " + std::to_string(s.workload.jobs[j].arrival) +
                           " lies past the carbon window of " + std::to_string(horizon) +
                           " steps (720 hours)");
}

std::string run_name(const RunDef& d, bool start_sweep) {
  return "gaia/" + std::string(to_string(d.mode)) + "/" + to_string(d.policy) +
         "/R=" + std::to_string(d.reserved) + ",waits=" + d.waits.text() +
         (start_sweep ? ",start=" + std::to_string(d.start_index) : std::string()) + "/-";
}

struct DecisionKey {
  std::size_t window = 0; // index into Setup::windows
  DecisionKind kind = DecisionKind::window;
  Policy policy = Policy::none;
  std::int64_t short_h = 0, long_h = 0;
  auto tie() const { return std::tie(window, kind, policy, short_h, long_h); }
  bool operator<(const DecisionKey& o) const { return tie() < o.tie(); }
};

struct Computed {
  std::vector<CarbonSteps> carbon; // per window
  std::vector<Decisions> decisions;
  std::vector<std::size_t> decision_of_run;
  std::vector<Outcome> outcomes;
  std::vector<std::size_t> reference_of_run; // index of the run that normalises it
};

std::size_t window_of(const Setup& s, std::int64_t start_index) {
  for (std::size_t i = 0; i < s.start_indices.size(); ++i)
    if (s.start_indices[i] == start_index)
      return i;
  CFSIM_CHECK(false, "a run's start index is one of the file's");
  return 0;
}

Computed compute(const Setup& s, int threads) {
  Computed c;
  for (const auto& w : s.windows)
    c.carbon.push_back(carbon_steps(w.g_per_kwh));
  std::map<DecisionKey, std::size_t> keys;
  std::vector<DecisionKey> key_list;
  for (const RunDef& d : s.runs) {
    const DecisionKind kind = decision_kind(d.mode);
    const DecisionKey k{window_of(s, d.start_index), kind, d.policy, d.waits.short_h,
                        d.waits.long_h};
    const auto [it, added] = keys.emplace(k, key_list.size());
    if (added)
      key_list.push_back(k);
    c.decision_of_run.push_back(it->second);
  }
  c.decisions.resize(key_list.size());
  parallel_for(key_list.size(), threads, [&](std::size_t i) {
    const DecisionKey& k = key_list[i];
    c.decisions[i] =
        decide(c.carbon[k.window], s.workload, k.kind, k.policy, Waits{k.short_h, k.long_h});
  });
  c.outcomes.resize(s.runs.size());
  parallel_for(s.runs.size(), threads, [&](std::size_t i) {
    const RunDef& d = s.runs[i];
    const DecisionKey& k = key_list[c.decision_of_run[i]];
    c.outcomes[i] = simulate(c.carbon[k.window], s.workload, c.decisions[c.decision_of_run[i]],
                             RunSpec{d.mode, d.reserved, s.variant});
  });
  for (const RunDef& d : s.runs) {
    std::size_t ref = s.runs.size();
    for (std::size_t j = 0; j < s.runs.size(); ++j)
      if (is_reference(s.runs[j]) && s.runs[j].start_index == d.start_index)
        ref = j;
    CFSIM_CHECK(ref < s.runs.size(), "every start index has its reference run");
    c.reference_of_run.push_back(ref);
  }
  return c;
}

// ---- result set ----------------------------------------------------------------------------

double hours(double steps) {
  return steps / static_cast<double>(kStepsPerHour);
}

struct Normalized {
  double carbon = 0, cost = 0, waiting_h = 0;
};
Normalized normalized(const Computed& c, std::size_t run) {
  const Outcome& o = c.outcomes[run];
  const Outcome& ref = c.outcomes[c.reference_of_run[run]];
  return {o.carbon_g / ref.carbon_g, o.cost_usd / ref.cost_usd, hours(o.waiting_mean_steps)};
}

RunResult run_result(const Setup& s, const Computed& c, std::size_t i) {
  const RunDef& d = s.runs[i];
  const Outcome& o = c.outcomes[i];
  const Decisions& dec = c.decisions[c.decision_of_run[i]];
  const Normalized n = normalized(c, i);
  RunResult r;
  r.name = run_name(d, s.start_sweep);
  r.strategy = std::string(to_string(d.mode)) + "/" + to_string(d.policy);
  using I = std::int64_t;
  r.summary = {
      {"mode", "", std::string(to_string(d.mode))},
      {"policy", "", std::string(to_string(d.policy))},
      {"waits", "", d.waits.text()},
      {"reserved_cores", "1", I{d.reserved}},
      {"start_index", "1", I{d.start_index}},
      {"variant", "", std::string(to_string(s.variant))},
      {"carbon_g", "g", o.carbon_g},
      {"cost_usd", "USD", o.cost_usd},
      {"cost_spot_usd", "USD", o.cost_spot_usd},
      {"cost_on_demand_usd", "USD", o.cost_on_demand_usd},
      {"cost_reserved_fee_usd", "USD", o.cost_reserved_fee_usd},
      {"waiting_mean_h", "h", n.waiting_h},
      {"waiting_mean_steps", "5 s", o.waiting_mean_steps},
      {"waiting_rows", "1", I{o.waiting_rows}},
      {"normalized_carbon", "1", n.carbon},
      {"normalized_cost", "1", n.cost},
      {"dispatches_spot", "1", I{o.n_spot}},
      {"dispatches_reserved", "1", I{o.n_reserved}},
      {"dispatches_on_demand", "1", I{o.n_on_demand}},
      {"early_starts", "1", I{o.n_early}},
      {"jobs", "1", static_cast<I>(s.workload.jobs.size())},
      {"rows", "1", static_cast<I>(o.rows.size())},
      {"split_jobs", "1", I{o.split_jobs}},
      {"last_dispatch_step", "5 s", I{o.last_dispatch_step}},
      {"last_finish_step", "5 s", I{o.last_finish_step}},
      {"fee_steps", "5 s", I{o.fee_steps}},
      {"exact_fallbacks", "1", I{dec.exact_fallbacks}},
      {"event_steps", "1", I{o.event_steps}},
  };
  const TimeS t0 = s.windows[window_of(s, d.start_index)].first_hour_s;
  r.jobs.reserve(o.rows.size());
  for (const Row& row : o.rows) {
    JobRecord j;
    j.job_id = row.job;
    j.arrival_s = t0 + row.arrival * kStepS;
    j.start_s = t0 + row.start * kStepS;
    j.end_s = t0 + (row.start + row.length) * kStepS;
    j.pieces = row.pieces;
    j.cpus = static_cast<double>(row.cpus);
    j.wait_h = hours(static_cast<double>(row.start - row.arrival));
    // 1 W per core for length × 5 s.
    j.energy_kwh = static_cast<double>(row.cpus * row.length * kStepS) / 3.6e6;
    j.co2e_g = row.carbon_g;
    j.cost_usd = row.cost_usd;
    r.jobs.push_back(j);
  }
  return r;
}

Table dispatch_table(const Setup& s, const Computed& c) {
  std::vector<std::int64_t> run, job, piece, start, length;
  std::vector<std::string> capacity;
  std::vector<std::int64_t> early;
  for (std::size_t i = 0; i < s.runs.size(); ++i)
    for (const Row& r : c.outcomes[i].rows) {
      run.push_back(static_cast<std::int64_t>(i));
      job.push_back(r.job);
      piece.push_back(r.piece);
      start.push_back(r.start);
      length.push_back(r.length);
      capacity.emplace_back(to_string(r.capacity));
      early.push_back(r.early ? 1 : 0);
    }
  return Table{"dispatch",
               {{"run", "", run},
                {"job_id", "", job},
                {"piece", "", piece},
                {"start_step", "5 s", start},
                {"length_steps", "5 s", length},
                {"capacity", "", capacity},
                {"early", "1", early}}};
}

struct Bar {
  const char* label;
  Mode mode;
  Policy policy;
  const char* waits;
  std::int64_t reserved;
};

std::vector<Bar> figure_bars(const std::string& fig);

std::size_t find_run(const Setup& s, std::int64_t start, const std::string& figure, const Bar& b) {
  for (std::size_t i = 0; i < s.runs.size(); ++i) {
    const RunDef& d = s.runs[i];
    if (d.start_index == start && d.mode == b.mode && d.policy == b.policy &&
        d.waits.text() == b.waits && d.reserved == b.reserved)
      return i;
  }
  RunDef want{b.mode, b.policy, *parse_waits(b.waits), b.reserved, start};
  throw ConfigError(s.origin + ": /figures: " + figure + " needs the run " +
                    run_name(want, s.start_sweep) + " (bar " + b.label +
                    "), which /runs lacks (add it, or leave " + figure + " out of /figures)");
}

// Bar figures (spec §8): normalised values and each divided by its maximum over the bars
// (Figs. 10, 12 plot those; Fig. 8 plots carbon as is and waiting rescaled, so `with_cost`
// false leaves cost out).
Table bar_table(const Setup& s, const Computed& c, const std::string& name,
                const std::vector<Bar>& bars, bool with_cost) {
  std::vector<std::int64_t> start, run;
  std::vector<std::string> label;
  std::vector<double> carbon, cost, waiting, carbon_r, cost_r, waiting_r;
  for (const std::int64_t si : s.start_indices) {
    std::vector<Normalized> v;
    for (const Bar& b : bars) {
      const std::size_t i = find_run(s, si, name, b);
      start.push_back(si);
      run.push_back(static_cast<std::int64_t>(i));
      label.emplace_back(b.label);
      v.push_back(normalized(c, i));
    }
    double mc = 0, mk = 0, mw = 0;
    for (const Normalized& x : v) {
      mc = std::max(mc, x.carbon);
      mk = std::max(mk, x.cost);
      mw = std::max(mw, x.waiting_h);
    }
    for (const Normalized& x : v) {
      carbon.push_back(x.carbon);
      cost.push_back(x.cost);
      waiting.push_back(x.waiting_h);
      carbon_r.push_back(x.carbon / mc);
      cost_r.push_back(x.cost / mk);
      waiting_r.push_back(x.waiting_h / mw);
    }
  }
  Table t{name,
          {{"start_index", "", start},
           {"bar", "", label},
           {"run", "", run},
           {"normalized_carbon", "1", carbon}}};
  if (with_cost)
    t.columns.push_back({"normalized_cost", "1", cost});
  t.columns.push_back({"waiting_h", "h", waiting});
  if (with_cost) {
    t.columns.push_back({"carbon_rescaled", "1", carbon_r});
    t.columns.push_back({"cost_rescaled", "1", cost_r});
  }
  t.columns.push_back({"waiting_rescaled", "1", waiting_r});
  return t;
}

Table fig11_table(const Setup& s, const Computed& c) {
  std::vector<std::int64_t> start, reserved, run;
  std::vector<double> carbon, cost, waiting;
  for (const std::int64_t si : s.start_indices)
    for (const Bar& b : figure_bars("fig11")) {
      const std::size_t i = find_run(s, si, "fig11", b);
      const Normalized n = normalized(c, i);
      start.push_back(si);
      reserved.push_back(b.reserved);
      run.push_back(static_cast<std::int64_t>(i));
      carbon.push_back(n.carbon);
      cost.push_back(n.cost);
      waiting.push_back(n.waiting_h);
    }
  return Table{"fig11",
               {{"start_index", "", start},
                {"reserved_cores", "1", reserved},
                {"run", "", run},
                {"normalized_carbon", "1", carbon},
                {"normalized_cost", "1", cost},
                {"waiting_h", "h", waiting}}};
}

Table fig9_table(const Setup& s, const Computed& c) {
  std::vector<std::int64_t> start, minutes;
  std::vector<double> saved_pos, cdf_pos, saved_id, cdf_id, cdf;
  for (const std::int64_t si : s.start_indices) {
    const std::vector<Bar> bars = figure_bars("fig9");
    const std::size_t ref = find_run(s, si, "fig9", bars[0]);
    const std::size_t pol = find_run(s, si, "fig9", bars[1]);
    const Fig9 by_pos = fig9_cdf(s.workload, c.outcomes[ref], c.outcomes[pol], true);
    const Fig9 by_id = fig9_cdf(s.workload, c.outcomes[ref], c.outcomes[pol], false);
    CFSIM_CHECK(by_pos.minutes == by_id.minutes, "both joins group the same job lengths");
    for (std::size_t k = 0; k < by_pos.minutes.size(); ++k) {
      start.push_back(si);
      minutes.push_back(by_pos.minutes[k]);
      saved_pos.push_back(by_pos.saved_g[k]);
      cdf_pos.push_back(by_pos.cdf[k]);
      saved_id.push_back(by_id.saved_g[k]);
      cdf_id.push_back(by_id.cdf[k]);
      cdf.push_back(s.variant == Variant::faithful ? by_pos.cdf[k] : by_id.cdf[k]);
    }
  }
  return Table{"fig9",
               {{"start_index", "", start},
                {"minutes", "min", minutes},
                {"saved_position_join_g", "g", saved_pos},
                {"cdf_position_join", "1", cdf_pos},
                {"saved_id_join_g", "g", saved_id},
                {"cdf_id_join", "1", cdf_id},
                {"cdf", "1", cdf}}};
}

// The bars of every figure (spec §8), in plot order: the one list the tables and the check
// before running use. Fig. 9 compares its second bar with its first (the reference).
std::vector<Bar> figure_bars(const std::string& fig) {
  if (fig == "fig8")
    return {{"NJW", Mode::carbon, Policy::oracle, "0x0", 0},
            {"Lowest-Slot", Mode::carbon, Policy::lowest, "6x24", 0},
            {"Lowest-Window", Mode::carbon, Policy::waiting, "6x24", 0},
            {"Carbon-Time", Mode::carbon, Policy::cst_average, "6x24", 0},
            {"Ecovisor", Mode::suspend_resume_threshold, Policy::none, "6x24", 0},
            {"WaitAwhile", Mode::suspend_resume, Policy::none, "6x24", 0}};
  if (fig == "fig9")
    return {{"NJW", Mode::carbon, Policy::oracle, "0x0", 0},
            {"Carbon-Time", Mode::carbon, Policy::cst_average, "6x24", 0}};
  if (fig == "fig10")
    return {{"NJW", Mode::carbon, Policy::oracle, "0x0", 9},
            {"All-Jobs-Wait-Threshold", Mode::cost, Policy::none, "6x24", 9},
            {"WaitAwhile", Mode::suspend_resume, Policy::none, "6x24", 9},
            {"Ecovisor", Mode::suspend_resume_threshold, Policy::none, "6x24", 9},
            {"Carbon-Time", Mode::carbon, Policy::cst_average, "6x24", 9},
            {"Reserved-First-Carbon-Time", Mode::carbon_cost, Policy::cst_average, "6x24", 9}};
  if (fig == "fig11") {
    std::vector<Bar> bars;
    for (std::int64_t R = 0; R <= 24; R += 3)
      bars.push_back({R == 0 ? "Carbon-Time" : "Reserved-First-Carbon-Time",
                      R == 0 ? Mode::carbon : Mode::carbon_cost, Policy::cst_average, "6x24", R});
    return bars;
  }
  CFSIM_CHECK(fig == "fig12", "figure names are checked when the file is read");
  return {
      {"Carbon-Time", Mode::carbon, Policy::cst_average, "6x24", 0},
      {"Spot-Carbon-Time", Mode::carbon_spot, Policy::cst_average, "6x24", 0},
      {"Spot-Ecovisor", Mode::suspend_resume_spot_threshold, Policy::none, "6x24", 0},
      {"Spot-Reserved-Carbon-Time R=9", Mode::carbon_cost_spot, Policy::cst_average, "6x24", 9},
      {"Spot-Reserved-Carbon-Time R=6", Mode::carbon_cost_spot, Policy::cst_average, "6x24", 6}};
}

std::vector<Table> figure_tables(const Setup& s, const Computed& c) {
  std::vector<Table> out;
  for (const std::string& fig : s.figures) {
    if (fig == "fig9")
      out.push_back(fig9_table(s, c));
    else if (fig == "fig11")
      out.push_back(fig11_table(s, c));
    else
      out.push_back(bar_table(s, c, fig, figure_bars(fig), fig != "fig8"));
  }
  return out;
}

// Checks that every figure finds its runs before anything is simulated.
void check_figures(const Setup& s) {
  for (const std::string& fig : s.figures)
    for (const Bar& b : figure_bars(fig))
      for (const std::int64_t si : s.start_indices)
        (void)find_run(s, si, fig, b);
}

std::string workload_text(const Workload& w) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%zu jobs: %lld Short, %lld Long; m_short %.6f, m_long %.6f steps; E_short %lld, "
                "E_long %lld steps",
                w.jobs.size(), static_cast<long long>(w.n_short), static_cast<long long>(w.n_long),
                w.mean_short, w.mean_long, static_cast<long long>(w.expected_short),
                static_cast<long long>(w.expected_long));
  return buf;
}

std::string windows_text(const Setup& s) {
  std::string out;
  for (const auto& w : s.windows)
    out += (out.empty() ? "" : "; ") + std::string("start ") + std::to_string(w.start_index) +
           ": rows [" + std::to_string(w.first_row) + ", " +
           std::to_string(w.first_row + kWindowHours) + "), " + format_utc(w.first_hour_s) + " … " +
           format_utc(w.last_hour_s) + ", " + std::to_string(w.estimated_hours) +
           " estimated hours";
  return out;
}

std::string deviations_text(Variant v) {
  if (v == Variant::faithful)
    return "none: faithful reproduces every quirk of spec §10";
  std::string out;
  for (const DeviationInfo& d : clean_deviations())
    out += std::string(d.name) + ": " + d.what + "\n";
  return out;
}

} // namespace

ResultSet run_gaia(const ExperimentFile& f, const ExperimentOptions& opt) {
  Setup s = read_setup(f);
  check_figures(s);
  load_data(s);
  const Computed c = compute(s, opt.threads);

  ResultSet rs;
  rs.grid = TimeGrid{s.windows.front().first_hour_s, 3600, kWindowHours};
  rs.runs.reserve(s.runs.size());
  for (std::size_t i = 0; i < s.runs.size(); ++i)
    rs.runs.push_back(run_result(s, c, i));
  rs.tables = figure_tables(s, c);
  rs.tables.push_back(dispatch_table(s, c));

  std::string starts;
  for (const std::int64_t i : s.start_indices)
    starts += (starts.empty() ? "" : ",") + std::to_string(i);
  rs.attributes = {
      {"experiment", "gaia"},
      {"mode", to_string(s.variant)},
      {"spec", "../shared/published/gaia.md (Hanafy et al., GAIA, ASPLOS 2024)"},
      {"description", s.description},
      {"scenario_json", f.json.dump()},
      {"scenario_sha256", f.sha256},
      {"input_sha256",
       s.jobs_path + "=" + s.jobs_sha256 + "\n" + s.carbon_path + "=" + s.carbon_sha256 + "\n"},
      {"jobs_file", s.jobs_path},
      {"carbon_file", s.carbon_path},
      {"carbon_zone", s.hourly.zone},
      {"carbon_column", s.hourly.column},
      {"carbon_basis", to_string(s.hourly.basis)},
      {"carbon_base_offset", std::to_string(s.base_offset)},
      {"carbon_start_index", starts},
      {"carbon_windows", windows_text(s)},
      {"workload", workload_text(s.workload)},
      {"deviations", deviations_text(s.variant)},
      {"reference_run", run_name(s.runs[c.reference_of_run.front()], s.start_sweep)},
  };
  if (opt.progress)
    std::fprintf(stderr, "gaia (%s): %zu runs, %zu decision sets\n", to_string(s.variant),
                 s.runs.size(), c.decisions.size());
  return rs;
}

std::string validate_gaia(const ExperimentFile& f) {
  Setup s = read_setup(f);
  check_figures(s);
  load_data(s);
  return "gaia " + std::string(to_string(s.variant)) + ": " + std::to_string(s.runs.size()) +
         " runs; " + workload_text(s.workload) + "; carbon " + s.hourly.zone + " `" +
         s.hourly.column + "` " + windows_text(s);
}

} // namespace cfsim::published
