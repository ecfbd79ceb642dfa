// `aws ec2 describe-spot-price-history` JSON → one step series per (availability zone,
// instance type, product description), docs/formats.md "EC2 spot price history JSON".
//
// The API reports price *changes*, newest first, and with them "the last price change before the
// start time, which is the effective price as of the start time" (AWS EC2 API reference,
// DescribeSpotPriceHistory). So a price holds from its Timestamp until the next change for the
// same key: holding it is the source's own semantics (DESIGN §4), not a fill policy. The last
// price holds until `end_s`; changes at or after `end_s` are dropped.
#include <algorithm>
#include <map>
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

[[noreturn]] void fail(const std::string& where, const std::string& ptr, const std::string& what) {
  throw TraceError(where + ": " + (ptr.empty() ? "" : ptr + ": ") + what);
}

const char* type_name(const json& v) {
  return v.is_null() ? "null" : v.type_name();
}

const std::string& string_at(const json& obj, const char* key, const std::string& where,
                             const std::string& ptr) {
  const auto it = obj.find(key);
  if (it == obj.end())
    fail(where, ptr, std::string("missing key \"") + key + "\"");
  if (!it->is_string())
    fail(where, ptr + "/" + key, std::string("expected a string, got ") + type_name(*it));
  if (it->get_ref<const std::string&>().empty())
    fail(where, ptr + "/" + key, "is empty");
  return it->get_ref<const std::string&>();
}

struct Event {
  TimeS t = 0;
  double price = 0.0;
  std::size_t index = 0; // position in SpotPriceHistory, for messages
  std::string text;      // SpotPrice as written
};

} // namespace

std::map<std::string, RawSeries>
parse_spot_price_history_json(std::string_view text, std::string_view origin, TimeS end_s) {
  const std::string where(origin);
  const json j = jsontext::parse(text, where, "a describe-spot-price-history JSON response");
  if (!j.is_object() || !j.contains("SpotPriceHistory"))
    fail(where, "",
         "expected an object with a \"SpotPriceHistory\" array (the output of aws ec2 "
         "describe-spot-price-history)");
  const json& history = j["SpotPriceHistory"];
  if (!history.is_array())
    fail(where, "/SpotPriceHistory", std::string("expected an array, got ") + type_name(history));
  if (history.empty())
    fail(where, "/SpotPriceHistory", "is empty (expected at least one price change)");

  std::map<std::string, std::vector<Event>> by_key;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const std::string ptr = "/SpotPriceHistory/" + std::to_string(i);
    const json& e = history[i];
    if (!e.is_object())
      fail(where, ptr, std::string("expected an object, got ") + type_name(e));
    // One at a time: the operands of + are evaluated in no fixed order, and the first missing
    // key should be the one reported.
    std::string key = string_at(e, "AvailabilityZone", where, ptr);
    key += "/" + string_at(e, "InstanceType", where, ptr);
    key += "/" + string_at(e, "ProductDescription", where, ptr);
    const std::string& price_text = string_at(e, "SpotPrice", where, ptr);
    const auto price = csv::parse_number(price_text);
    if (!price)
      fail(where, ptr + "/SpotPrice",
           "'" + price_text +
               "' is not a decimal number (expected a string such as "
               "\"0.034500\", USD per hour)");
    if (*price < 0)
      fail(where, ptr + "/SpotPrice", price_text + " is negative (a price must be >= 0)");
    const std::string& ts = string_at(e, "Timestamp", where, ptr);
    const auto t = parse_utc(ts);
    if (!t)
      fail(where, ptr + "/Timestamp",
           "'" + ts + "' is not a time (expected ISO 8601 such as 2024-09-01T03:12:45+00:00)");
    by_key[key].push_back({*t, *price, i, price_text});
  }

  std::map<std::string, RawSeries> out;
  std::size_t dropped = 0;
  for (auto& [key, events] : by_key) {
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.t < b.t; });
    std::vector<Event> kept;
    const Event* prev = nullptr; // the previous distinct change, kept or not
    for (const Event& e : events) {
      if (prev != nullptr && prev->t == e.t) {
        if (prev->price != e.price)
          fail(where, "/SpotPriceHistory/" + std::to_string(e.index),
               key + " has two prices at " + format_utc(e.t) + ": " + prev->text + " (entry " +
                   std::to_string(prev->index) + ") and " + e.text +
                   " (one price per key and time)");
        continue; // the same change listed twice (e.g. overlapping pages)
      }
      prev = &e;
      if (e.t >= end_s) {
        ++dropped;
        continue;
      }
      kept.push_back(e);
    }
    if (kept.empty())
      continue;
    RawSeries s;
    for (std::size_t i = 0; i < kept.size(); ++i)
      s.push(kept[i].t, i + 1 < kept.size() ? kept[i + 1].t : end_s, kept[i].price,
             Quality::measured);
    s.provenance.signal = SignalKind::price;
    s.provenance.basis = EmissionBasis::none;
    s.provenance.source = "aws-spot-price-history";
    s.provenance.origin = where;
    s.provenance.units = "USD h-1";
    s.provenance.fill_policy = "none";
    out.emplace(key, std::move(s));
  }
  if (out.empty())
    throw TraceError(where + ": all " + std::to_string(dropped) +
                     " distinct price changes are at or after end_s " + format_utc(end_s) +
                     " (expected at least one before it)");
  return out;
}

std::map<std::string, RawSeries> load_spot_price_history_json(const std::string& path,
                                                              TimeS end_s) {
  const std::string text = read_file(path);
  std::map<std::string, RawSeries> out = parse_spot_price_history_json(text, path, end_s);
  const std::string sha = sha256_hex(text);
  for (auto& [key, s] : out)
    s.provenance.sha256 = sha;
  return out;
}

} // namespace cfsim
