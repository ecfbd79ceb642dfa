#include "cfsim/workload.hpp"

#include <cmath>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/rng.hpp"

namespace cfsim {

double Utilisation::at(TimeS t) const {
  if (hourly.size() == 1)
    return hourly.front();
  CFSIM_CHECK(hourly.size() == 24, "utilisation has 1 or 24 values (validated by the loader)");
  constexpr TimeS kDayS = 86400;
  const TimeS second_of_day = ((t % kDayS) + kDayS) % kDayS; // also for t before 1970
  return hourly[static_cast<std::size_t>(second_of_day / 3600)];
}

namespace {

[[noreturn]] void bad_param(const std::string& name, const std::string& value,
                            const std::string& allowed) {
  throw ConfigError("job generator: " + name + " = " + value + " (allowed: " + allowed + ")");
}

std::string num(double v) {
  std::string s = std::to_string(v);
  // std::to_string prints six decimals; trim the trailing zeros for readable messages.
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.')
      s.pop_back();
  }
  return s;
}

bool whole(double v) {
  return std::isfinite(v) && std::floor(v) == v;
}

void validate(const JobGeneratorParams& p) {
  using std::to_string;
  if (p.count < 0)
    bad_param("count", to_string(p.count), ">= 0");
  if (p.period_end_s <= p.period_start_s) {
    bad_param("period_end_s", to_string(p.period_end_s),
              "> period_start_s = " + to_string(p.period_start_s));
  }
  if (p.duration_step_s <= 0)
    bad_param("duration_step_s", to_string(p.duration_step_s), "> 0");
  if (p.min_duration_s <= 0 || p.min_duration_s % p.duration_step_s != 0) {
    bad_param("min_duration_s", to_string(p.min_duration_s),
              "a positive multiple of duration_step_s = " + to_string(p.duration_step_s));
  }
  if (p.max_duration_s < p.min_duration_s || p.max_duration_s % p.duration_step_s != 0) {
    bad_param("max_duration_s", to_string(p.max_duration_s),
              "a multiple of duration_step_s = " + to_string(p.duration_step_s) +
                  ", >= min_duration_s = " + to_string(p.min_duration_s));
  }
  if (!whole(p.min_cpus) || p.min_cpus < 1.0) {
    bad_param("min_cpus", num(p.min_cpus), "a whole number >= 1");
  }
  // The cap keeps the conversion to an integer exact; the largest cloud instances have < 10^3.
  constexpr double kMaxCpus = 1e6;
  if (!whole(p.max_cpus) || p.max_cpus < p.min_cpus || p.max_cpus > kMaxCpus) {
    bad_param("max_cpus", num(p.max_cpus),
              "a whole number in [min_cpus = " + num(p.min_cpus) + ", 1000000]");
  }
  if (p.max_wait_s < 0)
    bad_param("max_wait_s", to_string(p.max_wait_s), ">= 0");
  if (!(p.interruptible_share >= 0.0 && p.interruptible_share <= 1.0)) {
    bad_param("interruptible_share", num(p.interruptible_share), "[0, 1]");
  }
  const TimeS usable = p.period_end_s - p.period_start_s - p.max_duration_s - p.max_wait_s;
  if (usable <= 0) {
    throw ConfigError("job generator: no time left for arrivals: the period (" +
                      to_string(p.period_end_s - p.period_start_s) +
                      " s) must be longer than max_duration_s + max_wait_s (" +
                      to_string(p.max_duration_s) + " + " + to_string(p.max_wait_s) + " s)");
  }
}

} // namespace

// Arrivals: a Poisson process of rate count / usable span on [period_start, period_start +
// usable), conditioned on producing exactly `count` arrivals there. Conditioned that way its
// arrival times are the order statistics of `count` uniform draws, which we generate as the
// normalised partial sums of count + 1 exponential inter-arrival times (Devroye, Non-Uniform
// Random Variate Generation, 1986, ch. V §2): already sorted, and never past the usable span,
// so every job — even one of max duration that waits its whole max_wait — ends by
// period_end. Arrivals are rounded down to whole seconds.
std::vector<Job> generate_jobs(const JobGeneratorParams& p, std::uint64_t seed) {
  validate(p);
  std::vector<Job> jobs;
  if (p.count == 0)
    return jobs;
  const TimeS usable = p.period_end_s - p.period_start_s - p.max_duration_s - p.max_wait_s;
  const auto n = static_cast<std::size_t>(p.count);

  // Two streams: arrival times, and per-job attributes (drawn job by job, in arrival order).
  Rng arrivals(seed, 0x6a6f622d61727276ULL);   // "job-arrv"
  Rng attributes(seed, 0x6a6f622d61747472ULL); // "job-attr"

  const double rate = static_cast<double>(p.count) / static_cast<double>(usable);
  std::vector<double> cumulative(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += arrivals.exponential(rate);
    cumulative[i] = sum;
  }
  const double total = sum + arrivals.exponential(rate); // the (count + 1)-th spacing

  const std::int64_t min_steps = p.min_duration_s / p.duration_step_s;
  const std::int64_t max_steps = p.max_duration_s / p.duration_step_s;
  const auto min_cpus = static_cast<std::int64_t>(p.min_cpus);
  const auto max_cpus = static_cast<std::int64_t>(p.max_cpus);
  jobs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Job j;
    j.id = static_cast<std::int64_t>(i);
    const double offset = std::floor(cumulative[i] / total * static_cast<double>(usable));
    j.arrival_s = p.period_start_s + static_cast<TimeS>(offset);
    j.duration_s = attributes.uniform_int(min_steps, max_steps) * p.duration_step_s;
    j.cpus = static_cast<double>(attributes.uniform_int(min_cpus, max_cpus));
    j.max_wait_s = p.max_wait_s;
    j.interruptible = attributes.uniform01() < p.interruptible_share;
    CFSIM_CHECK(j.deadline_s() <= p.period_end_s, "generated job fits before period_end_s");
    jobs.push_back(j);
  }
  return jobs;
}

} // namespace cfsim
