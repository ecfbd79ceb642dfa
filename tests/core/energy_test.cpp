// Energy and embodied emissions, Cloud Carbon Footprint method (DESIGN §5). Known answers are
// DESIGN §5's worked example or worked by hand from CCF's coefficients (methodology page,
// cloudcarbonfootprint.org/docs/methodology); each test shows its arithmetic. The catalog is
// built in code: core tests never touch disk.
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "cfsim/catalog.hpp"
#include "cfsim/energy.hpp"
#include "cfsim/error.hpp"

namespace cfsim {
namespace {

constexpr double kAwsPue = 1.135;             // CCF
constexpr double kIntensityGPerKwh = 379.069; // DESIGN §5 worked example
constexpr double kDesignTol = 5e-5;           // DESIGN prints 4 decimals

Microarch arch(const std::string& name, double min_w, double max_w, std::optional<double> chip) {
  Microarch m;
  m.name = name;
  m.min_w_per_vcpu = min_w;
  m.max_w_per_vcpu = max_w;
  m.per_chip_memory_gb = chip;
  return m;
}

InstanceType type(const std::string& name, int vcpus, double memory_gb,
                  std::vector<std::string> microarchs, double embodied_kg) {
  InstanceType it;
  it.name = name;
  it.family = name.substr(0, name.find('.'));
  it.vcpus = vcpus;
  it.memory_gb = memory_gb;
  it.microarchs = std::move(microarchs);
  it.embodied_kg = embodied_kg;
  return it;
}

FamilyMax fmax(int vcpus, double memory_gb) {
  FamilyMax f;
  f.vcpus = vcpus;
  f.memory_gb = memory_gb;
  return f;
}

// CCF coefficients (min/max W per vCPU, SPECpower GB per chip) as DESIGN §5 pins them.
Catalog ccf_catalog() {
  Catalog c;
  for (const auto& m :
       {arch("Skylake", 0.65, 4.26, 81.32), arch("Cascade Lake", 0.64, 3.97, 98.12),
        arch("Broadwell", 0.71, 3.69, std::nullopt), arch("AMD EPYC 2nd Gen", 0.47, 1.63, 129.78),
        arch("AWS Graviton2", 0.47, 1.69, 129.78)})
    c.microarchs[m.name] = m;
  GpuModel v100;
  v100.name = "NVIDIA Tesla V100";
  v100.min_w = 35;
  v100.max_w = 300;
  c.gpus[v100.name] = v100;
  c.families["m5"] = fmax(96, 384);
  c.families["c5"] = fmax(96, 192);
  c.families["c6g"] = fmax(64, 128);
  c.families["p3"] = fmax(64, 488);
  c.families["g5"] = fmax(192, 768);
  c.pue_by_provider["aws"] = kAwsPue;
  c.memory_w_per_gb = 0.392;
  c.average_per_chip_memory_gb = 80.69;
  c.vcpus_per_chip = 96;
  c.embodied_lifetime_h = 35040;

  c.instances["m5.large"] = type("m5.large", 2, 8, {"Skylake"}, 1610.79);
  c.instances["c5.large"] = type("c5.large", 2, 4, {"Skylake", "Cascade Lake"}, 1344.29);
  c.instances["c6g.large"] = type("c6g.large", 2, 4, {"AWS Graviton2"}, 1155.46);
  c.instances["g5.xlarge"] = type("g5.xlarge", 4, 16, {"AMD EPYC 2nd Gen"}, 3543.79);
  InstanceType p3 = type("p3.2xlarge", 8, 61, {"Broadwell"}, 2955.15);
  p3.gpus = 1;
  p3.gpu_model = "NVIDIA Tesla V100";
  c.instances["p3.2xlarge"] = p3;
  return c;
}

double grams(double power_w, double hours) {
  return energy_kwh(power_w, hours, kAwsPue) * kIntensityGPerKwh;
}

template <class E, class F> std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return {};
}

// DESIGN §5: m5.large (Skylake 0.65/4.26 W; family max m5.24xlarge 96 vCPU, 384 GB), 1 h,
// u = 0.5, PUE 1.135, 379.069 g/kWh.
TEST(Energy, DesignWorkedExampleM5Large) {
  const Catalog c = ccf_catalog();
  const InstanceType& it = c.instance("m5.large");
  const InstancePower p = instance_power(c, it, 0.5);

  // 2 × (0.65 + 0.5 × (4.26 − 0.65)) = 4.91 W → 4.91 × 1.135 / 1000 × 379.069 = 2.1125 g.
  EXPECT_NEAR(p.cpu_w, 4.91, 1e-12);
  EXPECT_NEAR(grams(p.cpu_w, 1.0), 2.1125, kDesignTol);
  EXPECT_EQ(p.gpu_w, 0.0);

  // chips = ceil(96/96) = 1; delta 384 − 81.32 = 302.68 GB; share 8/384 → 6.3058 GB
  // → 6.3058 × 0.392 W → 1.0635 g.
  EXPECT_NEAR(extra_memory_gb(c, it), 6.3058, kDesignTol);
  EXPECT_NEAR(p.memory_w, 302.68 * 8.0 / 384.0 * 0.392, 1e-12);
  EXPECT_NEAR(grams(p.memory_w, 1.0), 1.0635, kDesignTol);

  // Operational total. DESIGN prints 3.1761; the unrounded sum is 2.11249 + 1.06351 = 3.17601
  // (and its own rounded parts add to 3.1760), so the 4th decimal there is a rounding slip.
  EXPECT_NEAR(grams(p.total_w(), 1.0), 3.1760, kDesignTol);
  EXPECT_NEAR(grams(p.total_w(), 1.0), 3.1761, 1.5e-4);

  // Embodied: 1610.79 kg × (1/35040) × (2/96) = 0.9577 g.
  EXPECT_NEAR(embodied_kg(c, it, 1.0, 2.0) * 1000.0, 0.9577, kDesignTol);
}

// CCF: burstable (t) families get no extra memory power. Same host shape as m5, where the rule
// gives 6.3058 GB (positive control), so only the flag can make it 0.
TEST(Energy, BurstableFamilyGetsNoMemoryPower) {
  Catalog c = ccf_catalog();
  InstanceType it = type("m5.large", 2, 8, {"Skylake"}, 1610.79);
  EXPECT_NEAR(extra_memory_gb(c, it), 6.3058, kDesignTol);
  it.burstable = true;
  EXPECT_EQ(extra_memory_gb(c, it), 0.0);
  const InstancePower p = instance_power(c, it, 0.5);
  EXPECT_EQ(p.memory_w, 0.0);
  EXPECT_NEAR(p.cpu_w, 4.91, 1e-12); // the CPU part is unaffected
}

// c5.large lists Skylake and Cascade Lake: min (0.65 + 0.64)/2 = 0.645, max (4.26 + 3.97)/2 =
// 4.115 W. At u = 0.25: 2 × (0.645 + 0.25 × 3.47) = 3.025 W. Memory: per chip (81.32 + 98.12)/2
// = 89.72 GB; delta 192 − 89.72 = 102.28 GB; share 4/192 → 2.130833 GB → 0.835287 W.
TEST(Energy, TwoMicroarchsAreAveraged) {
  const Catalog c = ccf_catalog();
  const InstanceType& it = c.instance("c5.large");
  const InstancePower p = instance_power(c, it, 0.25);
  EXPECT_NEAR(p.cpu_w, 3.025, 1e-12);
  EXPECT_NEAR(extra_memory_gb(c, it), 102.28 * 4.0 / 192.0, 1e-12);
  EXPECT_NEAR(extra_memory_gb(c, it), 2.130833, 1e-6);
  EXPECT_NEAR(p.memory_w, 0.835287, 1e-6);
}

// p3.2xlarge: 8 vCPU Broadwell (0.71/3.69 W), 61 GB, 1 × V100 (35/300 W); family max p3.16xlarge
// 64 vCPU, 488 GB. u = 0.5:
//   CPU 8 × (0.71 + 0.5 × 2.98) = 17.6 W; GPU 35 + 0.5 × 265 = 167.5 W;
//   memory: 1 chip; Broadwell has no SPECpower per-chip figure → CCF average 80.69 GB;
//   delta 488 − 80.69 = 407.31 GB; share 61/488 → 50.91375 GB × 0.392 = 19.958190 W.
//   Total 205.058190 W → 1 h at PUE 1.135 = 0.232741046 kWh.
TEST(Energy, GpuInstanceWorkedByHand) {
  const Catalog c = ccf_catalog();
  const InstanceType& it = c.instance("p3.2xlarge");
  const InstancePower p = instance_power(c, it, 0.5);
  EXPECT_NEAR(p.cpu_w, 17.6, 1e-12);
  EXPECT_NEAR(p.gpu_w, 167.5, 1e-12);
  EXPECT_NEAR(extra_memory_gb(c, it), 50.91375, 1e-9);
  EXPECT_NEAR(p.memory_w, 19.95819, 1e-9);
  EXPECT_NEAR(p.total_w(), 205.05819, 1e-9);
  EXPECT_NEAR(energy_kwh(p.total_w(), 1.0, kAwsPue), 0.232741046, 1e-9);
  // Idle and full load bracket the GPU at its min and max.
  EXPECT_NEAR(instance_power(c, it, 0.0).gpu_w, 35.0, 1e-12);
  EXPECT_NEAR(instance_power(c, it, 1.0).gpu_w, 300.0, 1e-12);
}

// chips = ceil(192/96) = 2 for g5 (EPYC 2nd Gen, 129.78 GB/chip): delta 768/2 − 129.78 = 254.22 GB;
// g5.xlarge share 16/768 → 5.29625 GB. c6g (Graviton2) host: 128/1 − 129.78 < 0 → no extra memory.
TEST(Energy, MemoryRuleCountsChipsAndClampsAtZero) {
  const Catalog c = ccf_catalog();
  EXPECT_NEAR(extra_memory_gb(c, c.instance("g5.xlarge")), 5.29625, 1e-12);
  EXPECT_EQ(extra_memory_gb(c, c.instance("c6g.large")), 0.0);
  // c6g.large at u = 1: 2 × 1.69 = 3.38 W, all of it CPU.
  const InstancePower p = instance_power(c, c.instance("c6g.large"), 1.0);
  EXPECT_NEAR(p.total_w(), 3.38, 1e-12);
}

// Half of p3.2xlarge's vCPUs at u = 1: CPU 4 × 3.69 = 14.76 W; GPU 300 × 4/8 = 150 W;
// memory 19.95819 × 4/8 = 9.979095 W.
TEST(Energy, SharePowerIsProportionalToVcpus) {
  const Catalog c = ccf_catalog();
  const InstanceType& it = c.instance("p3.2xlarge");
  const InstancePower p = share_power(c, it, 4.0, 1.0);
  EXPECT_NEAR(p.cpu_w, 14.76, 1e-12);
  EXPECT_NEAR(p.gpu_w, 150.0, 1e-12);
  EXPECT_NEAR(p.memory_w, 9.979095, 1e-9);
  EXPECT_THROW(share_power(c, it, 9.0, 1.0), ConfigError);
  EXPECT_THROW(share_power(c, it, -1.0, 1.0), ConfigError);
}

// p3.2xlarge for 24 h on all 8 vCPUs: 2955.15 × 24/35040 × 8/64 = 0.253009 kg.
TEST(Energy, EmbodiedSharesHostByFamilyMaxVcpus) {
  const Catalog c = ccf_catalog();
  EXPECT_NEAR(embodied_kg(c, c.instance("p3.2xlarge"), 24.0, 8.0), 0.25300941780821917, 1e-12);
  EXPECT_EQ(embodied_kg(c, c.instance("m5.large"), 0.0, 2.0), 0.0);
}

// 500 W for 2 h at PUE 1.1 = 1.1 kWh.
TEST(Energy, EnergyIsPowerTimesHoursTimesPue) {
  EXPECT_NEAR(energy_kwh(500.0, 2.0, 1.1), 1.1, 1e-12);
}

TEST(Energy, UtilisationOutsideUnitIntervalIsAnError) {
  const Catalog c = ccf_catalog();
  const InstanceType& it = c.instance("m5.large");
  for (double u : {-0.01, 1.01, 50.0, std::numeric_limits<double>::quiet_NaN()}) {
    const std::string msg = message_of<ConfigError>([&] { instance_power(c, it, u); });
    EXPECT_NE(msg.find("outside [0, 1]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("m5.large"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(instance_power(c, it, 0.0));
  EXPECT_NO_THROW(instance_power(c, it, 1.0));
}

// No-Fallback: an unknown microarchitecture names the valid ones; a type without any is an
// error, not CCF's AWS average (0.74/3.5 W).
TEST(Energy, UnknownOrMissingMicroarchIsAnError) {
  Catalog c = ccf_catalog();
  const InstanceType zen = type("m5.large", 2, 8, {"Zen 9"}, 1610.79);
  const std::string msg = message_of<ConfigError>([&] { instance_power(c, zen, 0.5); });
  EXPECT_NE(msg.find("unknown microarchitecture 'Zen 9' (valid: AMD EPYC 2nd Gen, AWS Graviton2, "
                     "Broadwell, Cascade Lake, Skylake)"),
            std::string::npos)
      << msg;
  const InstanceType none = type("m5.large", 2, 8, {}, 1610.79);
  EXPECT_THROW(instance_power(c, none, 0.5), ConfigError);
}

TEST(Energy, UnknownGpuModelOrFamilyIsAnError) {
  Catalog c = ccf_catalog();
  InstanceType it = c.instance("p3.2xlarge");
  it.gpu_model = "NVIDIA H100";
  const std::string msg = message_of<ConfigError>([&] { instance_power(c, it, 0.5); });
  EXPECT_NE(msg.find("'NVIDIA H100'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("valid: NVIDIA Tesla V100"), std::string::npos) << msg;

  InstanceType orphan = type("x9.large", 2, 8, {"Skylake"}, 1000);
  const std::string fam = message_of<ConfigError>([&] { extra_memory_gb(c, orphan); });
  EXPECT_NE(fam.find("unknown instance family 'x9'"), std::string::npos) << fam;
}

} // namespace
} // namespace cfsim
