// Capacity of batch jobs (DESIGN §5, docs/methodology.md §5.1): the names of the purchase
// options, and the occupancy of the job pool's reserved vCPUs, which the engine owns, job
// strategies query and the engine commits after each placement.
#pragma once

#include <cstdint>
#include <vector>

#include "cfsim/cost.hpp"
#include "cfsim/time.hpp"

namespace cfsim {

// "on_demand", "spot", "reserved" (the scenario and result-file spelling).
const char* to_string(PurchaseOption c);

// vCPUs of the reserved capacity in use per grid cell. A job occupies its vCPUs in every cell
// its running time touches, for the whole cell (a cell partly used is not shared out by the
// second): simple and conservative, a job never finds reserved capacity free that another one
// uses in the same cell. Time outside the period has no reserved capacity.
class ReservedTimeline {
public:
  ReservedTimeline(const TimeGrid& grid, double vcpus);

  double vcpus() const { return vcpus_; }
  const TimeGrid& grid() const { return grid_; }
  double used(std::int64_t cell) const; // vCPUs in use in a cell of the period
  // True if `cpus` more vCPUs fit in every cell that [start_s, end_s) touches, and the span lies
  // within the period. An empty span is free.
  bool free(TimeS start_s, TimeS end_s, double cpus) const;
  // Books `cpus` vCPUs in every cell [start_s, end_s) touches (CFSIM_CHECK: free).
  void commit(TimeS start_s, TimeS end_s, double cpus);

private:
  TimeGrid grid_;
  double vcpus_ = 0;
  std::vector<double> used_;
};

} // namespace cfsim
