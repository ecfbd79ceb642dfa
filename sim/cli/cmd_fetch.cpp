// `cfsim fetch SOURCE --start T --end T -o DIR ...`: download grid-carbon or billing data from a
// live service into the files the importers read, plus a raw response cache (docs/fetch.md).
// Never part of a simulation run. Written files on stdout, progress on stderr.
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/fetch.hpp"
#include "cfsim/time.hpp"

#include "cli/cli.hpp"

namespace cfsim::cli {

int cmd_fetch(const Args& args, const std::string& command_line);

namespace {

struct Source {
  const char* name;
  const char* what;
  std::set<std::string> options; // source-specific options it accepts
  FetchReport (*run)(const po::variables_map& vm, TimeS start_s, TimeS end_s,
                     const FetchOptions& opt);
};

std::string str(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

std::pair<std::string, std::string> group_by(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
    throw UsageError("--group-by: expected TYPE:KEY (e.g. DIMENSION:INSTANCE_TYPE), got '" + s +
                     "'");
  return {s.substr(0, colon), s.substr(colon + 1)};
}

// The only list of source names (usage, dispatch, errors).
const Source kSources[] = {
    {"em",
     "Electricity Maps v3 past-range (ELECTRICITYMAPS_TOKEN), 10-day windows",
     {"zone", "emission-factor-type"},
     [](const po::variables_map& vm, TimeS a, TimeS b, const FetchOptions& opt) {
       return fetch_electricity_maps({str(vm, "zone"), a, b, str(vm, "emission-factor-type")}, opt);
     }},
    {"watttime",
     "WattTime v3 historical (WATTTIME_USERNAME, WATTTIME_PASSWORD), 30-day windows",
     {"region", "signal-type"},
     [](const po::variables_map& vm, TimeS a, TimeS b, const FetchOptions& opt) {
       return fetch_watttime({str(vm, "region"), a, b, str(vm, "signal-type")}, opt);
     }},
    {"uk-ci",
     "UK Carbon Intensity national half-hourly (no key), 14-day windows",
     {},
     [](const po::variables_map&, TimeS a, TimeS b, const FetchOptions& opt) {
       return fetch_uk_ci({a, b}, opt);
     }},
    {"cost-explorer",
     "AWS Cost Explorer GetCostAndUsage (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
     "AWS_SESSION_TOKEN), every page",
     {"granularity", "metric", "group-by", "filter"},
     [](const po::variables_map& vm, TimeS a, TimeS b, const FetchOptions& opt) {
       CostExplorerFetch w;
       w.start_s = a;
       w.end_s = b;
       w.granularity = str(vm, "granularity");
       if (vm.count("metric"))
         w.metrics = vm["metric"].as<std::vector<std::string>>();
       if (vm.count("group-by"))
         for (const std::string& g : vm["group-by"].as<std::vector<std::string>>())
           w.group_by.push_back(group_by(g));
       w.filter_json = str(vm, "filter");
       return fetch_cost_explorer(w, opt);
     }},
};

TimeS time_option(const po::variables_map& vm, const char* name) {
  const std::string text = vm[name].as<std::string>();
  const auto t = parse_utc(text);
  if (!t)
    throw UsageError(std::string("--") + name + ": cannot read '" + text +
                     "' as a UTC time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z])");
  return *t;
}

} // namespace

int cmd_fetch(const Args& args, const std::string& /*command_line*/) {
  std::string names, usage = "cfsim fetch SOURCE --start TIME --end TIME -o DIR [options]\n\n"
                             "sources:\n";
  for (const Source& s : kSources) {
    names += (names.empty() ? "" : ", ") + std::string(s.name);
    usage += "  " + std::string(s.name) + std::string(15 - std::string(s.name).size(), ' ') +
             s.what + "\n";
  }
  usage += "\nCredentials come only from environment variables. Exit codes: 78 credentials "
           "missing or\nrejected, 65 request rejected or response malformed, 75 still "
           "throttled or failing\nafter the retries, 69 service unreachable or timed out.";

  po::options_description o("cfsim fetch options");
  auto add = o.add_options();
  add("source", po::value<std::string>()->required(), ("data source: " + names).c_str());
  add("start", po::value<std::string>()->required(),
      "first instant fetched, UTC (YYYY-MM-DD or ISO 8601)");
  add("end", po::value<std::string>()->required(), "end of the range, UTC, exclusive");
  add("out,o", po::value<std::string>()->required(), "output folder (files + cache/ below it)");
  add("zone", po::value<std::string>(), "em: Electricity Maps zone key, e.g. DE");
  add("emission-factor-type", po::value<std::string>(),
      "em: lifecycle or direct (default: the API's, lifecycle)");
  add("region", po::value<std::string>(), "watttime: region abbreviation, e.g. CAISO_NORTH");
  add("signal-type", po::value<std::string>()->default_value("co2_moer"), "watttime: signal");
  add("granularity", po::value<std::string>()->default_value("HOURLY"),
      "cost-explorer: HOURLY, DAILY or MONTHLY");
  add("metric", po::value<std::vector<std::string>>(),
      "cost-explorer: metric, repeatable (default UnblendedCost and UsageQuantity)");
  add("group-by", po::value<std::vector<std::string>>(),
      "cost-explorer: TYPE:KEY, at most two (e.g. DIMENSION:INSTANCE_TYPE)");
  add("filter", po::value<std::string>(), "cost-explorer: a Cost Explorer Expression as JSON");
  add("base-url", po::value<std::string>(),
      "service base URL (default: $CFSIM_{EM,WATTTIME,UK_CI,CE}_BASE_URL, else the public API)");
  add("refresh", "ignore cached responses and request again");
  add("connect-timeout", po::value<double>()->default_value(10), "seconds to connect");
  add("timeout", po::value<double>()->default_value(120), "seconds for a whole request");
  add("retries", po::value<int>()->default_value(5),
      "retries on 408/429/5xx and connection errors");
  add("retry-base-delay", po::value<double>()->default_value(1),
      "seconds; back-off before retry k is uniform in [0, min(max, base*2^k)]");
  add("retry-max-delay", po::value<double>()->default_value(60),
      "seconds; caps a back-off and an honoured Retry-After");
  add("retry-seed", po::value<std::uint64_t>(), "seed of the back-off jitter (default: random)");
  add("quiet,q", "no progress on stderr");
  po::positional_options_description pos;
  pos.add("source", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, usage))
    return 0;

  const std::string name = vm["source"].as<std::string>();
  const Source* source = nullptr;
  for (const Source& s : kSources)
    if (name == s.name)
      source = &s;
  if (!source)
    throw UsageError("unknown source '" + name + "' (sources: " + names + ")");
  for (const Source& s : kSources)
    for (const std::string& opt : s.options)
      if (&s != source && !source->options.count(opt) && vm.count(opt) && !vm[opt].defaulted())
        throw UsageError("--" + opt + " applies to " + s.name + ", not to " + name);

  FetchOptions opt;
  opt.out_dir = vm["out"].as<std::string>();
  opt.base_url = str(vm, "base-url");
  opt.refresh = vm.count("refresh") > 0;
  opt.connect_timeout_s = vm["connect-timeout"].as<double>();
  opt.timeout_s = vm["timeout"].as<double>();
  opt.retry.max_retries = vm["retries"].as<int>();
  opt.retry.base_delay_s = vm["retry-base-delay"].as<double>();
  opt.retry.max_delay_s = vm["retry-max-delay"].as<double>();
  opt.retry.seed =
      vm.count("retry-seed") ? vm["retry-seed"].as<std::uint64_t>() : std::random_device{}();
  const bool quiet = vm.count("quiet") > 0;
  if (quiet)
    opt.progress = [](const std::string&) {};

  const TimeS start_s = time_option(vm, "start"), end_s = time_option(vm, "end");
  if (start_s >= end_s)
    throw UsageError("--start " + format_utc(start_s) + " must be before --end " +
                     format_utc(end_s) + " (the end is exclusive)");
  const FetchReport report = source->run(vm, start_s, end_s, opt);
  for (const std::string& f : report.files)
    std::cout << f << "\n";
  if (!quiet)
    std::cerr << "fetch " << name << ": " << report.files.size() << " files, " << report.requests
              << " requests, " << report.cache_hits << " from the cache\n";
  return 0;
}

} // namespace cfsim::cli
