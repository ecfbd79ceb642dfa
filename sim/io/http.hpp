// The HTTP edge of the fetchers (sim/io/fetch_*.cpp). http.cpp is the only file that includes
// <curl/curl.h>: every libcurl call is checked once there and a failure becomes a FetchError
// with context (STYLE.md, "the HDF5 boundary"). Above the transport, a Session adds what every
// fetcher needs: the raw response cache, retries with seeded full-jitter back-off and
// Retry-After, the mapping of HTTP statuses to exit codes, secret redaction, output files
// written through tmp + rename, and progress lines.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cfsim/fetch.hpp"

namespace cfsim::http {

struct Request {
  std::string method = "GET"; // GET or POST
  std::string url;
  std::vector<std::string> headers; // "Name: value"; may carry secrets (never logged)
  std::string body;                 // POST body, sent with CURLOPT_POSTFIELDS
  // HTTP basic auth (CURLOPT_USERNAME/PASSWORD); with aws_sigv4 the access key id and secret.
  std::string username, password;
  std::string aws_sigv4; // CURLOPT_AWS_SIGV4 provider string, e.g. "aws:amz:us-east-1:ce"
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased, in order
  std::string body;
  // The value of the last header with this (lower-case) name, if any.
  std::optional<std::string> header(std::string_view lower_name) const;
};

struct Timeouts {
  double connect_s = 10;
  double total_s = 120;
};

// No HTTP status arrived: connection refused, DNS failure, timeout, TLS error. Exit 69.
class TransportError : public FetchError {
public:
  explicit TransportError(const std::string& what) : FetchError(ExitCode::unavailable, what) {}
};

// One libcurl easy handle, reused so that connections stay open between requests. Redirects are
// not followed (a custom auth header must not travel to another host); only http and https.
class Client {
public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request and returns whatever status came back; TransportError if none did.
  Response perform(const Request& req, const Timeouts& timeouts);

private:
  void* handle_; // CURL*, opaque so that no other file needs <curl/curl.h>
};

// Retry-After as delay seconds: "120" or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT", also
// the obsolete RFC 850 and asctime forms) relative to now_s, never negative. nullopt if neither.
std::optional<double> parse_retry_after(std::string_view value, TimeS now_s);

// Full-jitter back-off before retry `k` (0-based): uniform in [0, min(max, base · 2^k)] from
// the top 53 bits of one draw (the project's own distribution, DESIGN §2).
double backoff_delay_s(const RetryPolicy& policy, int k, std::mt19937_64& rng);

// Percent-encodes everything but RFC 3986 unreserved characters and ':' (query values).
std::string percent_encode(std::string_view s);

// Replaces every occurrence of each non-empty secret with "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);

// Writes bytes to `path` through `path.tmp` and a rename; FetchError 73/74 on failure.
void write_file_atomic(const std::string& path, std::string_view bytes);

// Times in request parameters and file names.
std::string iso_seconds(TimeS t); // 2024-09-01T00:00:00Z
std::string iso_minutes(TimeS t); // 2024-09-01T00:00Z
std::string file_stamp(TimeS t);  // 2024-09-01, or 2024-09-01T0130Z when not at midnight
// Keeps [A-Za-z0-9._-] of a zone or region name for a file name, others become '_'.
std::string file_safe(std::string_view name);

// A JSON response: the raw bytes (what the importers read) and the parsed document.
struct JsonResponse {
  std::string body;
  nlohmann::json json;
  bool from_cache = false;
};

// Credentials for one service, applied only when a request actually goes out (a cache hit needs
// none, so a rerun from the cache works without them).
struct Auth {
  // Adds credentials to a request about to be sent (may log in first).
  std::function<void(Request&)> apply;
  // Called once on a 401 answer: obtain fresh credentials; true = send the request again.
  std::function<bool()> renew;
};

class Session {
public:
  // `source` names the service in progress lines and errors ("em", "watttime", ...);
  // `credential_vars` lists the environment variables that errors about credentials name.
  Session(const FetchOptions& opt, std::string source, std::string credential_vars);

  // Environment lookup through FetchOptions::getenv; an empty value counts as unset.
  std::optional<std::string> env(const std::string& name) const;
  // The value of a required variable; FetchError 78 naming it (and all of the service's
  // credential variables) if unset. require_secret also registers the value for redaction.
  std::string require_env(const std::string& name) const;
  std::string require_secret(const std::string& name);
  // A secret obtained at run time (a bearer token), so it is redacted too.
  void add_secret(std::string secret);
  // FetchOptions::base_url, else the environment variable, else `fallback`; without a
  // trailing '/'.
  std::string base_url(const std::string& env_var, const std::string& fallback) const;
  // A service-specific retryable answer besides 408/429/5xx (Cost Explorer throttles with 400).
  void set_retryable(std::function<bool(const Response&)> f) { retryable_ = std::move(f); }

  // Checks a parsed response's shape: empty if fine, else what is wrong ("no \"data\" array").
  using Shape = std::function<std::string(const nlohmann::json&)>;

  // The cache, then the network (with retries), then the status check, the JSON parse and the
  // shape check. A response enters the cache only if it passes them and `cacheable` (a login
  // never is). The cache key is sha256(method "\n" url "\n" body): credentials are not part of
  // it. Errors name the method and URL, never a secret.
  JsonResponse get_json(const Request& req, const Auth& auth = {}, bool cacheable = true,
                        const Shape& shape = {});

  // Writes an importer input file OUT/name (tmp + rename) and records it in the report. Known
  // secrets are masked, should a service ever echo one.
  std::string write_output(const std::string& name, std::string_view bytes);
  void progress(const std::string& line) const;

  const FetchReport& report() const { return report_; }
  const std::string& source() const { return source_; }

private:
  Response send_with_retries(const Request& req);
  std::string cache_path(const Request& req) const;
  std::optional<JsonResponse> read_cache(const Request& req, const Shape& shape);
  void write_cache(const Request& req, const Response& resp);
  [[noreturn]] void fail(ExitCode code, const std::string& what) const;
  std::string where(const Request& req) const; // "GET URL"

  FetchOptions opt_;
  std::string source_, credential_vars_;
  std::vector<std::string> secrets_;
  std::function<bool(const Response&)> retryable_;
  std::mt19937_64 rng_;
  Client client_;
  FetchReport report_;
};

// A Shape that wants one of `keys` to hold an array (e.g. {"data", "history"}).
Session::Shape require_array(std::vector<std::string> keys);
// The number of elements of the first of `keys` that holds an array (0 if none).
std::size_t array_size(const nlohmann::json& j, const std::vector<std::string>& keys);

} // namespace cfsim::http
