// Cost model (DESIGN §5): on-demand, spot and reserved capacity, per-second billing with a
// 60 s minimum per start (AWS EC2 Linux billing), EBS billed while stopped, reserved capacity
// paid whether used or not.
#pragma once

#include <vector>

#include "cfsim/time.hpp"

namespace cfsim {

constexpr double kHoursPerMonth = 730.0; // AWS prices GB-month over 730 h
constexpr TimeS kMinimumBilledS = 60;    // EC2 per-second billing minimum per start

enum class PurchaseOption { on_demand, spot, reserved };

// Seconds billed for one running span: per-second, at least 60 s.
TimeS billed_seconds(TimeS running_s);

// Cost of a set of running spans at a constant hourly price (each span billed separately).
double running_cost_usd(const std::vector<Interval>& spans, double usd_per_h);

// Cost of running spans under a spot price trace on a grid: each second billed at the price
// of the cell it falls in; the 60 s minimum billed at the span's starting price.
double spot_cost_usd(const std::vector<Interval>& spans, const TimeGrid& grid,
                     const std::vector<double>& usd_per_h);

// EBS volume cost: a volume is billed whether the instance runs or not.
double ebs_cost_usd(double gb, double usd_per_gb_month, double hours);

// Reserved instances: paid for the whole period at the effective hourly rate.
double reserved_cost_usd(int count, double usd_per_h, double hours);

} // namespace cfsim
