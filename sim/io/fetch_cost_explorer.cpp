// AWS Cost Explorer fetcher: GetCostAndUsage through the JSON-1.1 protocol (POST with
// X-Amz-Target), signed with SigV4 by libcurl (CURLOPT_AWS_SIGV4 "aws:amz:us-east-1:ce"; Cost
// Explorer has the one endpoint in us-east-1). Every page is written, following NextPageToken
// until the service stops returning one. Cost Explorer signals throttling with HTTP 400
// LimitExceededException, which is retried like a 429.
#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "cfsim/fetch.hpp"
#include "io/http.hpp"

namespace cfsim {

namespace {

const std::vector<std::string> kMetrics = {
    "AmortizedCost",         "BlendedCost",   "NetAmortizedCost", "NetUnblendedCost",
    "NormalizedUsageAmount", "UnblendedCost", "UsageQuantity"};
const std::vector<std::string> kGranularities = {"HOURLY", "DAILY", "MONTHLY"};
const std::vector<std::string> kGroupTypes = {"DIMENSION", "TAG", "COST_CATEGORY"};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool is_amz_date(const std::string& d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z')
    return false;
  for (std::size_t i = 0; i < 15; ++i)
    if (i != 8 && (d[i] < '0' || d[i] > '9'))
      return false;
  return true;
}

// Cost Explorer's TimePeriod: full timestamps for HOURLY, dates otherwise.
std::string period_time(TimeS t, const std::string& granularity) {
  if (granularity == "HOURLY")
    return http::iso_seconds(t);
  if (t % 86400 != 0)
    throw ConfigError("cost-explorer: " + granularity +
                      " needs start and end at midnight UTC, got " + format_utc(t));
  return format_utc(t).substr(0, 10);
}

} // namespace

FetchReport fetch_cost_explorer(const CostExplorerFetch& what, const FetchOptions& opt) {
  if (!contains(kGranularities, what.granularity))
    throw ConfigError("cost-explorer: unknown granularity '" + what.granularity +
                      "' (allowed: " + join(kGranularities) + ")");
  if (what.metrics.empty())
    throw ConfigError("cost-explorer: at least one metric is required (allowed: " + join(kMetrics) +
                      ")");
  for (const std::string& m : what.metrics)
    if (!contains(kMetrics, m))
      throw ConfigError("cost-explorer: unknown metric '" + m + "' (allowed: " + join(kMetrics) +
                        ")");
  if (what.group_by.size() > 2)
    throw ConfigError("cost-explorer: at most two group-by keys are allowed, got " +
                      std::to_string(what.group_by.size()));
  for (const auto& [type, key] : what.group_by) {
    if (!contains(kGroupTypes, type))
      throw ConfigError("cost-explorer: unknown group-by type '" + type +
                        "' (allowed: " + join(kGroupTypes) + ")");
    if (key.empty())
      throw ConfigError("cost-explorer: group-by " + type + " needs a key (e.g. SERVICE)");
  }
  if (!what.amz_date.empty() && !is_amz_date(what.amz_date))
    throw ConfigError("cost-explorer: X-Amz-Date must read YYYYMMDDTHHMMSSZ, got '" +
                      what.amz_date + "'");
  if (!(what.start_s < what.end_s))
    throw ConfigError("cost-explorer: the start " + format_utc(what.start_s) +
                      " must be before the end " + format_utc(what.end_s));

  nlohmann::json body = {{"TimePeriod",
                          {{"Start", period_time(what.start_s, what.granularity)},
                           {"End", period_time(what.end_s, what.granularity)}}},
                         {"Granularity", what.granularity},
                         {"Metrics", what.metrics}};
  if (!what.group_by.empty()) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& [type, key] : what.group_by)
      groups.push_back({{"Type", type}, {"Key", key}});
    body["GroupBy"] = groups;
  }
  if (!what.filter_json.empty()) {
    nlohmann::json filter;
    try {
      filter = nlohmann::json::parse(what.filter_json);
    } catch (const nlohmann::json::parse_error& e) {
      throw ConfigError(std::string("cost-explorer: the filter is not valid JSON (") + e.what() +
                        ")");
    }
    if (!filter.is_object())
      throw ConfigError("cost-explorer: the filter must be a JSON object (a Cost Explorer "
                        "Expression such as {\"Dimensions\": {\"Key\": \"REGION\", \"Values\": "
                        "[\"eu-central-1\"]}})");
    body["Filter"] = filter;
  }

  http::Session s(opt, "cost-explorer",
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN with "
                  "temporary credentials)");
  s.set_retryable([](const http::Response& r) {
    return r.status == 400 && (r.body.find("LimitExceededException") != std::string::npos ||
                               r.body.find("ThrottlingException") != std::string::npos);
  });
  const std::string url =
      s.base_url("CFSIM_CE_BASE_URL", "https://ce.us-east-1.amazonaws.com") + "/";
  http::Auth auth;
  auth.apply = [&s](http::Request& r) {
    r.aws_sigv4 = "aws:amz:us-east-1:ce";
    r.username = s.require_secret("AWS_ACCESS_KEY_ID");
    r.password = s.require_secret("AWS_SECRET_ACCESS_KEY");
    if (const auto token = s.env("AWS_SESSION_TOKEN")) {
      s.add_secret(*token);
      r.headers.push_back("X-Amz-Security-Token: " + *token);
    }
  };

  const std::string stem =
      "ce_" + http::file_stamp(what.start_s) + "_" + http::file_stamp(what.end_s) + "_p";
  std::set<std::string> seen_tokens;
  std::string page_token;
  for (int page = 1;; ++page) {
    nlohmann::json page_body = body;
    if (!page_token.empty())
      page_body["NextPageToken"] = page_token;
    http::Request req;
    req.method = "POST";
    req.url = url;
    req.body = page_body.dump();
    req.headers = {"Content-Type: application/x-amz-json-1.1",
                   "X-Amz-Target: AWSInsightsIndexService.GetCostAndUsage"};
    if (!what.amz_date.empty())
      req.headers.push_back("X-Amz-Date: " + what.amz_date);
    const http::JsonResponse r =
        s.get_json(req, auth, true, http::require_array({"ResultsByTime"}));
    char num[16];
    std::snprintf(num, sizeof num, "%03d", page);
    s.write_output(stem + num + ".json", r.body);
    s.progress("cost-explorer " + format_utc(what.start_s) + " .. " + format_utc(what.end_s) +
               " page " + std::to_string(page) + ": " +
               std::to_string(http::array_size(r.json, {"ResultsByTime"})) + " periods" +
               (r.from_cache ? " (cache)" : ""));
    const auto it = r.json.find("NextPageToken");
    if (it == r.json.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
      break;
    if (!it->is_string())
      throw FetchError(ExitCode::bad_data,
                       "cost-explorer: POST " + url + ": NextPageToken is not a string");
    page_token = it->get<std::string>();
    if (!seen_tokens.insert(page_token).second)
      throw FetchError(ExitCode::bad_data, "cost-explorer: POST " + url + ": NextPageToken '" +
                                               page_token + "' repeats; stopping after page " +
                                               std::to_string(page));
  }
  return s.report();
}

} // namespace cfsim
