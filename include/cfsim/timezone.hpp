// UTC offsets of an IANA time zone over a period. The core computes with these tables; the
// tz database itself is read at the edge (sim/io/timezone_db.cpp, Howard Hinnant's date/tz), so
// the core stays free of I/O and tests can hand it a table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/time.hpp"

namespace cfsim {

// offset_s[i] (local − UTC, seconds) applies from change_s[i] (UTC) until change_s[i + 1].
struct UtcOffsetTable {
  std::string zone;
  std::vector<TimeS> change_s;
  std::vector<std::int32_t> offset_s;

  std::int32_t offset_at(TimeS utc) const;
  // Converts a local wall-clock time to UTC. A local time that does not exist (spring-forward
  // gap) maps to the instant the gap ends; an ambiguous one (fall back) to its first occurrence.
  TimeS local_to_utc(TimeS local_as_if_utc) const;
  static UtcOffsetTable fixed(const std::string& zone, std::int32_t offset_s);
};

class TimeZoneDb {
public:
  virtual ~TimeZoneDb() = default;
  // Offsets covering [from_s, to_s); throws ConfigError for an unknown zone name.
  virtual UtcOffsetTable offsets(const std::string& zone, TimeS from_s, TimeS to_s) const = 0;
};

} // namespace cfsim
