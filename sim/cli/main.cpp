// The `cfsim` command line: dispatch to one file per command (sim/cli/cmd_*.cpp). Only main()
// prints errors and chooses the exit code (DESIGN §11); everything else throws cfsim::Error.
#include <cstdio>
#include <iostream>
#include <string>

#include "cfsim/error.hpp"
#include "cli/cli.hpp"

#ifndef CFSIM_GIT_SHA
#define CFSIM_GIT_SHA "unknown"
#endif

namespace cfsim::cli {

int cmd_table(const Args& args, const std::string& command_line); // cli/cmd_table.cpp
int cmd_check(const Args& args, const std::string& command_line); // cli/cmd_check.cpp

namespace {

// The only list of command names.
constexpr Command kCommands[] = {
    {"run",
     "run SCENARIO [-o FILE]      run every strategy of a scenario, write an HDF5 result file",
     cmd_run},
    {"sweep",
     "sweep SCENARIO -o FILE      run every point of a scenario's sweep block (--list, --filter, "
     "--shard k/N, --resume; docs/sweeps.md)",
     cmd_sweep},
    {"merge",
     "merge -o OUT SHARD...       combine the result files of `sweep --shard k/N` into one",
     cmd_merge},
    {"validate",
     "validate SCENARIO           check a scenario (keys, names, files, parameters) without "
     "running",
     cmd_validate},
    {"strategies",
     "strategies                  list the strategies with their parameters and sources",
     cmd_strategies},
    {"dump",
     "dump FILE --summary|--jobs  print a result file's summary or job table as CSV on stdout",
     cmd_dump},
    {"plot",
     "plot FILE [-o DIR]          draw the figures of a result file (PDF and PNG, with .gp and "
     ".dat)",
     cmd_plot},
    {"table",
     "table FILE [-f latex|csv|markdown]  the summary as a table (booktabs LaTeX, CSV, markdown; "
     "docs/tables.md)",
     cmd_table},
    {"check",
     "check FILE --golden G.json  compare metrics with a golden file under tolerances (exit 1 on "
     "a regression; docs/check.md)",
     cmd_check},
    {"quality",
     "quality TRACE... [--cost F]  data-quality metrics of input traces and billing "
     "(docs/metrics.md)",
     cmd_quality},
    {"import",
     "import FORMAT IN... -o OUT  convert a source format into cfsim's canonical CSV "
     "(docs/formats.md)",
     cmd_import},
    {"fetch",
     "fetch SOURCE --start --end -o DIR  download recorded data (em, watttime, uk-ci, "
     "cost-explorer; docs/fetch.md)",
     cmd_fetch},
};

void print_usage() {
  std::cout
      << "cfsim — carbon-aware FinOps simulation harness\n\nusage: cfsim COMMAND [OPTIONS]\n\n"
         "commands:\n";
  for (const Command& c : kCommands)
    std::cout << "  " << c.synopsis << "\n";
  std::cout
      << "\n`cfsim COMMAND --help` shows the options of a command. Exit codes: 0 ok, 1 a run "
         "failed,\n64 usage, 65 bad data, 66 missing input, 69 service unavailable, 73 cannot "
         "create output,\n74 I/O error, 75 retry later, 78 bad scenario or configuration.\n";
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

int dispatch(int argc, char** argv) {
  const std::string first = argc < 2 ? "" : argv[1];
  if (first.empty() || first == "--help" || first == "-h" || first == "help") {
    print_usage();
    return first.empty() ? static_cast<int>(ExitCode::usage) : 0;
  }
  if (first == "--version") {
    std::cout << "cfsim " << CFSIM_VERSION << " (" << CFSIM_GIT_SHA << ")\n";
    return 0;
  }
  const Args args(argv + 2, argv + argc);
  std::string names;
  for (const Command& c : kCommands) {
    if (first == c.name)
      return c.run(args, join_args(argc, argv));
    names += (names.empty() ? "" : ", ") + std::string(c.name);
  }
  throw UsageError("unknown command '" + first + "' (commands: " + names + ")");
}

} // namespace
} // namespace cfsim::cli

int main(int argc, char** argv) {
  try {
    return cfsim::cli::dispatch(argc, argv);
  } catch (const cfsim::Error& e) {
    std::fprintf(stderr, "cfsim: error: %s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cfsim: internal error: %s\n", e.what());
    return 70;
  }
}
