// `cfsim sweep SCENARIO -o FILE`: every point of the scenario's sweep block (docs/sweeps.md).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "cfsim/error.hpp"
#include "sweep/sweep.hpp"

#include "cli/cli.hpp"

namespace cfsim::cli {

namespace {

// "k/N" → (k, N).
std::pair<int, int> parse_shard(const std::string& s) {
  static const std::regex re("([0-9]+)/([0-9]+)");
  std::smatch m;
  if (!std::regex_match(s, m, re))
    throw UsageError("--shard expects k/N (e.g. 2/8 for the second of eight shards), got '" + s +
                     "'");
  return {std::stoi(m[1]), std::stoi(m[2])};
}

} // namespace

int cmd_sweep(const Args& args, const std::string& command_line) {
  po::options_description o("cfsim sweep options");
  o.add_options()("scenario", po::value<std::string>()->required(),
                  "scenario JSON file with a \"sweep\" block (docs/sweeps.md)")(
      "output,o", po::value<std::string>(), "result file (HDF5); required unless --list")(
      "list", "print the run names (after --filter and --shard) and exit")(
      "filter", po::value<std::string>()->default_value(""),
      "run only runs whose name matches this regular expression (ECMAScript, searched)")(
      "threads,j", po::value<int>()->default_value(0),
      "worker threads (0 = one per core); results are identical for any count")(
      "shard", po::value<std::string>()->default_value("1/1"),
      "run shard k of N (k/N: every N-th point from the k-th), for job arrays; combine the "
      "files with `cfsim merge`")(
      "resume", "keep the runs already finished in OUTPUT.spool (an interrupted sweep) and run "
                "the rest")("jobs", "also store one row per job and run in /tables/jobs (large)")(
      "max-runs", po::value<std::uint64_t>()->default_value(0),
      "stop after this many runs are done and keep OUTPUT.spool for --resume (0 = no limit; "
      "exit code 75)")("quiet,q", "no progress on stderr");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm,
             "cfsim sweep SCENARIO -o FILE [--list] [--filter RE] [--threads N] [--shard k/N] "
             "[--resume]"))
    return 0;
  const auto [k, n] = parse_shard(vm["shard"].as<std::string>());
  const SweepPlan plan =
      plan_sweep(vm["scenario"].as<std::string>(), vm["filter"].as<std::string>(), k, n);
  if (vm.count("list")) {
    for (const auto& pt : plan.points)
      for (const std::string& name : pt.run_names)
        std::printf("%s\n", name.c_str());
    return 0;
  }
  if (!vm.count("output"))
    throw UsageError("cfsim sweep: -o FILE is required (or --list)");
  SweepOptions so;
  so.output = vm["output"].as<std::string>();
  const auto dir = std::filesystem::path(so.output).parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir))
    throw StoreError(ExitCode::cant_create, "cannot write results to '" + so.output +
                                                "': folder '" + dir.string() + "' does not exist");
  so.threads = vm["threads"].as<int>();
  if (so.threads < 0)
    throw UsageError("--threads must be ≥ 0");
  so.progress = !vm.count("quiet");
  so.resume = vm.count("resume") > 0;
  so.jobs = vm.count("jobs") > 0;
  so.attributes = tool_attributes(command_line);
  so.max_runs = vm["max-runs"].as<std::uint64_t>();
  const SweepOutcome done = run_sweep(plan, so);
  if (!done.complete) {
    std::fprintf(stderr,
                 "cfsim: stopped after %llu of %llu runs (--max-runs); they are kept in %s.spool, "
                 "rerun with --resume to finish\n",
                 static_cast<unsigned long long>(done.in_spool),
                 static_cast<unsigned long long>(plan.runs()), so.output.c_str());
    return static_cast<int>(ExitCode::retry_later);
  }
  if (so.progress && done.root)
    std::fprintf(stderr, "cfsim: results: %s (%llu runs%s)\n", so.output.c_str(),
                 static_cast<unsigned long long>(plan.runs()),
                 done.failed ? (", " + std::to_string(done.failed) + " failed").c_str() : "");
  return done.failed ? static_cast<int>(ExitCode::regression) : 0;
}

} // namespace cfsim::cli
