// `cfsim validate SCENARIO`: check a scenario without running it.
#include <cstdio>

#include "cfsim/io.hpp"
#include "cfsim/published.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/strategy.hpp"

#include "cli/cli.hpp"
#include "sweep/sweep.hpp"

namespace cfsim::cli {

int cmd_validate(const Args& args, const std::string& /*command_line*/) {
  po::options_description o("cfsim validate options");
  o.add_options()("scenario", po::value<std::string>()->required(), "scenario JSON file");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim validate SCENARIO"))
    return 0;
  if (is_experiment_file(vm["scenario"].as<std::string>())) {
    std::printf("%s: ok: %s\n", vm["scenario"].as<std::string>().c_str(),
                validate_experiment_file(vm["scenario"].as<std::string>()).c_str());
    return 0;
  }
  if (has_sweep_block(vm["scenario"].as<std::string>())) {
    // Every point must load: a swept value the scenario rejects is found here, not mid-sweep.
    const SweepPlan plan = plan_sweep(vm["scenario"].as<std::string>(), "", 1, 1);
    for (const auto& pt : plan.points)
      (void)parse_scenario(plan.sweep.point(plan.doc, pt.index).doc.dump(), plan.origin,
                           plan.base_dir);
    std::printf("%s: ok: sweep of %zu points, %llu runs\n",
                vm["scenario"].as<std::string>().c_str(), plan.points.size(),
                static_cast<unsigned long long>(plan.total_runs));
    return 0;
  }
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

} // namespace cfsim::cli
