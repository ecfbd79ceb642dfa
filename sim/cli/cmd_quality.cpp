// `cfsim quality TRACE... [--cost FILE]`: the thesis's data-quality metrics of the inputs,
// before any simulation (docs/metrics.md): per carbon trace its availability and, with
// --published, its aggregation fidelity; with --cost, the billing's TAC against every trace (at
// each label offset), Cost-MAPE against the catalog (with --catalog) and the DPS per instance.
// A readable table on stdout, or `--csv` rows `input,against,section,label_offset_s,subject,
// metric,value` (shares as fractions, MAPE and DPS in percent/points as named).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cfsim/catalog.hpp"
#include "cfsim/cost_trace.hpp"
#include "cfsim/energy.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/io_cost.hpp"
#include "cfsim/metrics.hpp"
#include "cfsim/series.hpp"

#include "cli/cli.hpp"
#include "io/detect_format.hpp"

namespace cfsim::cli {

int cmd_quality(const Args& args, const std::string& command_line);

namespace {

struct Options {
  std::vector<std::string> traces;
  std::string cost;
  std::string format;
  std::string cost_format;
  std::string zone;
  std::string units;
  std::string catalog_dir;
  std::string published;
  std::optional<int> year;
  TimeS step_s = 3600;
  std::vector<TimeS> offsets{0};
  CostColumn column = CostColumn::billed;
  ModelHours hours = ModelHours::charge_period;
  PriceSource dps_price = PriceSource::bill;
  double estimated_weight = 0.5;
  std::optional<double> utilisation; // for kg CO2e per instance; never assumed
  std::optional<TimeS> start_s, end_s;
  bool csv = false;
  bool per_resource = false;
};

struct CarbonInput {
  std::string path;
  std::string name; // file name, for tables
  const FormatInfo* format = nullptr;
  std::string how; // "detected from ..." or "given with --format"
  RawSeries raw;
};

struct CostInput {
  std::string path;
  std::string name;
  const FormatInfo* format = nullptr;
  std::string how;
  CostTrace trace;
};

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string fixed(double v, int decimals) {
  if (std::isnan(v))
    return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
std::string pct(double share) {
  return std::isnan(share) ? "n/a" : fixed(100.0 * share, 2) + " %";
}
std::string signed_pct(double share) {
  if (std::isnan(share))
    return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.2f %%", 100.0 * share);
  return buf;
}
std::string minutes(TimeS s) {
  return s % 60 == 0 ? std::to_string(s / 60) + " min" : std::to_string(s) + " s";
}

std::string tally_text(const RecordTally& t) {
  std::string out = "used " + std::to_string(t.used) + " of " + std::to_string(t.total);
  if (!t.excluded.empty()) {
    out += "; left out:";
    for (const auto& [reason, n] : t.excluded)
      out += " " + reason + " " + std::to_string(n);
  }
  return out;
}

// The shortest text that reads back as exactly `v` (machine output must round-trip); "nan".
std::string shortest(double v) {
  if (std::isnan(v))
    return "nan";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// The table for people, or CSV rows for machines; never both.
class Report {
public:
  explicit Report(bool csv) : csv_(csv) {
    if (csv_)
      std::cout << "input,against,section,label_offset_s,subject,metric,value\n";
  }
  bool csv() const { return csv_; }
  void line(const std::string& s) const {
    if (!csv_)
      std::cout << s << "\n";
  }
  void value(const std::string& input, const std::string& against, const std::string& section,
             const std::string& offset, const std::string& subject, const std::string& metric,
             const std::string& v) const {
    if (csv_)
      std::cout << csv_quote(input) << ',' << csv_quote(against) << ',' << section << ',' << offset
                << ',' << csv_quote(subject) << ',' << metric << ',' << csv_quote(v) << "\n";
  }
  void number(const std::string& input, const std::string& against, const std::string& section,
              const std::string& offset, const std::string& subject, const std::string& metric,
              double v) const {
    value(input, against, section, offset, subject, metric, shortest(v));
  }

private:
  bool csv_;
};

// ---------------------------------------------------------------------------------------------
// Options

TimeS parse_time_option(const std::string& text, const char* option) {
  if (const auto t = parse_utc(text))
    return *t;
  throw UsageError(std::string("--") + option + " '" + text +
                   "' is not a UTC time (expected YYYY-MM-DD, YYYY-MM-DD HH:MM or ISO 8601)");
}

std::vector<TimeS> parse_offsets(const std::string& text) {
  std::vector<TimeS> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size())
      throw UsageError("--label-offset-s '" + text +
                       "' is not a list of whole seconds (e.g. --label-offset-s=-3600,0,3600)");
    out.push_back(static_cast<TimeS>(v));
    pos = comma + 1;
  }
  return out;
}

std::optional<Options> parse_options(const Args& args) {
  po::options_description o("cfsim quality options");
  o.add_options()("trace", po::value<std::vector<std::string>>()->default_value({}, ""),
                  "carbon-intensity trace files (format detected from the content)")(
      "cost", po::value<std::string>(),
      "billing file: FOCUS 1.x CSV, CUR 2.0 CSV or Cost "
      "Explorer JSON (detected)")(
      "format", po::value<std::string>(),
      "format of every TRACE instead of detection (tidy, two-column, em-portal, em-live, "
      "watttime, em-api, watttime-json, uk-ci)")(
      "cost-format", po::value<std::string>(),
      "format of --cost instead of detection (focus, cur2, cost-explorer)")(
      "zone", po::value<std::string>(),
      "zone of traces whose files name none (two-column, em-live), and of --published; default "
      "the trace's own zone")("units", po::value<std::string>(),
                              "unit of a WattTime CSV: lbs_co2_per_mwh or g_per_kwh (no default)")(
      "grid-step-min", po::value<int>()->default_value(60),
      "grid step in minutes: 60, 30, 15 or 5")(
      "start", po::value<std::string>(),
      "period start (UTC); default the input's own first sample, on the grid step")(
      "end", po::value<std::string>(),
      "period end (UTC, exclusive); default the input's own last sample end, on the grid step")(
      "label-offset-s", po::value<std::string>()->default_value("0"),
      "seconds added to billing timestamps before TAC/DPS alignment; a list tries each, e.g. "
      "--label-offset-s=-3600,0,3600")(
      "cost-column", po::value<std::string>()->default_value("billed"),
      "billing column compared with the model: billed, effective or list")(
      "model-hours", po::value<std::string>()->default_value("charge-period"),
      "hours the Cost-MAPE model prices: charge-period or consumed (ConsumedQuantity hours)")(
      "catalog", po::value<std::string>(),
      "instance catalog folder (scenarios/catalog) for Cost-MAPE and --dps-price catalog")(
      "dps-price", po::value<std::string>()->default_value("bill"),
      "DPS price coverage from the bill's cost column (bill) or catalog prices (catalog)")(
      "utilisation", po::value<double>(),
      "CPU utilisation (0..1) of the billed instances, for kg CO2e per instance (with --catalog); "
      "cfsim never assumes one")(
      "estimated-weight", po::value<double>()->default_value(0.5),
      "weight of estimated carbon samples in the DPS emission coverage, 0..1")(
      "published", po::value<std::string>(),
      "published annual means CSV (zonecode,<year>,...) for aggregation fidelity")(
      "year", po::value<int>(),
      "year of the published mean; default every published year the trace overlaps")(
      "per-resource", "also list TAC per resource and DPS per instance in the table")(
      "csv", "machine output: CSV rows input,against,section,label_offset_s,subject,metric,value");
  po::positional_options_description pos;
  pos.add("trace", -1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm,
             "cfsim quality TRACE... [--cost FILE] [--format F] [--grid-step-min 60] "
             "[--label-offset-s=0] [--cost-column billed|effective|list] [--catalog DIR] "
             "[--published FILE [--zone Z] [--year Y]] [--csv]"))
    return std::nullopt;

  Options opt;
  opt.traces = vm["trace"].as<std::vector<std::string>>();
  if (opt.traces.empty() && !vm.count("cost"))
    throw UsageError("give at least one TRACE file or --cost FILE (see cfsim quality --help)");
  const auto str = [&](const char* k) {
    return vm.count(k) ? vm[k].as<std::string>() : std::string();
  };
  opt.cost = str("cost");
  opt.format = str("format");
  opt.cost_format = str("cost-format");
  opt.zone = str("zone");
  opt.units = str("units");
  opt.catalog_dir = str("catalog");
  opt.published = str("published");
  if (vm.count("year"))
    opt.year = vm["year"].as<int>();
  if (opt.year && opt.published.empty())
    throw UsageError("--year selects a published mean: give --published FILE too");
  const int step_min = vm["grid-step-min"].as<int>();
  opt.step_s = static_cast<TimeS>(step_min) * 60;
  if (!is_supported_step(opt.step_s))
    throw UsageError("--grid-step-min " + std::to_string(step_min) +
                     " is not a supported grid step (60, 30, 15 or 5)");
  if (vm.count("start"))
    opt.start_s = parse_time_option(str("start"), "start");
  if (vm.count("end"))
    opt.end_s = parse_time_option(str("end"), "end");
  if (opt.start_s && opt.end_s && *opt.end_s <= *opt.start_s)
    throw UsageError("--end must be after --start");
  opt.offsets = parse_offsets(str("label-offset-s"));

  const std::string col = str("cost-column");
  if (col == "billed")
    opt.column = CostColumn::billed;
  else if (col == "effective")
    opt.column = CostColumn::effective;
  else if (col == "list")
    opt.column = CostColumn::list;
  else
    throw UsageError("--cost-column '" + col + "' is unknown (billed, effective or list)");
  const std::string hours = str("model-hours");
  if (hours == "charge-period")
    opt.hours = ModelHours::charge_period;
  else if (hours == "consumed")
    opt.hours = ModelHours::consumed_quantity;
  else
    throw UsageError("--model-hours '" + hours + "' is unknown (charge-period or consumed)");
  const std::string price = str("dps-price");
  if (price == "bill")
    opt.dps_price = PriceSource::bill;
  else if (price == "catalog")
    opt.dps_price = PriceSource::catalog;
  else
    throw UsageError("--dps-price '" + price + "' is unknown (bill or catalog)");
  if (opt.dps_price == PriceSource::catalog && opt.catalog_dir.empty())
    throw UsageError("--dps-price catalog needs --catalog DIR");
  opt.estimated_weight = vm["estimated-weight"].as<double>();
  if (vm.count("utilisation")) {
    opt.utilisation = vm["utilisation"].as<double>();
    if (!(*opt.utilisation >= 0 && *opt.utilisation <= 1))
      throw UsageError("--utilisation must lie in [0, 1]");
  }
  if (!(opt.estimated_weight >= 0 && opt.estimated_weight <= 1))
    throw UsageError("--estimated-weight must lie in [0, 1]");
  opt.csv = vm.count("csv") > 0;
  opt.per_resource = vm.count("per-resource") > 0;
  return opt;
}

// ---------------------------------------------------------------------------------------------
// Inputs

// The format of a file: given, or detected from its content; an undetectable file is an error
// that lists what is supported.
const FormatInfo& format_of(const std::string& path, std::string_view text,
                            const std::string& given, InputKind want, std::string& how) {
  const FormatInfo* f = nullptr;
  if (!given.empty()) {
    f = &format_named(given);
    how = "given with --format";
  } else {
    const DetectedFormat d = detect_format(text);
    if (d.format == nullptr)
      throw TraceError(path + ": format not recognised from the content (carbon traces: " +
                       format_list(InputKind::carbon) + ". Billing files, given with --cost: " +
                       format_list(InputKind::cost) + ". Or name the format with --format)");
    f = d.format;
    how = "detected from " + d.evidence;
  }
  if (f->kind != want) {
    if (f->kind == InputKind::cost)
      throw UsageError(path + " is a billing file (" + f->name + "): give it with --cost");
    if (f->kind == InputKind::carbon)
      throw UsageError(path + " is a carbon-intensity trace (" + f->name +
                       "): give it as a TRACE argument, not with --cost");
    throw UsageError(path + " is a " + f->description + ", not a " +
                     (want == InputKind::carbon ? "carbon-intensity trace" : "billing file"));
  }
  return *f;
}

std::string require_zone(const Options& opt, const std::string& path, const char* what) {
  if (opt.zone.empty())
    throw UsageError(path + ": " + what + " names no zone: give --zone (e.g. --zone DE)");
  return opt.zone;
}

RawSeries parse_carbon(const Options& opt, const std::string& path, const std::string& text,
                       const FormatInfo& f) {
  const std::string name = f.name;
  if (name == "tidy") {
    TidyOptions o;
    o.zone = opt.zone;
    return parse_tidy_intensity_csv(text, path, o);
  }
  if (name == "two-column") {
    TwoColumnOptions o;
    o.zone = require_zone(opt, path, "a two-column CSV");
    return parse_two_column_csv(text, path, o);
  }
  if (name == "em-portal")
    return parse_em_portal_csv(text, path);
  if (name == "em-live") {
    EmLiveOptions o;
    o.zone = require_zone(opt, path, "an Electricity Maps live-poll CSV");
    return parse_em_live_csv(text, path, o);
  }
  if (name == "watttime") {
    if (opt.units.empty())
      throw UsageError(path +
                       ": a WattTime CSV does not state its unit: give --units lbs_co2_per_mwh "
                       "or --units g_per_kwh");
    WattTimeCsvOptions o;
    o.units = opt.units;
    return parse_watttime_actual_csv(text, path, o);
  }
  if (name == "em-api")
    return parse_em_api_json(text, path);
  if (name == "watttime-json")
    return parse_watttime_historical_json(text, path);
  if (name == "uk-ci")
    return parse_uk_ci_json(text, path).actual;
  check_failed("carbon format handled", __FILE__, __LINE__, name);
}

CarbonInput load_carbon(const Options& opt, const std::string& path) {
  CarbonInput in;
  in.path = path;
  in.name = base_name(path);
  const std::string text = read_file(path);
  in.format = &format_of(path, text, opt.format, InputKind::carbon, in.how);
  in.raw = parse_carbon(opt, path, text, *in.format);
  in.raw.provenance.origin = path;
  in.raw.provenance.sha256 = sha256_hex(text);
  if (in.raw.size() == 0)
    throw TraceError(path + ": no samples");
  return in;
}

CostInput load_cost(const Options& opt) {
  CostInput in;
  in.path = opt.cost;
  in.name = base_name(opt.cost);
  const std::string text = read_file(opt.cost);
  in.format = &format_of(opt.cost, text, opt.cost_format, InputKind::cost, in.how);
  const std::string name = in.format->name;
  if (name == "focus")
    in.trace = parse_focus_csv(text, opt.cost);
  else if (name == "cur2")
    in.trace = parse_cur2_csv(text, opt.cost);
  else
    in.trace = parse_cost_explorer_json({text}, opt.cost);
  in.trace.origin = opt.cost;
  in.trace.sha256 = sha256_hex(text);
  return in;
}

// The period: --start/--end, else [first, last) of the input floored/ceiled to the step.
TimeGrid grid_for(const Options& opt, TimeS first, TimeS last) {
  const auto floor_to = [&](TimeS t) {
    const TimeS r = ((t % opt.step_s) + opt.step_s) % opt.step_s;
    return t - r;
  };
  const TimeS a = opt.start_s ? *opt.start_s : floor_to(first);
  TimeS b = opt.end_s ? *opt.end_s : floor_to(last);
  if (!opt.end_s && b < last)
    b += opt.step_s;
  if (b <= a)
    throw UsageError("the period " + format_utc(a) + " .. " + format_utc(b) +
                     " is empty (check --start/--end)");
  if ((b - a) % opt.step_s != 0)
    throw UsageError("the period " + format_utc(a) + " .. " + format_utc(b) +
                     " is not a whole number of " + minutes(opt.step_s) + " steps");
  return TimeGrid{a, opt.step_s, (b - a) / opt.step_s};
}

std::string period_text(const TimeGrid& g) {
  return format_utc(g.start_s) + " .. " + format_utc(g.end_s()) + ": " + std::to_string(g.n) +
         " cells of " + minutes(g.step_s);
}

// ---------------------------------------------------------------------------------------------
// Sections

void report_trace(const Report& out, const Options& opt, const CarbonInput& in,
                  const PublishedMeans* published) {
  const RawSeries& raw = in.raw;
  const Provenance& p = raw.provenance;
  const TimeGrid g = grid_for(opt, raw.start_s.front(), raw.end_s.back());
  const Availability a = availability(raw, g);

  out.line("== " + in.name);
  out.line("  format        " + std::string(in.format->name) + " (" + in.how + ")");
  out.line("  trace         zone " + (p.zone.empty() ? std::string("(none)") : p.zone) +
           ", signal " + to_string(p.signal) + ", basis " + to_string(p.basis) + ", source " +
           p.source + ", sha256 " + p.sha256.substr(0, 12) + "…");
  out.line("  samples       " + std::to_string(raw.size()) + " from " +
           format_utc(raw.start_s.front()) + " to " + format_utc(raw.end_s.back()) +
           " (nominal step " + minutes(a.nominal_step_s) + ")");
  out.line("  period        " + period_text(g));
  out.line("  availability  measured " + pct(a.measured) + ", estimated " + pct(a.estimated) +
           ", filled " + pct(a.filled) + ", missing " + pct(a.missing) +
           " (time-weighted shares of the period)");
  const std::string& input = in.name;
  out.value(input, "", "trace", "", p.zone, "format", in.format->name);
  out.value(input, "", "trace", "", p.zone, "sha256", p.sha256);
  out.value(input, "", "trace", "", p.zone, "signal", to_string(p.signal));
  out.value(input, "", "trace", "", p.zone, "period_start_utc", format_utc(g.start_s));
  out.value(input, "", "trace", "", p.zone, "period_end_utc", format_utc(g.end_s()));
  out.number(input, "", "trace", "", p.zone, "grid_step_s", static_cast<double>(g.step_s));
  out.number(input, "", "trace", "", p.zone, "cells", static_cast<double>(g.n));
  out.number(input, "", "availability", "", p.zone, "measured", a.measured);
  out.number(input, "", "availability", "", p.zone, "estimated", a.estimated);
  out.number(input, "", "availability", "", p.zone, "filled", a.filled);
  out.number(input, "", "availability", "", p.zone, "missing", a.missing);
  out.number(input, "", "availability", "", p.zone, "samples", static_cast<double>(a.samples));
  out.number(input, "", "availability", "", p.zone, "nominal_step_s",
             static_cast<double>(a.nominal_step_s));

  if (published == nullptr)
    return;
  const std::string zone = opt.zone.empty() ? p.zone : opt.zone;
  std::vector<int> years;
  if (opt.year) {
    years.push_back(*opt.year);
  } else {
    for (const int y : published->years)
      if (period_mean(raw, calendar_year(y)).samples > 0)
        years.push_back(y);
    if (years.empty())
      out.line("  fidelity      no year of " + base_name(published->origin) +
               " overlaps the trace");
  }
  for (const int y : years) {
    if (!opt.year && published->means.at(zone).count(y) == 0) {
      out.line("  fidelity      " + zone + " " + std::to_string(y) + ": no published mean in " +
               base_name(published->origin));
      continue;
    }
    const double pub = published->mean(zone, y);
    const PeriodMean pm = period_mean(raw, calendar_year(y));
    const Fidelity f = aggregation_fidelity(pm.mean, pub);
    out.line("  fidelity      " + zone + " " + std::to_string(y) + ": mean of the samples " +
             fixed(pm.mean, 3) + " g/kWh (coverage " + pct(pm.coverage) + ", estimated " +
             pct(pm.estimated_share) + ") vs published " + fixed(pub, 3) + " (" +
             base_name(published->origin) + "): " + signed_pct(f.relative_difference));
    const std::string subject = zone + "/" + std::to_string(y);
    const std::string against = base_name(published->origin);
    out.number(input, against, "fidelity", "", subject, "computed_mean_g_per_kwh", pm.mean);
    out.number(input, against, "fidelity", "", subject, "published_mean_g_per_kwh", pub);
    out.number(input, against, "fidelity", "", subject, "relative_difference",
               f.relative_difference);
    out.number(input, against, "fidelity", "", subject, "coverage", pm.coverage);
    out.number(input, against, "fidelity", "", subject, "estimated_share", pm.estimated_share);
  }
}

void report_tally(const Report& out, const std::string& input, const std::string& against,
                  const std::string& section, const std::string& offset, const RecordTally& t) {
  out.number(input, against, section, offset, "records", "total", static_cast<double>(t.total));
  out.number(input, against, section, offset, "records", "used", static_cast<double>(t.used));
  for (const auto& [reason, n] : t.excluded)
    out.number(input, against, section, offset, "records", "excluded_" + reason,
               static_cast<double>(n));
}

// kg CO2e per billed instance (docs/metrics.md §kg CO2e per instance): the instance runs in
// the hours its instance-hour records cover; CCF power at the stated utilisation, AWS PUE;
// operational over the trace's known intensity with bounds, plus embodied.
void report_instance_co2e(const Report& out, const Options& opt, const CostTrace& t,
                          const std::vector<CarbonInput>& carbon, const Catalog* catalog,
                          const TimeGrid& g, const std::string& input) {
  if (catalog == nullptr || !opt.utilisation) {
    out.line("  kg CO2e/inst  needs --catalog DIR and --utilisation U (cfsim never assumes a "
             "utilisation)");
    return;
  }
  std::map<std::string, std::vector<double>> energy; // resource -> kWh per cell
  std::map<std::string, double> embodied, hours;
  std::size_t unpriced = 0;
  const double pue = catalog->pue("aws");
  for (const CostRecord& r : t.records) {
    if (r.instance_type.empty() || r.resource_id.empty())
      continue;
    const auto it = catalog->instances.find(r.instance_type);
    if (it == catalog->instances.end()) {
      ++unpriced;
      continue;
    }
    const double power_w = instance_power(*catalog, it->second, *opt.utilisation).total_w();
    auto& e = energy[r.resource_id];
    e.resize(static_cast<std::size_t>(g.n), 0.0);
    for (std::int64_t c = std::max<std::int64_t>(0, g.cell_of(r.charge_start_s));
         c < g.n && g.cell_start(c) < r.charge_end_s; ++c) {
      const TimeS a = std::max(r.charge_start_s, g.cell_start(c));
      const TimeS b = std::min(r.charge_end_s, g.cell_start(c) + g.step_s);
      if (b <= a)
        continue;
      const double h = static_cast<double>(b - a) / 3600.0;
      e[static_cast<std::size_t>(c)] += energy_kwh(power_w, h, pue);
      hours[r.resource_id] += h;
      embodied[r.resource_id] +=
          embodied_kg(*catalog, it->second, h, static_cast<double>(it->second.vcpus));
    }
  }
  for (const CarbonInput& c : carbon) {
    const GridSeries cg = resample(c.raw, g);
    double sum = 0, lower = 0, upper = 0, covered_kwh = 0, all_kwh = 0;
    for (const auto& [rid, e] : energy) {
      const InstanceCo2e k = instance_co2e(e, cg, embodied[rid]);
      sum += k.kg_per_instance_month;
      lower += k.lower_kg_per_instance_month;
      upper += k.upper_kg_per_instance_month;
      covered_kwh += k.operational.energy_kwh - k.operational.missing_energy_kwh;
      all_kwh += k.operational.energy_kwh;
      out.number(input, c.name, "kg_co2e_per_instance", "", rid, "kg_per_instance_month",
                 k.kg_per_instance_month);
      out.number(input, c.name, "kg_co2e_per_instance", "", rid, "coverage", k.coverage());
      if (opt.per_resource)
        out.line("    " + rid + "  " + fixed(k.kg_per_instance_month, 4) + " kg/instance-month [" +
                 fixed(k.lower_kg_per_instance_month, 4) + ", " +
                 fixed(k.upper_kg_per_instance_month, 4) + "], coverage " + pct(k.coverage()));
    }
    const double n = static_cast<double>(energy.size());
    const double mean = energy.empty() ? std::nan("") : sum / n;
    out.line("  kg CO2e/inst  vs " + c.name + ": mean " + fixed(mean, 4) + " [" +
             fixed(lower / n, 4) + ", " + fixed(upper / n, 4) + "] kg per instance-month over " +
             std::to_string(energy.size()) + " billed instances at utilisation " +
             fixed(*opt.utilisation, 2) + "; energy with known intensity " +
             pct(all_kwh > 0 ? covered_kwh / all_kwh : 0.0) + " (" + std::to_string(unpriced) +
             " instance-hour records of types not in the catalog)");
    out.number(input, c.name, "kg_co2e_per_instance", "", "fleet", "mean_kg_per_instance_month",
               mean);
  }
}

void report_costs(const Report& out, const Options& opt, const CostInput& in,
                  const std::vector<CarbonInput>& carbon, const Catalog* catalog) {
  const CostTrace& t = in.trace;
  TimeS first = 0, last = 0;
  bool any = false;
  for (const CostRecord& r : t.records) {
    if (r.charge_end_s <= r.charge_start_s)
      continue;
    first = any ? std::min(first, r.charge_start_s) : r.charge_start_s;
    last = any ? std::max(last, r.charge_end_s) : r.charge_end_s;
    any = true;
  }
  out.line("== costs: " + in.name);
  out.line("  format        " + std::string(in.format->name) + " (" + in.how + "); " + t.format +
           ", sha256 " + t.sha256.substr(0, 12) + "…");
  if (!any) {
    out.line("  records       " + std::to_string(t.records.size()) +
             ", none with a charge period: no cost metric");
    return;
  }
  const TimeGrid g = grid_for(opt, first, last);
  out.line("  records       " + std::to_string(t.records.size()) + ", charge periods " +
           format_utc(first) + " .. " + format_utc(last));
  out.line("  period        " + period_text(g));
  const std::string& input = in.name;
  out.value(input, "", "costs", "", "", "format", t.format);
  out.value(input, "", "costs", "", "", "sha256", t.sha256);
  out.value(input, "", "costs", "", "", "period_start_utc", format_utc(g.start_s));
  out.value(input, "", "costs", "", "", "period_end_utc", format_utc(g.end_s()));
  out.number(input, "", "costs", "", "", "cells", static_cast<double>(g.n));

  // TAC against every carbon trace, at every label offset.
  for (const CarbonInput& c : carbon) {
    const GridSeries cg = resample(c.raw, g);
    out.line("  TAC vs " + c.name + " (cost point: a record overlapping the cell; share of all " +
             std::to_string(g.n) + " cells; fleet = mean over resources)");
    out.line("    label offset  resources  carbon cells  fleet TAC   any aligned  all aligned");
    RecordTally tally;
    for (const TimeS off : opt.offsets) {
      TacOptions to;
      to.label_offset_s = off;
      const TacResult r = time_alignment_coverage(t, cg, to);
      char row[160];
      std::snprintf(row, sizeof row, "    %+10lld s  %9zu  %12lld  %9s  %11s  %11s",
                    static_cast<long long>(off), r.resources.size(),
                    static_cast<long long>(r.carbon_cells), pct(r.fleet_tac).c_str(),
                    pct(r.fleet_any).c_str(), pct(r.fleet_all).c_str());
      out.line(row);
      const std::string o = std::to_string(off);
      out.number(input, c.name, "tac", o, "fleet", "tac", r.fleet_tac);
      out.number(input, c.name, "tac", o, "fleet", "any_aligned", r.fleet_any);
      out.number(input, c.name, "tac", o, "fleet", "all_aligned", r.fleet_all);
      out.number(input, c.name, "tac", o, "fleet", "resources",
                 static_cast<double>(r.resources.size()));
      out.number(input, c.name, "tac", o, "fleet", "carbon_cells",
                 static_cast<double>(r.carbon_cells));
      for (const ResourceTac& rt : r.resources) {
        out.number(input, c.name, "tac", o, rt.resource_id, "tac", rt.tac);
        out.number(input, c.name, "tac", o, rt.resource_id, "tac_span", rt.tac_span);
        out.number(input, c.name, "tac", o, rt.resource_id, "cost_cells",
                   static_cast<double>(rt.cost_cells));
        out.number(input, c.name, "tac", o, rt.resource_id, "both_cells",
                   static_cast<double>(rt.both_cells));
        if (opt.per_resource)
          out.line("      " + rt.resource_id + "  TAC " + pct(rt.tac) + " (" +
                   std::to_string(rt.both_cells) + " of " + std::to_string(g.n) +
                   " cells; cost cells " + std::to_string(rt.cost_cells) + ", over its span " +
                   pct(rt.tac_span) + ")");
      }
      if (off == opt.offsets.front()) {
        tally = r.records;
        report_tally(out, input, c.name, "tac", o, r.records);
      }
    }
    out.line("    records: " + tally_text(tally) + " (the same at every offset)");
  }

  // Cost-MAPE against the catalog's on-demand prices.
  if (catalog == nullptr) {
    out.line("  Cost-MAPE     needs --catalog DIR (the on-demand prices the model uses)");
  } else {
    CostMapeOptions mo;
    mo.column = opt.column;
    mo.hours = opt.hours;
    const CostMapeResult m = cost_mape(t, *catalog, g, mo);
    out.line("  Cost-MAPE     " + fixed(m.mape.mape_pct, 2) + " % (" + to_string(opt.column) +
             ", model hours " + to_string(opt.hours) + ") over " + std::to_string(m.mape.used) +
             " (resource, interval) pairs with billed > 0; excluded: zero-billed " +
             std::to_string(m.mape.zero_billed) + ", negative " +
             std::to_string(m.mape.negative_billed) + ", unknown " +
             std::to_string(m.mape.unknown) + "; max APE " + fixed(m.mape.max_ape_pct, 2) + " %");
    out.line("    records: " + tally_text(m.records));
    const std::string col = to_string(opt.column);
    out.number(input, col, "cost_mape", "", "fleet", "mape_pct", m.mape.mape_pct);
    out.number(input, col, "cost_mape", "", "fleet", "max_ape_pct", m.mape.max_ape_pct);
    out.number(input, col, "cost_mape", "", "fleet", "pairs_used",
               static_cast<double>(m.mape.used));
    out.number(input, col, "cost_mape", "", "fleet", "pairs_zero_billed",
               static_cast<double>(m.mape.zero_billed));
    out.number(input, col, "cost_mape", "", "fleet", "pairs_negative_billed",
               static_cast<double>(m.mape.negative_billed));
    out.number(input, col, "cost_mape", "", "fleet", "pairs_unknown",
               static_cast<double>(m.mape.unknown));
    out.number(input, col, "cost_mape", "", "fleet", "modelled_usd", m.mape.modelled_total);
    out.number(input, col, "cost_mape", "", "fleet", "billed_usd", m.mape.billed_total);
    report_tally(out, input, col, "cost_mape", "", m.records);
  }

  // DPS per instance against every carbon trace (at the first label offset).
  for (const CarbonInput& c : carbon) {
    const GridSeries cg = resample(c.raw, g);
    InstanceDpsOptions d;
    d.weights.estimated = opt.estimated_weight;
    d.label_offset_s = opt.offsets.front();
    d.column = opt.column;
    d.price = opt.dps_price;
    const DpsResult r = data_precision_scores(t, cg, catalog, d);
    const std::string o = std::to_string(d.label_offset_s);
    out.line("  DPS vs " + c.name + "  mean " + fixed(r.mean_score, 1) + " over " +
             std::to_string(r.instances.size()) + " instances (estimated weight " +
             fixed(opt.estimated_weight, 2) + ", price from " + to_string(opt.dps_price) +
             ", label offset " + o + " s)");
    out.number(input, c.name, "dps", o, "fleet", "mean_score", r.mean_score);
    out.number(input, c.name, "dps", o, "fleet", "instances",
               static_cast<double>(r.instances.size()));
    if (opt.per_resource && !r.instances.empty())
      out.line("    resource  type  region  intervals  runtime  price  emission  DPS");
    for (const InstanceDps& i : r.instances) {
      out.number(input, c.name, "dps", o, i.resource_id, "intervals",
                 static_cast<double>(i.dps.intervals));
      out.number(input, c.name, "dps", o, i.resource_id, "runtime_coverage",
                 i.dps.runtime_coverage);
      out.number(input, c.name, "dps", o, i.resource_id, "price_coverage", i.dps.price_coverage);
      out.number(input, c.name, "dps", o, i.resource_id, "emission_coverage",
                 i.dps.emission_coverage);
      out.number(input, c.name, "dps", o, i.resource_id, "score", i.dps.score);
      if (opt.per_resource)
        out.line("    " + i.resource_id + "  " + i.instance_type + "  " + i.region_id + "  " +
                 std::to_string(i.dps.intervals) + "  " + pct(i.dps.runtime_coverage) + "  " +
                 pct(i.dps.price_coverage) + "  " + pct(i.dps.emission_coverage) + "  " +
                 fixed(i.dps.score, 1));
    }
  }
  report_instance_co2e(out, opt, t, carbon, catalog, g, input);
}

} // namespace

int cmd_quality(const Args& args, const std::string& /*command_line*/) {
  const std::optional<Options> parsed = parse_options(args);
  if (!parsed)
    return 0;
  const Options& opt = *parsed;

  // Read and validate every input before printing anything.
  std::vector<CarbonInput> carbon;
  for (const std::string& path : opt.traces)
    carbon.push_back(load_carbon(opt, path));
  std::optional<CostInput> cost;
  if (!opt.cost.empty())
    cost = load_cost(opt);
  std::optional<Catalog> catalog;
  if (!opt.catalog_dir.empty())
    catalog = load_catalog(opt.catalog_dir);
  std::optional<PublishedMeans> published;
  if (!opt.published.empty())
    published = load_published_means_csv(opt.published);

  // A zone or year the published file lacks is an error naming what it has, before any output.
  if (published)
    for (const CarbonInput& c : carbon) {
      const std::string zone = opt.zone.empty() ? c.raw.provenance.zone : opt.zone;
      if (opt.year)
        (void)published->mean(zone, *opt.year);
      else if (published->means.count(zone) == 0)
        (void)published->mean(zone, published->years.empty() ? 0 : published->years.front());
    }

  const Report out(opt.csv);
  out.line("cfsim quality: data-quality metrics of the inputs (definitions: docs/metrics.md)");
  for (const CarbonInput& c : carbon) {
    out.line("");
    report_trace(out, opt, c, published ? &*published : nullptr);
  }
  if (cost) {
    out.line("");
    report_costs(out, opt, *cost, carbon, catalog ? &*catalog : nullptr);
  }
  return 0;
}

} // namespace cfsim::cli
