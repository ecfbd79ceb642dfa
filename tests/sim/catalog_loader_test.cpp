// The catalog loader (sim/io/catalog_loader.cpp) and the shipped catalog in scenarios/catalog/.
// Broken fixtures are inline text given to parse_catalog (no disk); the shipped catalog is
// checked against DESIGN §5's worked example and against CCF's published embodied formula
// (cloudcarbonfootprint.org/docs/embodied-emissions), independently of the loader's own code.
#include <cmath>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cfsim/catalog.hpp"
#include "cfsim/energy.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"

namespace cfsim {
namespace {

const std::string kCatalogDir = CFSIM_SOURCE_DIR "/scenarios/catalog";

// ------------------------------------------------------------------------ inline fixture

const std::string kCoefficients = R"({
  "schema": "cfsim-catalog-coefficients/1",
  "sources": {"ccf": {"title": "CCF methodology", "url": "https://www.cloudcarbonfootprint.org/docs/methodology"}},
  "microarchs": {
    "Skylake": {"min_w_per_vcpu": 0.65, "max_w_per_vcpu": 4.26, "per_chip_memory_gb": 81.32, "source": "ccf"},
    "Broadwell": {"min_w_per_vcpu": 0.71, "max_w_per_vcpu": 3.69, "per_chip_memory_gb": null, "source": "ccf"}
  },
  "gpus": {"NVIDIA T4": {"min_w": 8, "max_w": 70, "source": "ccf"}},
  "pue_by_provider": {"aws": {"value": 1.135, "source": "ccf"}},
  "memory_w_per_gb": {"value": 0.392, "source": "ccf"},
  "average_per_chip_memory_gb": {"value": 80.69, "source": "ccf"},
  "vcpus_per_chip": {"value": 96, "source": "ccf"},
  "embodied_lifetime_h": {"value": 35040, "source": "ccf"}
})";

const std::string kRegions = R"({
  "schema": "cfsim-catalog-regions/1",
  "sources": {"aws": {"title": "AWS regions and EBS pricing"}},
  "regions": {
    "us-east-1": {"provider": "aws", "location": "N. Virginia", "zone": "US-MIDA-PJM", "zone_source": "aws",
                  "ebs_gp3_usd_per_gb_month": 0.08, "ebs_source": "aws", "source": "aws"}
  }
})";

const std::string kInstances = R"({
  "schema": "cfsim-catalog-instances/1",
  "sources": {"aws": {"title": "AWS instance types and prices"}, "ccf": {"title": "CCF"}},
  "families": {
    "m5": {"largest": "m5.24xlarge", "max_vcpus": 96, "max_memory_gb": 384, "burstable": false,
           "embodied_kg": 1610.79,
           "embodied_inputs": {"memory_gb": 384, "cpus": 2, "ssds": 0, "hdds": 0, "gpus": 0},
           "source": "aws", "embodied_source": "ccf"}
  },
  "instances": {
    "m5.large": {"family": "m5", "vcpus": 2, "memory_gb": 8, "microarchs": ["Skylake"], "gpus": 0,
                 "on_demand_usd_per_h": {"us-east-1": 0.096},
                 "source": "aws", "microarchs_source": "ccf", "price_source": "aws"},
    "m5.24xlarge": {"family": "m5", "vcpus": 96, "memory_gb": 384, "microarchs": ["Skylake"], "gpus": 0,
                    "on_demand_usd_per_h": {"us-east-1": 4.608},
                    "source": "aws", "microarchs_source": "ccf", "price_source": "aws"}
  }
})";

// `text` with the first occurrence of `from` replaced; fails the test if `from` is absent, so a
// mutation that silently does nothing cannot make a test pass.
std::string mutate(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "fixture has no '" << from << "'";
    return text;
  }
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::string& instances, const std::string& coefficients,
                     const std::string& regions) {
  try {
    parse_catalog(instances, coefficients, regions, "fixture");
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CatalogLoader, MinimalFixtureParses) {
  const Catalog c = parse_catalog(kInstances, kCoefficients, kRegions, "fixture");
  const InstanceType& it = c.instance("m5.large");
  EXPECT_EQ(it.family, "m5");
  EXPECT_EQ(it.vcpus, 2);
  EXPECT_EQ(it.memory_gb, 8.0);
  EXPECT_EQ(it.microarchs, std::vector<std::string>{"Skylake"});
  EXPECT_EQ(it.embodied_kg, 1610.79); // copied from its family
  EXPECT_FALSE(it.burstable);
  EXPECT_EQ(c.on_demand_usd_per_h(it, "us-east-1"), 0.096);
  EXPECT_EQ(c.family_max("m5").vcpus, 96);
  EXPECT_EQ(c.family_max("m5").memory_gb, 384.0);
  EXPECT_FALSE(c.microarch("Broadwell").per_chip_memory_gb.has_value()); // null = none
  EXPECT_EQ(c.microarch("Skylake").per_chip_memory_gb, 81.32);
  EXPECT_EQ(c.gpus.at("NVIDIA T4").max_w, 70.0);
  EXPECT_EQ(c.pue("aws"), 1.135);
  EXPECT_EQ(c.zone_by_region.at("us-east-1"), "US-MIDA-PJM");
  EXPECT_EQ(c.ebs_usd_per_gb_month_in("us-east-1"), 0.08);
  EXPECT_EQ(c.memory_w_per_gb, 0.392);
  EXPECT_EQ(c.vcpus_per_chip, 96.0);
  EXPECT_EQ(c.embodied_lifetime_h, 35040.0);
  // Provenance: the bytes of the three files in the order instances, coefficients, regions.
  EXPECT_EQ(c.sha256, sha256_hex(kInstances + kCoefficients + kRegions));
  EXPECT_NE(c.sha256, sha256_hex(kCoefficients + kInstances + kRegions));
}

TEST(CatalogLoader, UnknownKeyNamesTheFileEntryAndAllowedKeys) {
  const std::string msg = error_of(mutate(kInstances, R"("family": "m5", "vcpus": 2)",
                                          R"("family": "m5", "colour": "red", "vcpus": 2)"),
                                   kCoefficients, kRegions);
  EXPECT_TRUE(contains(msg, "fixture/instances.json: instance 'm5.large': unknown key 'colour' "
                            "(allowed: family, gpu_model, gpus, memory_gb, microarchs, "
                            "microarchs_source, note, on_demand_usd_per_h, price_source, source, "
                            "vcpus)"))
      << msg;

  const std::string top =
      error_of(kInstances, mutate(kCoefficients, R"("gpus":)", R"("tpus": {}, "gpus":)"), kRegions);
  EXPECT_TRUE(contains(top, "fixture/coefficients.json: unknown key 'tpus' (allowed: "
                            "average_per_chip_memory_gb, description, embodied_lifetime_h, gpus, "
                            "memory_w_per_gb, microarchs, pue_by_provider, schema, sources, "
                            "vcpus_per_chip)"))
      << top;
}

TEST(CatalogLoader, UnknownMicroarchNamesTheAllowedOnes) {
  const std::string msg =
      error_of(mutate(kInstances, R"(["Skylake"])", R"(["Zen 9"])"), kCoefficients, kRegions);
  EXPECT_TRUE(contains(msg, "instances.json: instance 'm5.large': unknown microarch 'Zen 9' "
                            "(allowed: Broadwell, Skylake)"))
      << msg;
}

TEST(CatalogLoader, NegativePriceIsRejected) {
  const std::string msg = error_of(mutate(kInstances, "0.096", "-0.096"), kCoefficients, kRegions);
  EXPECT_TRUE(contains(msg, "instances.json: instance 'm5.large': on_demand_usd_per_h: "
                            "'us-east-1' is -0.096 (negative)"))
      << msg;
}

TEST(CatalogLoader, BadReferencesAreRejected) {
  EXPECT_TRUE(contains(
      error_of(mutate(kInstances, R"("family": "m5", "vcpus": 2)", R"("family": "m9", "vcpus": 2)"),
               kCoefficients, kRegions),
      "instance 'm5.large': unknown family 'm9' (allowed: m5)"));
  EXPECT_TRUE(contains(
      error_of(mutate(kInstances, R"("gpus": 0,)", R"("gpus": 1, "gpu_model": "NVIDIA H100",)"),
               kCoefficients, kRegions),
      "instance 'm5.large': unknown gpu_model 'NVIDIA H100' (allowed: NVIDIA T4)"));
  EXPECT_TRUE(contains(
      error_of(mutate(kInstances, R"("gpus": 0,)", R"("gpus": 1,)"), kCoefficients, kRegions),
      "'gpu_model' is required when gpus > 0"));
  EXPECT_TRUE(
      contains(error_of(mutate(kInstances, R"({"us-east-1": 0.096})", R"({"mars-1": 0.096})"),
                        kCoefficients, kRegions),
               "unknown region 'mars-1' (allowed: the regions of regions.json: us-east-1)"));
  EXPECT_TRUE(contains(error_of(kInstances, kCoefficients,
                                mutate(kRegions, R"("provider": "aws")", R"("provider": "oci")")),
                       "regions.json: region 'us-east-1': unknown provider 'oci'"));
}

TEST(CatalogLoader, EveryEntryMustCiteAKnownSource) {
  const std::string msg =
      error_of(mutate(kInstances, R"("microarchs_source": "ccf", "price_source": "aws"})",
                      R"("microarchs_source": "ccf", "price_source": "guess"})"),
               kCoefficients, kRegions);
  EXPECT_TRUE(contains(msg, "instance 'm5.large': 'price_source' refers to unknown source 'guess' "
                            "(allowed: aws, ccf)"))
      << msg;
  const std::string missing = error_of(
      kInstances, mutate(kCoefficients, R"("max_w": 70, "source": "ccf")", R"("max_w": 70)"),
      kRegions);
  EXPECT_TRUE(
      contains(missing, "coefficients.json: gpu 'NVIDIA T4': missing required key 'source'"))
      << missing;
}

TEST(CatalogLoader, MissingOrMistypedFieldsAreRejected) {
  EXPECT_TRUE(contains(error_of(mutate(kInstances, R"("vcpus": 2, )", ""), kCoefficients, kRegions),
                       "instance 'm5.large': missing required key 'vcpus'"));
  EXPECT_TRUE(contains(
      error_of(mutate(kInstances, R"("vcpus": 2,)", R"("vcpus": 2.5,)"), kCoefficients, kRegions),
      "'vcpus' must be a whole number, got 2.5"));
  EXPECT_TRUE(contains(error_of(kInstances, mutate(kCoefficients, "1.135", "0.9"), kRegions),
                       "pue_by_provider 'aws': 'value' is 0.9 (allowed: a number ≥ 1)"));
  EXPECT_TRUE(contains(error_of(kInstances, mutate(kCoefficients, "4.26", "0.5"), kRegions),
                       "microarch 'Skylake': 'max_w_per_vcpu' 0.5 is below 'min_w_per_vcpu' 0.65"));
  EXPECT_TRUE(contains(
      error_of(mutate(kInstances, "cfsim-catalog-instances/1", "v2"), kCoefficients, kRegions),
      "unsupported schema 'v2' (allowed: cfsim-catalog-instances/1)"));
}

// The family's maxima drive CCF's memory and embodied rules: its largest member must agree.
TEST(CatalogLoader, FamilyMaximaMustMatchTheLargestMember) {
  EXPECT_TRUE(
      contains(error_of(mutate(kInstances, R"("max_memory_gb": 384)", R"("max_memory_gb": 768)"),
                        kCoefficients, kRegions),
               "family 'm5': max_vcpus/max_memory_gb (96 / 768) differ from its largest "
               "member 'm5.24xlarge' (96 / 384)"));
  EXPECT_TRUE(
      contains(error_of(mutate(kInstances, R"("vcpus": 2, "memory_gb": 8)",
                               R"("vcpus": 128, "memory_gb": 8)"),
                        kCoefficients, kRegions),
               "instance 'm5.large': 128 vCPUs / 8 GB exceeds its family's largest member"));
}

TEST(CatalogLoader, StrictJsonOnly) {
  EXPECT_TRUE(contains(error_of("// comment\n" + kInstances, kCoefficients, kRegions),
                       "fixture/instances.json: invalid JSON"));
  EXPECT_TRUE(contains(error_of(mutate(kInstances, R"("vcpus": 2,)", R"("vcpus": 2, "vcpus": 4,)"),
                                kCoefficients, kRegions),
                       "instances.json: duplicate key 'vcpus'"));
  EXPECT_TRUE(contains(error_of(kInstances, kCoefficients, "[]"),
                       "fixture/regions.json: expected an object, got an array"));
}

TEST(CatalogLoader, MissingDirectoryIsAnInputError) {
  EXPECT_THROW(load_catalog(kCatalogDir + "/no-such-dir"), InputError);
}

// ------------------------------------------------------------------------ shipped catalog

const std::set<std::string> kFamilies{"t3",  "m5", "m6i", "m6g", "m7g",  "c5", "c6g",
                                      "c7g", "r5", "r6g", "p3",  "g4dn", "g5"};

TEST(CatalogShipped, CoversAllFamiliesWithPricesInThreeRegions) {
  const Catalog c = load_catalog(kCatalogDir);
  EXPECT_GE(c.instances.size(), 40u);
  std::set<std::string> seen;
  for (const auto& [name, it] : c.instances) {
    seen.insert(it.family);
    for (const char* region : {"us-east-1", "eu-central-1", "eu-west-1"})
      EXPECT_GT(c.on_demand_usd_per_h(it, region), 0.0) << name << " " << region;
    EXPECT_EQ(it.burstable, it.family == "t3") << name;
    EXPECT_EQ(it.gpus > 0, it.family == "p3" || it.family == "g4dn" || it.family == "g5") << name;
  }
  EXPECT_EQ(seen, kFamilies);
  EXPECT_EQ(c.instance("p3.2xlarge").gpu_model, "NVIDIA Tesla V100");
  EXPECT_EQ(c.instance("g4dn.xlarge").gpu_model, "NVIDIA T4");
  EXPECT_EQ(c.instance("g5.xlarge").gpu_model, "NVIDIA A10G");
  // DESIGN §5 / CCF constants and the region map.
  EXPECT_EQ(c.pue("aws"), 1.135);
  EXPECT_EQ(c.pue("azure"), 1.185);
  EXPECT_EQ(c.pue("gcp"), 1.1);
  EXPECT_EQ(c.memory_w_per_gb, 0.392);
  EXPECT_EQ(c.embodied_lifetime_h, 35040.0);
  EXPECT_EQ(c.zone_by_region.at("us-east-1"), "US-MIDA-PJM");
  EXPECT_EQ(c.zone_by_region.at("eu-central-1"), "DE");
  EXPECT_EQ(c.zone_by_region.at("eu-west-1"), "IE");
  EXPECT_EQ(c.ebs_usd_per_gb_month_in("eu-central-1"), 0.0952);
  EXPECT_EQ(c.sha256, sha256_hex(read_file(kCatalogDir + "/instances.json") +
                                 read_file(kCatalogDir + "/coefficients.json") +
                                 read_file(kCatalogDir + "/regions.json")));
}

// CCF's memory and embodied rules use each family's largest member; it is in the catalog.
TEST(CatalogShipped, EachFamilysLargestMemberIsListed) {
  const Catalog c = load_catalog(kCatalogDir);
  for (const auto& family : kFamilies) {
    const FamilyMax& fm = c.family_max(family);
    bool found = false;
    for (const auto& [name, it] : c.instances)
      found =
          found || (it.family == family && it.vcpus == fm.vcpus && it.memory_gb == fm.memory_gb);
    EXPECT_TRUE(found) << family;
  }
  EXPECT_EQ(c.family_max("m5").vcpus, 96); // m5.24xlarge, DESIGN §5
  EXPECT_EQ(c.family_max("m5").memory_gb, 384.0);
}

// DESIGN §5 worked example from the shipped files: m5.large, 1 h, u = 0.5, PUE 1.135,
// 379.069 g/kWh → 2.1125 g compute, 6.3058 GB → 1.0635 g memory, 0.9577 g embodied.
TEST(CatalogShipped, ReproducesTheDesignWorkedExample) {
  const Catalog c = load_catalog(kCatalogDir);
  const InstanceType& it = c.instance("m5.large");
  EXPECT_EQ(it.microarchs, std::vector<std::string>{"Skylake"});
  const InstancePower p = instance_power(c, it, 0.5);
  const double pue = c.pue("aws");
  EXPECT_NEAR(p.cpu_w, 4.91, 1e-12);
  EXPECT_NEAR(energy_kwh(p.cpu_w, 1.0, pue) * 379.069, 2.1125, 5e-5);
  EXPECT_NEAR(extra_memory_gb(c, it), 6.3058, 5e-5);
  EXPECT_NEAR(energy_kwh(p.memory_w, 1.0, pue) * 379.069, 1.0635, 5e-5);
  EXPECT_NEAR(energy_kwh(p.total_w(), 1.0, pue) * 379.069, 3.1760,
              5e-5); // DESIGN: 3.1761 (rounding)
  EXPECT_NEAR(embodied_kg(c, it, 1.0, 2.0) * 1000.0, 0.9577, 5e-5);
}

// Read a shipped file with nlohmann directly, independently of the loader.
nlohmann::json shipped(const std::string& name) {
  return nlohmann::json::parse(read_file(kCatalogDir + "/" + name));
}

// Every entry of every section cites a source that the file's "sources" table defines.
TEST(CatalogShipped, EveryEntryCitesASourceThatResolves) {
  const std::map<std::string, std::vector<std::string>> sections{
      {"instances.json", {"families", "instances"}},
      {"coefficients.json", {"microarchs", "gpus", "pue_by_provider"}},
      {"regions.json", {"regions"}}};
  for (const auto& [file, names] : sections) {
    const nlohmann::json doc = shipped(file);
    const auto& sources = doc.at("sources");
    const auto check = [&](const nlohmann::json& entry, const std::string& label) {
      ASSERT_TRUE(entry.contains("source")) << file << ": " << label;
      for (const auto& item : entry.items()) {
        if (item.key().size() >= 6 && item.key().ends_with("source")) {
          EXPECT_TRUE(sources.contains(item.value().get<std::string>()))
              << file << ": " << label << ": " << item.key() << " = " << item.value();
        }
      }
    };
    for (const auto& section : names)
      for (const auto& item : doc.at(section).items())
        check(item.value(), section + "/" + item.key());
    if (file == "coefficients.json")
      for (const char* k : {"memory_w_per_gb", "average_per_chip_memory_gb", "vcpus_per_chip",
                            "embodied_lifetime_h"})
        check(doc.at(k), k);
  }
}

// CCF embodied model (Teads, Dell R740 base): 1000 kg + (memory_gb − 16) × 533/384
// + (cpus − 1) × 100 + 100 per SSD + 50 per HDD + 150 per GPU. m5 (384 GB, 2 CPUs) gives
// 1610.79 kg, the DESIGN §5 value; the other families must agree with their stated inputs.
TEST(CatalogShipped, EmbodiedTotalsFollowCcfFormula) {
  const nlohmann::json doc = shipped("instances.json");
  for (const auto& item : doc.at("families").items()) {
    const auto& in = item.value().at("embodied_inputs");
    const double kg = 1000.0 + (in.at("memory_gb").get<double>() - 16.0) * 533.0 / 384.0 +
                      (in.at("cpus").get<double>() - 1.0) * 100.0 +
                      in.at("ssds").get<double>() * 100.0 + in.at("hdds").get<double>() * 50.0 +
                      in.at("gpus").get<double>() * 150.0;
    EXPECT_NEAR(item.value().at("embodied_kg").get<double>(), kg, 0.0051) << item.key();
    EXPECT_EQ(in.at("memory_gb").get<double>(), item.value().at("max_memory_gb").get<double>())
        << item.key();
  }
  EXPECT_EQ(doc.at("families").at("m5").at("embodied_kg").get<double>(), 1610.79);
}

} // namespace
} // namespace cfsim
