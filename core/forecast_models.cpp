// Forecast models (DESIGN §6): oracle, gaussian (Let's Wait Awhile §3) and persistence.
//
// Modelling choices and their limits:
// - gaussian noise is static, i.i.d. and unclipped, as in LWA: it models an unbiased forecast
//   whose error does not grow with the horizon. Real forecasts err more the further ahead they
//   look; the static model is what the published experiments use, not a claim about reality.
//   cfsim draws with its own Rng (mt19937_64 + Marsaglia polar), so it reproduces LWA
//   statistically, not bit for bit (LWA §3 "RNG").
// - persistence uses only observed truth strictly before the decision cell: the forecast of
//   the decision cell itself is yesterday's value, since the current cell is not yet over.
#include "cfsim/forecast_models.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "cfsim/error.hpp"
#include "cfsim/rng.hpp"

namespace cfsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The only list of forecast kind names (`cfsim strategies` prints it with these texts).
struct KindEntry {
  ForecastKind kind;
  const char* name;
  const char* summary;
  const char* params;
  const char* source;
};
constexpr std::array<KindEntry, 4> kKinds{{
    {ForecastKind::oracle, "oracle", "the recorded intensity itself (a perfect forecast)", "none",
     "upper bound of what a forecast can give; Let's Wait Awhile and GAIA with e = 0"},
    {ForecastKind::gaussian, "gaussian",
     "recorded intensity + N(0, sigma) per cell, sigma = error x mean intensity of the period, "
     "one static seeded noise vector per scenario and seed (no clipping)",
     "error (relative noise level e >= 0, required, e.g. 0.05)",
     "Wiesner et al., Let's Wait Awhile, Middleware 2021, section 5 (forecast error model)"},
    {ForecastKind::persistence, "persistence",
     "same slot yesterday: a future cell shows the latest same-time-of-day value before the "
     "decision",
     "none", "the naive day-ahead baseline of load and carbon forecasting"},
    {ForecastKind::replay, "replay",
     "a recorded forecast archive: at each decision the latest forecast issued at or before it, "
     "never the actuals",
     "file (WattTime CSV request_time,forecast_time,<region>), units (g_per_kwh | "
     "lbs_co2_per_mwh, required), region (value column)",
     "WattTime v3 forecast archive (data in ../shared/data/watttime/)"},
}};

std::string allowed_kinds() {
  std::string s;
  for (const auto& k : kKinds) {
    if (!s.empty())
      s += ", ";
    s += k.name;
  }
  return s;
}

ForecastKind kind_from_name(const std::string& name, const std::string& context) {
  for (const auto& k : kKinds)
    if (name == k.name)
      return k.kind;
  throw ConfigError(context + ": unknown forecast kind '" + name +
                    "' (allowed: " + allowed_kinds() + ")");
}

std::string shortest(double x) {
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  CFSIM_CHECK(r.ec == std::errc(), "to_chars failed");
  return std::string(buf.data(), r.ptr);
}

std::size_t idx(std::int64_t i) {
  return static_cast<std::size_t>(i);
}

void check_truth(const GridSeries& truth) {
  const std::size_t n = idx(truth.grid.n);
  CFSIM_CHECK(truth.grid.n >= 0 && truth.value.size() == n && truth.coverage.size() == n,
              "grid series has " + std::to_string(truth.value.size()) + " values and " +
                  std::to_string(truth.coverage.size()) + " coverages for a grid of " +
                  std::to_string(truth.grid.n) + " cells");
}

} // namespace

std::vector<ForecastKindInfo> forecast_kind_infos() {
  std::vector<ForecastKindInfo> out;
  for (const KindEntry& k : kKinds)
    out.push_back({k.name, k.summary, k.params, k.source});
  return out;
}

const char* to_string(ForecastKind k) {
  for (const auto& e : kKinds)
    if (e.kind == k)
      return e.name;
  return "?";
}

ForecastSpec parse_forecast_spec(const Value& v, const std::string& context) {
  ForecastSpec spec;
  if (v.is_string()) {
    spec.kind = kind_from_name(v.as_string(context), context);
    if (spec.kind == ForecastKind::gaussian)
      throw ConfigError(context + ": kind 'gaussian' needs an error level, write "
                                  "{\"kind\": \"gaussian\", \"error\": e}");
    if (spec.kind == ForecastKind::replay)
      throw ConfigError(context +
                        ": kind 'replay' needs its archive, write {\"kind\": "
                        "\"replay\", \"file\": \"forecast.csv\", \"units\": \"g_per_kwh\"}");
    return spec;
  }
  ParamReader p(v, context);
  spec.kind = kind_from_name(p.string_required("kind"), context);
  if (spec.kind == ForecastKind::gaussian) {
    spec.error = p.number_required("error");
    if (!std::isfinite(spec.error) || spec.error < 0)
      throw ConfigError(context + ": parameter 'error' is " + shortest(spec.error) +
                        " (allowed: a finite number >= 0, the noise sd as a fraction of the "
                        "mean intensity)");
  } else if (spec.kind == ForecastKind::replay) {
    spec.archive_file = p.string_required("file");
    spec.archive_units = p.string_required("units");
    spec.archive_region = p.string("region", "");
  } else if (p.value("error") != nullptr) {
    throw ConfigError(context + ": parameter 'error' applies only to kind 'gaussian', not '" +
                      to_string(spec.kind) + "'");
  }
  p.finish();
  return spec;
}

std::string to_string(const ForecastSpec& spec) {
  if (spec.kind == ForecastKind::gaussian)
    return "gaussian(e=" + shortest(spec.error) + ")";
  if (spec.kind == ForecastKind::replay)
    return "replay(" + spec.archive_file + ")";
  return to_string(spec.kind);
}

std::vector<double> static_forecast(const GridSeries& truth, const ForecastSpec& spec,
                                    std::uint64_t seed, std::uint64_t stream) {
  check_truth(truth);
  CFSIM_CHECK(spec.kind != ForecastKind::persistence && spec.kind != ForecastKind::replay,
              "persistence and replay are not static forecasts");
  CFSIM_CHECK(std::isfinite(spec.error) && spec.error >= 0, "forecast error must be >= 0");
  const std::int64_t n = truth.grid.n;
  std::vector<double> seen(idx(n), kNaN);
  for (std::int64_t i = 0; i < n; ++i)
    if (truth.known(i))
      seen[idx(i)] = truth.value[idx(i)];
  if (spec.kind == ForecastKind::oracle || spec.error == 0.0)
    return seen; // exactly the truth
  const KnownRange range = known_range(truth);
  if (!range.any)
    return seen; // nothing known: nothing to perturb
  const double sigma = spec.error * range.mean;
  Rng rng(seed, stream);
  for (std::int64_t i = 0; i < n; ++i) {
    const double z = rng.normal(); // drawn for unknown cells too: noise independent of gaps
    if (truth.known(i))
      seen[idx(i)] += sigma * z;
  }
  return seen;
}

std::int64_t cells_per_day(const TimeGrid& grid) {
  CFSIM_CHECK(grid.step_s > 0 && 86400 % grid.step_s == 0,
              "grid step " + std::to_string(grid.step_s) + " s does not divide a day");
  return 86400 / grid.step_s;
}

double persistence_value(const GridSeries& truth, std::int64_t decision_cell, std::int64_t cell) {
  CFSIM_CHECK(cell >= 0 && cell < truth.grid.n, "persistence of cell " + std::to_string(cell) +
                                                    " outside a grid of " +
                                                    std::to_string(truth.grid.n) + " cells");
  std::int64_t source = cell;
  if (cell >= decision_cell) {
    const std::int64_t d = cells_per_day(truth.grid);
    source = cell - ((cell - decision_cell) / d + 1) * d;
  }
  if (source < 0 || !truth.known(source))
    return kNaN;
  return truth.value[idx(source)];
}

void persistence_window(const GridSeries& truth, std::int64_t decision_cell,
                        std::int64_t first_cell, std::int64_t end_cell, std::vector<double>& values,
                        std::vector<std::uint8_t>& known) {
  check_truth(truth);
  CFSIM_CHECK(values.size() == idx(truth.grid.n) && known.size() == values.size(),
              "persistence window needs one value and one known flag per grid cell");
  CFSIM_CHECK(0 <= first_cell && first_cell <= end_cell && end_cell <= truth.grid.n,
              "persistence window [" + std::to_string(first_cell) + ", " +
                  std::to_string(end_cell) + ") outside the grid");
  for (std::int64_t c = first_cell; c < end_cell; ++c) {
    const double v = persistence_value(truth, decision_cell, c);
    values[idx(c)] = v;
    known[idx(c)] = std::isnan(v) ? 0 : 1;
  }
}

ForecastErrors forecast_errors(const std::vector<double>& seen, const GridSeries& truth) {
  check_truth(truth);
  CFSIM_CHECK(seen.size() == truth.value.size(), "forecast has " + std::to_string(seen.size()) +
                                                     " values for a truth of " +
                                                     std::to_string(truth.value.size()));
  ForecastErrors r;
  double sum_abs = 0, sum_sq = 0, sum = 0, sum_rel = 0;
  for (std::int64_t i = 0; i < truth.grid.n; ++i) {
    const double s = seen[idx(i)];
    if (!truth.known(i) || std::isnan(s))
      continue;
    const double t = truth.value[idx(i)];
    const double d = s - t;
    ++r.n;
    sum += d;
    sum_abs += std::abs(d);
    sum_sq += d * d;
    if (t != 0.0) {
      ++r.n_mape;
      sum_rel += std::abs(d) / std::abs(t);
    }
  }
  const double n = static_cast<double>(r.n);
  r.mae = r.n > 0 ? sum_abs / n : kNaN;
  r.rmse = r.n > 0 ? std::sqrt(sum_sq / n) : kNaN;
  r.bias = r.n > 0 ? sum / n : kNaN;
  r.mape_pct = r.n_mape > 0 ? 100.0 * sum_rel / static_cast<double>(r.n_mape) : kNaN;
  return r;
}

ForecastErrors persistence_errors(const GridSeries& truth) {
  check_truth(truth);
  std::vector<double> seen(idx(truth.grid.n), kNaN);
  // Decision at the cell itself: the cell one day earlier, NaN on the first day.
  for (std::int64_t i = 0; i < truth.grid.n; ++i)
    seen[idx(i)] = persistence_value(truth, i, i);
  return forecast_errors(seen, truth);
}

} // namespace cfsim
