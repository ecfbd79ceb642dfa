// AWS Cost Explorer GetCostAndUsage (and GetCostAndUsageWithResources) JSON responses → the
// FOCUS subset, docs/formats.md "AWS Cost Explorer JSON". One text per response page, given in
// NextPageToken order; their ResultsByTime lists are concatenated.
//
// JSON has no useful line numbers once parsed, so errors name the page and the JSON pointer of
// the bad value ("ce.json: /ResultsByTime/3/Total/UnblendedCost/Amount: ..."); a syntax error
// names its line.
#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_cost.hpp"
#include "io/csv.hpp"
#include "io/json_text.hpp"

namespace cfsim {
namespace {

using nlohmann::json;

// Cost metrics GetCostAndUsage can return (UsageQuantity and NormalizedUsageAmount are not money).
constexpr std::array<std::string_view, 5> kCostMetrics = {
    "AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost", "UnblendedCost"};

[[noreturn]] void fail(const std::string& where, const std::string& ptr, const std::string& what) {
  throw TraceError(where + ": " + (ptr.empty() ? "" : ptr + ": ") + what);
}

std::string shortest(double v) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

json parse_page(std::string_view text, const std::string& where) {
  return jsontext::parse(text, where, "a GetCostAndUsage JSON response");
}

const json& member(const json& obj, const std::string& key, const std::string& where,
                   const std::string& ptr) {
  const auto it = obj.find(key);
  if (it == obj.end())
    fail(where, ptr, "missing key \"" + key + "\"");
  return *it;
}

const json& object_at(const json& obj, const std::string& key, const std::string& where,
                      const std::string& ptr) {
  const json& v = member(obj, key, where, ptr);
  if (!v.is_object())
    fail(where, ptr + "/" + key, std::string("expected an object, got ") + jsontext::type_name(v));
  return v;
}

const std::string& string_at(const json& obj, const std::string& key, const std::string& where,
                             const std::string& ptr) {
  const json& v = member(obj, key, where, ptr);
  if (!v.is_string())
    fail(where, ptr + "/" + key, std::string("expected a string, got ") + jsontext::type_name(v));
  return v.get_ref<const std::string&>();
}

TimeS time_at(const json& period, const std::string& key, const std::string& where,
              const std::string& ptr) {
  const std::string& s = string_at(period, key, where, ptr);
  const auto t = parse_utc(s);
  if (!t)
    fail(where, ptr + "/" + key,
         "'" + s + "' is not a time (expected 2024-09-01 or 2024-09-01T00:00:00Z)");
  return *t;
}

struct Amount {
  double value = 0.0;
  std::string unit;
};

// {"Amount": "0.0123", "Unit": "USD"}: a decimal string, parsed exactly as written.
Amount amount_at(const json& metrics, const std::string& name, const std::string& where,
                 const std::string& ptr) {
  const json& m = object_at(metrics, name, where, ptr);
  const std::string mptr = ptr + "/" + name;
  const std::string& text = string_at(m, "Amount", where, mptr);
  const auto v = csv::parse_number(text);
  if (!v)
    fail(where, mptr + "/Amount",
         "'" + text +
             "' is not a decimal number (expected a string such as \"0.0123\", with "
             "nothing around it)");
  return {*v, string_at(m, "Unit", where, mptr)};
}

// Where a group key goes in the record.
enum class Target { instance_type, region, service, resource, record_type, extra };

struct GroupDef {
  std::string type; // DIMENSION, TAG, COST_CATEGORY
  std::string key;  // INSTANCE_TYPE, REGION, ..., or a tag / cost category name
  Target target = Target::extra;
  friend bool operator==(const GroupDef& a, const GroupDef& b) {
    return a.type == b.type && a.key == b.key;
  }
};

std::vector<GroupDef> group_defs(const json& page, const std::string& where) {
  std::vector<GroupDef> defs;
  const auto it = page.find("GroupDefinitions");
  if (it == page.end())
    return defs;
  if (!it->is_array())
    fail(where, "/GroupDefinitions",
         std::string("expected an array, got ") + jsontext::type_name(*it));
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string ptr = "/GroupDefinitions/" + std::to_string(i);
    const json& d = (*it)[i];
    if (!d.is_object())
      fail(where, ptr, std::string("expected an object, got ") + jsontext::type_name(d));
    GroupDef g{string_at(d, "Type", where, ptr), string_at(d, "Key", where, ptr), Target::extra};
    if (g.type == "DIMENSION") {
      if (g.key == "INSTANCE_TYPE")
        g.target = Target::instance_type;
      else if (g.key == "REGION")
        g.target = Target::region;
      else if (g.key == "SERVICE")
        g.target = Target::service;
      else if (g.key == "RESOURCE_ID")
        g.target = Target::resource;
      else if (g.key == "RECORD_TYPE")
        g.target = Target::record_type;
    } else if (g.type != "TAG" && g.type != "COST_CATEGORY") {
      fail(where, ptr + "/Type",
           "'" + g.type + "' is not a group type (expected DIMENSION, TAG or COST_CATEGORY)");
    }
    defs.push_back(std::move(g));
  }
  return defs;
}

// RECORD_TYPE values that name a FOCUS ChargeCategory; other values leave it NULL.
std::string category_of_record_type(const std::string& v) {
  if (v == "Usage" || v == "Tax" || v == "Credit")
    return v;
  if (v == "Refund")
    return "Credit";
  return {};
}

// Cost Explorer's placeholders for "this charge has no such attribute".
std::string unless_placeholder(const std::string& v, std::string_view placeholder) {
  return v == placeholder ? std::string() : v;
}

struct Builder {
  std::string metric;
  std::vector<GroupDef> defs;
  CostTrace out;
  std::vector<bool> estimated; // per record
  std::set<std::string> seen;  // period start + group keys
  bool any_period = false;
  TimeS prev_start = 0;
  std::string prev_text;

  void add(const json& metrics, const std::string& where, const std::string& ptr, TimeS start,
           TimeS end, bool est, const std::vector<std::string>& keys) {
    if (!metrics.is_object())
      fail(where, ptr,
           std::string("expected an object of metrics, got ") + jsontext::type_name(metrics));
    if (!metrics.contains(metric)) {
      std::string have;
      for (const auto& [name, v] : metrics.items())
        have += (have.empty() ? "" : ", ") + name;
      fail(where, ptr,
           "has no metric " + metric + " (metrics here: " + (have.empty() ? "none" : have) +
               "; request the metric, or choose one of those)");
    }
    CostRecord rec;
    rec.charge_start_s = start;
    rec.charge_end_s = end;
    const Amount billed = amount_at(metrics, metric, where, ptr);
    rec.billed_cost = billed.value;
    rec.billing_currency = billed.unit;
    if (rec.billing_currency.empty())
      fail(where, ptr + "/" + metric + "/Unit", "is empty (expected a currency such as USD)");
    rec.effective_cost = metrics.contains("AmortizedCost")
                             ? amount_at(metrics, "AmortizedCost", where, ptr).value
                             : std::numeric_limits<double>::quiet_NaN();
    rec.list_cost = std::numeric_limits<double>::quiet_NaN();
    if (metrics.contains("UsageQuantity")) {
      const Amount q = amount_at(metrics, "UsageQuantity", where, ptr);
      rec.consumed_quantity = q.value;
      rec.consumed_unit = q.unit;
    } else {
      rec.consumed_quantity = std::numeric_limits<double>::quiet_NaN();
    }
    for (std::size_t i = 0; i < defs.size(); ++i) {
      const std::string& v = keys[i];
      switch (defs[i].target) {
      case Target::instance_type:
        rec.instance_type = unless_placeholder(v, "NoInstanceType");
        break;
      case Target::region:
        rec.region_id = unless_placeholder(v, "NoRegion");
        break;
      case Target::service:
        rec.service_name = v;
        break;
      case Target::resource:
        rec.resource_id = unless_placeholder(v, "NoResourceId");
        break;
      case Target::record_type:
        rec.charge_category = category_of_record_type(v);
        rec.extra.push_back(v);
        break;
      case Target::extra: { // a tag or cost category value reads "<key>$<value>"
        const std::string prefix = defs[i].key + "$";
        rec.extra.push_back(
            defs[i].type != "DIMENSION" && v.rfind(prefix, 0) == 0 ? v.substr(prefix.size()) : v);
        break;
      }
      }
    }
    const bool reduction = rec.charge_category == "Credit" || rec.charge_category == "Adjustment" ||
                           rec.consumed_quantity < 0;
    for (const double v : {rec.billed_cost, rec.effective_cost})
      if (v < 0 && !reduction)
        fail(where, ptr,
             "negative cost " + shortest(v) + " on a " +
                 (rec.charge_category.empty() ? std::string("charge of unknown category")
                                              : rec.charge_category + " row") +
                 " (allowed only for Credit and Adjustment rows: group by RECORD_TYPE to tell "
                 "credits and refunds apart)");
    out.records.push_back(std::move(rec));
    estimated.push_back(est);
  }

  void page(const json& j, const std::string& where) {
    if (!j.is_object())
      fail(where, "",
           std::string("expected a GetCostAndUsage response object, got ") +
               jsontext::type_name(j));
    const json& results = member(j, "ResultsByTime", where, "");
    if (!results.is_array())
      fail(where, "/ResultsByTime",
           std::string("expected an array, got ") + jsontext::type_name(results));
    for (std::size_t i = 0; i < results.size(); ++i) {
      const std::string ptr = "/ResultsByTime/" + std::to_string(i);
      const json& res = results[i];
      if (!res.is_object())
        fail(where, ptr, std::string("expected an object, got ") + jsontext::type_name(res));
      const json& period = object_at(res, "TimePeriod", where, ptr);
      const std::string pptr = ptr + "/TimePeriod";
      const TimeS start = time_at(period, "Start", where, pptr);
      const TimeS end = time_at(period, "End", where, pptr);
      const std::string& start_text = period["Start"].get_ref<const std::string&>();
      if (end <= start)
        fail(where, pptr + "/End",
             period["End"].get<std::string>() + " is not after Start " + start_text +
                 " (a period must have a positive length)");
      if (any_period && start < prev_start)
        fail(where, pptr + "/Start",
             start_text + " is earlier than the previous period's start " + prev_text +
                 " (periods must be sorted by time; give pages in NextPageToken order)");
      any_period = true;
      prev_start = start;
      prev_text = start_text;

      bool est = false;
      if (const auto it = res.find("Estimated"); it != res.end()) {
        if (!it->is_boolean())
          fail(where, ptr + "/Estimated",
               std::string("expected true or false, got ") + jsontext::type_name(*it));
        est = it->get<bool>();
      }

      if (defs.empty()) {
        const std::string tptr = ptr + "/Total";
        const json& total = member(res, "Total", where, ptr);
        if (!seen.insert(std::to_string(start)).second)
          fail(where, pptr, "period " + start_text + " appears twice (each period once)");
        add(total, where, tptr, start, end, est, {});
        continue;
      }
      const auto git = res.find("Groups");
      if (git == res.end())
        continue; // a grouped query lists no group for a period without cost
      if (!git->is_array())
        fail(where, ptr + "/Groups",
             std::string("expected an array, got ") + jsontext::type_name(*git));
      for (std::size_t g = 0; g < git->size(); ++g) {
        const std::string gptr = ptr + "/Groups/" + std::to_string(g);
        const json& group = (*git)[g];
        if (!group.is_object())
          fail(where, gptr, std::string("expected an object, got ") + jsontext::type_name(group));
        const json& keys_json = member(group, "Keys", where, gptr);
        if (!keys_json.is_array() || keys_json.size() != defs.size())
          fail(where, gptr + "/Keys",
               "expected an array of " + std::to_string(defs.size()) +
                   " strings, one per GroupDefinitions entry");
        std::vector<std::string> keys;
        std::string id = std::to_string(start);
        for (std::size_t k = 0; k < defs.size(); ++k) {
          if (!keys_json[k].is_string())
            fail(where, gptr + "/Keys/" + std::to_string(k),
                 std::string("expected a string, got ") + jsontext::type_name(keys_json[k]));
          keys.push_back(keys_json[k].get<std::string>());
          id += '\x1f' + keys.back();
        }
        if (!seen.insert(id).second)
          fail(where, gptr + "/Keys",
               "group for period " + start_text +
                   " appears twice (each group once per period; was a page given twice?)");
        add(member(group, "Metrics", where, gptr), where, gptr + "/Metrics", start, end, est, keys);
      }
    }
  }
};

CostTrace parse_pages(const std::vector<std::string_view>& texts,
                      const std::vector<std::string>& labels, std::string_view origin,
                      const std::string& metric) {
  if (std::find(kCostMetrics.begin(), kCostMetrics.end(), metric) == kCostMetrics.end())
    throw ConfigError("Cost Explorer metric '" + metric +
                      "' is not a cost metric (expected AmortizedCost, BlendedCost, "
                      "NetAmortizedCost, NetUnblendedCost or UnblendedCost)");
  if (texts.empty())
    throw TraceError(std::string(origin) +
                     ": no pages (expected at least one GetCostAndUsage response)");
  Builder b;
  b.metric = metric;
  for (std::size_t p = 0; p < texts.size(); ++p) {
    const std::string& where = labels[p];
    const json j = parse_page(texts[p], where);
    if (!j.is_object())
      fail(where, "",
           std::string("expected a GetCostAndUsage response object, got ") +
               jsontext::type_name(j));
    std::vector<GroupDef> defs = group_defs(j, where);
    if (p == 0) {
      b.defs = std::move(defs);
      for (const GroupDef& d : b.defs)
        if (d.target == Target::extra || d.target == Target::record_type) {
          const std::string name = "x_" + d.key;
          if (std::find(b.out.extra_columns.begin(), b.out.extra_columns.end(), name) !=
              b.out.extra_columns.end())
            fail(where, "/GroupDefinitions",
                 "two groups give the column " + name + " (expected distinct group keys)");
          b.out.extra_columns.push_back(name);
        }
    } else if (defs != b.defs) {
      fail(where, "/GroupDefinitions",
           "differs from the first page's (all pages must come from one query)");
    }

    bool has_token = false; // absent, null and "" all mean "no further page"
    if (const auto tok = j.find("NextPageToken"); tok != j.end() && !tok->is_null()) {
      if (!tok->is_string())
        fail(where, "/NextPageToken",
             std::string("expected a string, got ") + jsontext::type_name(*tok));
      has_token = !tok->get_ref<const std::string&>().empty();
    }
    if (p + 1 < texts.size() && !has_token)
      fail(where, "/NextPageToken",
           "missing, yet page " + std::to_string(p + 2) + " (" + labels[p + 1] +
               ") follows (this page is the last of its query: give pages in NextPageToken "
               "order, one query per trace)");
    if (p + 1 == texts.size() && has_token)
      fail(where, "/NextPageToken",
           "is set on the last page given (the response continues: fetch and give every page)");
    b.page(j, where);
  }
  if (b.out.records.empty())
    throw TraceError(std::string(origin) +
                     ": no cost records (every period is empty; expected at least one)");

  if (std::find(b.estimated.begin(), b.estimated.end(), true) != b.estimated.end()) {
    b.out.extra_columns.push_back("x_Estimated");
    for (std::size_t i = 0; i < b.out.records.size(); ++i)
      b.out.records[i].extra.push_back(b.estimated[i] ? "true" : "false");
  }
  b.out.format = "cost-explorer";
  b.out.origin = std::string(origin);
  return std::move(b.out);
}

} // namespace

CostTrace parse_cost_explorer_json(const std::vector<std::string>& pages, std::string_view origin,
                                   const std::string& metric) {
  std::vector<std::string_view> texts(pages.begin(), pages.end());
  std::vector<std::string> labels;
  for (std::size_t p = 0; p < pages.size(); ++p)
    labels.push_back(pages.size() == 1 ? std::string(origin)
                                       : std::string(origin) + " page " + std::to_string(p + 1));
  return parse_pages(texts, labels, origin, metric);
}

CostTrace load_cost_explorer_json(const std::vector<std::string>& paths,
                                  const std::string& metric) {
  std::vector<std::string> pages;
  std::string origin, all;
  for (const std::string& path : paths) {
    pages.push_back(read_file(path));
    all += pages.back();
    origin += (origin.empty() ? "" : ";") + path;
  }
  std::vector<std::string_view> texts(pages.begin(), pages.end());
  CostTrace out = parse_pages(texts, paths, origin, metric);
  out.sha256 = sha256_hex(all);
  return out;
}

} // namespace cfsim
