// Workloads (DESIGN §6): a fleet of long-running instances that start/stop strategies switch
// on and off, and batch jobs that carbon-aware strategies place in time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/cost.hpp"
#include "cfsim/time.hpp"

namespace cfsim {

// CPU utilisation of an instance: constant, or a daily profile of 24 hourly values indexed by
// the UTC hour of day. Never a silent default: the scenario must state it.
struct Utilisation {
  std::vector<double> hourly; // size 1 (constant) or 24 (daily profile, UTC hours)
  double at(TimeS t) const;
};

struct FleetGroup {
  std::string name;          // e.g. "dev-boxes"
  std::string instance_type; // catalog key, e.g. "m5.large"
  std::string region;        // e.g. "eu-central-1"
  int count = 1;
  Utilisation utilisation;
  double ebs_gb = 0; // attached gp3 volume per instance, billed while stopped too
  PurchaseOption purchase = PurchaseOption::on_demand;
  double spot_fraction = 0; // spot price = fraction × on-demand when no spot trace is given
  std::vector<double> spot_usd_per_h; // spot price per grid cell; empty: use spot_fraction
  double reserved_usd_per_h = 0;      // effective reserved rate, paid for the whole period
};

struct Job {
  std::int64_t id = 0;
  TimeS arrival_s = 0;
  TimeS duration_s = 0;
  double cpus = 1;
  TimeS max_wait_s = 0; // allowed wait: it must finish by arrival + duration + max_wait
  bool interruptible = false;
  // Checkpoint/restart of an interruptible job (all 0: the clean suspend-resume model).
  // A job run in k pieces runs duration + restart_overhead × (k − 1) seconds in total: every
  // resume first reloads its checkpoint for restart_overhead_s (running time, billed and drawing
  // power). Every suspension writes a checkpoint that draws restart_energy_wh (IT energy, × PUE)
  // at the end of the suspended piece, in that piece's last grid cell. No piece but the last is
  // shorter than min_run_s (0: no limit); the last may be, because the job ends there.
  TimeS restart_overhead_s = 0;
  double restart_energy_wh = 0;
  TimeS min_run_s = 0;
  // IT power the job draws while running, set by the engine before placement so strategies can
  // weigh restart_energy_wh against running time; 0 (unknown) weighs the suspension energy as 0.
  double run_power_w = 0;
  TimeS deadline_s() const { return arrival_s + duration_s + max_wait_s; }
  // Total running time of a placement in `pieces` pieces (restart overhead after every resume).
  TimeS running_s(std::size_t pieces) const {
    return duration_s +
           (pieces > 0 ? restart_overhead_s * static_cast<TimeS>(pieces - 1) : TimeS{0});
  }
};

// Capacity a job may run on besides on-demand, in the job pool's (home) region (scenario
// "jobs.capacity"; docs/methodology.md §5.1). Without it every job runs on demand.
struct JobCapacity {
  // Reserved: `reserved_vcpus` vCPUs of the pool's instance type for the whole period; the fee,
  // fraction × on-demand price per vCPU-hour × reserved_vcpus × period hours, is paid whether
  // the vCPUs are used or not. 0.4: the reserved price ratio of GAIA (Hanafy et al., ASPLOS
  // 2024).
  double reserved_vcpus = 0;
  double reserved_fee_fraction = 0.4;
  // Spot, offered when spot_fraction > 0 or a spot price trace is given: price per instance-hour
  // = spot_usd_per_h[cell], or spot_fraction × on-demand without a trace.
  double spot_fraction = 0;
  std::vector<double> spot_usd_per_h; // per grid cell; empty: use spot_fraction
  // The interruption model (cfsim/spot.hpp): probability of an interruption per hour on spot,
  // checkpoint interval (0: no checkpoints, an interruption loses all work since the start) and
  // the capacity a job restarts on after an interruption (on_demand or spot).
  double interruption_per_h = 0;
  TimeS checkpoint_interval_s = 0;
  PurchaseOption restart_on = PurchaseOption::on_demand;

  bool spot() const { return spot_fraction > 0 || !spot_usd_per_h.empty(); }
  // The spot price of an instance-hour in grid cell `cell`, given the on-demand price.
  double spot_usd_per_h_at(std::int64_t cell, double on_demand_usd_per_h) const {
    return spot_usd_per_h.empty() ? spot_fraction * on_demand_usd_per_h
                                  : spot_usd_per_h[static_cast<std::size_t>(cell)];
  }
};

// Where batch jobs run: vCPUs of an instance type in a region, at a stated utilisation.
struct JobPool {
  std::string instance_type;
  std::string region;
  double utilisation = 1.0;
  JobCapacity capacity{}; // reserved and spot capacity in `region` (default: on-demand only)
};

// Seeded job generator: arrivals as a Poisson process, durations uniform in whole steps.
struct JobGeneratorParams {
  std::int64_t count = 100;
  TimeS period_start_s = 0;
  TimeS period_end_s = 0; // every job (duration + max wait) fits before this
  TimeS min_duration_s = 3600;
  TimeS max_duration_s = 4 * 3600;
  TimeS duration_step_s = 900;
  double min_cpus = 1;
  double max_cpus = 4; // whole numbers between min and max
  TimeS max_wait_s = 12 * 3600;
  double interruptible_share = 0.0; // fraction of jobs marked interruptible
};
std::vector<Job> generate_jobs(const JobGeneratorParams& p, std::uint64_t seed);

} // namespace cfsim
