// Capacity of batch jobs: purchase option names and the reserved-capacity occupancy timeline
// (include/cfsim/capacity.hpp).
#include "cfsim/capacity.hpp"

#include "cfsim/error.hpp"

namespace cfsim {

const char* to_string(PurchaseOption c) {
  switch (c) {
  case PurchaseOption::on_demand:
    return "on_demand";
  case PurchaseOption::spot:
    return "spot";
  case PurchaseOption::reserved:
    return "reserved";
  }
  return "?";
}

ReservedTimeline::ReservedTimeline(const TimeGrid& grid, double vcpus)
    : grid_(grid), vcpus_(vcpus), used_(static_cast<std::size_t>(grid.n), 0.0) {
  CFSIM_CHECK(vcpus >= 0, "reserved vCPUs must be >= 0");
}

double ReservedTimeline::used(std::int64_t cell) const {
  CFSIM_CHECK(cell >= 0 && cell < grid_.n, "reserved occupancy asked outside the period");
  return used_[static_cast<std::size_t>(cell)];
}

bool ReservedTimeline::free(TimeS start_s, TimeS end_s, double cpus) const {
  if (end_s <= start_s)
    return true;
  if (start_s < grid_.start_s || end_s > grid_.end_s() || cpus > vcpus_)
    return false;
  const std::int64_t last = grid_.cell_of(end_s - 1);
  for (std::int64_t c = grid_.cell_of(start_s); c <= last; ++c)
    if (used_[static_cast<std::size_t>(c)] + cpus > vcpus_)
      return false;
  return true;
}

void ReservedTimeline::commit(TimeS start_s, TimeS end_s, double cpus) {
  CFSIM_CHECK(free(start_s, end_s, cpus), "reserved capacity committed where it is not free");
  if (end_s <= start_s)
    return;
  const std::int64_t last = grid_.cell_of(end_s - 1);
  for (std::int64_t c = grid_.cell_of(start_s); c <= last; ++c)
    used_[static_cast<std::size_t>(c)] += cpus;
}

} // namespace cfsim
