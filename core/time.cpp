#include "cfsim/time.hpp"

#include <cstdio>

namespace cfsim {

namespace {
constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}

// Reads exactly `n` digits at text[pos...]; -1 if not digits.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size())
    return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9')
      return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return (m == 2 && leap) ? 29u : kDays[m - 1];
}
} // namespace

std::int64_t TimeGrid::cell_of(TimeS t) const {
  return floor_div(t - start_s, step_s);
}

bool is_supported_step(TimeS step_s) {
  return step_s == 3600 || step_s == 1800 || step_s == 900 || step_s == 300;
}

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

TimeS to_epoch(const CivilTime& c) {
  return days_from_civil(c.year, c.month, c.day) * kDay + c.hour * 3600 + c.minute * 60 + c.second;
}

CivilTime to_civil(TimeS t) {
  const std::int64_t days = floor_div(t, kDay);
  const std::int64_t secs = t - days * kDay;
  // civil_from_days (same source as above).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilTime c;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int>(y + (c.month <= 2));
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>((secs % 3600) / 60);
  c.second = static_cast<int>(secs % 60);
  return c;
}

unsigned weekday_of(TimeS t) {
  // 1970-01-01 was a Thursday (ISO index 3).
  const std::int64_t days = floor_div(t, kDay);
  return static_cast<unsigned>(((days % 7) + 7 + 3) % 7);
}

std::optional<TimeS> parse_utc(std::string_view s) {
  const int y = digits(s, 0, 4);
  if (y < 0 || s.size() < 10 || s[4] != '-' || s[7] != '-')
    return std::nullopt;
  const int mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (mo < 1 || mo > 12 || d < 1 ||
      d > static_cast<int>(days_in_month(y, static_cast<unsigned>(mo))))
    return std::nullopt;
  CivilTime c{y, static_cast<unsigned>(mo), static_cast<unsigned>(d), 0, 0, 0};
  std::size_t pos = 10;
  if (pos < s.size()) {
    if (s[pos] != ' ' && s[pos] != 'T')
      return std::nullopt;
    const int h = digits(s, pos + 1, 2);
    if (h < 0 || h > 23 || pos + 3 >= s.size() || s[pos + 3] != ':')
      return std::nullopt;
    const int mi = digits(s, pos + 4, 2);
    if (mi < 0 || mi > 59)
      return std::nullopt;
    c.hour = h;
    c.minute = mi;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      const int se = digits(s, pos + 1, 2);
      if (se < 0 || se > 59)
        return std::nullopt;
      c.second = se;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') { // fractional seconds: must be zero
        ++pos;
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (s[pos] != '0')
            return std::nullopt;
          ++pos;
        }
        if (pos == start)
          return std::nullopt;
      }
    }
  }
  TimeS t = to_epoch(c);
  if (pos == s.size())
    return t;
  if (s[pos] == 'Z' && pos + 1 == s.size())
    return t;
  if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
    const int oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || oh > 14 || om > 59)
      return std::nullopt;
    const TimeS off = oh * 3600 + om * 60;
    return s[pos] == '+' ? t - off : t + off;
  }
  return std::nullopt;
}

std::string format_utc(TimeS t) {
  const CivilTime c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

} // namespace cfsim
