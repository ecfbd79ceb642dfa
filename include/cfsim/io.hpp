// Input adapters (sim/io/): trace importers, the catalog loader, the tz database, file hashing.
// Every importer has a parse_* twin over text (tests call it without disk) and a load_* that
// reads a file, hashes it and sets the provenance. Errors: TraceError "file:line: what (allowed)".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/catalog.hpp"
#include "cfsim/series.hpp"
#include "cfsim/timezone.hpp"
#include "cfsim/workload.hpp"

namespace cfsim {

// Reads a whole file; InputError (exit 66) naming the path if it cannot be opened.
std::string read_file(const std::string& path);
// Lower-case hex sha256 of bytes (OpenSSL EVP).
std::string sha256_hex(std::string_view bytes);

// How a sample's interval end is inferred for formats that only give its start: a sample holds
// until the next one, but at most `max_sample_s`; 0 = the file's most common spacing. A longer
// spacing leaves a gap (missing data), which is never filled.
struct SampleSpan {
  TimeS max_sample_s = 0;
};

// Tidy canonical CSV (DESIGN §4):
// datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source
// One zone per file (or select one with `zone`); ef_type lifecycle|direct; signal
// average|marginal; is_estimated true|false; an empty ci_g_per_kwh is an explicit missing sample.
struct TidyOptions {
  std::string zone; // empty: the file must hold exactly one zone
  SampleSpan span;
};
RawSeries parse_tidy_intensity_csv(std::string_view text, std::string_view origin,
                                   const TidyOptions& opt = {});
RawSeries load_tidy_intensity_csv(const std::string& path, const TidyOptions& opt = {});

// Two-column CSV as published with research code (`Time,Carbon Intensity`, naive UTC times,
// possibly mixed resolution in one file). Signal and basis are stated by the caller.
struct TwoColumnOptions {
  std::string zone;
  SignalKind signal = SignalKind::average;
  EmissionBasis basis = EmissionBasis::lifecycle;
  std::string source = "two-column-csv";
  SampleSpan span;
};
RawSeries parse_two_column_csv(std::string_view text, std::string_view origin,
                               const TwoColumnOptions& opt);
RawSeries load_two_column_csv(const std::string& path, const TwoColumnOptions& opt);

// Electricity Maps data-portal CSV (hourly/daily exports). `Data Estimated` true → estimated.
// Header generations: "Carbon Intensity gCO₂eq/kWh (LCA)" / "(direct)" and
// "Carbon intensity gCO₂eq/kWh (Life cycle)" / "(direct)"; ASCII "gCO2eq" accepted too.
struct EmPortalOptions {
  EmissionBasis basis = EmissionBasis::lifecycle;
  SampleSpan span; // default: the file's spacing (1 h for hourly exports)
};
RawSeries parse_em_portal_csv(std::string_view text, std::string_view origin,
                              const EmPortalOptions& opt = {});
RawSeries load_em_portal_csv(const std::string& path, const EmPortalOptions& opt = {});

// GAIA job trace CSV: arrival_time,length,cpus (seconds, seconds, cores), relative to
// `period_start_s`. Every job gets `max_wait_s` and `interruptible`.
struct JobCsvOptions {
  TimeS period_start_s = 0;
  TimeS max_wait_s = 0;
  bool interruptible = false;
};
std::vector<Job> parse_gaia_jobs_csv(std::string_view text, std::string_view origin,
                                     const JobCsvOptions& opt);
std::vector<Job> load_gaia_jobs_csv(const std::string& path, const JobCsvOptions& opt);

// The instance catalog from a directory holding instances.json, coefficients.json and
// regions.json (scenarios/catalog/). ConfigError "file: what is wrong" on bad content.
Catalog load_catalog(const std::string& dir);
Catalog parse_catalog(std::string_view instances_json, std::string_view coefficients_json,
                      std::string_view regions_json, std::string_view origin);

// The system tz database (/usr/share/zoneinfo) through Howard Hinnant's date/tz.
std::unique_ptr<TimeZoneDb> system_time_zone_db();

} // namespace cfsim
