#include "cli/cli.hpp"

#include "io/csv.hpp"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "cfsim/error.hpp"

namespace cfsim::cli {

bool parse(const Args& args, const po::options_description& opts,
           const po::positional_options_description& pos, po::variables_map& vm,
           const std::string& usage) {
  po::options_description help("general");
  help.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(opts).add(help);
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

#ifndef CFSIM_GIT_SHA
#define CFSIM_GIT_SHA "unknown"
#endif

std::vector<std::pair<std::string, std::string>> tool_attributes(const std::string& command_line) {
  return {{"tool", "cfsim"},
          {"cfsim_version", CFSIM_VERSION},
          {"git_sha", CFSIM_GIT_SHA},
          {"created_utc", now_utc()},
          {"command_line", command_line}};
}

std::string now_utc() {
  // SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the creation time, so two result files
  // of the same inputs can be compared byte for byte.
  std::time_t t = std::time(nullptr);
  if (const char* fixed = std::getenv("SOURCE_DATE_EPOCH"); fixed && *fixed)
    t = static_cast<std::time_t>(std::strtoll(fixed, nullptr, 10));
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
  std::string out;
  csv::append_field(out, s);
  return out;
}

} // namespace cfsim::cli
