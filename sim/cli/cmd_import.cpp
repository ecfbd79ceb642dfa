// `cfsim import FORMAT IN... -o OUT`: any supported source format → cfsim's canonical form
// (DESIGN §4): the tidy intensity CSV for carbon data, the FOCUS subset CSV for billing data,
// a step-price CSV for spot price history. Written to a temporary file and renamed.
#include <cstdio>
#include <functional>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/io_cost.hpp"
#include "cli/cli.hpp"
#include "cli/write_text.hpp"

namespace cfsim::cli {

namespace {

struct ImportOptions {
  std::vector<std::string> inputs;
  std::string zone, basis, signal, label, units, region, metric, source;
  double max_sample_min = 0;
  TimeS end_s = 0;
};

EmissionBasis basis_of(const std::string& b) {
  if (b.empty() || b == "lifecycle")
    return EmissionBasis::lifecycle;
  if (b == "direct")
    return EmissionBasis::direct;
  throw UsageError("--basis '" + b + "' (allowed: lifecycle, direct)");
}

SampleSpan span_of(const ImportOptions& o) {
  SampleSpan s;
  s.max_sample_s = static_cast<TimeS>(o.max_sample_min * 60);
  return s;
}

const std::string& single_input(const ImportOptions& o, const std::string& format) {
  if (o.inputs.size() != 1)
    throw UsageError("format " + format + " reads exactly one input file");
  return o.inputs.front();
}

std::string spot_csv(const std::map<std::string, RawSeries>& series) {
  std::string out = "datetime_utc,end_utc,availability_zone,instance_type,product,usd_per_h\n";
  for (const auto& [key, s] : series) {
    const auto a = key.find('/'), b = key.find('/', a + 1);
    const std::string az = key.substr(0, a), type = key.substr(a + 1, b - a - 1),
                      product = key.substr(b + 1);
    for (std::size_t i = 0; i < s.size(); ++i)
      out += format_utc(s.start_s[i]) + "," + format_utc(s.end_s[i]) + "," + csv_quote(az) + "," +
             csv_quote(type) + "," + csv_quote(product) + "," + format_number(s.value[i]) + "\n";
  }
  return out;
}

// One row per format: the only list of importable formats (help text and dispatch).
// A format converts to text (written atomically afterwards), or streams to the output path
// itself when its files can be larger than memory.
struct Format {
  const char* name;
  const char* what;
  std::function<std::string(const ImportOptions&)> convert;
  std::function<void(const ImportOptions&, const std::string& output)> stream = nullptr;
};

const std::vector<Format>& formats() {
  static const std::vector<Format> table = {
      {"tidy", "tidy intensity CSV (re-validated and normalised)",
       [](const ImportOptions& o) {
         TidyOptions t;
         t.zone = o.zone;
         t.span = span_of(o);
         return format_tidy_intensity_csv(load_tidy_intensity_csv(single_input(o, "tidy"), t));
       }},
      {"two_column", "`Time,Carbon Intensity` CSV of research code (--zone required)",
       [](const ImportOptions& o) {
         TwoColumnOptions t;
         t.zone = o.zone;
         t.signal = o.signal == "marginal" ? SignalKind::marginal : SignalKind::average;
         t.basis = basis_of(o.basis);
         if (!o.source.empty())
           t.source = o.source;
         t.span = span_of(o);
         return format_tidy_intensity_csv(load_two_column_csv(single_input(o, "two_column"), t));
       }},
      {"em_portal", "Electricity Maps data-portal CSV (--basis lifecycle|direct)",
       [](const ImportOptions& o) {
         EmPortalOptions t;
         t.basis = basis_of(o.basis);
         t.span = span_of(o);
         return format_tidy_intensity_csv(load_em_portal_csv(single_input(o, "em_portal"), t));
       }},
      {"em_api", "Electricity Maps API v3 history / past-range JSON",
       [](const ImportOptions& o) {
         EmApiOptions t;
         t.span = span_of(o);
         return format_tidy_intensity_csv(load_em_api_json(single_input(o, "em_api"), t));
       }},
      {"em_live", "Electricity Maps live-poll CSV (--zone required, --label start|end)",
       [](const ImportOptions& o) {
         EmLiveOptions t;
         t.zone = o.zone;
         if (o.label == "end")
           t.label = Label::end;
         else if (!o.label.empty() && o.label != "start")
           throw UsageError("--label '" + o.label + "' (allowed: start, end)");
         t.basis = basis_of(o.basis);
         t.span = span_of(o);
         return format_tidy_intensity_csv(load_em_live_csv(single_input(o, "em_live"), t));
       }},
      {"watttime_historical", "WattTime v3 historical JSON (marginal, lbs/MWh → g/kWh)",
       [](const ImportOptions& o) {
         return format_tidy_intensity_csv(
             load_watttime_historical_json(single_input(o, "watttime_historical")));
       }},
      {"watttime_actual", "WattTime actual CSV archive (--units lbs_co2_per_mwh|g_per_kwh)",
       [](const ImportOptions& o) {
         WattTimeCsvOptions t;
         t.units = o.units;
         t.region = o.region;
         t.span = span_of(o);
         return format_tidy_intensity_csv(
             load_watttime_actual_csv(single_input(o, "watttime_actual"), t));
       }},
      {"uk_ci", "UK Carbon Intensity API JSON (the `actual` values)",
       [](const ImportOptions& o) {
         return format_tidy_intensity_csv(load_uk_ci_json(single_input(o, "uk_ci")).actual);
       }},
      {"focus", "FOCUS 1.0–1.2 CSV → FOCUS subset CSV", nullptr,
       [](const ImportOptions& o, const std::string& output) {
         import_focus_csv(single_input(o, "focus"), output); // streamed: bills can be GBs
       }},
      {"cur2", "AWS CUR 2.0 CSV → FOCUS subset CSV",
       [](const ImportOptions& o) {
         return format_focus_csv(load_cur2_csv(single_input(o, "cur2")));
       }},
      {"cost_explorer", "AWS Cost Explorer GetCostAndUsage JSON pages, in order (--metric)",
       [](const ImportOptions& o) {
         return format_focus_csv(
             load_cost_explorer_json(o.inputs, o.metric.empty() ? "UnblendedCost" : o.metric));
       }},
      {"spot_history", "describe-spot-price-history JSON → step prices CSV (--end UTC)",
       [](const ImportOptions& o) {
         if (o.end_s == 0)
           throw UsageError("spot_history needs --end (when the last price ends)");
         return spot_csv(load_spot_price_history_json(single_input(o, "spot_history"), o.end_s));
       }},
  };
  return table;
}

} // namespace

int cmd_import(const Args& args, const std::string& /*command_line*/) {
  std::string formats_help = "source format: ";
  for (const Format& f : formats())
    formats_help += std::string("\n  ") + f.name + ": " + f.what;
  po::options_description o("cfsim import options");
  ImportOptions io;
  std::string format, output, end_text;
  o.add_options()("format", po::value(&format)->required(), formats_help.c_str())(
      "input", po::value(&io.inputs)->required(),
      "input file(s)")("output,o", po::value(&output)->required(), "canonical output file (CSV)")(
      "zone", po::value(&io.zone), "zone of the trace (formats without a zone column)")(
      "basis", po::value(&io.basis), "emission factor basis: lifecycle (default) or direct")(
      "signal", po::value(&io.signal), "average (default) or marginal (two_column)")(
      "source", po::value(&io.source), "source name recorded in the output (two_column)")(
      "label", po::value(&io.label), "timestamp labels the interval start (default) or end")(
      "units", po::value(&io.units), "unit of a WattTime CSV: lbs_co2_per_mwh or g_per_kwh")(
      "region", po::value(&io.region), "value column of a WattTime CSV")(
      "metric", po::value(&io.metric), "Cost Explorer metric (default UnblendedCost)")(
      "end", po::value(&end_text), "UTC time the last spot price holds until")(
      "max-sample-min", po::value(&io.max_sample_min),
      "longest a sample may hold before the next one, minutes (default: the file's most common "
      "spacing; a longer spacing is a gap)");
  po::positional_options_description pos;
  pos.add("format", 1).add("input", -1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim import FORMAT IN... -o OUT"))
    return 0;
  if (!end_text.empty()) {
    const auto t = parse_utc(end_text);
    if (!t)
      throw UsageError("--end '" + end_text + "' is not a UTC time");
    io.end_s = *t;
  }
  for (const Format& f : formats())
    if (format == f.name) {
      if (f.stream)
        f.stream(io, output);
      else
        write_text_atomically(output, f.convert(io));
      std::fprintf(stderr, "cfsim: imported %s (%s) → %s\n", io.inputs.front().c_str(), f.name,
                   output.c_str());
      return 0;
    }
  std::string names;
  for (const Format& f : formats())
    names += (names.empty() ? "" : ", ") + std::string(f.name);
  throw UsageError("unknown format '" + format + "' (formats: " + names + ")");
}

} // namespace cfsim::cli
