// Energy and emissions of cloud instances, Cloud Carbon Footprint method (DESIGN §5).
// Sources: CCF methodology (cloudcarbonfootprint.org/docs/methodology), coefficients in
// scenarios/catalog/ with their own citations.
#pragma once

#include "cfsim/catalog.hpp"

namespace cfsim {

// Power split of one instance at utilisation u (0..1). Energy = power × hours × PUE / 1000.
struct InstancePower {
  double cpu_w = 0;    // vcpus × (min + u × (max − min)), averaged over listed microarchs
  double gpu_w = 0;    // gpus × (min + u × (max − min))
  double memory_w = 0; // CCF extra-memory rule; 0 for burstable families
  double total_w() const { return cpu_w + gpu_w + memory_w; }
};

// Power of the whole instance at utilisation `u`.
InstancePower instance_power(const Catalog& c, const InstanceType& it, double utilisation);

// Power attributable to `vcpus_used` of the instance's vCPUs (batch jobs using part of a host):
// CPU for those vCPUs, memory and GPU in proportion vcpus_used / it.vcpus.
InstancePower share_power(const Catalog& c, const InstanceType& it, double vcpus_used,
                          double utilisation);

// Extra memory (GB) CCF attributes to the instance: delta_gb × memory_gb / family_max_memory_gb
// with delta_gb = family_max_memory_gb / chips − per_chip_gb, chips = ceil(family_max_vcpus/96);
// 0 when delta_gb ≤ 0 or the family is burstable.
double extra_memory_gb(const Catalog& c, const InstanceType& it);

// kWh drawn from the grid: power_w × hours × pue / 1000.
double energy_kwh(double power_w, double hours, double pue);

// Embodied emissions (kg) allocated to `hours` of use of `vcpus_used` vCPUs:
// embodied_kg × hours / lifetime_h × vcpus_used / family_max_vcpus.
double embodied_kg(const Catalog& c, const InstanceType& it, double hours, double vcpus_used);

} // namespace cfsim
