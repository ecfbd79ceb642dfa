// cfsim_bench_cas30d: the CAS-30d benchmark workload (shared/bench/WORKLOAD.md) through cfsim's
// batch kernels (include/cfsim/batch_kernels.hpp), checked and timed side by side with the numpy
// reference shared/bench/cas30d_ref.py, run as a child process in the same invocation.
//
// A plain executable rather than a Google Benchmark one: every figure needs its checksum, the
// reference's figure for the same case and their ratio on one line, and Google Benchmark's
// repetition logic would time each case for seconds instead of a median of a few full runs.
//
// What it does, in order:
//  1. Always: the case WORKLOAD.md publishes (N = 100,000, dt = 60 min, W = 24 h) against the
//     published checksums (relative tolerance 1e-9; start_sum exactly).
//  2. Per grid step (--dt-min) and window (--windows-h), with N = --jobs: the first 2,000 jobs
//     against a brute-force scan, and, unless --no-reference, every checksum against the numpy
//     reference run on the same case (same tolerance).
//  3. Unless --check-only: the kernels' speed in jobs/s (median of --repeat full runs, each
//     call timed whole: prefix sums, tables and index structures included; job generation
//     excluded, as in the reference), next to the reference's (median of --repeat runs of the
//     script) and their ratio, with the per-core targets of the CAS-30d issue. The calls share
//     one BatchScratch, as a sweep's would, after an untimed warm-up call; --cold gives every
//     timed call fresh memory instead (its page faults are then timed too). Pin it to one core
//     for per-core figures: `taskset -c 0 cfsim_bench_cas30d`.
// Exit status: 0 if every check passed; 1 if a check failed or the reference could not be run;
// 64 on a bad command line.
#include <sched.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <numbers>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cfsim/batch_kernels.hpp"
#include "cfsim/rng.hpp"

namespace {

using Index = std::int32_t;

// ---- The workload (WORKLOAD.md) -----------------------------------------------------------

struct Workload {
  int dt_min = 60;
  Index sph = 1; // steps per hour
  std::vector<double> ci;
  std::vector<Index> arrivals, lengths;
  double step_h() const { return dt_min / 60.0; }
};

// ci(t) = 300 + 100·sin(2π(h−9)/24) + 50·sin(2πh/168) + 80·(u(H) − 0.5), evaluated in the
// reference's operation order (numpy: left to right), no FMA (-ffp-contract=off).
std::vector<double> cas30d_trace(int dt_min) {
  const std::int64_t sph = 60 / dt_min, n = 720 * sph;
  std::vector<double> ci(static_cast<std::size_t>(n));
  const double pi = std::numbers::pi;
  for (std::int64_t t = 0; t < n; ++t) {
    const double h = static_cast<double>(t * dt_min) / 60.0;
    const auto hour = static_cast<std::uint64_t>(t / sph);
    const double u = static_cast<double>(cfsim::splitmix64(0xC0FFEEULL + hour) >> 11) * 0x1.0p-53;
    ci[static_cast<std::size_t>(t)] = 300 + 100 * std::sin(2 * pi * (h - 9) / 24) +
                                      50 * std::sin(2 * pi * h / 168) + 80 * (u - 0.5);
  }
  return ci;
}

Workload cas30d_workload(int dt_min, std::size_t n_jobs) {
  Workload w;
  w.dt_min = dt_min;
  w.sph = 60 / dt_min;
  w.ci = cas30d_trace(dt_min);
  const auto sph = static_cast<std::uint64_t>(w.sph);
  const std::uint64_t n_steps = 720 * sph, l_max = 24 * sph, w_max = 72 * sph;
  w.arrivals.resize(n_jobs);
  w.lengths.resize(n_jobs);
  for (std::uint64_t i = 0; i < n_jobs; ++i) {
    const std::uint64_t r1 = cfsim::splitmix64(2 * i), r2 = cfsim::splitmix64(2 * i + 1);
    w.lengths[i] = static_cast<Index>(sph + r2 % (l_max - sph + 1));
    w.arrivals[i] = static_cast<Index>(r1 % (n_steps - l_max - w_max));
  }
  return w;
}

// ---- Running the kernels --------------------------------------------------------------------

enum class Kernel { no_wait, lowest_window, wait_awhile };
const char* name_of(Kernel k) {
  switch (k) {
  case Kernel::no_wait:
    return "no_wait";
  case Kernel::lowest_window:
    return "lowest_window";
  case Kernel::wait_awhile:
    return "wait_awhile";
  }
  return "?";
}

// Outputs of one kernel run over a workload.
struct Outputs {
  std::vector<Index> starts;
  std::vector<double> costs;
};

void run_kernel(Kernel k, const Workload& w, Index window, Outputs& out,
                cfsim::BatchScratch& scratch) {
  out.costs.resize(w.arrivals.size());
  out.starts.resize(w.arrivals.size());
  switch (k) {
  case Kernel::no_wait:
    cfsim::no_wait_batch(w.ci, w.arrivals, w.lengths, w.step_h(), out.costs, scratch);
    break;
  case Kernel::lowest_window:
    cfsim::lowest_window_batch(w.ci, w.arrivals, w.lengths, window, w.step_h(), out.starts,
                               out.costs, scratch);
    break;
  case Kernel::wait_awhile:
    cfsim::wait_awhile_batch(w.ci, w.arrivals, w.lengths, window, w.step_h(), out.costs, scratch);
    break;
  }
}

struct Checksum {
  double cost_sum = 0;
  std::optional<std::int64_t> start_sum; // lowest_window only
};

Checksum checksum_of(Kernel k, const Outputs& out) {
  Checksum c;
  for (const double x : out.costs)
    c.cost_sum += x;
  if (k == Kernel::lowest_window) {
    std::int64_t s = 0;
    for (const Index x : out.starts)
      s += x;
    c.start_sum = s;
  }
  return c;
}

double rel_diff(double x, double ref) {
  return std::abs(x - ref) / std::abs(ref);
}
constexpr double kRelTol = 1e-9; // WORKLOAD.md: summation order differs

// ---- Brute force, for a spot check of the first jobs of each case ---------------------------

// Returns an empty string if the first `n` jobs agree with a direct scan, else the first
// disagreement.
std::string brute_force_check(Kernel k, const Workload& w, Index window, const Outputs& out,
                              std::size_t n) {
  std::vector<double> p(w.ci.size() + 1, 0.0);
  for (std::size_t t = 0; t < w.ci.size(); ++t)
    p[t + 1] = p[t] + w.ci[t];
  std::vector<double> v;
  n = std::min(n, w.arrivals.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = static_cast<std::size_t>(w.arrivals[i]);
    const auto len = static_cast<std::size_t>(w.lengths[i]);
    double cost = 0;
    std::size_t start = a;
    if (k == Kernel::no_wait) {
      cost = p[a + len] - p[a];
    } else if (k == Kernel::lowest_window) {
      const std::size_t last = std::min(a + static_cast<std::size_t>(window), w.ci.size() - len);
      cost = p[a + len] - p[a];
      for (std::size_t s = a + 1; s <= last; ++s)
        if (p[s + len] - p[s] < cost) {
          cost = p[s + len] - p[s];
          start = s;
        }
    } else {
      const std::size_t end = std::min(w.ci.size(), a + len + static_cast<std::size_t>(window));
      v.assign(w.ci.begin() + static_cast<std::ptrdiff_t>(a),
               w.ci.begin() + static_cast<std::ptrdiff_t>(end));
      std::sort(v.begin(), v.end());
      for (std::size_t j = 0; j < len; ++j)
        cost += v[j];
    }
    cost *= w.step_h();
    const bool start_ok =
        k != Kernel::lowest_window || static_cast<std::size_t>(out.starts[i]) == start;
    if (!start_ok || std::abs(out.costs[i] - cost) > 1e-9 * std::abs(cost)) {
      std::ostringstream m;
      m.precision(17);
      m << "job " << i << ": kernel start " << out.starts[i] << " cost " << out.costs[i]
        << ", brute force start " << start << " cost " << cost;
      return m.str();
    }
  }
  return {};
}

// ---- The numpy reference --------------------------------------------------------------------

struct RefRun {
  double jobs_per_s = 0;
  Checksum sum;
};
// Keyed by (strategy, window_h); window_h 0 for no_wait.
using RefResult = std::map<std::pair<std::string, int>, RefRun>;

struct RefConfig {
  std::string python = "/usr/bin/python3";
  std::string script = CFSIM_CAS30D_REF;
};

std::string join(const std::vector<int>& xs) {
  std::string s;
  for (const int x : xs)
    s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

// Runs the reference once; throws std::runtime_error on failure.
RefResult run_reference(const RefConfig& cfg, int dt_min, std::size_t n_jobs,
                        const std::vector<int>& windows_h) {
  const std::string cmd = cfg.python + " " + cfg.script + " --dt-min " + std::to_string(dt_min) +
                          " --jobs " + std::to_string(n_jobs) + " --windows-h " + join(windows_h);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("cannot start: " + cmd);
  std::string text;
  char buf[4096];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0)
    text.append(buf, got);
  const int status = pclose(pipe);
  if (status != 0)
    throw std::runtime_error("'" + cmd + "' failed (exit status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  RefResult r;
  const nlohmann::json j = nlohmann::json::parse(text);
  for (const auto& run : j.at("runs")) {
    RefRun x;
    x.jobs_per_s = run.at("jobs_per_s").get<double>();
    x.sum.cost_sum = run.at("cost_sum").get<double>();
    if (run.contains("start_sum"))
      x.sum.start_sum = run.at("start_sum").get<std::int64_t>();
    r[{run.at("strategy").get<std::string>(), run.at("window_h").get<int>()}] = x;
  }
  return r;
}

// ---- Options --------------------------------------------------------------------------------

struct Options {
  std::size_t jobs = 1'000'000;   // --jobs N: jobs per case
  std::vector<int> dt_min{60, 5}; // --dt-min LIST: grid steps [min], each 60, 30, 15 or 5
  std::vector<int> windows_h{6, 12, 24, 48, 72}; // --windows-h LIST: allowed waits [h], ≤ 72
  int repeat = 3;          // --repeat R: timed runs per figure (median), both sides
  bool cold = false;       // --cold: fresh scratch memory for every timed call, no warm-up call
  bool check_only = false; // --check-only: checksums only, no timing
  bool reference = true;   // --no-reference: skip cas30d_ref.py
  RefConfig ref;           // --python PATH, --reference PATH
};

const char* kUsage =
    "usage: cfsim_bench_cas30d [options]\n"
    "  --jobs N          jobs per case (default 1000000)\n"
    "  --dt-min LIST     grid steps in minutes, each 60, 30, 15 or 5 (default 60,5)\n"
    "  --windows-h LIST  allowed waits in hours, each 1..72 (default 6,12,24,48,72)\n"
    "  --repeat R        timed runs per figure, the median is reported, for cfsim and for\n"
    "                    the reference alike (default 3)\n"
    "  --cold            time every call with fresh scratch memory (its allocation and page\n"
    "                    faults included) instead of after one untimed warm-up call\n"
    "  --check-only      checksums only (WORKLOAD.md, brute force, reference): no timing\n"
    "  --no-reference    do not run the numpy reference\n"
    "  --reference PATH  the reference script (default " CFSIM_CAS30D_REF ")\n"
    "  --python PATH     its interpreter (default /usr/bin/python3)\n";

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    const int v = std::stoi(item, &used);
    if (used != item.size())
      throw std::invalid_argument(item);
    out.push_back(v);
  }
  if (out.empty())
    throw std::invalid_argument(s);
  return out;
}

std::optional<Options> parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--jobs") {
      const long long n = std::stoll(value());
      if (n < 1)
        throw std::invalid_argument("--jobs must be at least 1");
      o.jobs = static_cast<std::size_t>(n);
    } else if (a == "--dt-min") {
      o.dt_min = parse_list(value());
      for (const int d : o.dt_min)
        if (d != 60 && d != 30 && d != 15 && d != 5)
          throw std::invalid_argument("--dt-min " + std::to_string(d) +
                                      " (allowed: 60, 30, 15, 5)");
    } else if (a == "--windows-h") {
      o.windows_h = parse_list(value());
      for (const int h : o.windows_h)
        if (h < 1 || h > 72)
          throw std::invalid_argument("--windows-h " + std::to_string(h) + " (allowed: 1..72)");
    } else if (a == "--repeat") {
      o.repeat = std::stoi(value());
      if (o.repeat < 1)
        throw std::invalid_argument("--repeat must be at least 1");
    } else if (a == "--cold") {
      o.cold = true;
    } else if (a == "--check-only") {
      o.check_only = true;
    } else if (a == "--no-reference") {
      o.reference = false;
    } else if (a == "--reference") {
      o.ref.script = value();
    } else if (a == "--python") {
      o.ref.python = value();
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return std::nullopt;
    } else {
      throw std::invalid_argument("unknown option '" + a + "'");
    }
  }
  return o;
}

// ---- Reporting ------------------------------------------------------------------------------

std::string with_unit(double jobs_per_s) {
  char buf[32];
  if (jobs_per_s >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1f M", jobs_per_s / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.3f M", jobs_per_s / 1e6);
  return buf;
}

std::string provenance() {
  std::ostringstream s;
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  utsname un{};
  uname(&un);
  cpu_set_t set;
  CPU_ZERO(&set);
  const int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
  std::string load;
  std::getline(std::ifstream("/proc/loadavg"), load);
  s << "# cfsim_bench_cas30d " << date << " host " << un.nodename << ", " << un.machine << ", gcc "
    << __VERSION__ <<
#ifdef NDEBUG
      ", NDEBUG"
#else
      ", assertions on (not a Release build?)"
#endif
    << "\n# CPUs this process may use: " << cpus << "; /proc/loadavg at start: " << load << "\n";
  return s.str();
}

// CPU time of this thread (user + system): compared with the wall time, it shows how much of a
// timed run the core spent on other processes (a shared machine).
double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// The per-core targets of the CAS-30d issue (N = 1,000,000, one core, preprocessing included).
std::optional<double> target_of(Kernel k, int dt_min, int window_h) {
  if (k == Kernel::lowest_window && (dt_min == 60 || dt_min == 5))
    return 50e6;
  if (k == Kernel::wait_awhile && window_h == 24 && dt_min == 60)
    return 10e6;
  if (k == Kernel::wait_awhile && window_h == 24 && dt_min == 5)
    return 1e6;
  return std::nullopt;
}

// ---- The checks and the timing --------------------------------------------------------------

struct Totals {
  int checks = 0, failures = 0;
  void record(bool ok) {
    ++checks;
    failures += ok ? 0 : 1;
  }
};

// 1. WORKLOAD.md's published checksums.
void check_published(Totals& totals) {
  const Workload w = cas30d_workload(60, 100'000);
  const Index window = 24;
  struct Published {
    Kernel k;
    double cost_sum;
    std::optional<std::int64_t> start_sum;
  };
  const Published published[] = {{Kernel::no_wait, 375810713.7892, std::nullopt},
                                 {Kernel::lowest_window, 318900886.5954, 32363026},
                                 {Kernel::wait_awhile, 277857991.4809, std::nullopt}};
  std::printf("checksums against WORKLOAD.md (N = 100,000, dt = 60 min, W = 24 h; the published "
              "figures have 4 decimals):\n");
  Outputs out;
  cfsim::BatchScratch scratch;
  for (const Published& p : published) {
    run_kernel(p.k, w, window, out, scratch);
    const Checksum c = checksum_of(p.k, out);
    const double rd = rel_diff(c.cost_sum, p.cost_sum);
    const bool ok = rd <= kRelTol && c.start_sum == p.start_sum;
    totals.record(ok);
    std::printf("  %-13s cost_sum %.4f (published %.4f, rel diff %.1e)", name_of(p.k), c.cost_sum,
                p.cost_sum, rd);
    if (p.start_sum)
      std::printf(" start_sum %lld (published %lld)", static_cast<long long>(*c.start_sum),
                  static_cast<long long>(*p.start_sum));
    std::printf("  %s\n", ok ? "ok" : "MISMATCH");
  }
}

// Compares a checksum with the reference's; returns a short verdict.
std::string compare_with_reference(const Checksum& c, const RefRun& r, bool& ok) {
  const double rd = rel_diff(c.cost_sum, r.sum.cost_sum);
  ok = rd <= kRelTol && c.start_sum == r.sum.start_sum;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s (rel %.0e%s)", ok ? "ok" : "MISMATCH", rd,
                c.start_sum ? (c.start_sum == r.sum.start_sum ? ", starts =" : ", starts !=") : "");
  return buf;
}

void run_case(const Options& o, int dt_min, Totals& totals) {
  const Workload w = cas30d_workload(dt_min, o.jobs);
  std::vector<RefResult> refs;
  if (o.reference) {
    const int n_ref = o.check_only ? 1 : o.repeat;
    for (int r = 0; r < n_ref; ++r)
      refs.push_back(run_reference(o.ref, dt_min, o.jobs, o.windows_h));
  }
  std::printf("\ndt = %d min (T = %zu steps), N = %zu jobs%s\n", dt_min, w.ci.size(), o.jobs,
              o.reference ? "" : ", no reference");
  std::printf("  %-13s %4s  %12s  %12s  %12s  %9s  %-26s %-20s %s\n", "kernel", "W", "cfsim jobs/s",
              "(CPU time)", "numpy jobs/s", "ratio", "checksum vs numpy", "brute force (2,000)",
              "target");

  std::vector<std::pair<Kernel, int>> cases{{Kernel::no_wait, 0}};
  for (const int h : o.windows_h) {
    cases.emplace_back(Kernel::lowest_window, h);
    cases.emplace_back(Kernel::wait_awhile, h);
  }
  Outputs out;
  cfsim::BatchScratch scratch; // reused by every call, as a sweep would (unless --cold)
  for (const auto& [k, window_h] : cases) {
    const Index window = window_h * w.sph;
    std::vector<double> secs, cpu_secs;
    if (!o.check_only && !o.cold)
      run_kernel(k, w, window, out, scratch); // warm-up: sizes the scratch memory, not timed
    for (int r = 0; r < (o.check_only ? 1 : o.repeat); ++r) {
      if (o.cold)
        scratch = cfsim::BatchScratch();
      const double c0 = thread_cpu_s();
      const auto t0 = std::chrono::steady_clock::now();
      run_kernel(k, w, window, out, scratch);
      const auto t1 = std::chrono::steady_clock::now();
      cpu_secs.push_back(thread_cpu_s() - c0);
      secs.push_back(std::chrono::duration<double>(t1 - t0).count());
    }
    const double jobs_per_s = static_cast<double>(o.jobs) / median(secs);
    const double jobs_per_cpu_s = static_cast<double>(o.jobs) / median(cpu_secs);
    const Checksum c = checksum_of(k, out);

    const std::string brute = brute_force_check(k, w, window, out, 2000);
    totals.record(brute.empty());

    std::string numpy = "-", ratio = "-", verdict = "-";
    if (!refs.empty()) {
      const std::pair<std::string, int> key{name_of(k), window_h};
      std::vector<double> speeds;
      for (const RefResult& ref : refs)
        speeds.push_back(ref.at(key).jobs_per_s);
      bool ok = false;
      verdict = compare_with_reference(c, refs.front().at(key), ok);
      totals.record(ok);
      if (!o.check_only) {
        const double np = median(speeds);
        numpy = with_unit(np);
        char buf[32];
        const double x = jobs_per_s / np;
        std::snprintf(buf, sizeof buf, x >= 10 ? "%.0fx" : "%.1fx", x);
        ratio = buf;
      }
    }
    std::string target = "-";
    if (const std::optional<double> t = target_of(k, dt_min, window_h); t && !o.check_only)
      target = ">= " + with_unit(*t) + (jobs_per_s >= *t ? " met" : " NOT MET");
    char wbuf[16];
    std::snprintf(wbuf, sizeof wbuf, window_h ? "%d h" : "-", window_h);
    std::printf("  %-13s %4s  %12s  %12s  %12s  %9s  %-26s %-20s %s\n", name_of(k), wbuf,
                o.check_only ? "-" : with_unit(jobs_per_s).c_str(),
                o.check_only ? "-" : with_unit(jobs_per_cpu_s).c_str(), numpy.c_str(),
                ratio.c_str(), verdict.c_str(), brute.empty() ? "ok" : "MISMATCH", target.c_str());
    if (!brute.empty())
      std::printf("    brute force: %s\n", brute.c_str());
    std::fflush(stdout);
  }
}

} // namespace

int main(int argc, char** argv) {
  std::optional<Options> opt;
  try {
    opt = parse_options(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "cfsim_bench_cas30d: " << e.what() << "\n" << kUsage;
    return 64;
  }
  if (!opt)
    return 0;
  const Options& o = *opt;
  std::printf("%s", provenance().c_str());
  std::printf("# jobs/s = N / median of %d timed runs of one whole kernel call (prefix sums, "
              "tables and index structures built in every call; job generation excluded), %s\n",
              o.check_only ? 1 : o.repeat,
              o.cold ? "each with fresh scratch memory (--cold)"
                     : "reusing one BatchScratch after an untimed warm-up call");
  std::printf("# (CPU time) = N / median of this thread's CPU time over the same runs: above the "
              "wall-time figure when the core was shared with other processes; ratio and target "
              "use the wall-time figure\n");
  if (o.reference)
    std::printf("# numpy: %s's own timing, median of as many runs (its no_wait excludes its "
                "cumsum)\n",
                o.ref.script.c_str());
  Totals totals;
  try {
    check_published(totals);
    for (const int dt : o.dt_min)
      run_case(o, dt, totals);
  } catch (const std::exception& e) {
    std::cerr << "cfsim_bench_cas30d: " << e.what() << "\n";
    return 1;
  }
  std::printf("\n%d checks, %d failed\n", totals.checks, totals.failures);
  return totals.failures == 0 ? 0 : 1;
}
