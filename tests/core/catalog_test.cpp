// Catalog look-ups (DESIGN §3 No-Fallback): an unknown name is a ConfigError that lists the
// valid choices; a price the catalog does not hold is an error, never a default or an average.
// The catalog is built in code (core tests never touch disk).
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "cfsim/catalog.hpp"
#include "cfsim/error.hpp"

namespace cfsim {
namespace {

template <class F> std::string config_error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return {};
}

InstanceType type(const std::string& name, const std::string& family,
                  std::map<std::string, double> prices) {
  InstanceType it;
  it.name = name;
  it.family = family;
  it.vcpus = 2;
  it.memory_gb = 8;
  it.microarchs = {"Skylake"};
  it.on_demand_usd_per_h = std::move(prices);
  return it;
}

Catalog two_types() {
  Catalog c;
  c.instances["m5.large"] = type("m5.large", "m5", {{"us-east-1", 0.096}, {"eu-central-1", 0.115}});
  c.instances["c5.large"] = type("c5.large", "c5", {{"us-east-1", 0.085}});
  Microarch sky;
  sky.name = "Skylake";
  sky.min_w_per_vcpu = 0.65;
  sky.max_w_per_vcpu = 4.26;
  c.microarchs[sky.name] = sky;
  c.families["m5"] = FamilyMax{96, 384};
  c.families["c5"] = FamilyMax{96, 192};
  c.pue_by_provider = {{"aws", 1.135}, {"azure", 1.185}, {"gcp", 1.1}};
  c.ebs_usd_per_gb_month = {{"us-east-1", 0.08}, {"eu-central-1", 0.0952}};
  return c;
}

TEST(Catalog, FindsKnownEntries) {
  const Catalog c = two_types();
  EXPECT_EQ(c.instance("m5.large").family, "m5");
  EXPECT_EQ(c.microarch("Skylake").max_w_per_vcpu, 4.26);
  EXPECT_EQ(c.family_max("c5").memory_gb, 192.0);
  EXPECT_EQ(c.on_demand_usd_per_h(c.instance("m5.large"), "eu-central-1"), 0.115);
  EXPECT_EQ(c.ebs_usd_per_gb_month_in("eu-central-1"), 0.0952);
  EXPECT_EQ(c.pue("azure"), 1.185);
}

TEST(Catalog, UnknownInstanceTypeListsTheValidOnes) {
  const Catalog c = two_types();
  EXPECT_EQ(config_error_of([&] { c.instance("m5.huge"); }),
            "unknown instance type 'm5.huge' (valid: c5.large, m5.large)");
}

TEST(Catalog, UnknownMicroarchFamilyOrProviderListsTheValidOnes) {
  const Catalog c = two_types();
  EXPECT_EQ(config_error_of([&] { c.microarch("Zen"); }),
            "unknown microarchitecture 'Zen' (valid: Skylake)");
  EXPECT_EQ(config_error_of([&] { c.family_max("r5"); }),
            "unknown instance family 'r5' (valid: c5, m5)");
  EXPECT_EQ(config_error_of([&] { c.pue("oracle"); }),
            "unknown provider 'oracle' (valid: aws, azure, gcp)");
}

// The error lists the regions this type has prices for, not every region of the catalog.
TEST(Catalog, MissingPriceListsTheTypesRegions) {
  const Catalog c = two_types();
  EXPECT_EQ(config_error_of([&] { c.on_demand_usd_per_h(c.instance("m5.large"), "ap-south-1"); }),
            "no on-demand price for instance type 'm5.large' in region 'ap-south-1' (regions with "
            "a price: eu-central-1, us-east-1)");
  EXPECT_EQ(config_error_of([&] { c.on_demand_usd_per_h(c.instance("c5.large"), "eu-central-1"); }),
            "no on-demand price for instance type 'c5.large' in region 'eu-central-1' (regions "
            "with a price: us-east-1)");
}

// A region without an EBS price is an error, never a default price (No-Fallback).
TEST(Catalog, MissingEbsPriceIsAnErrorNotADefault) {
  Catalog c = two_types();
  EXPECT_EQ(config_error_of([&] { c.ebs_usd_per_gb_month_in("eu-west-1"); }),
            "no EBS gp3 price for region 'eu-west-1' (valid: eu-central-1, us-east-1)");
}

} // namespace
} // namespace cfsim
