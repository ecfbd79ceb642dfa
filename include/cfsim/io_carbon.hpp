// Importers of grid-carbon data beyond the foundation formats (sim/io/import_em_api.cpp,
// import_em_live.cpp, import_watttime.cpp, import_uk_ci.cpp) and the canonical tidy writer.
// Every importer has a parse_* twin over text and reports `file:line: what (allowed)`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/io.hpp"
#include "cfsim/series.hpp"

namespace cfsim {

// Which end of its interval a source's timestamp labels (DESIGN §2: cfsim labels starts).
enum class Label { start, end };

// Electricity Maps API v3 `carbon-intensity/history` or `past-range` JSON
// ({"zone": .., "history"|"data": [{"datetime", "carbonIntensity", "isEstimated", ...}]}).
// null carbonIntensity → missing; isEstimated → estimated. `emissionFactorType` decides the basis.
struct EmApiOptions {
  SampleSpan span;
  // The basis the request asked for. Unset: the file must state emissionFactorType (older
  // responses do not, and cfsim does not guess). Set: items that state it must agree.
  std::optional<EmissionBasis> basis;
};
RawSeries parse_em_api_json(std::string_view text, std::string_view origin,
                            const EmApiOptions& opt = {});
RawSeries load_em_api_json(const std::string& path, const EmApiOptions& opt = {});

// Electricity Maps live-poll CSV (`zone_datetime,timestamp,carbon_intensity_avg,...`): real gaps
// stay gaps; `label` says whether zone_datetime starts or ends its hour (end: the sample covers
// [t − span, t); docs/formats.md on why label=end lines up with the portal export).
struct EmLiveOptions {
  std::string zone; // the file has no zone column
  Label label = Label::start;
  EmissionBasis basis = EmissionBasis::lifecycle;
  SampleSpan span;
};
RawSeries parse_em_live_csv(std::string_view text, std::string_view origin,
                            const EmLiveOptions& opt);
RawSeries load_em_live_csv(const std::string& path, const EmLiveOptions& opt);

// WattTime v3 `historical` JSON ({"data": [{"point_time", "value"}], "meta": {"units":
// "lbs_co2_per_mwh", "region", "signal_type": "co2_moer"}}): lbs/MWh × 0.45359237 = g/kWh;
// co2_moer → marginal signal (co2_aoer → average); sample span from data_point_period_seconds.
RawSeries parse_watttime_historical_json(std::string_view text, std::string_view origin);
RawSeries load_watttime_historical_json(const std::string& path);

// WattTime actual CSV archive (`time,<region>`); the unit is stated by the caller
// ("lbs_co2_per_mwh" → converted, "g_per_kwh" → as is). Marginal signal.
struct WattTimeCsvOptions {
  std::string units;  // required: no silent unit (DESIGN §3)
  std::string region; // column name; empty: the only value column
  SampleSpan span;
};
RawSeries parse_watttime_actual_csv(std::string_view text, std::string_view origin,
                                    const WattTimeCsvOptions& opt);
RawSeries load_watttime_actual_csv(const std::string& path, const WattTimeCsvOptions& opt);

// A recorded forecast archive: issue times, and for each issue the forecast points.
struct ForecastArchive {
  std::vector<TimeS> issued_s;             // sorted, one per issue
  std::vector<std::vector<TimeS>> point_s; // per issue: forecast interval starts
  std::vector<std::vector<double>> value;  // per issue: values (g/kWh); NaN = no value
  TimeS point_step_s = 0;                  // duration of one forecast point
  Provenance provenance;
};
// WattTime forecast CSV archive (`request_time,forecast_time,<region>`).
ForecastArchive parse_watttime_forecast_csv(std::string_view text, std::string_view origin,
                                            const WattTimeCsvOptions& opt);
ForecastArchive load_watttime_forecast_csv(const std::string& path, const WattTimeCsvOptions& opt);

// UK Carbon Intensity API JSON ({"data": [{"from", "to", "intensity": {"forecast", "actual",
// "index"}}]}), half-hourly; `actual` null → missing. The forecast values come back apart.
struct UkCiSeries {
  RawSeries actual;
  RawSeries forecast;
};
UkCiSeries parse_uk_ci_json(std::string_view text, std::string_view origin);
UkCiSeries load_uk_ci_json(const std::string& path);

// Writes the canonical tidy CSV (DESIGN §4): datetime_utc,zone,ci_g_per_kwh,ef_type,signal,
// is_estimated,source; missing samples as empty ci_g_per_kwh; one row per sample start.
std::string format_tidy_intensity_csv(const RawSeries& series);

} // namespace cfsim
