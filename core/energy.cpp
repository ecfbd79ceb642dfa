// Cloud Carbon Footprint energy and embodied model (DESIGN §5; CCF methodology,
// cloudcarbonfootprint.org/docs/methodology and /docs/embodied-emissions).
//
// Modelling choices and limits, as in CCF:
// - CPU power is linear in utilisation between SPECpower-derived idle and full-load watts per
//   vCPU; where CCF lists several microarchitectures for a type, their coefficients are averaged
//   (the host could be any of them). CCF's "unknown type → AWS average 0.74/3.5 W" is NOT
//   reproduced: a type without microarchitectures is an error (No-Fallback).
// - Memory draws power only beyond what SPECpower's reference machines carry per chip; the
//   excess of the family's largest host is shared by memory size. It does not vary with u.
// - Embodied emissions of the whole host are spread linearly over a 4-year life and shared by
//   the vCPUs of the family's largest member.
#include "cfsim/energy.hpp"

#include <cmath>
#include <string>

#include "cfsim/error.hpp"

namespace cfsim {
namespace {

void check_utilisation(const InstanceType& it, double u) {
  if (!(u >= 0.0 && u <= 1.0)) // also rejects NaN
    throw ConfigError("utilisation " + std::to_string(u) + " for instance type '" + it.name +
                      "' is outside [0, 1] (a fraction, not a percentage)");
}

struct CpuCoefficients {
  double min_w_per_vcpu = 0;
  double max_w_per_vcpu = 0;
};

// Mean of the listed microarchitectures' coefficients.
CpuCoefficients cpu_coefficients(const Catalog& c, const InstanceType& it) {
  if (it.microarchs.empty())
    throw ConfigError("instance type '" + it.name +
                      "' lists no microarchitecture (no CCF average is substituted)");
  CpuCoefficients sum;
  for (const auto& name : it.microarchs) {
    const Microarch& m = c.microarch(name);
    sum.min_w_per_vcpu += m.min_w_per_vcpu;
    sum.max_w_per_vcpu += m.max_w_per_vcpu;
  }
  const auto n = static_cast<double>(it.microarchs.size());
  return {sum.min_w_per_vcpu / n, sum.max_w_per_vcpu / n};
}

const GpuModel& gpu_model(const Catalog& c, const InstanceType& it) {
  const auto g = c.gpus.find(it.gpu_model);
  if (g == c.gpus.end()) {
    std::string valid;
    for (const auto& kv : c.gpus)
      valid += (valid.empty() ? "" : ", ") + kv.first;
    throw ConfigError("unknown GPU model '" + it.gpu_model + "' of instance type '" + it.name +
                      "' (valid: " + (valid.empty() ? "none" : valid) + ")");
  }
  return g->second;
}

} // namespace

InstancePower instance_power(const Catalog& c, const InstanceType& it, double utilisation) {
  check_utilisation(it, utilisation);
  const CpuCoefficients cpu = cpu_coefficients(c, it);
  InstancePower p;
  p.cpu_w = static_cast<double>(it.vcpus) *
            (cpu.min_w_per_vcpu + utilisation * (cpu.max_w_per_vcpu - cpu.min_w_per_vcpu));
  if (it.gpus > 0) {
    const GpuModel& g = gpu_model(c, it);
    p.gpu_w = static_cast<double>(it.gpus) * (g.min_w + utilisation * (g.max_w - g.min_w));
  }
  p.memory_w = extra_memory_gb(c, it) * c.memory_w_per_gb;
  return p;
}

InstancePower share_power(const Catalog& c, const InstanceType& it, double vcpus_used,
                          double utilisation) {
  const auto vcpus = static_cast<double>(it.vcpus);
  if (!(vcpus_used >= 0.0 && vcpus_used <= vcpus))
    throw ConfigError("a share of " + std::to_string(vcpus_used) + " vCPUs of instance type '" +
                      it.name + "' is outside [0, " + std::to_string(it.vcpus) + "]");
  const InstancePower whole = instance_power(c, it, utilisation);
  const double share = vcpus_used / vcpus;
  return {whole.cpu_w * share, whole.gpu_w * share, whole.memory_w * share};
}

double extra_memory_gb(const Catalog& c, const InstanceType& it) {
  if (it.burstable)
    return 0.0;
  const FamilyMax& fm = c.family_max(it.family);
  if (!(c.vcpus_per_chip > 0.0))
    throw ConfigError("catalog vcpus_per_chip must be > 0, got " +
                      std::to_string(c.vcpus_per_chip));
  if (!(fm.memory_gb > 0.0))
    throw ConfigError("family '" + it.family + "' has no maximum memory");
  if (it.microarchs.empty())
    throw ConfigError("instance type '" + it.name + "' lists no microarchitecture");
  // SPECpower memory per chip, averaged over the listed microarchitectures; a microarchitecture
  // without its own figure takes CCF's stated average (the catalog's explicit value).
  double per_chip_gb = 0.0;
  for (const auto& name : it.microarchs)
    per_chip_gb += c.microarch(name).per_chip_memory_gb.value_or(c.average_per_chip_memory_gb);
  per_chip_gb /= static_cast<double>(it.microarchs.size());

  const double chips = std::ceil(static_cast<double>(fm.vcpus) / c.vcpus_per_chip);
  const double delta_gb = fm.memory_gb / chips - per_chip_gb;
  if (delta_gb <= 0.0)
    return 0.0;
  return delta_gb * it.memory_gb / fm.memory_gb;
}

double energy_kwh(double power_w, double hours, double pue) {
  return power_w * hours * pue / 1000.0;
}

double embodied_kg(const Catalog& c, const InstanceType& it, double hours, double vcpus_used) {
  const FamilyMax& fm = c.family_max(it.family);
  if (!(c.embodied_lifetime_h > 0.0))
    throw ConfigError("catalog embodied_lifetime_h must be > 0");
  if (fm.vcpus <= 0)
    throw ConfigError("family '" + it.family + "' has no maximum vCPU count");
  return it.embodied_kg * (hours / c.embodied_lifetime_h) *
         (vcpus_used / static_cast<double>(fm.vcpus));
}

} // namespace cfsim
