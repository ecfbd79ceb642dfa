// Shared pieces of the `cfsim` subcommands (sim/cli/cmd_*.cpp). Boost.Program_options is used
// only under sim/cli/. Commands throw cfsim::Error; only main() prints errors and exits.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/result.hpp"

namespace cfsim::cli {

namespace po = boost::program_options;

using Args = std::vector<std::string>;

// Parses a command's options; `--help` prints them with `usage` and returns false.
bool parse(const Args& args, const po::options_description& opts,
           const po::positional_options_description& pos, po::variables_map& vm,
           const std::string& usage);

std::string now_utc(); // SOURCE_DATE_EPOCH, when set, fixes it (reproducible files)
// The result file's first attributes: tool, cfsim_version, git_sha, created_utc, command_line.
std::vector<std::pair<std::string, std::string>> tool_attributes(const std::string& command_line);
std::string format_number(double v); // %.12g, "nan" for NaN
std::string field_text(const Field& f);
std::string csv_quote(const std::string& s);

// One entry per command: the only list of command names (usage, dispatch).
struct Command {
  const char* name;
  const char* synopsis;
  int (*run)(const Args& args, const std::string& command_line);
};

int cmd_run(const Args& args, const std::string& command_line);
int cmd_validate(const Args& args, const std::string& command_line);
int cmd_strategies(const Args& args, const std::string& command_line);
int cmd_dump(const Args& args, const std::string& command_line);
int cmd_plot(const Args& args, const std::string& command_line);
int cmd_quality(const Args& args, const std::string& command_line);
int cmd_import(const Args& args, const std::string& command_line);
int cmd_fetch(const Args& args, const std::string& command_line);
int cmd_sweep(const Args& args, const std::string& command_line);
int cmd_merge(const Args& args, const std::string& command_line);

} // namespace cfsim::cli
