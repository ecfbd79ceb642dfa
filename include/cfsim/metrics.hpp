// The thesis's data-quality metrics (DESIGN §7): Time Alignment Coverage (TAC), Cost-MAPE,
// data availability per source, Data-Precision-Score (DPS), aggregation fidelity and kg CO2e
// per instance-month. docs/metrics.md defines every one exactly, with the worked examples that
// tests/core/metrics_test.cpp checks.
//
// Everything here takes plain values (vectors, TimeGrid, RawSeries/GridSeries, CostTrace,
// Catalog) and does no I/O, so the engine can compute the metrics of every run and `cfsim
// quality` those of its inputs. Each metric has a low-level function over per-interval values
// and a convenience function over traces. The only exception is the published-means reader at
// the end, which lives in sim/io (cfsim::cfsim), not in cfsim_core.
//
// Records or samples a metric cannot use are never dropped silently: every result counts them
// by reason (RecordTally) so a report can say what was left out and why (No-Fallback, §3).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/accounting.hpp"
#include "cfsim/catalog.hpp"
#include "cfsim/cost.hpp"
#include "cfsim/cost_trace.hpp"
#include "cfsim/series.hpp"
#include "cfsim/time.hpp"

namespace cfsim {

// How many records a metric used, and how many it left out by reason. A record is counted
// under the first reason that applies, in this order (snake_case, stable, printed by
// `cfsim quality --csv`):
//   not_usage             ChargeCategory is not Usage (Purchase, Tax, Credit, Adjustment)
//   no_resource_id        ResourceId is NULL/empty: no resource to attribute the cost to
//   empty_charge_period   ChargePeriodEnd <= ChargePeriodStart
//   outside_period        the charge period does not overlap the metric's grid
//   not_standard_pricing  PricingCategory is not Standard (only with standard_pricing_only)
//   no_instance_type      not an instance-hour record (EBS, data transfer, other services)
//   unknown_instance_type the instance type is not in the catalog
//   no_region_price       the catalog has no on-demand price for the type in the record's region
//   cost_unknown          the chosen cost column is NULL (NaN) in the record
//   no_consumed_hours     ConsumedUnit is not hours (only with ModelHours::consumed_quantity)
struct RecordTally {
  std::size_t total = 0;
  std::size_t used = 0;
  std::map<std::string, std::size_t> excluded; // reason -> records
  void exclude(const std::string& reason) { ++excluded[reason]; }
};

// Which grid cells a cost record occupies (after the label offset).
enum class CostPointRule {
  overlap, // every cell its charge period overlaps by more than 0 s (default)
  start,   // only the cell holding its (shifted) ChargePeriodStart: a timestamp join
};
const char* to_string(CostPointRule r);

// ---------------------------------------------------------------------------------------------
// TAC — Time Alignment Coverage: per resource, the share of the grid's cells (the whole period)
// in which the resource has a cost point and the carbon trace a carbon point.

struct TacOptions {
  // Seconds added to ChargePeriodStart/End before alignment (test label conventions: -3600, 0,
  // +3600). The resource set and the period do not move with it.
  TimeS label_offset_s = 0;
  CostPointRule rule = CostPointRule::overlap;
  bool usage_only = true; // only ChargeCategory Usage records are cost points
  // A cell holding a filled sample is a carbon point only if this is true (fills are not data).
  bool filled_is_carbon = false;
};

// Per resource (sorted by ResourceId): which cells hold a cost point.
struct CostCells {
  std::vector<std::string> resource_ids;
  std::vector<std::vector<bool>> present; // [resource][cell]
  RecordTally records;
};
// The resources are those with at least one usable record overlapping the grid before the
// offset, so the fleet is the same for every offset.
CostCells cost_cells(const CostTrace& costs, const TimeGrid& grid, const TacOptions& opt = {});

// Cells with a carbon point: coverage > 0 (and no filled sample unless filled_is_carbon).
std::vector<bool> carbon_cells(const GridSeries& carbon, bool filled_is_carbon = false);

// Low level: |{c : cost[c] ∧ carbon[c]}| / n over all n cells (NaN when n = 0).
double tac_share(const std::vector<bool>& cost, const std::vector<bool>& carbon);

struct ResourceTac {
  std::string resource_id;
  std::int64_t cost_cells = 0; // cells with a cost point
  std::int64_t both_cells = 0; // cells with a cost point and a carbon point
  std::int64_t span_cells = 0; // cells from its first to its last cost cell, inclusive
  double tac = 0;              // both_cells / grid cells (THE metric)
  double tac_span = 0;         // both_cells / span_cells (NaN without cost cells)
};

struct TacResult {
  TimeS label_offset_s = 0;
  CostPointRule rule = CostPointRule::overlap;
  std::int64_t cells = 0;        // grid cells of the period: the denominator
  std::int64_t carbon_cells = 0; // cells with a carbon point
  std::vector<ResourceTac> resources;
  // Fleet TAC: the mean of the resources' TAC (= the share of aligned (resource, cell) pairs,
  // since every resource has the same denominator). NaN without resources.
  double fleet_tac = 0;
  double fleet_any = 0; // share of cells where at least one resource is aligned
  double fleet_all = 0; // share of cells where every resource is aligned
  RecordTally records;
};
TacResult time_alignment_coverage(const CostTrace& costs, const GridSeries& carbon,
                                  const TacOptions& opt = {});

// ---------------------------------------------------------------------------------------------
// Cost-MAPE — mean absolute percentage error of modelled cost against billed cost, over the
// (resource, interval) pairs with billed > 0. Pairs with billed = 0 are excluded and counted.

struct MapeResult {
  double mape_pct = 0;             // 100 × mean(|m − b| / b) over used pairs; NaN if none
  double max_ape_pct = 0;          // largest single |m − b| / b × 100; NaN if none
  double modelled_total = 0;       // Σ m over used pairs
  double billed_total = 0;         // Σ b over used pairs
  std::size_t pairs = 0;           // all pairs given
  std::size_t used = 0;            // billed > 0 and both finite
  std::size_t zero_billed = 0;     // billed == 0: excluded (|m − b| / 0 is undefined)
  std::size_t negative_billed = 0; // billed < 0 (credits, refunds): excluded
  std::size_t unknown = 0;         // NaN on either side: excluded
};
// Low level over pairs; the vectors must have the same length.
MapeResult cost_mape(const std::vector<double>& modelled, const std::vector<double>& billed);

// Which hours of an instance-hour record the model prices.
enum class ModelHours {
  charge_period,     // the charge period's overlap with the interval (default, §metrics.md)
  consumed_quantity, // ConsumedQuantity hours, spread evenly over the charge period
};
const char* to_string(ModelHours h);

struct CostMapeOptions {
  CostColumn column = CostColumn::billed;
  ModelHours hours = ModelHours::charge_period;
  bool standard_pricing_only = false; // exclude Committed/Dynamic records (not_standard_pricing)
};

struct CostPair {
  std::string resource_id;
  std::int64_t cell = 0;
  double modelled_usd = 0;
  double billed_usd = 0; // in the chosen column
};

struct CostMapeResult {
  CostColumn column = CostColumn::billed;
  ModelHours hours = ModelHours::charge_period;
  MapeResult mape;
  std::vector<CostPair> pairs; // sorted by resource, then cell
  RecordTally records;
};
// Modelled cost of (resource, cell) = Σ over its priceable records of catalog on-demand price ×
// hours of the record in the cell (per-second: overlap seconds / 3600, no rounding up, no
// 60-second minimum — a charge period is not a running span). Billed = Σ of the same records'
// chosen column × overlap / charge-period duration (pro rata). Unpriceable records are left
// out of both sides and counted by reason.
CostMapeResult cost_mape(const CostTrace& costs, const Catalog& catalog, const TimeGrid& grid,
                         const CostMapeOptions& opt = {});

// ---------------------------------------------------------------------------------------------
// Data availability per source — time-weighted shares of the grid's period, summing to 1.

struct Availability {
  double measured = 0;  // share of the period covered by measured samples
  double estimated = 0; // ... by samples the source flagged estimated
  double filled = 0;    // ... by samples an explicit fill policy produced
  double missing = 0;   // the rest: explicit missing samples and gaps
  std::int64_t cells = 0;
  TimeS period_s = 0;
  // Sample counts within the period (a sample overlapping the period counts once).
  std::size_t samples = 0;
  std::size_t samples_measured = 0, samples_estimated = 0, samples_filled = 0, samples_missing = 0;
  TimeS nominal_step_s = 0; // the most common sample duration in the period (0: none)
  double present() const { return measured + estimated + filled; }
};
// From the samples as the source gave them (exact per quality).
Availability availability(const RawSeries& raw, const TimeGrid& grid);
// From a resampled series: measured = coverage − estimated_share, except that in a cell holding
// a filled sample that part counts as filled (the grid does not separate them). No sample counts.
Availability availability(const GridSeries& series);

// ---------------------------------------------------------------------------------------------
// DPS — Data-Precision-Score per instance: 100 × mean(runtime, price, emission coverage).

struct DpsWeights {
  double estimated = 0.5; // weight of carbon data the source flagged estimated
  double filled = 0.0;    // weight of carbon data produced by a fill policy
};
// Emission coverage of cell i in [0, 1]: measured share + w_e × estimated share + w_f × filled.
double emission_credit(const GridSeries& carbon, std::int64_t i, const DpsWeights& w = {});

struct Dps {
  std::int64_t intervals = 0;
  double runtime_coverage = 0;  // mean of runtime[c]
  double price_coverage = 0;    // mean of price[c]
  double emission_coverage = 0; // mean of emission[c]
  double score = 0;             // 100 × (runtime + price + emission) / 3; NaN without intervals
};
// Low level over the instance's intervals: one value in [0, 1] per interval and coverage.
Dps data_precision_score(const std::vector<double>& runtime, const std::vector<double>& price,
                         const std::vector<double>& emission);

enum class PriceSource {
  bill,    // the record states a cost in the chosen column (not NULL)
  catalog, // the catalog has an on-demand price for the record's type and region
};
const char* to_string(PriceSource p);

struct InstanceDpsOptions {
  DpsWeights weights;
  TimeS label_offset_s = 0; // as for TAC
  CostColumn column = CostColumn::billed;
  PriceSource price = PriceSource::bill;
  bool instances_only = true; // only resources with an instance-hour record (instance_type)
};

struct InstanceDps {
  std::string resource_id;
  std::string instance_type; // of its first instance-hour record ("" if none)
  std::string region_id;
  std::int64_t first_cell = 0; // the instance's intervals: first..last runtime cell
  std::int64_t last_cell = 0;
  Dps dps;
};

struct DpsResult {
  std::vector<InstanceDps> instances; // sorted by resource id
  double mean_score = 0;              // mean over instances; NaN without instances
  RecordTally records;
};
// From billing and a carbon trace. An instance's intervals are the cells from its first to its
// last runtime cell (a cell overlapped by one of its usage records; for instances only its
// instance-hour records). `catalog` is needed for PriceSource::catalog (ConfigError if null).
DpsResult data_precision_scores(const CostTrace& costs, const GridSeries& carbon,
                                const Catalog* catalog, const InstanceDpsOptions& opt = {});

// ---------------------------------------------------------------------------------------------
// Aggregation fidelity — an aggregate recomputed from hourly data against the source's own
// published aggregate.

struct PeriodMean {
  double mean = 0;            // time-weighted mean of the known samples; NaN if none
  double coverage = 0;        // known seconds / period seconds
  double estimated_share = 0; // estimated seconds / period seconds
  std::size_t samples = 0;    // known samples overlapping the period
};
// Known (measured, estimated, filled) samples, clipped to [period.start_s, period.end_s).
PeriodMean period_mean(const RawSeries& raw, const Interval& period);
// [Jan 1 00:00 UTC of `year`, Jan 1 of year + 1).
Interval calendar_year(int year);

struct Fidelity {
  double computed = 0;
  double published = 0;
  double relative_difference = 0; // computed / published − 1 (signed); NaN if published is 0
  double abs_relative_difference = 0;
};
Fidelity aggregation_fidelity(double computed, double published);

// ---------------------------------------------------------------------------------------------
// kg CO2e per instance-month (operational + embodied), normalised to kHoursPerMonth = 730 h
// (cost.hpp, the same month AWS prices GB-months over) of the period.

struct InstanceCo2e {
  Emissions operational; // grams, with No-Fallback coverage and bounds
  double embodied_kg = 0;
  double period_h = 0;
  double total_kg = 0; // known operational + embodied, over the period
  double lower_kg = 0; // bounds of the total (operational bounds + embodied)
  double upper_kg = 0;
  // The same scaled by 730 / period_h: per instance and month of the period (calendar time,
  // not run time, so a stopped instance emits less per instance-month).
  double kg_per_instance_month = 0;
  double lower_kg_per_instance_month = 0;
  double upper_kg_per_instance_month = 0;
  double coverage() const { return operational.coverage(); }
  bool complete() const { return operational.complete(); }
};
// `energy_kwh[c]` is the instance's energy in cell c of intensity.grid (size grid.n; 0 when it
// does not run). Embodied emissions for the period come from the caller (energy.hpp's
// embodied_kg over the hours it ran). Bounds use the trace's observed extremes (accounting.hpp).
InstanceCo2e instance_co2e(const std::vector<double>& energy_kwh, const GridSeries& intensity,
                           double embodied_kg);

// ---------------------------------------------------------------------------------------------
// Published annual means (sim/io/import_published_means.cpp, in cfsim::cfsim — not the core):
// CSV `zonecode,<year>,<year>,...`, e.g. em-portal/mean_stats_eurosys24.csv (Sukprasert et al.,
// EuroSys 2024). An empty value is a zone-year without a published mean.

struct PublishedMeans {
  std::vector<int> years;                             // header order
  std::map<std::string, std::map<int, double>> means; // zone -> year -> g/kWh
  std::string origin;
  std::string sha256;
  // ConfigError naming the valid zones or the years published for the zone.
  double mean(const std::string& zone, int year) const;
};
PublishedMeans parse_published_means_csv(std::string_view text, std::string_view origin);
PublishedMeans load_published_means_csv(const std::string& path);

} // namespace cfsim
