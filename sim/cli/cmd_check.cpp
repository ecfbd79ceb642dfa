// `cfsim check FILE --golden G`: metrics of named runs against expected values under tolerances;
// `--write-golden G` creates G from a trusted result (docs/check.md; sim/report/check.cpp).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/report.hpp"
#include "cfsim/store.hpp"

#include "cli/cli.hpp"
#include "cli/write_text.hpp"

namespace cfsim::cli {

int cmd_check(const Args& args, const std::string& /*command_line*/) {
  po::options_description o("cfsim check options");
  o.add_options()("file", po::value<std::string>()->required(),
                  "result file (HDF5) to check, written by `cfsim run`, `sweep` or `merge`")(
      "golden", po::value<std::string>(),
      "golden file (JSON, docs/check.md) with the expected metrics of named runs and their "
      "tolerances; prints one PASS/FAIL line per metric and `N passed, N failed`; exit 0 when all "
      "pass, 1 when any fails (a run or metric missing from FILE fails)")(
      "write-golden", po::value<std::string>(),
      "instead of checking, write a golden file from FILE (a result you trust)")(
      "metrics,m", po::value<std::vector<std::string>>()->multitoken(),
      "with --write-golden: the summary fields to record (default: every field)")(
      "runs", po::value<std::string>(),
      "with --write-golden: only runs whose name matches this ECMAScript regular expression "
      "(default: all)")("rel-tol", po::value<double>(),
                        "with --write-golden: default relative tolerance, a fraction of "
                        "|expected| (default 1e-9)")(
      "abs-tol", po::value<double>(),
      "with --write-golden: default absolute tolerance, in each metric's units (default 0)")(
      "failures-only", "print only the FAIL lines (and the final count)");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm,
             "cfsim check FILE --golden GOLDEN.json\n       cfsim check FILE --write-golden "
             "GOLDEN.json [--metrics M ...] [--runs RE] [--rel-tol X] [--abs-tol Y]\n\nA "
             "regression test of results, e.g. in CI: a metric passes when |actual - expected| <= "
             "abs + rel * |expected|; an expected NaN (null) matches only NaN; text compares "
             "exactly. Per-metric tolerances are edited into the golden file's \"tolerances\"."))
    return 0;
  const std::string file = vm["file"].as<std::string>();
  if (vm.count("golden") + vm.count("write-golden") != 1)
    throw UsageError("give exactly one of --golden GOLDEN.json (check) or --write-golden "
                     "GOLDEN.json (create)");

  if (vm.count("write-golden")) {
    GoldenOptions opt;
    if (vm.count("metrics"))
      opt.metrics = vm["metrics"].as<std::vector<std::string>>();
    if (vm.count("runs"))
      opt.runs_regex = vm["runs"].as<std::string>();
    if (vm.count("rel-tol"))
      opt.tolerance.rel = vm["rel-tol"].as<double>();
    if (vm.count("abs-tol"))
      opt.tolerance.abs = vm["abs-tol"].as<double>();
    if (!(opt.tolerance.rel >= 0) || !(opt.tolerance.abs >= 0))
      throw UsageError("--rel-tol and --abs-tol must be numbers >= 0");
    opt.source = file;
    const Golden g = make_golden(read_results(file), opt);
    const std::string out = vm["write-golden"].as<std::string>();
    write_text_atomically(out, golden_json(g));
    std::size_t n = 0;
    for (const GoldenRun& r : g.runs)
      n += r.metrics.size();
    std::fprintf(stderr, "%s: %zu metrics of %zu runs\n", out.c_str(), n, g.runs.size());
    return 0;
  }

  for (const char* only : {"metrics", "runs", "rel-tol", "abs-tol"})
    if (vm.count(only))
      throw UsageError(std::string("--") + only +
                       " applies to --write-golden only (a check uses the golden file's metrics "
                       "and tolerances)");
  const std::string golden_path = vm["golden"].as<std::string>();
  const Golden g = load_golden(golden_path);
  const ResultSet rs = read_results(file);
  // Diagnostics on stderr: they explain failures but change no verdict.
  for (const auto& [k, v] : g.source)
    if (k == "scenario_sha256" && !v.empty())
      for (const auto& [ak, av] : rs.attributes)
        if (ak == "scenario_sha256" && av != v)
          std::fprintf(stderr,
                       "cfsim check: note: %s was written from scenario sha256 %s, %s comes from "
                       "%s\n",
                       golden_path.c_str(), v.c_str(), file.c_str(), av.c_str());
  std::size_t unchecked = 0;
  for (const RunResult& r : rs.runs) {
    bool named = false;
    for (const GoldenRun& gr : g.runs)
      named = named || gr.name == r.name;
    unchecked += named ? 0 : 1;
  }
  if (unchecked > 0)
    std::fprintf(stderr, "cfsim check: note: %zu runs of %s are not in %s and were not checked\n",
                 unchecked, file.c_str(), golden_path.c_str());

  const bool failures_only = vm.count("failures-only") > 0;
  std::size_t passed = 0, failed = 0;
  for (const Comparison& c : compare_golden(rs, g)) {
    (c.pass ? passed : failed) += 1;
    if (!c.pass || !failures_only)
      std::cout << format_comparison(c) << "\n";
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : static_cast<int>(ExitCode::regression);
}

} // namespace cfsim::cli
