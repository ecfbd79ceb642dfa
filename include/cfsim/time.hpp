// Time conventions (DESIGN §2): int64 seconds since the Unix epoch, UTC. A sample labels the
// interval that starts at its timestamp. A scenario runs on a regular grid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cfsim {

using TimeS = std::int64_t; // seconds since 1970-01-01 00:00:00 UTC

// Half-open interval [start_s, end_s).
struct Interval {
  TimeS start_s = 0;
  TimeS end_s = 0;
  TimeS duration_s() const { return end_s - start_s; }
  friend bool operator==(const Interval&, const Interval&) = default;
};

// A regular grid of n cells; cell i covers [start_s + i*step_s, start_s + (i+1)*step_s).
struct TimeGrid {
  TimeS start_s = 0;
  TimeS step_s = 3600;
  std::int64_t n = 0;

  TimeS cell_start(std::int64_t i) const { return start_s + i * step_s; }
  TimeS end_s() const { return start_s + n * step_s; }
  double step_h() const { return static_cast<double>(step_s) / 3600.0; }
  // Index of the cell containing t (may be outside [0, n)); floor division.
  std::int64_t cell_of(TimeS t) const;
  friend bool operator==(const TimeGrid&, const TimeGrid&) = default;
};

// Grid steps cfsim supports: 1 h, 30 min, 15 min, 5 min.
bool is_supported_step(TimeS step_s);

// Civil-calendar helpers (proleptic Gregorian, UTC), pure arithmetic.
struct CivilTime {
  int year = 1970;
  unsigned month = 1; // 1..12
  unsigned day = 1;   // 1..31
  int hour = 0, minute = 0, second = 0;
};
TimeS to_epoch(const CivilTime& c);
CivilTime to_civil(TimeS t);
unsigned weekday_of(TimeS t); // 0 = Monday ... 6 = Sunday (ISO)
std::int64_t days_from_civil(int y, unsigned m, unsigned d);

// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS][.fff][Z|+hh:mm]".
// Returns nullopt if the text is not one of these; a stated offset is applied (result UTC).
std::optional<TimeS> parse_utc(std::string_view text);
// "2020-03-29T01:00:00Z"
std::string format_utc(TimeS t);

} // namespace cfsim
