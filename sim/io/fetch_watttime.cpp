// WattTime v3 fetcher: log in with HTTP basic auth (GET /login → {"token"}), then read
// /v3/historical with the bearer token in windows of at most 30 days. Tokens expire (30 min),
// so a 401 on a data request logs in again once and repeats that request; a second 401 is a
// credentials error. The login response holds the token: it is never cached or written.
#include <string>

#include "cfsim/fetch.hpp"
#include "io/http.hpp"

namespace cfsim {

FetchReport fetch_watttime(const WattTimeFetch& what, const FetchOptions& opt) {
  if (what.region.empty())
    throw ConfigError("watttime: a region is required (a WattTime region abbreviation, e.g. "
                      "CAISO_NORTH)");
  if (what.signal_type.empty())
    throw ConfigError("watttime: a signal type is required (e.g. co2_moer)");
  const std::vector<Interval> windows =
      split_windows(what.start_s, what.end_s, kWattTimeMaxWindowS);

  http::Session s(opt, "watttime", "WATTTIME_USERNAME and WATTTIME_PASSWORD");
  const std::string base = s.base_url("CFSIM_WATTTIME_BASE_URL", "https://api.watttime.org");
  std::string token;
  const auto login = [&]() {
    http::Request req;
    req.url = base + "/login";
    req.username = s.require_env("WATTTIME_USERNAME"); // an identifier, not redacted
    req.password = s.require_secret("WATTTIME_PASSWORD");
    const http::JsonResponse r =
        s.get_json(req, {}, /*cacheable=*/false, [](const nlohmann::json& j) -> std::string {
          const auto it = j.find("token");
          return it != j.end() && it->is_string() && !it->get<std::string>().empty()
                     ? ""
                     : "no \"token\" string in the login response";
        });
    token = r.json["token"].get<std::string>();
    s.add_secret(token);
  };
  http::Auth auth;
  auth.apply = [&](http::Request& r) {
    if (token.empty())
      login();
    r.headers.push_back("Authorization: Bearer " + token);
  };
  auth.renew = [&]() {
    s.progress("watttime: HTTP 401 with the current token; logging in again");
    token.clear();
    login();
    return true;
  };

  for (std::size_t i = 0; i < windows.size(); ++i) {
    const Interval& w = windows[i];
    http::Request req;
    req.url = base + "/v3/historical?region=" + http::percent_encode(what.region) +
              "&start=" + http::percent_encode(http::iso_seconds(w.start_s)) +
              "&end=" + http::percent_encode(http::iso_seconds(w.end_s)) +
              "&signal_type=" + http::percent_encode(what.signal_type);
    req.headers.push_back("Accept: application/json");
    const http::JsonResponse r = s.get_json(req, auth, true, http::require_array({"data"}));
    s.write_output("watttime_" + http::file_safe(what.region) + "_" +
                       http::file_safe(what.signal_type) + "_" + http::file_stamp(w.start_s) + "_" +
                       http::file_stamp(w.end_s) + ".json",
                   r.body);
    s.progress("watttime " + what.region + " [" + std::to_string(i + 1) + "/" +
               std::to_string(windows.size()) + "] " + http::iso_seconds(w.start_s) + " .. " +
               http::iso_seconds(w.end_s) + ": " +
               std::to_string(http::array_size(r.json, {"data"})) + " points" +
               (r.from_cache ? " (cache)" : ""));
  }
  return s.report();
}

} // namespace cfsim
