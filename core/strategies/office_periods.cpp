// Office-hours schedules: AWS Instance Scheduler period rules (see office_hours.cpp for the
// source and the modelling choices), parsed once and shared by office_hours and
// carbon_office_hours.
#include "strategies/office_periods.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/error.hpp"

namespace cfsim::strategies {

namespace {

constexpr TimeS kDay = 86400;

constexpr const char* kTimeAllowed = "HH:MM from 00:00 to 23:59";
constexpr const char* kWeekdaysAllowed =
    "day names mon..sun or numbers 0..6 (0 = Monday), ranges like mon-fri, lists like "
    "mon,wed,fri, the nth weekday of the month like mon#1 (n = 1..5), the last one like friL";
constexpr const char* kMonthdaysAllowed =
    "day numbers 1..31, ranges like 1-15, lists like 1,15, L for the last day of the month, "
    "nW for the weekday nearest to day n like 15W";
constexpr const char* kMonthsAllowed =
    "month names jan..dec or numbers 1..12, ranges like jan-mar, lists like jan,jul";

constexpr std::array<std::string_view, 7> kDayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// A local calendar day with what the day rules look at.
struct LocalDay {
  unsigned month = 1, day = 1, weekday = 0, days_in_month = 31; // weekday 0 = Monday
};

LocalDay local_day(std::int64_t day_index) {
  const TimeS midnight = day_index * kDay;
  const CivilTime c = to_civil(midnight);
  const bool december = c.month == 12;
  const std::int64_t next_month =
      days_from_civil(december ? c.year + 1 : c.year, december ? 1u : c.month + 1, 1);
  return {c.month, c.day, weekday_of(midnight),
          static_cast<unsigned>(next_month - days_from_civil(c.year, c.month, 1))};
}

// Syntax errors name the parameter, the bad text and what is allowed.
struct Field {
  std::string where; // e.g. "strategy 'office_hours': periods[0].weekdays"
  std::string text;
  const char* allowed;
  [[noreturn]] void fail(const std::string& why) const {
    throw ConfigError(where + ": '" + text + "': " + why + " (allowed: " + allowed + ")");
  }
};

// Comma-separated items, trimmed and lower-cased; an empty item is an error.
std::vector<std::string> items(const Field& f) {
  std::vector<std::string> out(1);
  for (const char c : f.text) {
    if (c == ',') {
      out.emplace_back();
    } else if (c != ' ' && c != '\t') {
      out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  for (const std::string& item : out)
    if (item.empty())
      f.fail("empty list item");
  return out;
}

std::optional<unsigned> small_number(std::string_view s) {
  unsigned v = 0;
  if (s.empty() || s.size() > 2)
    return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size())
    return std::nullopt;
  return v;
}

// A weekday (0..6) or month (1..12) from its three-letter or full name, or its number.
template <std::size_t N>
std::optional<unsigned> named(std::string_view s, const std::array<std::string_view, N>& names,
                              unsigned first_number) {
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i] || s == names[i].substr(0, 3))
      return static_cast<unsigned>(i) + first_number;
  const auto n = small_number(s);
  if (n && *n >= first_number && *n < first_number + N)
    return n;
  return std::nullopt;
}

// Fills values a..b of `set`, wrapping past the last value ("fri-mon", "nov-feb").
template <std::size_t M>
void fill_range(std::array<bool, M>& set, unsigned a, unsigned b, unsigned first) {
  for (unsigned v = a;; v = (v + 1 < M) ? v + 1 : first) {
    set[v] = true;
    if (v == b)
      break;
  }
}

// Seconds after local midnight.
TimeS parse_time(const Field& f) {
  const std::string& s = f.text;
  const auto colon = s.find(':');
  if (colon == std::string::npos || s.size() - colon != 3)
    f.fail("not a time of day");
  const auto h = small_number(std::string_view(s).substr(0, colon));
  const auto m = small_number(std::string_view(s).substr(colon + 1));
  if (!h || !m)
    f.fail("not a time of day");
  if (*h > 23 || *m > 59)
    f.fail("hour or minute out of range");
  return static_cast<TimeS>(*h) * 3600 + static_cast<TimeS>(*m) * 60;
}

struct WeekdayRule {
  std::array<bool, 7> every{};            // every such weekday
  std::array<std::uint8_t, 7> nth_mask{}; // bit n: the nth such weekday of the month
  std::array<bool, 7> last{};             // the last such weekday of the month

  bool matches(const LocalDay& d) const {
    const unsigned nth = (d.day - 1) / 7 + 1;
    return every[d.weekday] || ((nth_mask[d.weekday] >> nth) & 1u) != 0 ||
           (last[d.weekday] && d.day + 7 > d.days_in_month);
  }

  static WeekdayRule parse(const Field& f) {
    WeekdayRule r;
    for (const std::string& item : items(f)) {
      const auto day = [&](std::string_view s) {
        const auto v = named(s, kDayNames, 0);
        if (!v)
          f.fail("unknown weekday '" + std::string(s) + "'");
        return *v;
      };
      if (const auto hash = item.find('#'); hash != std::string::npos) {
        const auto n = small_number(std::string_view(item).substr(hash + 1));
        if (!n || *n < 1 || *n > 5)
          f.fail("the n in day#n must be 1..5, got '" + item.substr(hash + 1) + "'");
        r.nth_mask[day(std::string_view(item).substr(0, hash))] |=
            static_cast<std::uint8_t>(1u << *n);
      } else if (item.size() > 1 && item.back() == 'l') {
        r.last[day(std::string_view(item).substr(0, item.size() - 1))] = true;
      } else if (const auto dash = item.find('-'); dash != std::string::npos) {
        fill_range(r.every, day(std::string_view(item).substr(0, dash)),
                   day(std::string_view(item).substr(dash + 1)), 0);
      } else {
        r.every[day(item)] = true;
      }
    }
    return r;
  }
};

struct MonthdayRule {
  std::array<bool, 32> every{}; // index = day of month
  bool last = false;
  std::vector<unsigned> nearest_weekday; // "nW"

  // Nearest weekday to day n, never leaving the month (cron "W" semantics): a Saturday moves
  // to Friday, a Sunday to Monday, except at the month's edges (1st → Monday 3rd, last → Friday).
  static bool is_nearest_weekday(unsigned n, const LocalDay& d) {
    if (n > d.days_in_month)
      return false;
    const unsigned wd_n = (d.weekday + 7 * 5 + n - d.day) % 7; // weekday of day n
    unsigned target = n;
    if (wd_n == 5)
      target = n == 1 ? 3 : n - 1;
    if (wd_n == 6)
      target = n == d.days_in_month ? n - 2 : n + 1;
    return d.day == target;
  }

  bool matches(const LocalDay& d) const {
    if (every[d.day] || (last && d.day == d.days_in_month))
      return true;
    return std::any_of(nearest_weekday.begin(), nearest_weekday.end(),
                       [&](unsigned n) { return is_nearest_weekday(n, d); });
  }

  static MonthdayRule parse(const Field& f) {
    MonthdayRule r;
    for (const std::string& item : items(f)) {
      const auto day = [&](std::string_view s) {
        const auto v = small_number(s);
        if (!v || *v < 1 || *v > 31)
          f.fail("'" + std::string(s) + "' is not a day 1..31");
        return *v;
      };
      if (item == "l") {
        r.last = true;
      } else if (item.size() > 1 && item.back() == 'w') {
        r.nearest_weekday.push_back(day(std::string_view(item).substr(0, item.size() - 1)));
      } else if (const auto dash = item.find('-'); dash != std::string::npos) {
        const unsigned a = day(std::string_view(item).substr(0, dash));
        const unsigned b = day(std::string_view(item).substr(dash + 1));
        if (a > b)
          f.fail("range '" + item + "' runs backwards");
        for (unsigned v = a; v <= b; ++v)
          r.every[v] = true;
      } else {
        r.every[day(item)] = true;
      }
    }
    return r;
  }
};

struct MonthRule {
  std::array<bool, 13> every{}; // index = month 1..12

  bool matches(const LocalDay& d) const { return every[d.month]; }

  static MonthRule parse(const Field& f) {
    MonthRule r;
    for (const std::string& item : items(f)) {
      const auto month = [&](std::string_view s) {
        const auto v = named(s, kMonthNames, 1);
        if (!v)
          f.fail("unknown month '" + std::string(s) + "'");
        return *v;
      };
      if (const auto dash = item.find('-'); dash != std::string::npos) {
        fill_range(r.every, month(std::string_view(item).substr(0, dash)),
                   month(std::string_view(item).substr(dash + 1)), 1);
      } else {
        r.every[month(item)] = true;
      }
    }
    return r;
  }
};

} // namespace

struct OfficeSchedule::Period {
  TimeS begin_s = 0;  // local seconds after midnight
  TimeS end_s = kDay; // exclusive; kDay = the next local midnight
  std::optional<WeekdayRule> weekdays;
  std::optional<MonthdayRule> monthdays;
  std::optional<MonthRule> months;

  bool runs_on(const LocalDay& d) const {
    return (!weekdays || weekdays->matches(d)) && (!monthdays || monthdays->matches(d)) &&
           (!months || months->matches(d));
  }
};

namespace {

using Period = OfficeSchedule::Period;

Period parse_period(const Value& v, const std::string& where) {
  ParamReader p(v, where);
  Period period;
  bool any = false;
  const auto field = [&](const char* key, const char* allowed) -> std::optional<Field> {
    const Value* x = p.value(key);
    if (x == nullptr)
      return std::nullopt;
    any = true;
    const std::string name = where + "." + key;
    return Field{name, x->as_string(name), allowed};
  };
  if (const auto f = field("begin", kTimeAllowed))
    period.begin_s = parse_time(*f);
  if (const auto f = field("end", kTimeAllowed))
    period.end_s = parse_time(*f);
  if (const auto f = field("weekdays", kWeekdaysAllowed))
    period.weekdays = WeekdayRule::parse(*f);
  if (const auto f = field("monthdays", kMonthdaysAllowed))
    period.monthdays = MonthdayRule::parse(*f);
  if (const auto f = field("months", kMonthsAllowed))
    period.months = MonthRule::parse(*f);
  p.finish();
  if (!any)
    throw ConfigError(where + ": a period needs at least one of begin, end, weekdays, "
                              "monthdays, months");
  if (period.begin_s >= period.end_s)
    throw ConfigError(where + ": begin must be earlier than end (a period cannot cross "
                              "midnight; use two periods, e.g. 22:00-23:59 and 00:00-06:00)");
  return period;
}

} // namespace

OfficeSchedule OfficeSchedule::read(ParamReader& p) {
  OfficeSchedule s;
  s.context_ = p.context();
  s.zone_ = p.string_required("timezone");
  if (s.zone_.empty())
    throw ConfigError(s.context_ + ": parameter 'timezone' must be an IANA time zone name such "
                                   "as \"Europe/Berlin\"");
  const Value* periods_value = p.value("periods");
  const double lag_min = p.number("lag_min", 5.0);

  if (periods_value == nullptr)
    throw ConfigError(s.context_ + ": parameter 'periods' is required");
  const Value::Array& list = periods_value->as_array(s.context_ + ": parameter 'periods'");
  if (list.empty())
    throw ConfigError(s.context_ + ": parameter 'periods' needs at least one period");
  std::vector<Period> periods;
  for (std::size_t i = 0; i < list.size(); ++i)
    periods.push_back(parse_period(list[i], s.context_ + ": periods[" + std::to_string(i) + "]"));
  s.periods_ = std::make_shared<const std::vector<Period>>(std::move(periods));

  if (!std::isfinite(lag_min) || lag_min < 0 || lag_min > 1440)
    throw ConfigError(s.context_ + ": parameter 'lag_min' must be 0..1440 minutes, got " +
                      std::to_string(lag_min));
  s.lag_s_ = static_cast<TimeS>(std::llround(lag_min * 60.0));
  return s;
}

OfficeSchedule::Days OfficeSchedule::days(const TimeZoneDb& db, const std::string& group,
                                          TimeS from_s, TimeS to_s) const {
  // Local days overlapping the period, with two days' margin: offsets are within ±14 h and
  // the lag at most a day. The offset table gets a further margin around those days.
  Days d;
  d.first = floor_div(from_s, kDay) - 2;
  d.last = floor_div(to_s, kDay) + 2;
  try {
    d.table = db.offsets(zone_, (d.first - 1) * kDay, (d.last + 2) * kDay);
  } catch (const ConfigError& e) {
    throw ConfigError("fleet group '" + group + "': " + context_ + ": " + e.what());
  }
  return d;
}

std::vector<Interval> OfficeSchedule::day_spans(const UtcOffsetTable& table, std::int64_t day,
                                                TimeS from_s, TimeS to_s) const {
  std::vector<Interval> out;
  const LocalDay local = local_day(day);
  for (const Period& p : *periods_) {
    if (!p.runs_on(local))
      continue;
    const TimeS start = std::max(table.local_to_utc(day * kDay + p.begin_s) + lag_s_, from_s);
    const TimeS stop = std::min(table.local_to_utc(day * kDay + p.end_s) + lag_s_, to_s);
    if (start < stop)
      out.push_back({start, stop});
  }
  return out;
}

std::vector<Interval> OfficeSchedule::spans(const TimeZoneDb& db, const std::string& group,
                                            TimeS from_s, TimeS to_s) const {
  if (to_s <= from_s)
    return {};
  const Days d = days(db, group, from_s, to_s);
  std::vector<Interval> all;
  for (std::int64_t day = d.first; day <= d.last; ++day) {
    const std::vector<Interval> s = day_spans(d.table, day, from_s, to_s);
    all.insert(all.end(), s.begin(), s.end());
  }
  return merge_spans(std::move(all));
}

std::vector<Interval> merge_spans(std::vector<Interval> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Interval& a, const Interval& b) { return a.start_s < b.start_s; });
  std::vector<Interval> merged; // overlapping or touching spans are one running span
  for (const Interval& s : spans) {
    if (!merged.empty() && s.start_s <= merged.back().end_s)
      merged.back().end_s = std::max(merged.back().end_s, s.end_s);
    else
      merged.push_back(s);
  }
  return merged;
}

TimeS parse_time_of_day(const std::string& where, const std::string& text, bool allow_24) {
  if (allow_24 && text == "24:00")
    return kDay;
  return parse_time(
      Field{where, text, allow_24 ? "HH:MM from 00:00 to 23:59, or 24:00" : kTimeAllowed});
}

} // namespace cfsim::strategies
