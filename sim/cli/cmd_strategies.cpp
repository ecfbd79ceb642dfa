// `cfsim strategies`: the registry with parameters and sources.
#include <cstdio>

#include "cfsim/forecast_models.hpp"
#include "cfsim/strategy.hpp"

#include "cli/cli.hpp"

namespace cfsim::cli {

int cmd_strategies(const Args& args, const std::string& /*command_line*/) {
  po::options_description o("cfsim strategies options");
  po::variables_map vm;
  if (!parse(args, o, {}, vm, "cfsim strategies"))
    return 0;
  for (const StrategyInfo& s : strategy_infos()) {
    std::printf("%s (%s)\n  %s\n  parameters: %s\n  source: %s\n\n", s.name.c_str(),
                to_string(s.kind), s.summary.c_str(), s.params.c_str(), s.source.c_str());
  }
  std::printf("Forecasts handed to strategies (scenario key \"forecast\"; accounting always uses "
              "the recorded values):\n\n");
  for (const ForecastKindInfo& f : forecast_kind_infos())
    std::printf("%s (forecast)\n  %s\n  parameters: %s\n  source: %s\n\n", f.name.c_str(),
                f.summary.c_str(), f.params.c_str(), f.source.c_str());
  return 0;
}

} // namespace cfsim::cli
