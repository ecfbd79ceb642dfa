// The system tz database (/usr/share/zoneinfo, USE_OS_TZDB=1) through Howard Hinnant's date/tz
// (libstdc++ 12 has no std::chrono time zones). The only place cfsim reads time zone rules; the
// core receives the result as a UtcOffsetTable.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <date/tz.h>
#include <exception>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"

namespace cfsim {

namespace {

bool equal_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const date::tzdb& database() {
  try {
    return date::get_tzdb();
  } catch (const std::exception& e) {
    throw InputError(std::string("cannot read the time zone database /usr/share/zoneinfo: ") +
                     e.what());
  }
}

[[noreturn]] void unknown_zone(const date::tzdb& db, const std::string& zone) {
  std::string hint;
  for (const date::time_zone& z : db.zones)
    if (equal_ignoring_case(z.name(), zone))
      hint = "; did you mean \"" + z.name() + "\"?";
  throw ConfigError("unknown time zone '" + zone +
                    "' (expected an IANA time zone name such as \"Europe/Berlin\" or "
                    "\"America/New_York\"" +
                    hint + ")");
}

class SystemTimeZoneDb final : public TimeZoneDb {
public:
  UtcOffsetTable offsets(const std::string& zone, TimeS from_s, TimeS to_s) const override {
    const date::tzdb& db = database();
    const date::time_zone* tz = nullptr;
    try {
      tz = date::locate_zone(zone); // the free function: Debian's libdate-tz exports no member
    } catch (const std::exception&) {
      unknown_zone(db, zone);
    }
    UtcOffsetTable table;
    table.zone = zone;
    // Walk the zone's sys_info eras from the one containing from_s; eras that differ only in
    // abbreviation or DST flag but not in offset are merged.
    date::sys_info info = tz->get_info(date::sys_seconds(std::chrono::seconds(from_s)));
    for (;;) {
      const auto offset = static_cast<std::int32_t>(info.offset.count());
      if (table.offset_s.empty() || table.offset_s.back() != offset) {
        table.change_s.push_back(info.begin.time_since_epoch().count());
        table.offset_s.push_back(offset);
      }
      if (info.end.time_since_epoch().count() >= to_s)
        break;
      info = tz->get_info(info.end);
    }
    return table;
  }
};

} // namespace

std::unique_ptr<TimeZoneDb> system_time_zone_db() {
  return std::make_unique<SystemTimeZoneDb>();
}

} // namespace cfsim
