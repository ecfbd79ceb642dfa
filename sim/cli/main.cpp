// The `cfsim` command line. Only this file uses Boost.Program_options, prints errors and
// chooses exit codes (DESIGN §11); everything else throws cfsim::Error.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cfsim/engine.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/plot.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/store.hpp"
#include "cfsim/strategy.hpp"

#ifndef CFSIM_GIT_SHA
#define CFSIM_GIT_SHA "unknown"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace cfsim {
namespace {

constexpr const char* kUsage = R"(cfsim — carbon-aware FinOps simulation harness

usage: cfsim COMMAND [OPTIONS]

commands:
  run SCENARIO [-o FILE]      run every strategy of a scenario, write an HDF5 result file
  validate SCENARIO           check a scenario (keys, names, files, parameters) without running
  strategies                  list the strategies with their parameters and sources
  dump FILE --summary|--jobs  print a result file's summary or job table as CSV on stdout
  plot FILE [-o DIR]          draw the figures of a result file (PDF and PNG, with .gp and .dat)

`cfsim COMMAND --help` shows the options of a command. Exit codes: 0 ok, 1 a run failed,
64 usage, 65 bad data, 66 missing input, 73 cannot create output, 74 I/O error,
78 bad scenario or configuration.
)";

// Parses command options; --help prints them and returns false.
bool parse(const std::vector<std::string>& args, const po::options_description& opts,
           const po::positional_options_description& pos, po::variables_map& vm,
           const std::string& usage) {
  po::options_description all;
  all.add(opts).add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage << "\n\n" << all << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + "\nusage: " + usage + " (see --help)");
  }
  return true;
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string format_number(double v) {
  if (std::isnan(v))
    return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string field_text(const Field& f) {
  if (const auto* d = std::get_if<double>(&f.value))
    return format_number(*d);
  if (const auto* i = std::get_if<std::int64_t>(&f.value))
    return std::to_string(*i);
  return std::get<std::string>(f.value);
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

double number_of(const RunResult& r, const std::string& name) {
  for (const Field& f : r.summary)
    if (f.name == name) {
      if (const auto* d = std::get_if<double>(&f.value))
        return *d;
      if (const auto* i = std::get_if<std::int64_t>(&f.value))
        return static_cast<double>(*i);
    }
  return std::nan("");
}

// A short human-readable table for the terminal after `run`.
void print_summary_table(const ResultSet& rs) {
  std::printf("%-16s %-5s %10s %9s %10s %9s %9s %8s %s\n", "run", "kind", "CO2e kg", "cover",
              "cost USD", "dCO2e %", "dcost %", "wait h", "status");
  for (const RunResult& r : rs.runs) {
    std::string label, kind;
    for (const Field& f : r.summary) {
      if (f.name == "label")
        label = field_text(f);
      if (f.name == "kind")
        kind = field_text(f);
    }
    const double lo = number_of(r, "savings_co2e_lower_pct"),
                 hi = number_of(r, "savings_co2e_upper_pct");
    double sav = number_of(r, "savings_co2e_pct");
    char sav_text[48];
    if (std::isnan(sav) && !std::isnan(lo))
      std::snprintf(sav_text, sizeof sav_text, "%.1f..%.1f", lo, hi);
    else
      std::snprintf(sav_text, sizeof sav_text, "%.1f", sav);
    std::printf("%-16s %-5s %10.3f %9.4f %10.2f %9s %9.1f %8.2f %s\n", label.c_str(), kind.c_str(),
                number_of(r, "co2e_operational_kg"), number_of(r, "co2e_coverage"),
                number_of(r, "cost_usd"), sav_text, number_of(r, "savings_cost_pct"),
                number_of(r, "wait_mean_h"), r.status == "ok" ? "ok" : r.message.c_str());
  }
}

std::string join_args(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    if (i)
      s += ' ';
    s += argv[i];
  }
  return s;
}

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description o("cfsim run options");
  o.add_options()("scenario", po::value<std::string>()->required(),
                  "scenario JSON file")("output,o", po::value<std::string>(),
                                        "result file (HDF5); default results/<scenario name>.h5")(
      "threads,j", po::value<int>()->default_value(0),
      "worker threads (0 = one per core); results are identical for any count")(
      "quiet,q", "no progress or summary table");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim run SCENARIO [-o FILE] [--threads N]"))
    return 0;
  const bool quiet = vm.count("quiet") > 0;

  const std::string path = vm["scenario"].as<std::string>();
  const Scenario sc = load_scenario(path);
  const std::string out =
      vm.count("output") ? vm["output"].as<std::string>() : "results/" + sc.name + ".h5";
  // Fail before the work, not after it, when the output folder does not exist; the default
  // folder results/ is created.
  const fs::path out_dir = fs::path(out).parent_path();
  if (!vm.count("output")) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
  }
  if (!out_dir.empty() && !fs::is_directory(out_dir))
    throw StoreError(ExitCode::cant_create, "cannot write results to '" + out + "': folder '" +
                                                out_dir.string() + "' does not exist");
  const auto tz = system_time_zone_db();
  EngineOptions eo;
  eo.threads = vm["threads"].as<int>();
  if (eo.threads < 0)
    throw UsageError("--threads must be ≥ 0");
  eo.progress = !quiet;
  if (!quiet)
    std::fprintf(stderr, "cfsim: running %zu strategies of '%s' (%lld steps of %lld s)\n",
                 sc.strategies.size(), sc.name.c_str(), static_cast<long long>(sc.grid.n),
                 static_cast<long long>(sc.grid.step_s));
  ResultSet rs = run_scenario(sc, *tz, eo);

  rs.attributes = {{"tool", "cfsim"},
                   {"cfsim_version", CFSIM_VERSION},
                   {"git_sha", CFSIM_GIT_SHA},
                   {"created_utc", now_utc()},
                   {"command_line", command_line},
                   {"scenario_name", sc.name},
                   {"scenario_path", path},
                   {"scenario_json", sc.resolved_json},
                   {"scenario_sha256", sc.sha256},
                   {"seed", std::to_string(sc.seed)},
                   {"catalog_sha256", sc.catalog.sha256},
                   {"forecast", "oracle"},
                   {"carbon_zone", sc.carbon.provenance.zone},
                   {"carbon_signal", to_string(sc.carbon.provenance.signal)},
                   {"carbon_basis", to_string(sc.carbon.provenance.basis)},
                   {"carbon_source", sc.carbon.provenance.source},
                   {"carbon_origin", sc.carbon.provenance.origin},
                   {"carbon_sha256", sc.carbon.provenance.sha256},
                   {"carbon_fill_policy", sc.carbon.provenance.fill_policy.empty()
                                              ? "none"
                                              : sc.carbon.provenance.fill_policy}};
  std::string inputs;
  for (const auto& [p, h] : sc.input_hashes)
    inputs += p + "=" + h + "\n";
  rs.attributes.emplace_back("input_sha256", inputs);

  write_results(out, rs);
  int failed = 0;
  for (const auto& r : rs.runs)
    failed += r.status == "ok" ? 0 : 1;
  if (!quiet) {
    print_summary_table(rs);
    std::printf("\nresults: %s (%zu runs%s)\n", out.c_str(), rs.runs.size(),
                failed ? (", " + std::to_string(failed) + " failed").c_str() : "");
  }
  return failed ? static_cast<int>(ExitCode::regression) : 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description o("cfsim validate options");
  o.add_options()("scenario", po::value<std::string>()->required(), "scenario JSON file");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim validate SCENARIO"))
    return 0;
  const Scenario sc = load_scenario(vm["scenario"].as<std::string>());
  // Fleet plans need the tz database: build them once so a bad time zone shows up here.
  const auto tz = system_time_zone_db();
  FleetContext ctx;
  ctx.grid = sc.grid;
  ctx.time_zones = tz.get();
  for (const auto& s : sc.strategies)
    if (strategy_info(s.name).kind == StrategyKind::fleet)
      for (const auto& g : sc.fleet)
        (void)make_fleet_strategy(s.name, s.params)->plan(g, ctx);
  std::printf("%s: ok: %zu runs, %lld steps of %lld s, %zu fleet groups, %zu jobs\n",
              vm["scenario"].as<std::string>().c_str(), sc.strategies.size(),
              static_cast<long long>(sc.grid.n), static_cast<long long>(sc.grid.step_s),
              sc.fleet.size(), sc.jobs.size());
  return 0;
}

int cmd_strategies(const std::vector<std::string>& args) {
  po::options_description o("cfsim strategies options");
  po::variables_map vm;
  if (!parse(args, o, {}, vm, "cfsim strategies"))
    return 0;
  for (const StrategyInfo& s : strategy_infos()) {
    std::printf("%s (%s)\n  %s\n  parameters: %s\n  source: %s\n\n", s.name.c_str(),
                to_string(s.kind), s.summary.c_str(), s.params.c_str(), s.source.c_str());
  }
  return 0;
}

int cmd_dump(const std::vector<std::string>& args) {
  po::options_description o("cfsim dump options");
  o.add_options()("file", po::value<std::string>()->required(), "result file (HDF5)")(
      "summary", "print /tables/summary as CSV (one row per run)")(
      "jobs", "print /tables/jobs as CSV (one row per job placement)");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim dump FILE --summary|--jobs"))
    return 0;
  if (vm.count("summary") + vm.count("jobs") != 1)
    throw UsageError("give exactly one of --summary or --jobs");
  const ResultSet rs = read_results(vm["file"].as<std::string>());
  if (vm.count("summary")) {
    if (rs.runs.empty())
      return 0;
    std::string header = "run,strategy,status,message";
    for (const Field& f : rs.runs.front().summary)
      header += "," + f.name;
    std::cout << header << "\n";
    for (const RunResult& r : rs.runs) {
      std::string line = csv_quote(r.name) + "," + csv_quote(r.strategy) + "," +
                         csv_quote(r.status) + "," + csv_quote(r.message);
      for (const Field& f : r.summary)
        line += "," + csv_quote(field_text(f));
      std::cout << line << "\n";
    }
  } else {
    std::cout << "run,job_id,arrival_utc,start_utc,end_utc,pieces,cpus,wait_h,energy_kwh,co2e_g,"
                 "co2e_coverage,cost_usd,deadline_missed,blind\n";
    for (const RunResult& r : rs.runs)
      for (const JobRecord& j : r.jobs)
        std::cout << csv_quote(r.name) << ',' << j.job_id << ',' << format_utc(j.arrival_s) << ','
                  << format_utc(j.start_s) << ',' << format_utc(j.end_s) << ',' << j.pieces << ','
                  << format_number(j.cpus) << ',' << format_number(j.wait_h) << ','
                  << format_number(j.energy_kwh) << ',' << format_number(j.co2e_g) << ','
                  << format_number(j.co2e_coverage) << ',' << format_number(j.cost_usd) << ','
                  << (j.deadline_missed ? 1 : 0) << ',' << (j.blind ? 1 : 0) << "\n";
  }
  return 0;
}

int cmd_plot(const std::vector<std::string>& args) {
  po::options_description o("cfsim plot options");
  std::string figures_help = "figure to draw (repeatable; default all): ";
  for (const auto& f : figure_names())
    figures_help += f + " ";
  o.add_options()("file", po::value<std::string>()->required(), "result file (HDF5)")(
      "output,o", po::value<std::string>()->default_value("plots"),
      "output folder")("figure,f", po::value<std::vector<std::string>>(), figures_help.c_str())(
      "format", po::value<std::vector<std::string>>(), "pdf and/or png (repeatable; default both)")(
      "run", po::value<std::string>(),
      "run shown by the timeline figure (default: first "
      "non-baseline run)")("style", po::value<std::string>(),
                           "gnuplot style file (default plots/style.gp)");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim plot FILE [-o DIR] [--figure NAME ...]"))
    return 0;
  const std::string file = vm["file"].as<std::string>();
  const ResultSet rs = read_results(file);
  PlotOptions po_;
  po_.out_dir = vm["output"].as<std::string>();
  if (vm.count("figure"))
    po_.figures = vm["figure"].as<std::vector<std::string>>();
  if (vm.count("format"))
    po_.formats = vm["format"].as<std::vector<std::string>>();
  if (vm.count("run"))
    po_.timeline_run = vm["run"].as<std::string>();
  if (vm.count("style"))
    po_.style_path = vm["style"].as<std::string>();
  po_.stem = fs::path(file).stem().string();
  const auto written = plot_results(rs, po_);
  for (const auto& w : written)
    std::printf("%s\n", w.c_str());
  return 0;
}

int dispatch(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
      std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? static_cast<int>(ExitCode::usage) : 0;
  }
  if (std::string(argv[1]) == "--version") {
    std::cout << "cfsim " << CFSIM_VERSION << " (" << CFSIM_GIT_SHA << ")\n";
    return 0;
  }
  const std::string cmd = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "run")
    return cmd_run(args, join_args(argc, argv));
  if (cmd == "validate")
    return cmd_validate(args);
  if (cmd == "strategies")
    return cmd_strategies(args);
  if (cmd == "dump")
    return cmd_dump(args);
  if (cmd == "plot")
    return cmd_plot(args);
  throw UsageError("unknown command '" + cmd +
                   "' (commands: run, validate, strategies, dump, plot)");
}

} // namespace
} // namespace cfsim

int main(int argc, char** argv) {
  try {
    return cfsim::dispatch(argc, argv);
  } catch (const cfsim::Error& e) {
    std::fprintf(stderr, "cfsim: error: %s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cfsim: internal error: %s\n", e.what());
    return 70;
  }
}
