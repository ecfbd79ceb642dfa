// The fetchers' HTTP edge: the only file that includes <curl/curl.h>. Every libcurl call goes
// through one checked wrapper below; the Session adds caching, retries and error mapping.
#include "io/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cfsim/io.hpp"

#ifndef CFSIM_VERSION
#define CFSIM_VERSION "unknown"
#endif

namespace cfsim {

std::vector<Interval> split_windows(TimeS start_s, TimeS end_s, TimeS max_window_s) {
  if (!(start_s < end_s))
    throw ConfigError("fetch: the start " + format_utc(start_s) + " must be before the end " +
                      format_utc(end_s));
  if (max_window_s <= 0)
    throw ConfigError("fetch: window length must be > 0 s");
  std::vector<Interval> out;
  for (TimeS a = start_s; a < end_s; a += max_window_s)
    out.push_back({a, std::min(end_s, a + max_window_s)});
  return out;
}

namespace http {
namespace fs = std::filesystem;

namespace {

// --- the libcurl wrapper: each call checked once, failures become FetchError with context ----

void global_init() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK)
    throw FetchError(ExitCode::unavailable,
                     std::string("libcurl: curl_global_init failed: ") + curl_easy_strerror(rc));
}

template <class T> void setopt(CURL* h, CURLoption opt, T value, const char* name) {
  const CURLcode rc = curl_easy_setopt(h, opt, value);
  if (rc != CURLE_OK)
    throw FetchError(ExitCode::unavailable, std::string("libcurl: cannot set ") + name + " (" +
                                                curl_easy_strerror(rc) +
                                                "; the installed libcurl may be too old)");
}

class HeaderList {
public:
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  ~HeaderList() { curl_slist_free_all(list_); }
  void append(const std::string& line) {
    curl_slist* next = curl_slist_append(list_, line.c_str());
    if (!next)
      throw FetchError(ExitCode::unavailable, "libcurl: curl_slist_append failed (out of memory)");
    list_ = next;
  }
  curl_slist* get() const { return list_; }

private:
  curl_slist* list_ = nullptr;
};

extern "C" size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a])))
    ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1])))
    --b;
  return std::string(s.substr(a, b - a));
}

extern "C" size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  const std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear(); // a new response (after `100 Continue`): keep only the final one's
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    headers->emplace_back(std::move(name), trim(line.substr(colon + 1)));
  }
  return size * n;
}

long to_ms(double seconds) {
  return static_cast<long>(std::llround(std::max(0.0, seconds) * 1000.0));
}

bool retryable_status(long s) {
  return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

std::string reason(long s) {
  switch (s) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 408:
    return "Request Timeout";
  case 422:
    return "Unprocessable Entity";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "";
  }
}

std::string status_text(long s) {
  const std::string r = reason(s);
  return "HTTP " + std::to_string(s) + (r.empty() ? "" : " " + r);
}

// The start of a response body for an error message: one line, at most 300 bytes.
std::string snippet(const std::string& body) {
  std::string s = body.substr(0, 300);
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
  s = trim(s);
  if (body.size() > 300)
    s += "...";
  return s;
}

std::string json_type(const nlohmann::json& j) {
  if (j.is_array())
    return "an array";
  if (j.is_string())
    return "a string";
  if (j.is_number())
    return "a number";
  if (j.is_boolean())
    return "a boolean";
  if (j.is_null())
    return "null";
  return "an object";
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", s);
  return buf;
}

std::optional<int> to_int(std::string_view s) {
  if (s.empty() || s.size() > 9)
    return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<unsigned> month_of(std::string_view s) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < 12; ++i)
    if (s == kMonths[i])
      return i + 1;
  return std::nullopt;
}

} // namespace

// --- Client -------------------------------------------------------------------------------------

Client::Client() : handle_(nullptr) {
  global_init();
  handle_ = curl_easy_init();
  if (!handle_)
    throw FetchError(ExitCode::unavailable, "libcurl: curl_easy_init failed");
}

Client::~Client() {
  curl_easy_cleanup(static_cast<CURL*>(handle_));
}

Response Client::perform(const Request& req, const Timeouts& timeouts) {
  CURL* h = static_cast<CURL*>(handle_);
  curl_easy_reset(h); // keeps the connection cache, forgets the previous request's options
  Response resp;
  char error[CURL_ERROR_SIZE] = {0};
  setopt(h, CURLOPT_ERRORBUFFER, error, "CURLOPT_ERRORBUFFER");
  setopt(h, CURLOPT_URL, req.url.c_str(), "CURLOPT_URL");
  setopt(h, CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
  // CURLOPT_NOSIGNAL stays 0: libcurl then ignores SIGPIPE itself during a transfer (a TLS peer
  // closing early must not kill cfsim); Debian's libcurl resolves names in a thread, not with
  // SIGALRM, so timeouts need no signals either.
  setopt(h, CURLOPT_FOLLOWLOCATION, 0L, "CURLOPT_FOLLOWLOCATION");
  setopt(h, CURLOPT_CONNECTTIMEOUT_MS, to_ms(timeouts.connect_s), "CURLOPT_CONNECTTIMEOUT_MS");
  setopt(h, CURLOPT_TIMEOUT_MS, to_ms(timeouts.total_s), "CURLOPT_TIMEOUT_MS");
  setopt(h, CURLOPT_ACCEPT_ENCODING, "", "CURLOPT_ACCEPT_ENCODING");
  setopt(h, CURLOPT_USERAGENT, "cfsim/" CFSIM_VERSION, "CURLOPT_USERAGENT");
  setopt(h, CURLOPT_WRITEFUNCTION, on_body, "CURLOPT_WRITEFUNCTION");
  setopt(h, CURLOPT_WRITEDATA, static_cast<void*>(&resp.body), "CURLOPT_WRITEDATA");
  setopt(h, CURLOPT_HEADERFUNCTION, on_header, "CURLOPT_HEADERFUNCTION");
  setopt(h, CURLOPT_HEADERDATA, static_cast<void*>(&resp.headers), "CURLOPT_HEADERDATA");
  HeaderList headers;
  for (const std::string& line : req.headers)
    headers.append(line);
  if (headers.get())
    setopt(h, CURLOPT_HTTPHEADER, headers.get(), "CURLOPT_HTTPHEADER");
  if (req.method == "POST") {
    setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()),
           "CURLOPT_POSTFIELDSIZE_LARGE");
    setopt(h, CURLOPT_POSTFIELDS, req.body.c_str(), "CURLOPT_POSTFIELDS");
  } else if (req.method != "GET") {
    CFSIM_CHECK(false, "http: unsupported method " + req.method);
  }
  if (!req.aws_sigv4.empty()) {
    setopt(h, CURLOPT_AWS_SIGV4, req.aws_sigv4.c_str(), "CURLOPT_AWS_SIGV4");
    setopt(h, CURLOPT_USERNAME, req.username.c_str(), "CURLOPT_USERNAME");
    setopt(h, CURLOPT_PASSWORD, req.password.c_str(), "CURLOPT_PASSWORD");
  } else if (!req.username.empty()) {
    setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC), "CURLOPT_HTTPAUTH");
    setopt(h, CURLOPT_USERNAME, req.username.c_str(), "CURLOPT_USERNAME");
    setopt(h, CURLOPT_PASSWORD, req.password.c_str(), "CURLOPT_PASSWORD");
  }

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    const std::string detail = error[0] ? std::string(error) : curl_easy_strerror(rc);
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
      throw ConfigError(detail + " (check --base-url)");
    throw TransportError(detail);
  }
  long status = 0;
  if (const CURLcode irc = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status); irc != CURLE_OK)
    throw FetchError(ExitCode::unavailable,
                     std::string("libcurl: cannot read the response code: ") +
                         curl_easy_strerror(irc));
  resp.status = status;
  return resp;
}

std::optional<std::string> Response::header(std::string_view lower_name) const {
  std::optional<std::string> out;
  for (const auto& [name, value] : headers)
    if (name == lower_name)
      out = value;
  return out;
}

// --- helpers ------------------------------------------------------------------------------------

std::optional<double> parse_retry_after(std::string_view value, TimeS now_s) {
  const std::string v = trim(value);
  if (const auto secs = to_int(v))
    return static_cast<double>(*secs);
  // HTTP-date (RFC 9110 §5.6.7): IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", obsolete RFC 850
  // "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994".
  std::vector<std::string> tok;
  std::string cur;
  for (char c : v) {
    if (c == ' ' || c == ',' || c == '-') {
      if (!cur.empty())
        tok.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty())
    tok.push_back(std::move(cur));
  std::string day, mon, year, clock;
  if (tok.size() == 6 && tok[5] == "GMT") {
    day = tok[1], mon = tok[2], year = tok[3], clock = tok[4];
  } else if (tok.size() == 5) {
    mon = tok[1], day = tok[2], clock = tok[3], year = tok[4];
  } else {
    return std::nullopt;
  }
  const auto d = to_int(day);
  const auto m = month_of(mon);
  auto y = to_int(year);
  if (!d || !m || !y || clock.size() != 8 || clock[2] != ':' || clock[5] != ':')
    return std::nullopt;
  if (year.size() == 2)
    *y += *y < 70 ? 2000 : 1900;
  const auto hh = to_int(clock.substr(0, 2)), mm = to_int(clock.substr(3, 2)),
             ss = to_int(clock.substr(6, 2));
  if (!hh || !mm || !ss || *d < 1 || *d > 31 || *hh > 23 || *mm > 59 || *ss > 60)
    return std::nullopt;
  const TimeS t = to_epoch(CivilTime{*y, *m, static_cast<unsigned>(*d), *hh, *mm, *ss});
  return static_cast<double>(std::max<TimeS>(0, t - now_s));
}

double backoff_delay_s(const RetryPolicy& policy, int k, std::mt19937_64& rng) {
  const double cap = std::min(policy.max_delay_s, std::ldexp(policy.base_delay_s, std::min(k, 60)));
  const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53; // [0, 1)
  return std::max(0.0, cap) * u;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty())
      continue;
    for (std::size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 3))
      text.replace(pos, secret.size(), "***");
  }
  return text;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw FetchError(ExitCode::cant_create,
                       "cannot create " + tmp + " (" + std::strerror(errno) + ")");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw FetchError(ExitCode::io_error, "cannot write " + tmp);
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ec2;
    fs::remove(tmp, ec2);
    throw FetchError(ExitCode::cant_create,
                     "cannot rename " + tmp + " to " + path + " (" + ec.message() + ")");
  }
}

std::string iso_seconds(TimeS t) {
  return format_utc(t);
}

std::string iso_minutes(TimeS t) {
  const CivilTime c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02dZ", c.year, c.month, c.day, c.hour,
                c.minute);
  return buf;
}

std::string file_stamp(TimeS t) {
  const CivilTime c = to_civil(t);
  char buf[32];
  if (c.hour == 0 && c.minute == 0 && c.second == 0)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
  else if (c.second == 0)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d%02dZ", c.year, c.month, c.day, c.hour,
                  c.minute);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
  return buf;
}

std::string file_safe(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      c = '_';
  if (out.empty() || out == "." || out == "..")
    out = "_";
  return out;
}

// --- Session ------------------------------------------------------------------------------------

Session::Session(const FetchOptions& opt, std::string source, std::string credential_vars)
    : opt_(opt), source_(std::move(source)), credential_vars_(std::move(credential_vars)),
      rng_(opt.retry.seed) {
  if (opt_.out_dir.empty())
    throw ConfigError(source_ + ": no output folder given");
  if (opt_.retry.max_retries < 0 || !(opt_.retry.base_delay_s >= 0) ||
      !(opt_.retry.max_delay_s >= 0))
    throw ConfigError(source_ + ": retries and retry delays must be ≥ 0");
  if (!(opt_.connect_timeout_s > 0) || !(opt_.timeout_s > 0))
    throw ConfigError(source_ + ": timeouts must be > 0 s");
}

std::optional<std::string> Session::env(const std::string& name) const {
  std::optional<std::string> v;
  if (opt_.getenv) {
    v = opt_.getenv(name);
  } else if (const char* s = std::getenv(name.c_str())) {
    v = std::string(s);
  }
  if (v && v->empty())
    v.reset();
  return v;
}

std::string Session::require_env(const std::string& name) const {
  const auto v = env(name);
  if (!v)
    throw FetchError(ExitCode::config,
                     source_ + ": missing credentials: the environment variable " + name +
                         " is not set (" + source_ + " needs " + credential_vars_ + ")");
  return *v;
}

std::string Session::require_secret(const std::string& name) {
  std::string v = require_env(name);
  add_secret(v);
  return v;
}

void Session::add_secret(std::string secret) {
  if (!secret.empty() && std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end())
    secrets_.push_back(std::move(secret));
}

std::string Session::base_url(const std::string& env_var, const std::string& fallback) const {
  std::string base = opt_.base_url;
  if (base.empty())
    base = env(env_var).value_or(fallback);
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

void Session::fail(ExitCode code, const std::string& what) const {
  throw FetchError(code, redact(source_ + ": " + what, secrets_));
}

void Session::progress(const std::string& line) const {
  const std::string text = redact(line, secrets_);
  if (opt_.progress)
    opt_.progress(text);
  else
    std::cerr << text << "\n" << std::flush;
}

std::string Session::where(const Request& req) const {
  return req.method + " " + req.url;
}

Response Session::send_with_retries(const Request& req) {
  const int max_retries = opt_.retry.max_retries;
  for (int attempt = 0;; ++attempt) {
    std::optional<Response> resp;
    std::string failure;
    ++report_.requests;
    try {
      resp = client_.perform(req, Timeouts{opt_.connect_timeout_s, opt_.timeout_s});
    } catch (const TransportError& e) {
      failure = e.what();
    }
    if (resp && !retryable_status(resp->status) && !(retryable_ && retryable_(*resp)))
      return std::move(*resp);
    const std::string problem = resp ? status_text(resp->status) : failure;
    const std::string attempts =
        std::to_string(attempt + 1) + (attempt == 0 ? " attempt" : " attempts");
    if (attempt >= max_retries) {
      if (resp)
        fail(ExitCode::retry_later, where(req) + ": " + problem + " after " + attempts +
                                        "; try again later" +
                                        (resp->body.empty() ? "" : ": " + snippet(resp->body)));
      fail(ExitCode::unavailable, where(req) + ": " + problem + " (after " + attempts + ")");
    }
    double delay = -1;
    if (resp) {
      if (const auto ra = resp->header("retry-after")) {
        const TimeS now = opt_.now ? opt_.now() : static_cast<TimeS>(std::time(nullptr));
        if (const auto secs = parse_retry_after(*ra, now)) {
          if (*secs > opt_.retry.max_delay_s)
            fail(ExitCode::retry_later,
                 where(req) + ": " + problem + ": the service asks to retry after " +
                     format_seconds(*secs) + " s, more than the retry delay cap of " +
                     format_seconds(opt_.retry.max_delay_s) + " s; try again later");
          delay = *secs;
        }
      }
    }
    if (delay < 0)
      delay = backoff_delay_s(opt_.retry, attempt, rng_);
    progress(source_ + ": " + problem + " from " + req.url + "; retry " +
             std::to_string(attempt + 1) + "/" + std::to_string(max_retries) + " in " +
             format_seconds(delay) + " s");
    if (opt_.sleep)
      opt_.sleep(delay);
    else
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
}

std::string Session::cache_path(const Request& req) const {
  const std::string key = sha256_hex(req.method + "\n" + req.url + "\n" + req.body);
  return (fs::path(opt_.out_dir) / "cache" / (key + ".json")).string();
}

std::optional<JsonResponse> Session::read_cache(const Request& req, const Shape& shape) {
  const std::string path = cache_path(req);
  std::error_code ec;
  if (!fs::exists(path, ec))
    return std::nullopt;
  try {
    const nlohmann::json c = nlohmann::json::parse(read_file(path));
    if (c.at("method") != req.method || c.at("url") != req.url || c.at("request_body") != req.body)
      throw std::runtime_error("it records a different request");
    const long status = c.at("status").get<long>();
    if (status < 200 || status > 299)
      throw std::runtime_error("it records status " + std::to_string(status));
    JsonResponse out;
    out.body = c.at("body").get<std::string>();
    out.json = nlohmann::json::parse(out.body);
    if (shape) {
      if (const std::string bad = shape(out.json); !bad.empty())
        throw std::runtime_error(bad);
    }
    out.from_cache = true;
    return out;
  } catch (const std::exception& e) {
    progress(source_ + ": ignoring the cache file " + path + " (" + e.what() + ")");
    return std::nullopt;
  }
}

void Session::write_cache(const Request& req, const Response& resp) {
  nlohmann::ordered_json headers = nlohmann::ordered_json::array();
  for (const auto& [name, value] : resp.headers)
    if (name != "set-cookie" && name != "authorization")
      headers.push_back({name, value});
  nlohmann::ordered_json c; // request first, then the response, in this order
  c["method"] = req.method;
  c["url"] = req.url;
  c["request_body"] = req.body;
  c["status"] = resp.status;
  c["headers"] = headers;
  c["body"] = resp.body;
  const fs::path dir = fs::path(opt_.out_dir) / "cache";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    fail(ExitCode::cant_create,
         "cannot create the cache folder " + dir.string() + " (" + ec.message() + ")");
  write_file_atomic(cache_path(req), redact(c.dump(1), secrets_));
}

JsonResponse Session::get_json(const Request& req, const Auth& auth, bool cacheable,
                               const Shape& shape) {
  if (cacheable && !opt_.refresh) {
    if (auto hit = read_cache(req, shape)) {
      ++report_.cache_hits;
      return std::move(*hit);
    }
  }
  Request r = req;
  if (auth.apply)
    auth.apply(r);
  Response resp = send_with_retries(r);
  if (resp.status == 401 && auth.renew && auth.renew()) {
    r = req;
    if (auth.apply)
      auth.apply(r);
    resp = send_with_retries(r);
  }

  const long s = resp.status;
  const std::string body_note = resp.body.empty() ? "" : ": " + snippet(resp.body);
  if (s == 401 || s == 403)
    fail(ExitCode::config,
         where(req) + ": " + status_text(s) +
             (credential_vars_.empty()
                  ? ": the service refused access"
                  : ": the service rejected the credentials from " + credential_vars_) +
             body_note);
  if (s >= 300 && s < 400)
    fail(ExitCode::unavailable, where(req) + ": " + status_text(s) + " to " +
                                    resp.header("location").value_or("?") +
                                    " (redirects are not followed; check the base URL)");
  if (s >= 400 && s < 500)
    fail(ExitCode::bad_data,
         where(req) + ": " + status_text(s) + ": the service rejected the request" + body_note);
  if (s < 200 || s > 299)
    fail(ExitCode::unavailable, where(req) + ": " + status_text(s) + body_note);

  JsonResponse out;
  try {
    out.json = nlohmann::json::parse(resp.body);
  } catch (const nlohmann::json::parse_error& e) {
    fail(ExitCode::bad_data, where(req) + ": " + status_text(s) +
                                 " but the response is not valid JSON (" + e.what() + ")");
  }
  if (!out.json.is_object())
    fail(ExitCode::bad_data, where(req) + ": expected a JSON object, got " + json_type(out.json));
  if (shape) {
    if (const std::string bad = shape(out.json); !bad.empty())
      fail(ExitCode::bad_data, where(req) + ": unexpected response: " + bad);
  }
  if (cacheable)
    write_cache(req, resp);
  out.body = std::move(resp.body);
  return out;
}

std::string Session::write_output(const std::string& name, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(opt_.out_dir, ec);
  if (ec)
    fail(ExitCode::cant_create,
         "cannot create the output folder " + opt_.out_dir + " (" + ec.message() + ")");
  const std::string path = (fs::path(opt_.out_dir) / name).string();
  write_file_atomic(path, redact(std::string(bytes), secrets_));
  report_.files.push_back(path);
  return path;
}

Session::Shape require_array(std::vector<std::string> keys) {
  return [keys = std::move(keys)](const nlohmann::json& j) -> std::string {
    for (const std::string& k : keys)
      if (j.contains(k) && j[k].is_array())
        return "";
    std::string names;
    for (const std::string& k : keys)
      names += (names.empty() ? "\"" : " or \"") + k + "\"";
    return "no " + names + " array";
  };
}

std::size_t array_size(const nlohmann::json& j, const std::vector<std::string>& keys) {
  for (const std::string& k : keys)
    if (j.contains(k) && j[k].is_array())
      return j[k].size();
  return 0;
}

} // namespace http
} // namespace cfsim
