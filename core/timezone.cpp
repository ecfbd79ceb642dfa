// UTC offset tables: the core's view of a time zone (the tz database is read in sim/io/).
//
// A table is a step function: offset_s[i] applies from change_s[i] until change_s[i + 1]. The
// first entry also applies before change_s[0] and the last one after the final change, so a
// table built for a period answers for instants slightly outside it with the nearest known
// offset instead of failing; callers ask the database for a margin around what they need.
#include "cfsim/timezone.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "cfsim/error.hpp"

namespace cfsim {

namespace {

// Index of the entry in force at `utc` (0 before the first change).
std::size_t entry_at(const UtcOffsetTable& t, TimeS utc) {
  const auto it = std::upper_bound(t.change_s.begin(), t.change_s.end(), utc);
  if (it == t.change_s.begin())
    return 0;
  return static_cast<std::size_t>(it - t.change_s.begin()) - 1;
}

void check_table(const UtcOffsetTable& t) {
  CFSIM_CHECK(!t.change_s.empty() && t.change_s.size() == t.offset_s.size(),
              "UtcOffsetTable '" + t.zone + "' needs one offset per change and at least one entry");
}

} // namespace

std::int32_t UtcOffsetTable::offset_at(TimeS utc) const {
  check_table(*this);
  return offset_s[entry_at(*this, utc)];
}

// A local wall-clock time L is valid in entry i when L − offset_s[i] lies in entry i's UTC span.
// Entries are scanned in time order, so the first valid one is the first occurrence of L (the
// earlier, still-summer-time reading of an ambiguous fall-back time). If no entry is valid, L
// lies in a gap skipped by a forward change, and the answer is the change instant itself: the
// moment the clocks jump past L (e.g. Berlin 2024-03-31 02:30 local → 01:00 UTC = 03:00 CEST).
TimeS UtcOffsetTable::local_to_utc(TimeS local_as_if_utc) const {
  check_table(*this);
  const TimeS local = local_as_if_utc;
  // Real offsets lie within ±26 h, so only entries in force within a day or so either side of
  // `local` read as UTC can contain it.
  constexpr TimeS kMargin = 2 * 86400;
  const std::size_t first = entry_at(
      *this, local > std::numeric_limits<TimeS>::min() + kMargin ? local - kMargin : local);
  const std::size_t last = entry_at(
      *this, local < std::numeric_limits<TimeS>::max() - kMargin ? local + kMargin : local);
  for (std::size_t i = first; i <= last; ++i) {
    const TimeS utc = local - offset_s[i];
    const bool after_begin = i == 0 || utc >= change_s[i];
    const bool before_end = i + 1 == change_s.size() || utc < change_s[i + 1];
    if (after_begin && before_end)
      return utc;
    // Gap: too late for entry i, too early for entry i + 1.
    if (after_begin && !before_end && local - offset_s[i + 1] < change_s[i + 1]) {
      return change_s[i + 1];
    }
  }
  check_failed("local_to_utc", __FILE__, __LINE__,
               "no UTC instant for a local time in zone '" + zone + "' (unsorted table?)");
}

UtcOffsetTable UtcOffsetTable::fixed(const std::string& zone, std::int32_t offset_s) {
  UtcOffsetTable t;
  t.zone = zone;
  t.change_s = {std::numeric_limits<TimeS>::min()};
  t.offset_s = {offset_s};
  return t;
}

} // namespace cfsim
