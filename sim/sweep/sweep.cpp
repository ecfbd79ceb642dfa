#include "sweep/sweep.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>

#include "cfsim/engine.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/store.hpp"
#include "io/json_value.hpp"
#include "parallel_for.hpp"
#include "sweep/spool.hpp"
#include "sweep/transport.hpp"

namespace cfsim {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::vector<SweepParam> sweep_params_of(const SweepPoint& p) {
  std::vector<SweepParam> out;
  for (const auto& [name, v] : p.params) {
    SweepParam sp;
    sp.name = name;
    sp.text = param_text(v);
    sp.is_number = v.is_number();
    sp.number = sp.is_number ? v.get<double>() : 0.0;
    out.push_back(std::move(sp));
  }
  return out;
}

// The run names of one point, computed from the (patched) strategies list alone.
std::vector<std::string> point_run_names(const json& doc, const SweepPoint& p) {
  std::vector<std::string> names;
  const std::vector<SweepParam> sp = sweep_params_of(p);
  const std::string scenario = doc.value("name", "");
  for (const json& s : p.doc.at("strategies")) {
    const std::string label = s.value("label", s.value("name", ""));
    const Value params = s.contains("params") ? to_value(s["params"]) : Value();
    names.push_back(run_name(scenario, label, params, sp, p.seed));
  }
  return names;
}

enum class QueueWait { item, timeout, closed };

// A bounded queue between the workers and the writer thread: workers block when it is full,
// so finished runs never pile up in memory faster than they are written.
template <class T> class BoundedQueue {
public:
  explicit BoundedQueue(std::size_t capacity) : cap_(capacity) {}
  void push(T v) {
    std::unique_lock<std::mutex> lock(m_);
    not_full_.wait(lock, [&] { return q_.size() < cap_; });
    q_.push_back(std::move(v));
    not_empty_.notify_one();
  }
  // Waits at most `ms` for an item.
  QueueWait pop_for(T& out, int ms) {
    std::unique_lock<std::mutex> lock(m_);
    if (!not_empty_.wait_for(lock, std::chrono::milliseconds(ms),
                             [&] { return !q_.empty() || closed_; }))
      return QueueWait::timeout;
    if (q_.empty())
      return QueueWait::closed;
    out = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return QueueWait::item;
  }
  void close() {
    const std::lock_guard<std::mutex> lock(m_);
    closed_ = true;
    not_empty_.notify_all();
  }

private:
  std::size_t cap_;
  std::deque<T> q_;
  bool closed_ = false;
  std::mutex m_;
  std::condition_variable not_full_, not_empty_;
};

// Progress on stderr: a bar rewritten in place on a terminal, a plain line every 10 s
// otherwise (logs of batch jobs).
class Progress {
public:
  Progress(bool on, std::uint64_t total, std::uint64_t already)
      : on_(on), tty_(on && isatty(fileno(stderr)) != 0), total_(total), done_(already),
        start_done_(already), t0_(clock::now()), last_(t0_) {}
  void add(std::uint64_t n) {
    done_ += n;
    const auto now = clock::now();
    if (!on_ || (now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(10)) &&
                 done_ < total_))
      return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - t0_).count();
    const double rate = secs > 0 ? static_cast<double>(done_ - start_done_) / secs : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0;
    const double frac = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    if (tty_) {
      const int width = 30, filled = static_cast<int>(frac * width);
      std::fprintf(stderr, "\rcfsim sweep [%-*s] %llu/%llu runs %5.1f%% %.0f runs/s ETA %.0f s ",
                   width, std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                   100 * frac, rate, eta);
      if (done_ >= total_)
        std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "cfsim: sweep %llu/%llu runs (%.1f%%), %.0f runs/s, ETA %.0f s\n",
                   static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                   100 * frac, rate, eta);
    }
  }

private:
  using clock = std::chrono::steady_clock;
  bool on_, tty_;
  std::uint64_t total_, done_, start_done_;
  clock::time_point t0_, last_;
};

// A point that could not be set up (e.g. a swept value the scenario rejects): each of its runs
// is a row with status = error and the reason, and the sweep carries on.
std::vector<RunResult> failed_point(const SweepPlan::Point& pt, const std::string& what) {
  std::vector<RunResult> runs;
  for (std::size_t k = 0; k < pt.run_names.size(); ++k) {
    RunResult r;
    r.name = pt.run_names[k];
    r.status = "error";
    r.message = what;
    runs.push_back(std::move(r));
  }
  return runs;
}

std::string identity_of(const SweepPlan& plan, const SweepOptions& opt) {
  return std::string("cfsim ") + CFSIM_VERSION + "\nscenario_sha256=" + plan.scenario_sha256 +
         "\nfilter=" + plan.filter + "\nshard=" + std::to_string(plan.shard_k) + "/" +
         std::to_string(plan.shard_n) + "\nruns=" + std::to_string(plan.runs()) +
         "\njobs=" + (opt.jobs ? "1" : "0") + "\n";
}

// The time grid every point shares (the period cannot be swept): that of the first point the
// scenario loader accepts.
TimeGrid sweep_grid(const SweepPlan& plan) {
  std::string first_error;
  for (std::size_t i = 0; i < plan.sweep.size(); ++i) {
    try {
      return parse_scenario(plan.sweep.point(plan.doc, i).doc.dump(), plan.origin, plan.base_dir)
          .grid;
    } catch (const ConfigError& e) {
      if (first_error.empty())
        first_error = e.what();
    }
  }
  throw ConfigError(first_error);
}

} // namespace

bool has_sweep_block(const std::string& scenario_path) {
  const json doc = json::parse(read_file(scenario_path), nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && doc.contains("sweep");
}

std::uint64_t SweepPlan::runs() const {
  std::uint64_t n = 0;
  for (const Point& p : points)
    n += p.run_names.size();
  return n;
}

SweepPlan plan_sweep(const std::string& scenario_path, const std::string& filter, int shard_k,
                     int shard_n) {
  const std::string dir = fs::path(scenario_path).parent_path().string();
  return plan_sweep_text(read_file(scenario_path), scenario_path, dir.empty() ? "." : dir, filter,
                         shard_k, shard_n);
}

SweepPlan plan_sweep_text(const std::string& text, const std::string& scenario_path,
                          const std::string& base_dir, const std::string& filter, int shard_k,
                          int shard_n) {
  if (shard_n < 1 || shard_k < 1 || shard_k > shard_n)
    throw UsageError("--shard k/N needs 1 ≤ k ≤ N, got " + std::to_string(shard_k) + "/" +
                     std::to_string(shard_n));
  SweepPlan plan;
  plan.scenario_path = scenario_path;
  plan.origin = scenario_path;
  plan.base_dir = base_dir;
  plan.scenario_sha256 = sha256_hex(text);
  plan.text = text;
  try {
    plan.doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ConfigError(scenario_path + ": not valid JSON: " + e.what());
  }
  if (!plan.doc.is_object() || !plan.doc.contains("strategies") ||
      !plan.doc["strategies"].is_array())
    throw ConfigError(scenario_path + ": a sweep needs a scenario with a 'strategies' list");
  plan.sweep = read_sweep(plan.doc, scenario_path);
  for (const SweepAxis& a : plan.sweep.axes)
    if (a.pointer.rfind("/period", 0) == 0)
      throw ConfigError(scenario_path + ": /sweep/" + a.pointer +
                        ": the period cannot be swept (every run of a result file shares one "
                        "time axis); run one sweep per period");
  plan.filter = filter;
  plan.shard_k = shard_k;
  plan.shard_n = shard_n;
  std::regex re;
  try {
    re = std::regex(filter.empty() ? std::string(".*") : filter, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw UsageError("--filter '" + filter + "' is not a regular expression: " + e.what());
  }
  // Only the strategies list is patched per point to name its runs (cheap for 10^5 points).
  json strategies_only = json::object();
  strategies_only["name"] = plan.doc["name"];
  strategies_only["strategies"] = plan.doc["strategies"];
  std::size_t selected_points = 0;
  for (std::size_t i = 0; i < plan.sweep.size(); ++i) {
    // The point's axis values, seed and strategies, without copying the whole scenario (axes
    // elsewhere are set in this small document too, harmlessly).
    const SweepPoint p = plan.sweep.point(strategies_only, i);
    SweepPlan::Point pt;
    pt.index = i;
    const std::vector<std::string> names = point_run_names(plan.doc, p);
    for (std::size_t k = 0; k < names.size(); ++k)
      if (filter.empty() || std::regex_search(names[k], re)) {
        pt.strategies.push_back(k);
        pt.run_names.push_back(names[k]);
      }
    if (pt.strategies.empty())
      continue;
    pt.first_run = plan.total_runs;
    plan.total_runs += pt.run_names.size();
    if (static_cast<int>(selected_points++ % static_cast<std::size_t>(shard_n)) == shard_k - 1)
      plan.points.push_back(std::move(pt));
  }
  return plan;
}

SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& opt) {
  const std::unique_ptr<Transport> net = make_transport();
  if (net->size() > 1 && opt.max_runs > 0)
    throw UsageError("--max-runs works in one process, not under MPI");
  // Rank 0 owns the spool (and the result); the others learn from it which runs are done.
  const std::string spool_path = opt.output + ".spool";
  std::unique_ptr<SpoolWriter> spool;
  std::vector<std::uint8_t> done(plan.total_runs, 0);
  if (net->root()) {
    std::vector<std::uint64_t> done_list;
    spool =
        std::make_unique<SpoolWriter>(spool_path, identity_of(plan, opt), opt.resume, done_list);
    for (const std::uint64_t r : done_list)
      if (r < done.size())
        done[r] = 1;
  }
  net->broadcast(done);
  std::vector<std::size_t> todo; // indices into plan.points: this rank's share of the rest
  std::uint64_t already = 0;
  std::size_t unfinished = 0;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    const auto& pt = plan.points[i];
    std::uint64_t have = 0;
    for (std::size_t k = 0; k < pt.run_names.size(); ++k)
      have += done[pt.first_run + k];
    already += have;
    if (have < pt.run_names.size() &&
        static_cast<int>(unfinished++ % static_cast<std::size_t>(net->size())) == net->rank())
      todo.push_back(i);
  }
  const bool progress_on = opt.progress && net->root();
  if (progress_on)
    std::fprintf(stderr,
                 "cfsim: sweep of '%s': %llu runs in %zu points (shard %d/%d of %llu runs)\n",
                 plan.scenario_path.c_str(), static_cast<unsigned long long>(plan.runs()),
                 plan.points.size(), plan.shard_k, plan.shard_n,
                 static_cast<unsigned long long>(plan.total_runs));
  if (progress_on && opt.resume)
    std::fprintf(stderr, "cfsim: sweep: resuming, %llu of %llu runs already in %s\n",
                 static_cast<unsigned long long>(already),
                 static_cast<unsigned long long>(plan.runs()), spool_path.c_str());
  if (progress_on && net->size() > 1)
    std::fprintf(stderr, "cfsim: sweep: %d MPI ranks\n", net->size());

  const auto tz = system_time_zone_db();
  const int threads = thread_count(opt.threads);
  struct Batch {
    std::size_t point = 0;
    std::vector<RunResult> runs;
  };
  BoundedQueue<Batch> queue(static_cast<std::size_t>(2 * threads));
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> written{already};
  std::atomic<bool> stop{false};
  std::exception_ptr writer_error;
  Progress progress(progress_on, plan.runs(), already);

  // One writer per process, the only thread that touches the spool or MPI. Rank 0 appends its
  // own runs and those other ranks send (records carry their run index); other ranks send.
  auto write_record = [&](const std::string& record) {
    spool->append(record);
    progress.add(1);
    if (opt.max_runs > 0 && ++written >= opt.max_runs)
      stop = true;
  };
  std::thread writer([&] {
    Batch b;
    bool local_open = true;
    while (local_open || (net->root() && !net->remote_done())) {
      if (local_open) {
        const QueueWait got = queue.pop_for(b, net->size() > 1 ? 5 : 1000);
        if (got == QueueWait::closed)
          local_open = false;
        if (got == QueueWait::item && !writer_error) {
          try {
            const auto& pt = plan.points[b.point];
            for (std::size_t k = 0; k < b.runs.size(); ++k) {
              if (done[pt.first_run + k] || stop)
                continue;
              const std::string rec = encode_run(pt.first_run + k, b.runs[k]);
              if (net->root())
                write_record(rec);
              else
                net->send_record(rec);
            }
          } catch (...) {
            writer_error = std::current_exception();
          }
        }
        if (!local_open && !net->root())
          net->finish();
      }
      if (net->root() && net->size() > 1) {
        std::string rec;
        while (net->receive_record(rec, local_open ? 0 : 50))
          if (!writer_error) {
            try {
              write_record(rec);
            } catch (...) {
              writer_error = std::current_exception();
            }
          }
      }
    }
  });

  auto worker = [&] {
    for (std::size_t t = next++; t < todo.size() && !stop; t = next++) {
      const SweepPlan::Point& pt = plan.points[todo[t]];
      Batch b;
      b.point = todo[t];
      try {
        const SweepPoint p = plan.sweep.point(plan.doc, pt.index);
        Scenario sc = parse_scenario(p.doc.dump(), plan.origin, plan.base_dir);
        sc.sweep_params = sweep_params_of(p);
        EngineOptions eo;
        eo.threads = 1; // parallel over points, not within one
        eo.only = pt.strategies;
        ResultSet rs = run_scenario(sc, *tz, eo);
        for (RunResult& r : rs.runs) {
          if (!opt.jobs)
            r.jobs.clear();
          b.runs.push_back(std::move(r));
        }
      } catch (const std::exception& e) {
        b.runs = failed_point(pt, e.what());
      }
      queue.push(std::move(b));
    }
  };
  std::vector<std::thread> pool;
  for (int k = 1; k < threads; ++k)
    pool.emplace_back(worker);
  worker();
  for (auto& th : pool)
    th.join();
  queue.close();
  writer.join();
  if (net->any(writer_error != nullptr)) {
    if (writer_error)
      std::rethrow_exception(writer_error);
    throw Error(ExitCode::io_error, "sweep: another MPI rank failed (see its message)");
  }
  SweepOutcome outcome;
  if (!net->root()) {
    outcome.root = false;
    outcome.complete = true; // rank 0 writes the result
    return outcome;
  }
  spool->close();
  outcome.in_spool = written;
  if (stop && written < plan.runs())
    return outcome; // the spool stays for --resume

  // The HDF5 file, in run order, from the spool, one run in memory at a time: a first pass
  // gives the store the file's layout (field union, string widths, row counts), the second
  // writes the runs in batches (include/cfsim/store.hpp).
  const SpoolIndex idx = scan_spool(spool_path);
  std::vector<std::uint64_t> offset(plan.total_runs, UINT64_MAX);
  for (std::size_t i = 0; i < idx.run.size(); ++i)
    if (idx.run[i] < offset.size())
      offset[idx.run[i]] = idx.offset[i];
  SpoolReader reader(spool_path);
  auto each_run = [&](auto&& use) {
    for (const auto& pt : plan.points)
      for (std::size_t k = 0; k < pt.run_names.size(); ++k) {
        const std::uint64_t off = offset[pt.first_run + k];
        CFSIM_CHECK(off != UINT64_MAX, "a run of the sweep is missing from its spool");
        use(reader.read(off));
      }
  };
  std::vector<std::pair<std::string, std::string>> attributes = opt.attributes;
  attributes.emplace_back("scenario_name", plan.doc.value("name", ""));
  attributes.emplace_back("scenario_path", plan.scenario_path);
  attributes.emplace_back("scenario_text", plan.text);
  attributes.emplace_back("scenario_sha256", plan.scenario_sha256);
  attributes.emplace_back("sweep_filter", plan.filter);
  attributes.emplace_back("sweep_shard",
                          std::to_string(plan.shard_k) + "/" + std::to_string(plan.shard_n));
  attributes.emplace_back("sweep_runs_total", std::to_string(plan.total_runs));
  attributes.emplace_back("sweep_points", std::to_string(plan.sweep.size()));
  ResultShape shape(opt.output, sweep_grid(plan), std::move(attributes));
  each_run([&](const RunResult& r) {
    outcome.failed += r.status == "ok" ? 0u : 1u;
    shape.add_run(r);
  });
  ResultWriter out(shape);
  each_run([&](const RunResult& r) { out.append(r); });
  out.finish();
  std::error_code ec;
  fs::remove(spool_path, ec);
  outcome.complete = true;
  return outcome;
}

} // namespace cfsim
