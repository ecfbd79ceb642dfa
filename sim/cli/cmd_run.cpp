// `cfsim run SCENARIO`: every strategy of a scenario → an HDF5 result file.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/engine.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/published.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/store.hpp"

#include "cli/cli.hpp"
#include "sweep/sweep.hpp"

namespace cfsim::cli {

namespace fs = std::filesystem;

namespace {
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
    const double lo = field_number(r, "savings_co2e_lower_pct"),
                 hi = field_number(r, "savings_co2e_upper_pct");
    double sav = field_number(r, "savings_co2e_pct");
    char sav_text[48];
    if (std::isnan(sav) && !std::isnan(lo))
      std::snprintf(sav_text, sizeof sav_text, "%.1f..%.1f", lo, hi);
    else
      std::snprintf(sav_text, sizeof sav_text, "%.1f", sav);
    std::printf("%-16s %-5s %10.3f %9.4f %10.2f %9s %9.1f %8.2f %s\n", label.c_str(), kind.c_str(),
                field_number(r, "co2e_operational_kg"), field_number(r, "co2e_coverage"),
                field_number(r, "cost_usd"), sav_text, field_number(r, "savings_cost_pct"),
                field_number(r, "wait_mean_h"), r.status == "ok" ? "ok" : r.message.c_str());
  }
}

// The result file: `given`, or results/<name>.h5 (results/ is created). Fails before the work,
// not after it, when the output folder does not exist.
std::string output_path(const std::string& given, const std::string& name) {
  const std::string out = given.empty() ? "results/" + name + ".h5" : given;
  const fs::path out_dir = fs::path(out).parent_path();
  if (given.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
  }
  if (!out_dir.empty() && !fs::is_directory(out_dir))
    throw StoreError(ExitCode::cant_create, "cannot write results to '" + out + "': folder '" +
                                                out_dir.string() + "' does not exist");
  return out;
}

// A published-experiment file (scenarios/published/, docs/reproducing.md): its own runner,
// the same result file layout and tool attributes.
int run_experiment(const std::string& path, const std::string& given_out, int threads, bool quiet,
                   const std::string& command_line) {
  const std::string stem = fs::path(path).stem().string();
  const std::string out = output_path(given_out, stem);
  ExperimentOptions eo;
  eo.threads = threads;
  eo.progress = !quiet;
  if (!quiet)
    std::fprintf(stderr, "cfsim: running experiment file '%s'\n", path.c_str());
  ResultSet rs = run_experiment_file(path, eo);
  const auto tool = tool_attributes(command_line);
  rs.attributes.insert(rs.attributes.begin(), tool.begin(), tool.end());
  write_results(out, rs);
  int failed = 0;
  for (const auto& r : rs.runs)
    failed += r.status == "ok" ? 0 : 1;
  if (!quiet)
    std::printf("results: %s (%zu runs%s); `cfsim dump %s --summary` prints them\n", out.c_str(),
                rs.runs.size(), failed ? (", " + std::to_string(failed) + " failed").c_str() : "",
                out.c_str());
  return failed ? static_cast<int>(ExitCode::regression) : 0;
}

} // namespace

int cmd_run(const Args& args, const std::string& command_line) {
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
  const int threads = vm["threads"].as<int>();
  if (threads < 0)
    throw UsageError("--threads must be ≥ 0");
  if (is_experiment_file(path))
    return run_experiment(path, vm.count("output") ? vm["output"].as<std::string>() : "", threads,
                          quiet, command_line);
  const Scenario sc = load_scenario(path);
  if (has_sweep_block(path))
    throw UsageError(path + " has a \"sweep\" block: run its points with `cfsim sweep " + path +
                     " -o FILE` (docs/sweeps.md)");
  const std::string out =
      output_path(vm.count("output") ? vm["output"].as<std::string>() : "", sc.name);
  const auto tz = system_time_zone_db();
  EngineOptions eo;
  eo.threads = threads;
  eo.progress = !quiet;
  if (!quiet)
    std::fprintf(stderr, "cfsim: running %zu strategies of '%s' (%lld steps of %lld s)\n",
                 sc.strategies.size(), sc.name.c_str(), static_cast<long long>(sc.grid.n),
                 static_cast<long long>(sc.grid.step_s));
  ResultSet rs = run_scenario(sc, *tz, eo);

  rs.attributes = tool_attributes(command_line);
  const std::vector<std::pair<std::string, std::string>> scenario_attributes = {
      {"scenario_name", sc.name},
      {"scenario_path", path},
      {"scenario_json", sc.resolved_json},
      {"scenario_sha256", sc.sha256},
      {"seed", std::to_string(sc.seed)},
      {"catalog_sha256", sc.catalog.sha256},
      {"forecast", to_string(sc.forecast)},
      {"carbon_zone", sc.carbon.provenance.zone},
      {"carbon_signal", to_string(sc.carbon.provenance.signal)},
      {"carbon_basis", to_string(sc.carbon.provenance.basis)},
      {"carbon_source", sc.carbon.provenance.source},
      {"carbon_origin", sc.carbon.provenance.origin},
      {"carbon_sha256", sc.carbon.provenance.sha256},
      {"carbon_fill_policy",
       sc.carbon.provenance.fill_policy.empty() ? "none" : sc.carbon.provenance.fill_policy}};
  rs.attributes.insert(rs.attributes.end(), scenario_attributes.begin(), scenario_attributes.end());
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

} // namespace cfsim::cli
