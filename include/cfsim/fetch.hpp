// Live fetchers (DESIGN §4, docs/fetch.md): download grid-carbon and billing data over HTTP
// (libcurl, sim/io/http.cpp) and write the files the importers read (io_carbon.hpp,
// io_cost.hpp). Used by `cfsim fetch` only, never inside a simulation run.
//
// Every response is kept in a raw cache (OUT/cache/<sha256 of method, URL and body>.json with
// status and headers), so a rerun with the same arguments makes no request. Secrets come only
// from environment variables and never reach an output file, the cache, progress or an error.
// Errors are FetchError with the exit code DESIGN §11 assigns:
//   78 credentials missing or rejected (401/403), naming the environment variables;
//   65 the service rejected the request (other 4xx) or answered something that is not JSON;
//   75 still 408/429/5xx after the retries (try again later);
//   69 connection refused, DNS failure, timeout, TLS failure (after the retries), redirects;
//   73/74 the output folder or a file cannot be created or written.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/time.hpp"

namespace cfsim {

// A fetch failure (network, service, credentials, output files); see the header comment.
class FetchError : public Error {
public:
  FetchError(ExitCode code, const std::string& what) : Error(code, what) {}
};

// Retries on 408/429/500/502/503/504 and on connection errors. Before retry k (0-based) the
// fetcher waits the response's Retry-After when it has one, otherwise a full-jitter back-off:
// uniform in [0, min(max_delay_s, base_delay_s · 2^k)], drawn from a std::mt19937_64 seeded
// with `seed` (same seed ⇒ same delays). A Retry-After above max_delay_s is not waited for:
// the fetch stops with exit 75 and says when to come back.
struct RetryPolicy {
  int max_retries = 5;       // retries after the first attempt; 0 = a single attempt
  double base_delay_s = 1.0; // seconds
  double max_delay_s = 60.0; // seconds; caps one back-off and an honoured Retry-After
  std::uint64_t seed = 1;
};

struct FetchOptions {
  std::string out_dir;           // importer input files; the raw cache goes to out_dir/cache
  std::string base_url;          // empty: the source's CFSIM_*_BASE_URL variable, else its URL
  bool refresh = false;          // ignore cached responses (and replace them)
  double connect_timeout_s = 10; // seconds to establish a connection
  double timeout_s = 120;        // seconds for a whole request (connect + transfer)
  RetryPolicy retry;
  // Injectable for tests; empty members use the real thing.
  std::function<void(double seconds)> sleep;                                 // this_thread
  std::function<std::optional<std::string>(const std::string& name)> getenv; // std::getenv
  std::function<void(const std::string& line)> progress;                     // stderr lines
  std::function<TimeS()> now;                                                // system clock
};

struct FetchReport {
  std::vector<std::string> files; // importer input files written, in request order
  int requests = 0;               // HTTP requests sent (logins and retries included)
  int cache_hits = 0;             // responses taken from OUT/cache without a request
};

// Consecutive half-open windows [a, b) of at most max_window_s covering [start_s, end_s).
// ConfigError unless start_s < end_s and max_window_s > 0.
std::vector<Interval> split_windows(TimeS start_s, TimeS end_s, TimeS max_window_s);

// Electricity Maps API v3 hourly history: GET BASE/v3/carbon-intensity/past-range?zone=&start=
// &end=[&emissionFactorType=] with header `auth-token` from ELECTRICITYMAPS_TOKEN, in windows of
// at most 10 days. Files: OUT/em_<zone>_<start>_<end>.json (parse_em_api_json reads them).
// Default BASE https://api.electricitymap.org, or CFSIM_EM_BASE_URL.
inline constexpr TimeS kEmMaxWindowS = 10 * 86400;
struct EmFetch {
  std::string zone; // e.g. "DE"
  TimeS start_s = 0;
  TimeS end_s = 0;                  // exclusive
  std::string emission_factor_type; // "", "lifecycle" or "direct" (empty: the API's default)
};
FetchReport fetch_electricity_maps(const EmFetch& what, const FetchOptions& opt);

// WattTime v3: GET BASE/login with HTTP basic auth (WATTTIME_USERNAME, WATTTIME_PASSWORD) →
// {"token"}; then GET BASE/v3/historical?region=&start=&end=&signal_type= with the bearer token,
// in windows of at most 30 days; on 401 it logs in again once and repeats the request.
// Files: OUT/watttime_<region>_<signal>_<start>_<end>.json (parse_watttime_historical_json).
// Default BASE https://api.watttime.org, or CFSIM_WATTTIME_BASE_URL.
inline constexpr TimeS kWattTimeMaxWindowS = 30 * 86400;
struct WattTimeFetch {
  std::string region; // e.g. "CAISO_NORTH"
  TimeS start_s = 0;
  TimeS end_s = 0; // exclusive
  std::string signal_type = "co2_moer";
};
FetchReport fetch_watttime(const WattTimeFetch& what, const FetchOptions& opt);

// UK Carbon Intensity (no authentication): GET BASE/intensity/{from}/{to}, windows of at most
// 14 days. Files: OUT/uk_ci_<start>_<end>.json (parse_uk_ci_json).
// Default BASE https://api.carbonintensity.org.uk, or CFSIM_UK_CI_BASE_URL.
inline constexpr TimeS kUkCiMaxWindowS = 14 * 86400;
struct UkCiFetch {
  TimeS start_s = 0;
  TimeS end_s = 0; // exclusive
};
FetchReport fetch_uk_ci(const UkCiFetch& what, const FetchOptions& opt);

// AWS Cost Explorer GetCostAndUsage: POST BASE with a JSON body, X-Amz-Target
// AWSInsightsIndexService.GetCostAndUsage, SigV4 ("aws:amz:us-east-1:ce") from
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ X-Amz-Security-Token from AWS_SESSION_TOKEN),
// following NextPageToken through every page. Files: OUT/ce_<start>_<end>_p001.json, p002, ...
// in page order (load_cost_explorer_json reads the list).
// Default BASE https://ce.us-east-1.amazonaws.com/, or CFSIM_CE_BASE_URL.
struct CostExplorerFetch {
  TimeS start_s = 0;
  TimeS end_s = 0;                    // exclusive
  std::string granularity = "HOURLY"; // HOURLY, DAILY or MONTHLY
  std::vector<std::string> metrics = {"UnblendedCost", "UsageQuantity"};
  // (type, key), at most two: type DIMENSION, TAG or COST_CATEGORY, e.g. (DIMENSION, SERVICE).
  std::vector<std::pair<std::string, std::string>> group_by;
  std::string filter_json; // a Cost Explorer `Expression` object, sent as given; empty: none
  // A fixed X-Amz-Date (YYYYMMDDTHHMMSSZ) so a signature can be reproduced (tests only); empty:
  // libcurl signs with the current time. With a fixed date libcurl 7.88 sends the header twice
  // (same value); AWS may refuse that, so never set it against the real service.
  std::string amz_date;
};
FetchReport fetch_cost_explorer(const CostExplorerFetch& what, const FetchOptions& opt);

} // namespace cfsim
