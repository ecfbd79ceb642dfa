// Let's Wait Awhile (Wiesner et al., Middleware 2021) as an experiment file: reads the file
// (scenarios/published/lets_wait_awhile/README.md documents its keys), the traces, the job CSV
// and an optional noise file, runs the pure simulation of include/cfsim/lets_wait_awhile.hpp and
// builds the result set. The spec is ../shared/published/lets-wait-awhile.md.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/lets_wait_awhile.hpp"
#include "io/csv.hpp"
#include "io/json_reader.hpp"
#include "parallel_for.hpp"
#include "published/experiments.hpp"

namespace cfsim::published {

namespace {

using lwa::Deadline;
using lwa::Sched;
using lwa::Variant;

// The regions of the original code (spec §1); `cal` is listed there but its trace is not
// published, so none of the shipped files uses it. Results follow this order.
const std::vector<std::string> kRegions = {"ger", "gb", "fr", "cal"};

// ---------------------------------------------------------------------------------------------
// The experiment file

struct Region {
  std::string name;
  std::string path;
};

struct Config {
  std::string name;
  std::string description;
  int scenario = 1; // I or II
  Variant variant = Variant::faithful;
  std::vector<Region> regions;
  std::vector<double> errors; // ascending, unique
  std::int64_t seeds = 0;     // seeds 0..seeds−1 for every e > 0
  // Scenario I
  std::vector<std::int64_t> windows; // ascending, unique, with 0
  std::int64_t histogram_window = -1;
  // Scenario II
  std::string jobs_path;
  std::vector<Deadline> deadlines;
  std::vector<Sched> scheds;
  std::string noise_path; // empty: cfsim's generator
};

std::string resolve(const std::string& base, const std::string& p) {
  if (p.empty() || std::filesystem::path(p).is_absolute() || base.empty())
    return p;
  return (std::filesystem::path(base) / p).string();
}

// Shortest text that reads back as the same double ("0.05", not "0.050000000000000003").
std::string num_text(double x) {
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (std::strtod(buf, nullptr) == x)
      break;
  }
  return buf;
}

// A name part used inside run names: no '/', ',' or '='.
void check_name(JsonReader& r, const std::string& key, const std::string& s) {
  if (s.empty() || s.find_first_of("/,=") != std::string::npos)
    r.fail(key, "'" + s + "' must be non-empty without '/', ',' or '=' (it is part of run names)");
}

template <class T>
std::vector<T> read_choices(JsonReader& r, const std::string& key,
                            const std::vector<std::pair<std::string, T>>& allowed) {
  const nlohmann::json& a = r.array(key);
  std::string list;
  for (const auto& [name, value] : allowed)
    list += (list.empty() ? "" : ", ") + name;
  if (a.empty())
    r.fail(key, "is empty (give one or more of: " + list + ")");
  std::vector<T> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = key + "/" + std::to_string(i);
    if (!a[i].is_string())
      r.fail(where, "expected a string (one of: " + list + "), got " + a[i].dump());
    const std::string s = a[i].get<std::string>();
    const auto it =
        std::find_if(allowed.begin(), allowed.end(), [&s](const auto& p) { return p.first == s; });
    if (it == allowed.end())
      r.fail(where, "'" + s + "' is not allowed (allowed: " + list + ")");
    if (std::find(out.begin(), out.end(), it->second) != out.end())
      r.fail(where, "'" + s + "' is listed twice");
    out.push_back(it->second);
  }
  return out;
}

Config read_config(const ExperimentFile& f) {
  JsonReader r(f.json, f.origin, "");
  Config c;
  r.choice("experiment", {"lets_wait_awhile"});
  c.name = r.string("name");
  check_name(r, "name", c.name);
  c.description = r.string("description", std::string());
  const std::string sc = r.choice("scenario", {"I", "II"});
  c.scenario = sc == "I" ? 1 : 2;
  c.variant =
      r.choice("mode", {"faithful", "clean"}) == "faithful" ? Variant::faithful : Variant::clean;
  {
    JsonReader rr = r.object("regions");
    for (const std::string& name : kRegions)
      if (rr.get(name)) // asked for every allowed name, so finish() lists them all
        c.regions.push_back({name, resolve(f.base_dir, rr.string(name))});
    rr.finish();
    if (c.regions.empty())
      r.fail("regions", "is empty (map one or more of ger, gb, fr, cal to a `Time,Carbon "
                        "Intensity` CSV)");
  }
  {
    const nlohmann::json& a = r.array("errors");
    if (a.empty())
      r.fail("errors", "is empty (give the error levels e, e.g. [0, 0.05])");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string where = "errors/" + std::to_string(i);
      if (!a[i].is_number() || !std::isfinite(a[i].get<double>()) || a[i].get<double>() < 0)
        r.fail(where, "expected an error level e ≥ 0 (σ = e × mean intensity), got " + a[i].dump());
      const double e = a[i].get<double>();
      if (std::find(c.errors.begin(), c.errors.end(), e) != c.errors.end())
        r.fail(where, "error level " + num_text(e) + " is listed twice");
      c.errors.push_back(e);
    }
    std::sort(c.errors.begin(), c.errors.end());
  }
  c.seeds = r.integer("seeds");
  if (c.seeds < 1 || c.seeds > 1000)
    r.fail("seeds", "expected 1..1000 (noise seeds 0..seeds−1 for every e > 0; the paper: 10), "
                    "got " +
                        std::to_string(c.seeds));
  if (r.has("noise_file"))
    c.noise_path = resolve(f.base_dir, r.string("noise_file"));
  const auto only_for = [&r](const char* key, const char* scenario) {
    if (r.has(key))
      r.fail(key, std::string("applies to scenario ") + scenario + " only");
  };
  if (c.scenario == 1) {
    only_for("jobs", "II");
    only_for("deadlines", "II");
    only_for("scheduling", "II");
    const nlohmann::json& a = r.array("windows");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string where = "windows/" + std::to_string(i);
      if (!a[i].is_number_integer() || a[i].get<std::int64_t>() < 0 ||
          a[i].get<std::int64_t>() > 48 * 14)
        r.fail(where, "expected a window w in slots, a whole number 0..672 (±30·w min), got " +
                          a[i].dump());
      const auto w = a[i].get<std::int64_t>();
      if (std::find(c.windows.begin(), c.windows.end(), w) != c.windows.end())
        r.fail(where, "window " + std::to_string(w) + " is listed twice");
      c.windows.push_back(w);
    }
    std::sort(c.windows.begin(), c.windows.end());
    if (c.windows.empty() || c.windows.front() != 0)
      r.fail("windows", "must include 0 (savings are measured against w = 0, spec §5)");
    if (r.has("histogram_window")) {
      c.histogram_window = r.integer("histogram_window");
      if (std::find(c.windows.begin(), c.windows.end(), c.histogram_window) == c.windows.end())
        r.fail("histogram_window", std::to_string(c.histogram_window) +
                                       " is not one of the windows (the start-time histogram "
                                       "is recorded for one of them; the paper: 16)");
    }
  } else {
    only_for("windows", "I");
    only_for("histogram_window", "I");
    c.jobs_path = resolve(f.base_dir, r.string("jobs"));
    c.deadlines = read_choices<Deadline>(
        r, "deadlines",
        {{"next_workday", Deadline::next_workday}, {"semi_weekly", Deadline::semi_weekly}});
    c.scheds = read_choices<Sched>(
        r, "scheduling",
        {{"non_interruptible", Sched::non_interruptible}, {"interruptible", Sched::interruptible}});
  }
  r.finish();
  return c;
}

// ---------------------------------------------------------------------------------------------
// Data

struct Trace {
  Region region;
  std::string sha256;
  lwa::PreparedTrace prepared;
};

Trace load_trace(const Region& region, Variant v) {
  const std::string text = read_file(region.path);
  TwoColumnOptions opt;
  opt.zone = region.name;
  opt.source = "lets-wait-awhile";
  const RawSeries raw = parse_two_column_csv(text, region.path, opt);
  lwa::RawTrace rt;
  rt.time_s = raw.start_s;
  rt.value = raw.value;
  rt.origin = region.path;
  rt.first_line = 2; // one row per line after the header (the CSV reader rejects blank lines)
  Trace t;
  t.region = region;
  t.sha256 = sha256_hex(text);
  t.prepared = lwa::prepare_trace(rt, v);
  return t;
}

// `job_id,submit_utc,duration_min` (spec §6.1): submit times on the trace clock ('Z' names that
// naive clock; other offsets are refused), on the 30-min grid from 2020-01-01 00:00 on.
std::vector<lwa::MlJob> parse_jobs(std::string_view text, const std::string& origin) {
  constexpr std::string_view kHeader = "job_id,submit_utc,duration_min";
  csv::Reader r(text, origin);
  const csv::Header header = csv::read_header(r, kHeader);
  if (header.joined() != kHeader)
    r.fail("header is `" + header.joined() + "` (expected exactly `" + std::string(kHeader) + "`)");
  std::vector<lwa::MlJob> jobs;
  std::map<std::int64_t, long> ids;
  while (r.next()) {
    csv::expect_fields(r, 3, kHeader);
    const double id = csv::number_field(r, 0, "job_id");
    if (id != std::floor(id) || std::fabs(id) > 9e15)
      r.fail("job_id '" + r[0] + "' is not a whole number");
    const auto jid = static_cast<std::int64_t>(id);
    if (const auto it = ids.find(jid); it != ids.end())
      r.fail("job_id " + r[0] + " repeats the one on line " + std::to_string(it->second) +
             " (ids are unique)");
    ids[jid] = r.line();
    if (r[1].size() > 10 && r[1].find_first_of("+-", 10) != std::string::npos)
      r.fail("submit_utc '" + r[1] +
             "' has a UTC offset (times are on the naive trace clock: 'YYYY-MM-DDTHH:MM:SSZ' or "
             "'YYYY-MM-DD HH:MM:SS')");
    const TimeS t = csv::time_field(r, 1, "submit_utc");
    if (t < lwa::kStartS || (t - lwa::kStartS) % lwa::kSlotS != 0)
      r.fail("submit_utc '" + r[1] +
             "' is not on the 30-min grid from 2020-01-01 00:00 on (spec §6.1)");
    const double d = csv::number_field(r, 2, "duration_min");
    if (d <= 0 || d != std::floor(d) || std::fmod(d, 30.0) != 0.0 || d > 1e7)
      r.fail("duration_min '" + r[2] + "' is not a positive multiple of 30 (spec §6.1)");
    lwa::MlJob j;
    j.id = jid;
    j.slot = (t - lwa::kStartS) / lwa::kSlotS;
    j.n = static_cast<std::int64_t>(d) / 30;
    jobs.push_back(j);
  }
  if (jobs.empty())
    throw TraceError(origin, 2, "no jobs after the header (expected at least one row)");
  return jobs;
}

// The noise file: CSV `region,e,seed,slot,noise_g_per_kwh`, one row per value ε_k (added to
// ci_true, §3), each (region, e, seed) vector in slot order 0..N−1 without gaps. Vectors the
// experiment does not use are allowed and counted.
using NoiseKey = std::tuple<std::string, double, std::int64_t>;
struct NoiseFile {
  std::map<NoiseKey, std::vector<double>> vectors;
  std::string sha256;
};

NoiseFile load_noise_file(const std::string& path) {
  constexpr std::string_view kHeader = "region,e,seed,slot,noise_g_per_kwh";
  const std::string text = read_file(path);
  NoiseFile nf;
  nf.sha256 = sha256_hex(text);
  csv::Reader r(text, path);
  const csv::Header header = csv::read_header(r, kHeader);
  if (header.joined() != kHeader)
    r.fail("header is `" + header.joined() + "` (expected exactly `" + std::string(kHeader) + "`)");
  std::vector<double>* cur = nullptr;
  NoiseKey cur_key;
  while (r.next()) {
    csv::expect_fields(r, 5, kHeader);
    const double e = csv::number_field(r, 1, "e");
    const double seed = csv::number_field(r, 2, "seed");
    const double slot = csv::number_field(r, 3, "slot");
    if (seed < 0 || seed != std::floor(seed) || seed > 9e15)
      r.fail("seed '" + r[2] + "' is not a whole number ≥ 0");
    if (slot < 0 || slot != std::floor(slot) || slot > 9e15)
      r.fail("slot '" + r[3] + "' is not a whole number ≥ 0");
    NoiseKey key{r[0], e, static_cast<std::int64_t>(seed)};
    if (cur == nullptr || key != cur_key) {
      const auto [it, fresh] = nf.vectors.try_emplace(key);
      if (!fresh)
        r.fail("the vector region=" + r[0] + " e=" + r[1] + " seed=" + r[2] +
               " appeared earlier and is interrupted (each vector's rows must be together, in "
               "slot order)");
      cur = &it->second;
      cur_key = key;
    }
    if (static_cast<std::size_t>(slot) != cur->size())
      r.fail("slot " + r[3] + " of region=" + r[0] + " e=" + r[1] + " seed=" + r[2] +
             " should be " + std::to_string(cur->size()) + " (slots in order 0, 1, …, no gaps)");
    const double v = csv::number_field(r, 4, "noise_g_per_kwh");
    cur->push_back(v);
  }
  if (nf.vectors.empty())
    throw TraceError(path, 2, "no rows after the header (expected noise vectors)");
  return nf;
}

// Everything an experiment needs, read and checked.
struct Loaded {
  Config c;
  std::vector<Trace> traces;
  std::vector<lwa::MlJob> jobs;
  std::string jobs_sha256;
  std::optional<NoiseFile> noise;
  std::size_t noise_unused = 0;
};

std::vector<double> noise_errors(const Config& c) {
  std::vector<double> out;
  for (double e : c.errors)
    if (e > 0)
      out.push_back(e);
  return out;
}

Loaded load(const ExperimentFile& f) {
  Loaded l;
  l.c = read_config(f);
  for (const Region& region : l.c.regions)
    l.traces.push_back(load_trace(region, l.c.variant));
  if (l.c.scenario == 2) {
    const std::string text = read_file(l.c.jobs_path);
    l.jobs = parse_jobs(text, l.c.jobs_path);
    l.jobs_sha256 = sha256_hex(text);
  }
  if (!l.c.noise_path.empty()) {
    l.noise = load_noise_file(l.c.noise_path);
    std::size_t used = 0;
    for (const Trace& t : l.traces)
      for (double e : noise_errors(l.c))
        for (std::int64_t s = 0; s < l.c.seeds; ++s) {
          const auto it = l.noise->vectors.find({t.region.name, e, s});
          const std::string what =
              "region=" + t.region.name + " e=" + num_text(e) + " seed=" + std::to_string(s);
          if (it == l.noise->vectors.end())
            throw TraceError(l.c.noise_path + ": has no noise vector " + what +
                             " (the experiment needs one per region, e > 0 and seed; nothing "
                             "falls back to cfsim's generator)");
          if (it->second.size() != t.prepared.ci.size())
            throw TraceError(l.c.noise_path + ": the noise vector " + what + " has " +
                             std::to_string(it->second.size()) + " values, the trace " +
                             std::to_string(t.prepared.ci.size()) + " slots");
          ++used;
        }
    l.noise_unused = l.noise->vectors.size() - used;
  }
  return l;
}

// ---------------------------------------------------------------------------------------------
// Results

Field text_field(const std::string& name, const std::string& v) {
  return {name, "", v};
}
Field num_field(const std::string& name, const std::string& units, double v) {
  return {name, units, v};
}
Field int_field(const std::string& name, const std::string& units, std::int64_t v) {
  return {name, units, v};
}

std::string clock_text(TimeS t) {
  const CivilTime c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute);
  return buf;
}
std::string time_of_day(std::int64_t slot_of_day) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(slot_of_day / 2),
                static_cast<int>(slot_of_day % 2) * 30);
  return buf;
}

// The mean over seeds, taken relative to the first value so that equal values (A at w = 0, where
// the noise cannot change anything) give exactly that value and savings of exactly 0.
double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v)
    s += x - v.front();
  return v.front() + s / static_cast<double>(v.size());
}

// Seen series of every (region, e > 0, seed), index [trace][e][seed].
using SeenSet = std::vector<std::vector<std::vector<std::vector<double>>>>;
SeenSet make_seen(const Loaded& l, int threads) {
  const std::vector<double> es = noise_errors(l.c);
  const auto seeds = static_cast<std::size_t>(l.c.seeds);
  SeenSet seen(l.traces.size(), std::vector<std::vector<std::vector<double>>>(
                                    es.size(), std::vector<std::vector<double>>(seeds)));
  const std::size_t per_trace = es.size() * seeds;
  parallel_for(l.traces.size() * per_trace, threads, [&](std::size_t task) {
    const std::size_t ti = task / per_trace, ei = (task % per_trace) / seeds, s = task % seeds;
    const Trace& t = l.traces[ti];
    std::vector<double> eps;
    if (l.noise) {
      eps = l.noise->vectors.at({t.region.name, es[ei], static_cast<std::int64_t>(s)});
    } else {
      const double sigma = lwa::noise_sigma(t.prepared, es[ei]);
      eps = lwa::standard_noise(s, t.prepared.ci.size());
      for (double& x : eps)
        x = sigma * x; // NumPy: loc + scale·z with loc 0
    }
    seen[ti][ei][s] = lwa::seen_series(t.prepared.ci, eps);
  });
  return seen;
}

// One configuration's values per seed (one entry with seed −1 when e = 0).
struct SeedValues {
  std::vector<std::int64_t> seed;
  std::vector<double> value;
  std::vector<std::int64_t> slot_sum;
};

std::vector<std::pair<std::string, std::string>> common_attributes(const ExperimentFile& f,
                                                                   const Loaded& l) {
  const Config& c = l.c;
  std::vector<std::pair<std::string, std::string>> a = {
      {"experiment", "lets_wait_awhile"},
      {"specification", "../shared/published/lets-wait-awhile.md (Wiesner et al., Middleware "
                        "2021)"},
      {"name", c.name},
      {"description", c.description},
      {"scenario", c.scenario == 1 ? "I" : "II"},
      {"mode", lwa::to_string(c.variant)},
      {"scenario_json", f.json.dump()},
      {"scenario_sha256", f.sha256},
  };
  for (const Trace& t : l.traces) {
    a.emplace_back("input_path_" + t.region.name, t.region.path);
    a.emplace_back("input_sha256_" + t.region.name, t.sha256);
  }
  if (c.scenario == 2) {
    a.emplace_back("input_path_jobs", c.jobs_path);
    a.emplace_back("input_sha256_jobs", l.jobs_sha256);
  }
  std::string errs;
  for (double e : c.errors)
    errs += (errs.empty() ? "" : ",") + num_text(e);
  a.emplace_back("errors", errs);
  a.emplace_back("seeds", "0.." + std::to_string(c.seeds - 1) +
                              " for every e > 0 (e = 0: no "
                              "noise, seed -1 in lwa_seeds)");
  if (l.noise) {
    a.emplace_back("rng", "noise file (bit-exact external noise vectors, e.g. NumPy "
                          "default_rng(seed).normal(0, sigma, N)); cfsim's generator unused");
    a.emplace_back("noise_file", c.noise_path);
    a.emplace_back("noise_file_sha256", l.noise->sha256);
    a.emplace_back("noise_file_unused_vectors", std::to_string(l.noise_unused));
  } else {
    a.emplace_back("rng", "cfsim Rng(seed, stream 0x4C5741): std::mt19937_64 seeded with "
                          "splitmix64(seed ^ splitmix64(stream)), Marsaglia polar normals z; "
                          "eps = e * mean(ci_true) * z, the same z for every region and e of a "
                          "seed (as NumPy's default_rng(seed).normal(0, sigma, N)); "
                          "distribution-equivalent to the original, not bit-equal (spec §3)");
  }
  a.emplace_back("clock", "trace clock (naive timestamps, ~UTC); nothing localized (spec §1, "
                          "kept in both modes)");
  if (c.variant == Variant::faithful) {
    a.emplace_back("deviations", "none: every [QUIRK] of spec §8 is reproduced");
  } else {
    a.emplace_back(
        "deviations",
        c.scenario == 1
            ? "CLEAN (not the original's numbers): C1 time-weighted 30-min means instead of "
              "point samples at :00/:30; C2 job 0 is not skipped for w >= 3 (its window is cut "
              "at 2020-01-01 00:00), 366 jobs (2020-12-31 has one too) and A divides by the "
              "number of jobs. Kept: trace clock, noise model of §3"
            : "CLEAN (not the original's numbers): C1 time-weighted 30-min means instead of "
              "point samples at :00/:30; C3 non-interruptible start offsets 0..f (the baseline "
              "starts at once, no job ends after its deadline); C4 interruptible: exactly n "
              "slots, earliest among ties, chosen from the n+f slots before the deadline; C5 "
              "next_workday: Friday after 17:00 -> Monday 09:00. Kept: trace clock, noise "
              "model of §3");
  }
  return a;
}

Table trace_tables_stats(const Loaded& l, Table* day_profile) {
  Table t{"lwa_trace_stats", {}};
  std::vector<std::string> region, first, last;
  std::vector<std::int64_t> rows, before, off_grid, partial, tail, slots, wd_slots, we_slots;
  std::vector<double> mean, sd, mn, mx, wd, we, rel;
  Table& p = *day_profile;
  p.name = "lwa_day_profile";
  std::vector<std::string> p_region, p_time;
  std::vector<std::int64_t> p_slot;
  std::vector<double> p_all, p_wd, p_we;
  for (const Trace& tr : l.traces) {
    const lwa::PreparedTrace& pt = tr.prepared;
    const lwa::TraceStats s = lwa::trace_stats(pt.ci);
    region.push_back(tr.region.name);
    rows.push_back(pt.rows);
    before.push_back(pt.rows_before_start);
    off_grid.push_back(pt.rows_off_grid);
    partial.push_back(pt.partial_slots);
    tail.push_back(pt.tail_slots_dropped);
    slots.push_back(static_cast<std::int64_t>(pt.ci.size()));
    first.push_back(clock_text(pt.first_s()));
    last.push_back(clock_text(pt.last_s()));
    mean.push_back(s.mean);
    sd.push_back(s.std);
    mn.push_back(s.min);
    mx.push_back(s.max);
    wd.push_back(s.weekday_mean);
    we.push_back(s.weekend_mean);
    wd_slots.push_back(s.weekday_slots);
    we_slots.push_back(s.weekend_slots);
    rel.push_back(100.0 * (s.weekend_mean / s.weekday_mean - 1.0));
    for (std::int64_t b = 0; b < lwa::kSlotsPerDay; ++b) {
      const auto ub = static_cast<std::size_t>(b);
      p_region.push_back(tr.region.name);
      p_slot.push_back(b);
      p_time.push_back(time_of_day(b));
      p_all.push_back(s.day_profile[ub]);
      p_wd.push_back(s.day_profile_weekday[ub]);
      p_we.push_back(s.day_profile_weekend[ub]);
    }
  }
  const std::string ci_units = "g kW-1 h-1";
  t.columns = {{"region", "", region},
               {"rows", "1", rows},
               {"rows_before_start", "1", before},
               {"rows_off_grid_dropped", "1", off_grid},
               {"partial_slots", "1", partial},
               {"tail_slots_dropped", "1", tail},
               {"slots", "1", slots},
               {"first_slot", "", first},
               {"last_slot", "", last},
               {"mean_g_per_kwh", ci_units, mean},
               {"std_g_per_kwh", ci_units, sd},
               {"min_g_per_kwh", ci_units, mn},
               {"max_g_per_kwh", ci_units, mx},
               {"weekday_slots", "1", wd_slots},
               {"weekend_slots", "1", we_slots},
               {"weekday_mean_g_per_kwh", ci_units, wd},
               {"weekend_mean_g_per_kwh", ci_units, we},
               {"weekend_vs_weekday_pct", "%", rel}};
  p.columns = {{"region", "", p_region},
               {"slot_of_day", "1", p_slot},
               {"time_of_day", "", p_time},
               {"mean_g_per_kwh", ci_units, p_all},
               {"weekday_mean_g_per_kwh", ci_units, p_wd},
               {"weekend_mean_g_per_kwh", ci_units, p_we}};
  return t;
}

Table seeds_table(const std::vector<SeedValues>& per_run, const std::vector<double>& savings_basis,
                  const std::string& value_name, const std::string& value_units) {
  Table t{"lwa_seeds", {}};
  std::vector<std::int64_t> run, seed, slot_sum;
  std::vector<double> value, savings;
  for (std::size_t r = 0; r < per_run.size(); ++r)
    for (std::size_t i = 0; i < per_run[r].seed.size(); ++i) {
      run.push_back(static_cast<std::int64_t>(r));
      seed.push_back(per_run[r].seed[i]);
      value.push_back(per_run[r].value[i]);
      savings.push_back(100.0 * (1.0 - per_run[r].value[i] / savings_basis[r]));
      slot_sum.push_back(per_run[r].slot_sum[i]);
    }
  t.columns = {{"run", "", run},
               {"seed", "", seed},
               {value_name, value_units, value},
               {"savings_pct", "%", savings},
               {"decision_slot_sum", "1", slot_sum}};
  return t;
}

// Summary fields shared by both scenarios: the seed mean of `value`, its percentiles over seeds,
// and the savings against `basis` (with percentiles).
void add_value_fields(std::vector<Field>& out, const SeedValues& sv, double basis,
                      const std::string& name, const std::string& units) {
  std::vector<double> savings;
  for (double v : sv.value)
    savings.push_back(100.0 * (1.0 - v / basis));
  const double m = mean_of(sv.value);
  out.push_back(num_field(name, units, m));
  out.push_back(num_field(name + "_p5", units, lwa::percentile_linear(sv.value, 5)));
  out.push_back(num_field(name + "_p50", units, lwa::percentile_linear(sv.value, 50)));
  out.push_back(num_field(name + "_p95", units, lwa::percentile_linear(sv.value, 95)));
  out.push_back(num_field("savings_pct", "%", 100.0 * (1.0 - m / basis)));
  out.push_back(num_field("savings_p5_pct", "%", lwa::percentile_linear(savings, 5)));
  out.push_back(num_field("savings_p50_pct", "%", lwa::percentile_linear(savings, 50)));
  out.push_back(num_field("savings_p95_pct", "%", lwa::percentile_linear(savings, 95)));
}

// ---------------------------------------------------------------------------------------------
// Scenario I (spec §5)

struct Run1 {
  std::size_t trace = 0;
  double e = 0;
  std::size_t e_index = 0; // into noise_errors(), when e > 0
  std::int64_t w = 0;
  // results
  SeedValues sv;
  lwa::ShiftResult first; // seed 0 (or the e = 0 run): counts
  std::int64_t slot_sum = 0, slot_sq_sum = 0;
  std::vector<std::array<std::int64_t, lwa::kSlotsPerDay>> hist; // per seed, if recorded
};

ResultSet run_scenario1(const ExperimentFile& f, const Loaded& l, const ExperimentOptions& opt) {
  const Config& c = l.c;
  const std::vector<double> es = noise_errors(c);
  const SeenSet seen = make_seen(l, opt.threads);
  std::vector<Run1> runs;
  for (std::size_t ti = 0; ti < l.traces.size(); ++ti)
    for (double e : c.errors)
      for (std::int64_t w : c.windows) {
        Run1 r;
        r.trace = ti;
        r.e = e;
        r.w = w;
        if (e > 0)
          r.e_index = static_cast<std::size_t>(std::find(es.begin(), es.end(), e) - es.begin());
        runs.push_back(r);
      }
  parallel_for(runs.size(), opt.threads, [&](std::size_t i) {
    Run1& r = runs[i];
    const std::vector<double>& ci = l.traces[r.trace].prepared.ci;
    const std::int64_t n_seeds = r.e > 0 ? c.seeds : 1;
    for (std::int64_t s = 0; s < n_seeds; ++s) {
      const std::vector<double>& sn =
          r.e > 0 ? seen[r.trace][r.e_index][static_cast<std::size_t>(s)] : ci;
      const lwa::ShiftResult sr = lwa::shift_nightly(ci, sn, r.w, c.variant);
      std::int64_t ss = 0;
      for (const std::int64_t k : sr.chosen)
        if (k >= 0) {
          ss += k;
          r.slot_sq_sum += k * k;
        }
      r.slot_sum += ss;
      r.sv.seed.push_back(r.e > 0 ? s : -1);
      r.sv.value.push_back(sr.mean_ci);
      r.sv.slot_sum.push_back(ss);
      if (r.w == c.histogram_window)
        r.hist.push_back(lwa::start_histogram(sr.chosen));
      if (s == 0)
        r.first = sr;
    }
  });

  ResultSet rs;
  rs.grid = TimeGrid{lwa::kStartS, lwa::kSlotS, 0};
  rs.attributes = common_attributes(f, l);
  std::string wl;
  for (std::int64_t w : c.windows)
    wl += (wl.empty() ? "" : ",") + std::to_string(w);
  rs.attributes.emplace_back("windows_slots", wl);
  rs.attributes.emplace_back("metric", "A = sum of ci_true over the executed jobs' slots / " +
                                           std::string(c.variant == Variant::faithful
                                                           ? "365 (spec §5, also when job 0 "
                                                             "is skipped)"
                                                           : "the number of jobs (clean C2)") +
                                           "; savings = 1 - A(w)/A(0) per region and e");
  std::vector<double> basis(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // A(0) of the same region and e (w = 0 is the first window of each block).
    const std::size_t b =
        i - static_cast<std::size_t>(std::find(c.windows.begin(), c.windows.end(), runs[i].w) -
                                     c.windows.begin());
    // At w = 0 the noise changes nothing (one candidate): every seed has the same A(0).
    const std::vector<double>& a0 = runs[b].sv.value;
    CFSIM_CHECK(std::all_of(a0.begin(), a0.end(), [&a0](double x) { return x == a0.front(); }),
                "A(0) does not depend on the seed");
    basis[i] = a0.front();
  }
  Table hist{"lwa_start_histogram", {}};
  std::vector<std::int64_t> h_run, h_bin, h_w, h_min, h_max;
  std::vector<std::string> h_region, h_time;
  std::vector<double> h_e, h_mean;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run1& r = runs[i];
    const std::string& region = l.traces[r.trace].region.name;
    const std::int64_t n_seeds = r.e > 0 ? c.seeds : 0;
    RunResult rr;
    rr.name = c.name + "/" + region + "/e=" + num_text(r.e) + ",w=" + std::to_string(r.w) +
              "/seeds=" + std::to_string(n_seeds);
    rr.strategy = "lwa_nightly_shift";
    rr.summary = {text_field("mode", lwa::to_string(c.variant)),
                  text_field("region", region),
                  num_field("e", "1", r.e),
                  int_field("window_slots", "1", r.w),
                  num_field("window_h", "h", 0.5 * static_cast<double>(r.w)),
                  int_field("seeds", "1", n_seeds),
                  int_field("jobs", "1", static_cast<std::int64_t>(r.first.chosen.size())),
                  int_field("jobs_executed", "1", r.first.executed),
                  int_field("jobs_skipped", "1", r.first.skipped),
                  int_field("divisor", "1", r.first.divisor)};
    add_value_fields(rr.summary, r.sv, basis[i], "mean_ci_g_per_kwh", "g kW-1 h-1");
    rr.summary.push_back(int_field("decision_slot_sum", "1", r.slot_sum));
    rr.summary.push_back(int_field("decision_slot_sq_sum", "1", r.slot_sq_sum));
    rs.runs.push_back(std::move(rr));
    if (r.hist.empty())
      continue;
    for (std::size_t b = 0; b < static_cast<std::size_t>(lwa::kSlotsPerDay); ++b) {
      std::int64_t sum = 0, mn = r.hist[0][b], mx = r.hist[0][b];
      for (const auto& h : r.hist) {
        sum += h[b];
        mn = std::min(mn, h[b]);
        mx = std::max(mx, h[b]);
      }
      h_run.push_back(static_cast<std::int64_t>(i));
      h_region.push_back(region);
      h_e.push_back(r.e);
      h_w.push_back(r.w);
      h_bin.push_back(static_cast<std::int64_t>(b));
      h_time.push_back(time_of_day(static_cast<std::int64_t>(b)));
      h_mean.push_back(static_cast<double>(sum) / static_cast<double>(r.hist.size()));
      h_min.push_back(mn);
      h_max.push_back(mx);
    }
  }
  std::vector<SeedValues> svs;
  for (const Run1& r : runs)
    svs.push_back(r.sv);
  rs.tables.push_back(seeds_table(svs, basis, "mean_ci_g_per_kwh", "g kW-1 h-1"));
  Table profile;
  rs.tables.push_back(trace_tables_stats(l, &profile));
  rs.tables.push_back(std::move(profile));
  if (!h_run.empty()) {
    hist.columns = {
        {"run", "", h_run},          {"region", "", h_region},  {"e", "1", h_e},
        {"window_slots", "1", h_w},  {"bin", "1", h_bin},       {"time_of_day", "", h_time},
        {"count_mean", "1", h_mean}, {"count_min", "1", h_min}, {"count_max", "1", h_max}};
    rs.tables.push_back(std::move(hist));
  }
  return rs;
}

// ---------------------------------------------------------------------------------------------
// Scenario II (spec §6)

struct Run2 {
  std::size_t trace = 0;
  Deadline deadline = Deadline::baseline;
  Sched sched = Sched::non_interruptible;
  double e = 0;
  std::size_t e_index = 0;
  // results
  SeedValues sv;
  std::vector<double> active_mean; // over seeds
  double late = 0, extra = 0, delayed = 0;
  std::int64_t slot_sum = 0, slot_sq_sum = 0;
  double flex_mean_h = 0;
};

ResultSet run_scenario2(const ExperimentFile& f, const Loaded& l, const ExperimentOptions& opt) {
  const Config& c = l.c;
  const std::vector<double> es = noise_errors(c);
  const SeenSet seen = make_seen(l, opt.threads);
  // f per job and deadline rule (the same in every region).
  std::map<Deadline, std::vector<std::int64_t>> flex;
  for (Deadline d : {Deadline::baseline, Deadline::next_workday, Deadline::semi_weekly}) {
    auto& v = flex[d];
    for (const lwa::MlJob& j : l.jobs)
      v.push_back(lwa::flexibility_slots(j, d, c.variant));
  }
  std::vector<Run2> runs;
  for (std::size_t ti = 0; ti < l.traces.size(); ++ti) {
    Run2 base;
    base.trace = ti; // the baseline: non-interruptible, f = 0, e = 0 (§6.4, §7)
    runs.push_back(base);
    for (Deadline d : c.deadlines)
      for (Sched s : c.scheds)
        for (double e : c.errors) {
          Run2 r;
          r.trace = ti;
          r.deadline = d;
          r.sched = s;
          r.e = e;
          if (e > 0)
            r.e_index = static_cast<std::size_t>(std::find(es.begin(), es.end(), e) - es.begin());
          runs.push_back(r);
        }
  }
  parallel_for(runs.size(), opt.threads, [&](std::size_t i) {
    Run2& r = runs[i];
    const std::vector<double>& ci = l.traces[r.trace].prepared.ci;
    const std::vector<std::int64_t>& fl = flex.at(r.deadline);
    const std::int64_t n_seeds = r.e > 0 ? c.seeds : 1;
    r.active_mean.assign(ci.size(), 0.0);
    for (std::int64_t s = 0; s < n_seeds; ++s) {
      const std::vector<double>& sn =
          r.e > 0 ? seen[r.trace][r.e_index][static_cast<std::size_t>(s)] : ci;
      const lwa::JobsRun jr = lwa::run_jobs(ci, sn, l.jobs, fl, r.sched, c.variant);
      r.sv.seed.push_back(r.e > 0 ? s : -1);
      r.sv.value.push_back(jr.emission_score);
      r.sv.slot_sum.push_back(jr.slot_sum);
      r.slot_sum += jr.slot_sum;
      r.slot_sq_sum += jr.slot_sq_sum;
      r.late += static_cast<double>(jr.late_jobs);
      r.extra += static_cast<double>(jr.extra_slots);
      r.delayed += static_cast<double>(jr.delayed_jobs);
      for (std::size_t k = 0; k < ci.size(); ++k)
        r.active_mean[k] += static_cast<double>(jr.active[k]);
    }
    const auto ns = static_cast<double>(n_seeds);
    for (double& a : r.active_mean)
      a /= ns;
    r.late /= ns;
    r.extra /= ns;
    r.delayed /= ns;
    double fsum = 0;
    for (std::int64_t x : fl)
      fsum += static_cast<double>(x);
    r.flex_mean_h = 0.5 * fsum / static_cast<double>(fl.size());
  });

  ResultSet rs;
  rs.grid = TimeGrid{lwa::kStartS, lwa::kSlotS, 0};
  rs.attributes = common_attributes(f, l);
  rs.attributes.emplace_back(
      "metric", "E = sum_k ci_true[k] * active[k] over all slots (1 W per job; co2e_g = E * 0.5 "
                "h / 1000), mean over seeds; savings = 1 - E/E(baseline) per region, baseline = "
                "non-interruptible, f = 0, e = 0" +
                    std::string(c.variant == Variant::faithful
                                    ? " (with the f+2 quirk: it may start one slot late)"
                                    : " (starts at once, clean C3)"));
  std::vector<double> basis(runs.size());
  std::size_t base_index = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].deadline == Deadline::baseline)
      base_index = i;
    basis[i] = runs[base_index].sv.value.front();
  }
  Table weekly{"lwa_weekly_profile", {}};
  std::vector<std::int64_t> w_run, w_bin, w_minute;
  std::vector<std::string> w_region;
  std::vector<double> w_rate;
  const std::string e_units = "g kW-1 h-1 W";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run2& r = runs[i];
    const lwa::PreparedTrace& pt = l.traces[r.trace].prepared;
    const std::string& region = l.traces[r.trace].region.name;
    const std::int64_t n_seeds = r.e > 0 ? c.seeds : 0;
    RunResult rr;
    rr.name = c.name + "/" + region + "/deadline=" + lwa::to_string(r.deadline) +
              ",scheduling=" + lwa::to_string(r.sched) + ",e=" + num_text(r.e) +
              "/seeds=" + std::to_string(n_seeds);
    rr.strategy = r.deadline == Deadline::baseline ? "lwa_baseline"
                                                   : std::string("lwa_") + lwa::to_string(r.sched);
    rr.summary = {text_field("mode", lwa::to_string(c.variant)),
                  text_field("region", region),
                  text_field("deadline", lwa::to_string(r.deadline)),
                  text_field("scheduling", lwa::to_string(r.sched)),
                  num_field("e", "1", r.e),
                  int_field("seeds", "1", n_seeds),
                  int_field("jobs", "1", static_cast<std::int64_t>(l.jobs.size())),
                  num_field("flex_mean_h", "h", r.flex_mean_h)};
    add_value_fields(rr.summary, r.sv, basis[i], "emission_score", e_units);
    const double e_mean = mean_of(r.sv.value);
    rr.summary.push_back(num_field("co2e_g", "g", e_mean * 0.5 / 1000.0));
    rr.summary.push_back(num_field("late_jobs", "1", r.late));
    rr.summary.push_back(num_field("extra_slots", "1", r.extra));
    rr.summary.push_back(num_field("delayed_jobs", "1", r.delayed));
    rr.summary.push_back(int_field("decision_slot_sum", "1", r.slot_sum));
    rr.summary.push_back(int_field("decision_slot_sq_sum", "1", r.slot_sq_sum));
    rs.runs.push_back(std::move(rr));
    const std::vector<double> prof = lwa::weekly_emission_profile(pt.ci, r.active_mean);
    for (std::size_t b = 0; b < prof.size(); ++b) {
      w_run.push_back(static_cast<std::int64_t>(i));
      w_region.push_back(region);
      w_bin.push_back(static_cast<std::int64_t>(b));
      w_minute.push_back(30 * static_cast<std::int64_t>(b));
      w_rate.push_back(prof[b]);
    }
  }
  std::vector<SeedValues> svs;
  for (const Run2& r : runs)
    svs.push_back(r.sv);
  rs.tables.push_back(seeds_table(svs, basis, "emission_score", e_units));
  Table profile;
  rs.tables.push_back(trace_tables_stats(l, &profile));
  rs.tables.push_back(std::move(profile));
  weekly.columns = {{"run", "", w_run},
                    {"region", "", w_region},
                    {"bin", "1", w_bin},
                    {"minute_of_week", "min", w_minute},
                    {"emission_rate", e_units, w_rate}};
  rs.tables.push_back(std::move(weekly));
  return rs;
}

std::size_t run_count(const Config& c) {
  if (c.scenario == 1)
    return c.regions.size() * c.errors.size() * c.windows.size();
  return c.regions.size() * (1 + c.deadlines.size() * c.scheds.size() * c.errors.size());
}

} // namespace

ResultSet run_lets_wait_awhile(const ExperimentFile& f, const ExperimentOptions& opt) {
  const Loaded l = load(f);
  return l.c.scenario == 1 ? run_scenario1(f, l, opt) : run_scenario2(f, l, opt);
}

std::string validate_lets_wait_awhile(const ExperimentFile& f) {
  const Loaded l = load(f);
  const Config& c = l.c;
  // Every window must fit the traces (checked here, without running the strategies).
  for (const Trace& t : l.traces) {
    const auto n = static_cast<std::int64_t>(t.prepared.ci.size());
    if (c.scenario == 1) {
      const std::int64_t last = lwa::nightly_slots(c.variant).back() + c.windows.back();
      if (last >= n)
        throw ConfigError(f.origin + ": /windows: w = " + std::to_string(c.windows.back()) +
                          " runs past the end of " + t.region.path + " (" + std::to_string(n) +
                          " slots)");
      continue;
    }
    for (Deadline d : {Deadline::baseline, Deadline::next_workday, Deadline::semi_weekly})
      for (const lwa::MlJob& j : l.jobs) {
        const std::int64_t end =
            j.slot + lwa::window_length(j.n, lwa::flexibility_slots(j, d, c.variant), c.variant);
        if (end > n)
          throw ConfigError(f.origin + ": job " + std::to_string(j.id) + " with deadline rule " +
                            lwa::to_string(d) + " runs past the end of " + t.region.path + " (" +
                            std::to_string(n) + " slots)");
      }
  }
  std::string regions;
  for (const Region& r : c.regions)
    regions += (regions.empty() ? "" : ",") + r.name;
  std::string s = "lets_wait_awhile scenario " + std::string(c.scenario == 1 ? "I" : "II") + ", " +
                  lwa::to_string(c.variant) + ": " + std::to_string(run_count(c)) + " runs (" +
                  regions + "), seeds 0.." + std::to_string(c.seeds - 1) + " for e > 0, noise " +
                  (l.noise ? "from " + c.noise_path : std::string("from cfsim's generator"));
  if (c.scenario == 2)
    s += ", " + std::to_string(l.jobs.size()) + " jobs";
  return s;
}

} // namespace cfsim::published
