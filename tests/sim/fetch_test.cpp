// Live fetchers (sim/io/fetch_*.cpp, sim/io/http.cpp) against a scripted loopback server
// (tests/fetch/server.py on 127.0.0.1, OS-chosen port, started and stopped by each test): no
// internet. Responses are recorded-shape fixtures in tests/fetch/. Sleeps are injected (the
// back-off delays are recorded, not waited), so the whole suite takes about two seconds.
// Epoch values were computed with `date -u -d '<time>' +%s`.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/fetch.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/io_cost.hpp"
#include "io/http.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using cfsim::FetchOptions;
using cfsim::FetchReport;
using cfsim::TimeS;
using nlohmann::json;

const std::string kFetchDir = std::string(CFSIM_SOURCE_DIR) + "/tests/fetch/";

constexpr TimeS kSep01 = 1725148800; // 2024-09-01T00:00:00Z
constexpr TimeS kSep11 = 1726012800;
constexpr TimeS kSep21 = 1726876800;
constexpr TimeS kSep26 = 1727308800;
constexpr TimeS kOct01 = 1727740800;
constexpr TimeS kOct16 = 1729036800;
constexpr TimeS kDay = 86400;

const std::string kEmToken = "em-secret-token-7f3a9c";
const std::string kWtUser = "cfsim-user";
const std::string kWtPassword = "wt-secret-password-51d2";
const std::string kAwsKeyId = "AKIDCFSIMTEST0001";
const std::string kAwsSecret = "aws-secret-key-b7e4d0c9a1";
const std::string kAwsSession = "aws-session-token-c3f8e2";

std::string slurp(const std::string& path) {
  return cfsim::read_file(path);
}

// A fresh folder for the current test under the build tree.
std::string test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path d = fs::path(CFSIM_BINARY_DIR) / "fetch_test" /
                     (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

// tests/fetch/server.py as a child process: scripted answers, every request logged. Scripts are
// loaded over its stdin, so one process can serve many tests (see shared_server).
class LoopbackServer {
public:
  LoopbackServer() {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    const std::string py = "/usr/bin/python3", server = kFetchDir + "server.py";
    std::vector<char*> argv = {const_cast<char*>(py.c_str()), const_cast<char*>(server.c_str()),
                               nullptr};
    const int rc = posix_spawn(&pid_, py.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    in_fd_ = in[1];
    out_fd_ = out[0];
    if (rc != 0)
      throw std::runtime_error("cannot start " + py + ": " + std::strerror(rc));
    const std::string line = read_line();
    if (line.rfind("PORT ", 0) != 0)
      throw std::runtime_error("unexpected server output: " + line);
    port_ = std::stoi(line.substr(5));
  }
  LoopbackServer(const std::string& dir, const json& routes) : LoopbackServer() {
    load(dir, routes);
  }
  ~LoopbackServer() { stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // New routes and answer counters; requests are logged to dir/server_log.jsonl from now on.
  void load(const std::string& dir, const json& routes) {
    log_ = dir + "/server_log.jsonl";
    std::ofstream(log_, std::ios::trunc).flush();
    const std::string cmd = json{{"routes", routes}, {"log", log_}}.dump() + "\n";
    for (std::size_t done = 0; done < cmd.size();) {
      const ssize_t n = write(in_fd_, cmd.data() + done, cmd.size() - done);
      if (n <= 0)
        throw std::runtime_error("cannot write to the loopback server");
      done += static_cast<std::size_t>(n);
    }
    if (read_line() != "OK")
      throw std::runtime_error("the loopback server did not accept the script");
  }
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    for (int* fd : {&in_fd_, &out_fd_})
      if (*fd >= 0) {
        close(*fd);
        *fd = -1;
      }
  }
  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<json> requests() const {
    std::vector<json> out;
    std::istringstream in(slurp(log_));
    for (std::string line; std::getline(in, line);)
      if (!line.empty())
        out.push_back(json::parse(line));
    return out;
  }

private:
  std::string read_line() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (buffer_.find('\n') == std::string::npos) {
      pollfd p{out_fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0)
        throw std::runtime_error("the loopback server did not answer");
      char buf[256];
      const ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0)
        throw std::runtime_error("the loopback server exited");
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
    const std::size_t nl = buffer_.find('\n');
    std::string line = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    return line;
  }

  std::string log_, buffer_;
  pid_t pid_ = -1;
  int in_fd_ = -1, out_fd_ = -1;
  int port_ = 0;
};

// The server most tests share: starting Python costs 0.1–0.3 s. Tests that stop their server
// (cache, connection refused) start their own.
LoopbackServer& shared_server(const std::string& dir, const json& routes) {
  static LoopbackServer server;
  server.load(dir, routes);
  return server;
}

json route(const std::string& method, const std::string& path, json responses) {
  return {{"method", method}, {"path", path}, {"responses", std::move(responses)}};
}
json file_body(const std::string& name, int status = 200) {
  return {{"status", status}, {"body_file", name}};
}
json text_body(int status, const std::string& body, json headers = json::object()) {
  return {{"status", status}, {"body", body}, {"headers", std::move(headers)}};
}

// A logged request's header (case-insensitive name); every value if it was sent more than once.
std::vector<std::string> header_values(const json& req, const std::string& name) {
  std::vector<std::string> out;
  for (const json& h : req["headers"]) {
    std::string n = h[0].get<std::string>();
    for (char& c : n)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (n == name)
      out.push_back(h[1].get<std::string>());
  }
  return out;
}
std::string header(const json& req, const std::string& name) {
  const auto v = header_values(req, name);
  return v.empty() ? std::string() : v.back();
}

// Fast, deterministic options: injected environment, sleep recorder and progress sink.
struct Harness {
  std::map<std::string, std::string> env;
  std::vector<double> sleeps;
  std::vector<std::string> progress;
  FetchOptions opt;

  Harness(const std::string& out, const std::string& base) {
    opt.out_dir = out;
    opt.base_url = base;
    opt.connect_timeout_s = 2;
    opt.timeout_s = 5;
    opt.retry.max_retries = 3;
    opt.retry.base_delay_s = 0.5;
    opt.retry.max_delay_s = 10;
    opt.retry.seed = 42;
    opt.sleep = [this](double s) { sleeps.push_back(s); };
    opt.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    opt.progress = [this](const std::string& line) { progress.push_back(line); };
  }
};

struct Caught {
  int code = -1; // -1: nothing thrown
  std::string what;
};
Caught catch_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const cfsim::Error& e) {
    return {static_cast<int>(e.code()), e.what()};
  }
  return {};
}

// Every file under `dir` (outputs and cache) must be free of each secret.
::testing::AssertionResult no_secret_in_files(const std::string& dir,
                                              const std::vector<std::string>& secrets) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().rfind("server_", 0) == 0)
      continue; // the server's own log records what was sent, secrets included
    const std::string bytes = slurp(entry.path().string());
    for (const std::string& s : secrets)
      if (bytes.find(s) != std::string::npos)
        return ::testing::AssertionFailure() << entry.path() << " contains the secret " << s;
  }
  return ::testing::AssertionSuccess();
}

std::size_t files_in(const std::string& dir) {
  if (!fs::exists(dir))
    return 0;
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    n += e.is_regular_file() ? 1u : 0u;
  return n;
}

// --- independent SigV4 (OpenSSL HMAC-SHA256, following the AWS SigV4 specification) ----------

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 0xF];
  }
  return s;
}
std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return hex(md, n);
}
std::string hmac(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}
std::string signing_key(const std::string& secret, const std::string& date,
                        const std::string& region, const std::string& service) {
  return hmac(hmac(hmac(hmac("AWS4" + secret, date), region), service), "aws4_request");
}
std::string base64(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// ------------------------------------------------------------------------------------------------
// Pure pieces: windows, Retry-After, back-off

TEST(FetchWindows, TwentyFiveDaysSplitIntoTenDayWindows) {
  // 2024-09-01 .. 2024-09-26 in windows of at most 10 days: [09-01, 09-11), [09-11, 09-21),
  // [09-21, 09-26) — two full windows and a 5-day remainder.
  const auto w = cfsim::split_windows(kSep01, kSep26, cfsim::kEmMaxWindowS);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0], (cfsim::Interval{kSep01, kSep11}));
  EXPECT_EQ(w[1], (cfsim::Interval{kSep11, kSep21}));
  EXPECT_EQ(w[2], (cfsim::Interval{kSep21, kSep26}));
  EXPECT_EQ(w[2].duration_s(), 5 * kDay);
  // An exact multiple has no empty tail; a range shorter than a window is one window.
  EXPECT_EQ(cfsim::split_windows(kSep01, kSep21, 10 * kDay).size(), 2u);
  EXPECT_EQ(cfsim::split_windows(kSep01, kSep01 + 1, 10 * kDay).size(), 1u);
  EXPECT_THROW(cfsim::split_windows(kSep01, kSep01, 10 * kDay), cfsim::ConfigError);
  EXPECT_THROW(cfsim::split_windows(kSep11, kSep01, 10 * kDay), cfsim::ConfigError);
}

TEST(FetchRetryAfter, ParsesSecondsAndHttpDates) {
  using cfsim::http::parse_retry_after;
  const TimeS date = 1445412480; // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("7", 0), 7.0);
  EXPECT_EQ(parse_retry_after(" 120 ", 0), 120.0);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date - 30), 30.0);
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", date - 30), 30.0); // RFC 850
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:00 2015", date - 30), 30.0);          // asctime
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", date + 100), 0.0);     // past: now
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("-5", 0));
  EXPECT_FALSE(parse_retry_after("Wed, 32 Oct 2015 07:28:00 GMT", 0));
}

TEST(FetchBackoff, FullJitterIsSeededAndCapped) {
  cfsim::RetryPolicy p;
  p.base_delay_s = 1;
  p.max_delay_s = 5;
  std::mt19937_64 a(7), b(7), c(8);
  bool differs = false;
  for (int k = 0; k < 10; ++k) {
    const double da = cfsim::http::backoff_delay_s(p, k, a);
    EXPECT_GE(da, 0.0);
    EXPECT_LE(da, std::min(5.0, std::ldexp(1.0, k))) << "retry " << k;
    EXPECT_EQ(da, cfsim::http::backoff_delay_s(p, k, b)); // same seed, same delays
    differs = differs || da != cfsim::http::backoff_delay_s(p, k, c);
  }
  EXPECT_TRUE(differs);
}

// ------------------------------------------------------------------------------------------------
// Electricity Maps

TEST(FetchEm, TenDayWindowsWithAuthTokenAndPredictableFiles) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer& server =
      shared_server(dir, json::array({route("GET", "/v3/carbon-intensity/past-range",
                                            {file_body("em_past_range.json")})}));
  Harness h(out, server.base());
  h.env["ELECTRICITYMAPS_TOKEN"] = kEmToken;
  const FetchReport r = cfsim::fetch_electricity_maps({"DE", kSep01, kSep26, ""}, h.opt);

  const std::vector<std::string> names = {"em_DE_2024-09-01_2024-09-11.json",
                                          "em_DE_2024-09-11_2024-09-21.json",
                                          "em_DE_2024-09-21_2024-09-26.json"};
  ASSERT_EQ(r.files.size(), 3u);
  const std::string fixture = slurp(kFetchDir + "em_past_range.json");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.files[i], (fs::path(out) / names[i]).string());
    EXPECT_EQ(slurp(r.files[i]), fixture) << "the importer's input is the response, byte for byte";
  }
  EXPECT_EQ(r.requests, 3);
  EXPECT_EQ(r.cache_hits, 0);

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  const std::vector<std::string> queries = {
      "zone=DE&start=2024-09-01T00:00:00Z&end=2024-09-11T00:00:00Z",
      "zone=DE&start=2024-09-11T00:00:00Z&end=2024-09-21T00:00:00Z",
      "zone=DE&start=2024-09-21T00:00:00Z&end=2024-09-26T00:00:00Z"};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(reqs[i]["method"], "GET");
    EXPECT_EQ(reqs[i]["query"], queries[i]);
    EXPECT_EQ(header(reqs[i], "auth-token"), kEmToken);
  }

  // The raw cache: one file per request, with status and headers; no secret anywhere.
  ASSERT_EQ(files_in(out + "/cache"), 3u);
  for (const auto& e : fs::directory_iterator(out + "/cache")) {
    const json c = json::parse(slurp(e.path().string()));
    EXPECT_EQ(c["status"], 200);
    EXPECT_EQ(c["method"], "GET");
    EXPECT_EQ(c["body"], fixture);
    EXPECT_FALSE(c["headers"].empty());
    EXPECT_EQ(e.path().stem().string(),
              cfsim::sha256_hex("GET\n" + c["url"].get<std::string>() + "\n"));
  }
  EXPECT_TRUE(no_secret_in_files(dir, {kEmToken}));
  ASSERT_EQ(h.progress.size(), 3u); // one line per window
  EXPECT_NE(h.progress[0].find("[1/3]"), std::string::npos) << h.progress[0];
  EXPECT_NE(h.progress[2].find("3 points"), std::string::npos) << h.progress[2];
}

TEST(FetchEm, CacheMakesRerunOffline) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer server(dir, json::array({route("GET", "/v3/carbon-intensity/past-range",
                                                {file_body("em_past_range.json")})}));
  Harness h(out, server.base());
  h.env["ELECTRICITYMAPS_TOKEN"] = kEmToken;
  const cfsim::EmFetch what{"DE", kSep01, kSep26, "lifecycle"};
  const FetchReport first = cfsim::fetch_electricity_maps(what, h.opt);
  EXPECT_EQ(first.requests, 3);
  for (const std::string& f : first.files)
    fs::remove(f);
  server.stop();

  // Server gone and no credentials: every window comes from the cache, no request is made.
  Harness offline(out, server.base());
  const FetchReport again = cfsim::fetch_electricity_maps(what, offline.opt);
  EXPECT_EQ(again.requests, 0);
  EXPECT_EQ(again.cache_hits, 3);
  EXPECT_EQ(again.files, first.files);
  for (const std::string& f : again.files)
    EXPECT_EQ(slurp(f), slurp(kFetchDir + "em_past_range.json"));
  EXPECT_NE(offline.progress[0].find("(cache)"), std::string::npos);

  // --refresh ignores the cache: the stopped server means connection refused → 69.
  offline.env["ELECTRICITYMAPS_TOKEN"] = kEmToken;
  offline.opt.refresh = true;
  offline.opt.retry.max_retries = 1;
  const Caught e = catch_error([&] { cfsim::fetch_electricity_maps(what, offline.opt); });
  EXPECT_EQ(e.code, 69) << e.what;
}

TEST(FetchEm, MissingTokenNamesTheVariable) {
  const std::string dir = test_dir();
  LoopbackServer& server = shared_server(dir, json::array());
  Harness h(dir + "/out", server.base());
  const Caught e = catch_error([&] {
    cfsim::fetch_electricity_maps({"DE", kSep01, kSep11, ""}, h.opt);
  });
  EXPECT_EQ(e.code, 78);
  EXPECT_NE(e.what.find("ELECTRICITYMAPS_TOKEN"), std::string::npos) << e.what;
  EXPECT_TRUE(server.requests().empty());
}

TEST(FetchEm, MalformedJsonNamesTheUrlButNoSecret) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer& server =
      shared_server(dir, json::array({route("GET", "/v3/carbon-intensity/past-range",
                                            {text_body(200, "{\"data\": [{\"zone\": \"DE\",")})}));
  Harness h(out, server.base());
  h.env["ELECTRICITYMAPS_TOKEN"] = kEmToken;
  const Caught e = catch_error([&] {
    cfsim::fetch_electricity_maps({"DE", kSep01, kSep11, ""}, h.opt);
  });
  EXPECT_EQ(e.code, 65);
  EXPECT_NE(e.what.find("GET " + server.base() +
                        "/v3/carbon-intensity/past-range?zone=DE&start=2024-09-01T00:00:00Z"),
            std::string::npos)
      << e.what;
  EXPECT_NE(e.what.find("not valid JSON"), std::string::npos) << e.what;
  EXPECT_EQ(e.what.find(kEmToken), std::string::npos) << e.what;
  EXPECT_EQ(files_in(out), 0u);            // no importer input written
  EXPECT_EQ(files_in(out + "/cache"), 0u); // and nothing cached
}

TEST(FetchEm, UncreatableOutputFolderExit73) {
  const std::string dir = test_dir();
  std::ofstream(dir + "/blocker") << "a file where the output folder's parent should be";
  LoopbackServer& server =
      shared_server(dir, json::array({route("GET", "/v3/carbon-intensity/past-range",
                                            {file_body("em_past_range.json")})}));
  Harness h(dir + "/blocker/out", server.base());
  h.env["ELECTRICITYMAPS_TOKEN"] = kEmToken;
  const Caught e = catch_error([&] {
    cfsim::fetch_electricity_maps({"DE", kSep01, kSep11, ""}, h.opt);
  });
  EXPECT_EQ(e.code, 73);
  EXPECT_NE(e.what.find("blocker/out"), std::string::npos) << e.what;
}

// ------------------------------------------------------------------------------------------------
// Retries, Retry-After, timeouts (through the UK Carbon Intensity fetcher: no credentials)

TEST(FetchRetry, RetryAfterSecondsIsHonoured) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z",
                              {text_body(429, "{\"error\": \"slow down\"}", {{"Retry-After", "7"}}),
                               file_body("uk_ci_intensity.json")})}));
  Harness h(out, server.base());
  const FetchReport r = cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt);
  EXPECT_EQ(h.sleeps, std::vector<double>({7.0})); // the stated delay, not a back-off draw
  EXPECT_EQ(r.requests, 2);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(slurp(r.files[0]), slurp(kFetchDir + "uk_ci_intensity.json"));
}

TEST(FetchRetry, RetryAfterHttpDateIsHonoured) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer& server = shared_server(
      dir,
      json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z",
                         {text_body(503, "", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}),
                          file_body("uk_ci_intensity.json")})}));
  Harness h(out, server.base());
  h.opt.now = [] { return TimeS{1445412480 - 4}; }; // 4 s before the stated date
  cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt);
  EXPECT_EQ(h.sleeps, std::vector<double>({4.0}));

  // A Retry-After beyond the delay cap is not waited for: exit 75 at once, saying when.
  const std::string dir2 = dir + "/long";
  fs::create_directories(dir2);
  LoopbackServer& busy = shared_server(
      dir2, json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z",
                               {text_body(429, "", {{"Retry-After", "3600"}})})}));
  Harness h2(dir2 + "/out", busy.base());
  const Caught e = catch_error([&] { cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h2.opt); });
  EXPECT_EQ(e.code, 75);
  EXPECT_NE(e.what.find("retry after 3.6e+03 s"), std::string::npos) << e.what;
  EXPECT_TRUE(h2.sleeps.empty());
}

TEST(FetchRetry, ServerErrorThenSuccessWithSeededJitter) {
  const std::string dir = test_dir();
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z",
                              {text_body(500, "oops"), file_body("uk_ci_intensity.json")})}));
  Harness h(dir + "/out", server.base());
  const FetchReport r = cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt);
  EXPECT_EQ(r.requests, 2);
  EXPECT_EQ(r.files.size(), 1u);
  ASSERT_EQ(h.sleeps.size(), 1u);
  // Full jitter before retry 0: uniform in [0, base]; the first draw of mt19937_64(seed).
  std::mt19937_64 rng(h.opt.retry.seed);
  EXPECT_EQ(h.sleeps[0], cfsim::http::backoff_delay_s(h.opt.retry, 0, rng));
  EXPECT_GE(h.sleeps[0], 0.0);
  EXPECT_LE(h.sleeps[0], h.opt.retry.base_delay_s);
  EXPECT_NE(h.progress[0].find("HTTP 500"), std::string::npos) << h.progress[0];
}

TEST(FetchRetry, ExhaustedRetriesExit75) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer& server =
      shared_server(dir, json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z",
                                            {text_body(503, "maintenance")})}));
  Harness h(out, server.base());
  const Caught e = catch_error([&] { cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt); });
  EXPECT_EQ(e.code, 75);
  EXPECT_NE(e.what.find("HTTP 503 Service Unavailable after 4 attempts"), std::string::npos)
      << e.what;
  EXPECT_EQ(server.requests().size(), 4u); // 1 + max_retries
  ASSERT_EQ(h.sleeps.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_LE(h.sleeps[k], std::min(h.opt.retry.max_delay_s, 0.5 * std::ldexp(1.0, int(k))));
  EXPECT_EQ(files_in(out + "/cache"), 0u);
}

TEST(FetchRetry, ConnectionRefusedExit69) {
  const std::string dir = test_dir();
  std::string base;
  {
    LoopbackServer gone(dir, json::array());
    base = gone.base(); // a port that nothing listens on once the server is stopped
  }
  Harness h(dir + "/out", base);
  h.opt.retry.max_retries = 2;
  const Caught e = catch_error([&] { cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt); });
  EXPECT_EQ(e.code, 69);
  EXPECT_NE(e.what.find("after 3 attempts"), std::string::npos) << e.what;
  EXPECT_EQ(h.sleeps.size(), 2u);
}

TEST(FetchRetry, SlowResponseHitsTheTimeout) {
  const std::string dir = test_dir();
  json slow = file_body("uk_ci_intensity.json");
  slow["delay_s"] = 3;
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z", {slow})}));
  Harness h(dir + "/out", server.base());
  h.opt.timeout_s = 0.3;
  h.opt.retry.max_retries = 1;
  const auto t0 = std::chrono::steady_clock::now();
  const Caught e = catch_error([&] { cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt); });
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(e.code, 69);
  EXPECT_NE(e.what.find("timed out"), std::string::npos) << e.what;
  EXPECT_LT(elapsed, 2.0);
  EXPECT_EQ(server.requests().size(), 2u);
}

// ------------------------------------------------------------------------------------------------
// WattTime

TEST(FetchWattTime, LoginWithBasicAuthThenBearerInThirtyDayWindows) {
  const std::string dir = test_dir(), out = dir + "/out";
  const std::string token = "wt-bearer-token-0a1b2c";
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/login", {{{"status", 200}, {"json", {{"token", token}}}}}),
                        route("GET", "/v3/historical", {file_body("watttime_historical.json")})}));
  Harness h(out, server.base());
  h.env["WATTTIME_USERNAME"] = kWtUser;
  h.env["WATTTIME_PASSWORD"] = kWtPassword;
  // 45 days: [09-01, 10-01) and [10-01, 10-16).
  const FetchReport r = cfsim::fetch_watttime({"CAISO_NORTH", kSep01, kOct16, "co2_moer"}, h.opt);

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u); // one login, two windows
  EXPECT_EQ(reqs[0]["path"], "/login");
  EXPECT_EQ(header(reqs[0], "authorization"), "Basic " + base64(kWtUser + ":" + kWtPassword));
  EXPECT_EQ(reqs[1]["query"], "region=CAISO_NORTH&start=2024-09-01T00:00:00Z&end=2024-10-01T00:00:"
                              "00Z&signal_type=co2_moer");
  EXPECT_EQ(reqs[2]["query"], "region=CAISO_NORTH&start=2024-10-01T00:00:00Z&end=2024-10-16T00:00:"
                              "00Z&signal_type=co2_moer");
  for (std::size_t i = 1; i < 3; ++i)
    EXPECT_EQ(header(reqs[i], "authorization"), "Bearer " + token);

  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0], out + "/watttime_CAISO_NORTH_co2_moer_2024-09-01_2024-10-01.json");
  EXPECT_EQ(r.files[1], out + "/watttime_CAISO_NORTH_co2_moer_2024-10-01_2024-10-16.json");
  EXPECT_EQ(slurp(r.files[1]), slurp(kFetchDir + "watttime_historical.json"));
  EXPECT_EQ(files_in(out + "/cache"), 2u); // the login (it holds the token) is never cached
  EXPECT_TRUE(no_secret_in_files(dir, {kWtPassword, token}));
  for (const std::string& line : h.progress)
    EXPECT_EQ(line.find(token), std::string::npos) << line;
}

TEST(FetchWattTime, LogsInAgainOnceOn401) {
  const std::string dir = test_dir();
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/login",
                              {{{"status", 200}, {"json", {{"token", "tok-expired-111"}}}},
                               {{"status", 200}, {"json", {{"token", "tok-fresh-222"}}}}}),
                        route("GET", "/v3/historical",
                              {text_body(401, "{\"error\": \"token expired\"}"),
                               file_body("watttime_historical.json")})}));
  Harness h(dir + "/out", server.base());
  h.env["WATTTIME_USERNAME"] = kWtUser;
  h.env["WATTTIME_PASSWORD"] = kWtPassword;
  const FetchReport r = cfsim::fetch_watttime({"CAISO_NORTH", kSep01, kSep11, "co2_moer"}, h.opt);
  EXPECT_EQ(r.files.size(), 1u);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[0]["path"], "/login");
  EXPECT_EQ(header(reqs[1], "authorization"), "Bearer tok-expired-111");
  EXPECT_EQ(reqs[2]["path"], "/login");
  EXPECT_EQ(header(reqs[3], "authorization"), "Bearer tok-fresh-222");
  EXPECT_TRUE(h.sleeps.empty()); // a 401 is not a retry with back-off
}

TEST(FetchWattTime, PersistentUnauthorizedIsAConfigError) {
  const std::string dir = test_dir();
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/login",
                              {{{"status", 200}, {"json", {{"token", "tok-never-works-333"}}}}}),
                        route("GET", "/v3/historical", {text_body(401, "")})}));
  Harness h(dir + "/out", server.base());
  h.env["WATTTIME_USERNAME"] = kWtUser;
  h.env["WATTTIME_PASSWORD"] = kWtPassword;
  const Caught e = catch_error([&] {
    cfsim::fetch_watttime({"CAISO_NORTH", kSep01, kSep11, "co2_moer"}, h.opt);
  });
  EXPECT_EQ(e.code, 78);
  EXPECT_NE(e.what.find("WATTTIME_USERNAME and WATTTIME_PASSWORD"), std::string::npos) << e.what;
  EXPECT_EQ(e.what.find(kWtPassword), std::string::npos) << e.what;
  EXPECT_EQ(e.what.find("tok-never-works-333"), std::string::npos) << e.what;
  EXPECT_EQ(server.requests().size(), 4u); // login, 401, login once more, 401: then stop

  // A rejected login is the same error, after a single attempt.
  const std::string dir2 = dir + "/badlogin";
  fs::create_directories(dir2);
  LoopbackServer& refusing =
      shared_server(dir2, json::array({route("GET", "/login", {text_body(403, "")})}));
  Harness h2(dir2 + "/out", refusing.base());
  h2.env = h.env;
  const Caught e2 = catch_error([&] {
    cfsim::fetch_watttime({"CAISO_NORTH", kSep01, kSep11, "co2_moer"}, h2.opt);
  });
  EXPECT_EQ(e2.code, 78);
  EXPECT_EQ(refusing.requests().size(), 1u);
}

// ------------------------------------------------------------------------------------------------
// UK Carbon Intensity

TEST(FetchUkCi, FourteenDayWindowsWithoutCredentials) {
  const std::string dir = test_dir(), out = dir + "/out";
  const json ok = json::array({file_body("uk_ci_intensity.json")});
  LoopbackServer& server = shared_server(
      dir, json::array({route("GET", "/intensity/2024-09-01T00:00Z/2024-09-15T00:00Z", ok),
                        route("GET", "/intensity/2024-09-15T00:00Z/2024-09-29T00:00Z", ok),
                        route("GET", "/intensity/2024-09-29T00:00Z/2024-10-01T00:00Z", ok)}));
  Harness h(out, server.base());
  const FetchReport r = cfsim::fetch_uk_ci({kSep01, kOct01}, h.opt); // 30 days: 14 + 14 + 2
  ASSERT_EQ(r.files.size(), 3u);
  EXPECT_EQ(r.files[0], out + "/uk_ci_2024-09-01_2024-09-15.json");
  EXPECT_EQ(r.files[1], out + "/uk_ci_2024-09-15_2024-09-29.json");
  EXPECT_EQ(r.files[2], out + "/uk_ci_2024-09-29_2024-10-01.json");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  for (const json& q : reqs) {
    EXPECT_TRUE(header(q, "authorization").empty());
    EXPECT_TRUE(header(q, "auth-token").empty());
  }
}

// ------------------------------------------------------------------------------------------------
// AWS Cost Explorer

TEST(FetchCostExplorer, FollowsNextPageTokenAcrossThreePages) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer server(dir,
                        json::array({route("POST", "/",
                                           {file_body("ce_page1.json"), file_body("ce_page2.json"),
                                            file_body("ce_page3.json")})}));
  Harness h(out, server.base());
  h.env["AWS_ACCESS_KEY_ID"] = kAwsKeyId;
  h.env["AWS_SECRET_ACCESS_KEY"] = kAwsSecret;
  h.env["AWS_SESSION_TOKEN"] = kAwsSession;
  cfsim::CostExplorerFetch what;
  what.start_s = kSep01;
  what.end_s = kSep01 + kDay;
  what.group_by = {{"DIMENSION", "INSTANCE_TYPE"}};
  const FetchReport r = cfsim::fetch_cost_explorer(what, h.opt);

  ASSERT_EQ(r.files.size(), 3u);
  for (int p = 1; p <= 3; ++p) {
    EXPECT_EQ(r.files[std::size_t(p - 1)],
              out + "/ce_2024-09-01_2024-09-02_p00" + std::to_string(p) + ".json");
    EXPECT_EQ(slurp(r.files[std::size_t(p - 1)]),
              slurp(kFetchDir + "ce_page" + std::to_string(p) + ".json"));
  }
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  const std::vector<std::string> tokens = {"", "token-page-2", "token-page-3"};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(reqs[i]["method"], "POST");
    EXPECT_EQ(header(reqs[i], "x-amz-target"), "AWSInsightsIndexService.GetCostAndUsage");
    EXPECT_EQ(header(reqs[i], "content-type"), "application/x-amz-json-1.1");
    EXPECT_EQ(header(reqs[i], "x-amz-security-token"), kAwsSession);
    const std::string auth = header(reqs[i], "authorization");
    EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=" + kAwsKeyId + "/", 0), 0u) << auth;
    EXPECT_NE(auth.find("/us-east-1/ce/aws4_request"), std::string::npos) << auth;
    EXPECT_NE(auth.find("x-amz-security-token"), std::string::npos) << auth;
    const json body = json::parse(reqs[i]["body"].get<std::string>());
    EXPECT_EQ(body["TimePeriod"]["Start"], "2024-09-01T00:00:00Z");
    EXPECT_EQ(body["TimePeriod"]["End"], "2024-09-02T00:00:00Z");
    EXPECT_EQ(body["Granularity"], "HOURLY");
    EXPECT_EQ(body["Metrics"], json({"UnblendedCost", "UsageQuantity"}));
    EXPECT_EQ(body["GroupBy"], json::parse(R"([{"Type":"DIMENSION","Key":"INSTANCE_TYPE"}])"));
    EXPECT_EQ(body.value("NextPageToken", ""), tokens[i]);
  }
  EXPECT_TRUE(no_secret_in_files(dir, {kAwsSecret, kAwsSession}));

  // Offline rerun: the page chain is followed through the cache.
  server.stop();
  Harness offline(out, server.base());
  const FetchReport again = cfsim::fetch_cost_explorer(what, offline.opt);
  EXPECT_EQ(again.requests, 0);
  EXPECT_EQ(again.cache_hits, 3);
  EXPECT_EQ(again.files, r.files);
}

TEST(FetchCostExplorer, SigV4SignatureMatchesIndependentComputation) {
  const std::string key_id = "AKIDEXAMPLE", secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  // The independent signer first reproduces AWS's documented signing-key derivation example
  // (secret above, 20120215, us-east-1, iam).
  const std::string k = signing_key(secret, "20120215", "us-east-1", "iam");
  ASSERT_EQ(hex(reinterpret_cast<const unsigned char*>(k.data()), k.size()),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");

  const std::string dir = test_dir();
  LoopbackServer& server =
      shared_server(dir, json::array({route("POST", "/", {file_body("ce_page3.json")})}));
  Harness h(dir + "/out", server.base());
  h.env["AWS_ACCESS_KEY_ID"] = key_id;
  h.env["AWS_SECRET_ACCESS_KEY"] = secret;
  cfsim::CostExplorerFetch what;
  what.start_s = kSep01;
  what.end_s = kSep01 + kDay;
  what.amz_date = "20150830T123600Z"; // libcurl 7.88 signs with a given X-Amz-Date
  cfsim::fetch_cost_explorer(what, h.opt);

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const json& q = reqs[0];
  const std::string date = "20150830T123600Z", day = "20150830";
  // Canonical request (SigV4): method, URI, query, sorted lower-case headers, signed header
  // list, hex sha256 of the payload.
  const std::string canonical = "POST\n/\n\n"
                                "content-type:application/x-amz-json-1.1\n"
                                "host:" +
                                header(q, "host") +
                                "\n"
                                "x-amz-date:" +
                                date +
                                "\n"
                                "x-amz-target:AWSInsightsIndexService.GetCostAndUsage\n\n"
                                "content-type;host;x-amz-date;x-amz-target\n" +
                                sha256_hex(q["body"].get<std::string>());
  const std::string scope = day + "/us-east-1/ce/aws4_request";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256_hex(canonical);
  const std::string sig = hmac(signing_key(secret, day, "us-east-1", "ce"), to_sign);
  const std::string expected = "AWS4-HMAC-SHA256 Credential=" + key_id + "/" + scope +
                               ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                               "Signature=" +
                               hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
  EXPECT_EQ(header(q, "host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(header(q, "authorization"), expected);
}

TEST(FetchCostExplorer, MissingCredentialsNameTheVariables) {
  const std::string dir = test_dir();
  LoopbackServer& server = shared_server(dir, json::array());
  Harness h(dir + "/out", server.base());
  h.env["AWS_ACCESS_KEY_ID"] = kAwsKeyId;
  cfsim::CostExplorerFetch what;
  what.start_s = kSep01;
  what.end_s = kSep01 + kDay;
  const Caught e = catch_error([&] { cfsim::fetch_cost_explorer(what, h.opt); });
  EXPECT_EQ(e.code, 78);
  EXPECT_NE(e.what.find("AWS_SECRET_ACCESS_KEY is not set"), std::string::npos) << e.what;
  EXPECT_NE(e.what.find("AWS_ACCESS_KEY_ID"), std::string::npos) << e.what;
  EXPECT_TRUE(server.requests().empty());

  what.metrics = {"UnblendedCost", "Dollars"};
  const Caught bad = catch_error([&] { cfsim::fetch_cost_explorer(what, h.opt); });
  EXPECT_EQ(bad.code, 78);
  EXPECT_NE(bad.what.find("unknown metric 'Dollars' (allowed: AmortizedCost"), std::string::npos)
      << bad.what;
}

TEST(FetchCostExplorer, ThrottlingIsRetriedValidationErrorIsBadData) {
  const std::string dir = test_dir();
  LoopbackServer& server = shared_server(
      dir, json::array({route(
               "POST", "/",
               {text_body(400, R"({"__type":"LimitExceededException","Message":"Rate exceeded"})"),
                file_body("ce_page3.json"),
                text_body(400, R"({"__type":"ValidationException","Message":"bad range"})")})}));
  Harness h(dir + "/out", server.base());
  h.env["AWS_ACCESS_KEY_ID"] = kAwsKeyId;
  h.env["AWS_SECRET_ACCESS_KEY"] = kAwsSecret;
  cfsim::CostExplorerFetch what;
  what.start_s = kSep01;
  what.end_s = kSep01 + kDay;
  const FetchReport r = cfsim::fetch_cost_explorer(what, h.opt);
  EXPECT_EQ(r.files.size(), 1u);
  EXPECT_EQ(h.sleeps.size(), 1u);

  what.end_s = kSep01 + 2 * kDay; // a different request: not cached
  const Caught e = catch_error([&] { cfsim::fetch_cost_explorer(what, h.opt); });
  EXPECT_EQ(e.code, 65);
  EXPECT_NE(e.what.find("HTTP 400 Bad Request: the service rejected the request"),
            std::string::npos)
      << e.what;
  EXPECT_NE(e.what.find("bad range"), std::string::npos) << e.what;
  EXPECT_EQ(e.what.find(kAwsSecret), std::string::npos) << e.what;
}

// ------------------------------------------------------------------------------------------------
// What the fetchers write is what the importers read

TEST(FetchImporters, FetchedFilesAreImporterInputs) {
  const std::string dir = test_dir(), out = dir + "/out";
  LoopbackServer& server = shared_server(
      dir, json::array(
               {route("GET", "/v3/carbon-intensity/past-range", {file_body("em_past_range.json")}),
                route("GET", "/login", {{{"status", 200}, {"json", {{"token", "t-444"}}}}}),
                route("GET", "/v3/historical", {file_body("watttime_historical.json")}),
                route("GET", "/intensity/2024-09-01T00:00Z/2024-09-02T00:00Z",
                      {file_body("uk_ci_intensity.json")}),
                route("POST", "/",
                      {file_body("ce_page1.json"), file_body("ce_page2.json"),
                       file_body("ce_page3.json")})}));
  Harness h(out, server.base());
  h.env = {{"ELECTRICITYMAPS_TOKEN", kEmToken},
           {"WATTTIME_USERNAME", kWtUser},
           {"WATTTIME_PASSWORD", kWtPassword},
           {"AWS_ACCESS_KEY_ID", kAwsKeyId},
           {"AWS_SECRET_ACCESS_KEY", kAwsSecret}};
  const auto em = cfsim::fetch_electricity_maps({"DE", kSep01, kSep01 + kDay, ""}, h.opt);
  EXPECT_EQ(cfsim::load_em_api_json(em.files.at(0)).size(), 3u);
  const auto wt = cfsim::fetch_watttime({"CAISO_NORTH", kSep01, kSep01 + kDay, "co2_moer"}, h.opt);
  EXPECT_EQ(cfsim::load_watttime_historical_json(wt.files.at(0)).size(), 3u);
  const auto uk = cfsim::fetch_uk_ci({kSep01, kSep01 + kDay}, h.opt);
  EXPECT_EQ(cfsim::load_uk_ci_json(uk.files.at(0)).forecast.size(), 3u);
  cfsim::CostExplorerFetch what;
  what.start_s = kSep01;
  what.end_s = kSep01 + kDay;
  what.group_by = {{"DIMENSION", "INSTANCE_TYPE"}};
  const auto ce = cfsim::fetch_cost_explorer(what, h.opt);
  EXPECT_EQ(cfsim::load_cost_explorer_json(ce.files).records.size(), 3u); // one hour per page
}

} // namespace
