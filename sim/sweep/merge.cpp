#include "sweep/merge.hpp"

#include <map>
#include <set>

#include "cfsim/error.hpp"
#include "cfsim/store.hpp"
#include "sweep/sweep.hpp"

namespace cfsim {

namespace {

std::string attribute(const ResultSet& rs, const std::string& name, const std::string& file) {
  for (const auto& [k, v] : rs.attributes)
    if (k == name)
      return v;
  throw InputError(file + ": not a `cfsim sweep` result (no attribute '" + name + "')");
}

} // namespace

void merge_shards(const std::vector<std::string>& shards, const std::string& output,
                  std::vector<std::pair<std::string, std::string>> attributes) {
  if (shards.empty())
    throw UsageError("merge: name the shard files to merge");
  std::vector<ResultSet> parts;
  for (const std::string& f : shards)
    parts.push_back(read_results(f));
  // The provenance every shard must share with the first.
  const char* same[] = {"cfsim_version", "scenario_sha256", "sweep_filter", "sweep_runs_total"};
  for (std::size_t i = 1; i < parts.size(); ++i)
    for (const char* key : same)
      if (attribute(parts[i], key, shards[i]) != attribute(parts[0], key, shards[0]))
        throw InputError(shards[i] + ": its " + key + " '" + attribute(parts[i], key, shards[i]) +
                         "' differs from " + shards[0] + "'s '" +
                         attribute(parts[0], key, shards[0]) +
                         "': shards of different sweeps cannot be merged");
  // Shards k/N: one N, every k once.
  std::set<int> ks;
  int n = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string s = attribute(parts[i], "sweep_shard", shards[i]);
    const auto slash = s.find('/');
    const int k = std::stoi(s.substr(0, slash)), this_n = std::stoi(s.substr(slash + 1));
    if (n != 0 && this_n != n)
      throw InputError(shards[i] + ": shard " + s + " is not one of " + std::to_string(n));
    n = this_n;
    if (!ks.insert(k).second)
      throw InputError(shards[i] + ": shard " + s + " is given twice");
  }
  if (static_cast<int>(ks.size()) != n) {
    std::string missing;
    for (int k = 1; k <= n; ++k)
      if (!ks.count(k))
        missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    throw InputError("merge: shard(s) " + missing + " missing");
  }
  if (parts[0].grid.start_s != parts.back().grid.start_s)
    throw InputError(shards.back() + ": its time grid differs from " + shards[0] + "'s");

  // The order of a single-process sweep: re-plan from the scenario text the shards carry.
  const SweepPlan full = plan_sweep_text(attribute(parts[0], "scenario_text", shards[0]),
                                         attribute(parts[0], "scenario_path", shards[0]), ".",
                                         attribute(parts[0], "sweep_filter", shards[0]), 1, 1);
  std::map<std::string, std::pair<std::size_t, std::size_t>> where; // run name → (part, run)
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (std::size_t r = 0; r < parts[i].runs.size(); ++r)
      if (!where.emplace(parts[i].runs[r].name, std::make_pair(i, r)).second)
        throw InputError(shards[i] + ": run '" + parts[i].runs[r].name +
                         "' is also in another shard");
  ResultSet out;
  out.grid = parts[0].grid;
  for (const auto& pt : full.points)
    for (const std::string& name : pt.run_names) {
      const auto it = where.find(name);
      if (it == where.end())
        throw InputError("merge: run '" + name + "' of the sweep is in none of the shards");
      out.runs.push_back(std::move(parts[it->second.first].runs[it->second.second]));
      where.erase(it);
    }
  if (!where.empty())
    throw InputError("merge: run '" + where.begin()->first + "' is not part of the sweep");
  // Provenance: the tool's, then the sweep's from the first shard, as one process writes it.
  for (const auto& [k, v] : parts[0].attributes)
    if (k.rfind("sweep_", 0) == 0 || k.rfind("scenario_", 0) == 0)
      attributes.emplace_back(k, k == "sweep_shard" ? "1/1" : v);
  std::string from;
  for (const std::string& f : shards)
    from += (from.empty() ? "" : " ") + f;
  attributes.emplace_back("merged_from", from);
  out.attributes = std::move(attributes);
  write_results(output, out);
}

} // namespace cfsim
