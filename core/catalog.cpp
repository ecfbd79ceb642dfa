// Catalog look-ups. An unknown name is a ConfigError that lists the valid choices; nothing here
// substitutes an average or a default (DESIGN §3, No-Fallback).
#include "cfsim/catalog.hpp"

#include <string>

#include "cfsim/error.hpp"

namespace cfsim {
namespace {

template <class Map> std::string valid_keys(const Map& m) {
  if (m.empty())
    return "none";
  std::string out;
  for (const auto& kv : m) {
    if (!out.empty())
      out += ", ";
    out += kv.first;
  }
  return out;
}

template <class Map>
const typename Map::mapped_type& find_or_throw(const Map& m, const std::string& name,
                                               const char* what) {
  const auto it = m.find(name);
  if (it == m.end())
    throw ConfigError(std::string("unknown ") + what + " '" + name + "' (valid: " + valid_keys(m) +
                      ")");
  return it->second;
}

} // namespace

const InstanceType& Catalog::instance(const std::string& name) const {
  return find_or_throw(instances, name, "instance type");
}

const Microarch& Catalog::microarch(const std::string& name) const {
  return find_or_throw(microarchs, name, "microarchitecture");
}

const FamilyMax& Catalog::family_max(const std::string& family) const {
  return find_or_throw(families, family, "instance family");
}

double Catalog::on_demand_usd_per_h(const InstanceType& it, const std::string& region) const {
  const auto p = it.on_demand_usd_per_h.find(region);
  if (p == it.on_demand_usd_per_h.end())
    throw ConfigError("no on-demand price for instance type '" + it.name + "' in region '" +
                      region + "' (regions with a price: " + valid_keys(it.on_demand_usd_per_h) +
                      ")");
  return p->second;
}

// A region without a price is an error: no default price (No-Fallback).
double Catalog::ebs_usd_per_gb_month_in(const std::string& region) const {
  const auto p = ebs_usd_per_gb_month.find(region);
  if (p == ebs_usd_per_gb_month.end())
    throw ConfigError("no EBS gp3 price for region '" + region +
                      "' (valid: " + valid_keys(ebs_usd_per_gb_month) + ")");
  return p->second;
}

double Catalog::pue(const std::string& provider) const {
  return find_or_throw(pue_by_provider, provider, "provider");
}

} // namespace cfsim
