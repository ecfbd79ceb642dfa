// The instance catalog and energy coefficients (DESIGN §5), as plain values. Loaded from
// scenarios/catalog/*.json by sim/io/catalog_loader; every number there carries its source.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cfsim {

// Per-microarchitecture CPU power coefficients (Cloud Carbon Footprint, SPECpower derived).
struct Microarch {
  std::string name;          // e.g. "Skylake"
  double min_w_per_vcpu = 0; // idle
  double max_w_per_vcpu = 0; // 100 % utilisation
  // SPECpower memory assumed per chip (GB) for the memory rule; nullopt: use the average.
  std::optional<double> per_chip_memory_gb;
};

struct GpuModel {
  std::string name; // e.g. "NVIDIA Tesla V100"
  double min_w = 0;
  double max_w = 0;
};

struct InstanceType {
  std::string name;   // "m5.large"
  std::string family; // "m5"
  int vcpus = 0;
  double memory_gb = 0;
  std::vector<std::string> microarchs; // CCF may list several: their coefficients are averaged
  int gpus = 0;
  std::string gpu_model;  // key into Catalog::gpus when gpus > 0
  bool burstable = false; // t families: no extra memory power (CCF)
  double embodied_kg = 0; // total embodied emissions of the whole host (CCF coefficients)
  std::map<std::string, double> on_demand_usd_per_h; // region -> price (Linux, shared tenancy)
};

// Largest size of a family (CCF's memory and embodied rules scale by it).
struct FamilyMax {
  int vcpus = 0;
  double memory_gb = 0;
};

struct Catalog {
  std::map<std::string, InstanceType> instances;
  std::map<std::string, Microarch> microarchs;
  std::map<std::string, GpuModel> gpus;
  std::map<std::string, FamilyMax> families;          // family -> its largest member
  std::map<std::string, double> pue_by_provider;      // "aws" -> 1.135
  std::map<std::string, std::string> zone_by_region;  // "eu-central-1" -> "DE"
  double memory_w_per_gb = 0.392;                     // CCF
  double average_per_chip_memory_gb = 80.69;          // CCF "average" SPECpower memory per chip
  double vcpus_per_chip = 96;                         // CCF: chips = ceil(family max vcpus / 96)
  double embodied_lifetime_h = 35040;                 // CCF: 4 years
  std::map<std::string, double> ebs_usd_per_gb_month; // region -> gp3 price
  // region -> Cloud Carbon Footprint's annual-average grid factor (g/kWh): only for comparing
  // cfsim's hourly accounting with CCF's estimate, never used in place of a trace.
  std::map<std::string, double> ccf_grid_g_per_kwh;
  std::string sha256; // of the catalog files, for provenance

  // Throw ConfigError naming the valid choices.
  const InstanceType& instance(const std::string& name) const;
  const Microarch& microarch(const std::string& name) const;
  const FamilyMax& family_max(const std::string& family) const;
  double on_demand_usd_per_h(const InstanceType& it, const std::string& region) const;
  double ebs_usd_per_gb_month_in(const std::string& region) const;
  double pue(const std::string& provider) const;
};

} // namespace cfsim
