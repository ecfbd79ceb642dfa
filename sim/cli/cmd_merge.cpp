// `cfsim merge OUT SHARD...`: combine `cfsim sweep --shard k/N` files (docs/sweeps.md).
#include <cstdio>

#include "sweep/merge.hpp"

#include "cli/cli.hpp"

namespace cfsim::cli {

int cmd_merge(const Args& args, const std::string& command_line) {
  po::options_description o("cfsim merge options");
  o.add_options()("output,o", po::value<std::string>()->required(), "merged result file (HDF5)")(
      "shards", po::value<std::vector<std::string>>()->multitoken(),
      "the shard files, one per k of k/N, in any order");
  po::positional_options_description pos;
  pos.add("shards", -1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim merge -o OUT SHARD..."))
    return 0;
  const std::vector<std::string> shards =
      vm.count("shards") ? vm["shards"].as<std::vector<std::string>>() : std::vector<std::string>{};
  merge_shards(shards, vm["output"].as<std::string>(), tool_attributes(command_line));
  std::printf("merged %zu shards into %s\n", shards.size(), vm["output"].as<std::string>().c_str());
  return 0;
}

} // namespace cfsim::cli
