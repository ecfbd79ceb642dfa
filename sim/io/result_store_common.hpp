// What the result store's reader (result_store.cpp) and writer (result_store_writer.cpp,
// result_store_shape.cpp) share: the schema's constants, column kinds, the /tables/jobs row and
// the HDF5 lock. Private to sim/io/result_store*.cpp (docs/result-schema.md is the contract).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "cfsim/result.hpp"
#include "cfsim/store.hpp"
#include "io/h5_wrap.hpp"

namespace cfsim::store_detail {

constexpr const char* kSchemaVersion = "1";
constexpr const char* kTimeUnits = "seconds since 1970-01-01 00:00:00";
// The leading columns of /tables/summary, before the runs' own fields.
constexpr std::array<const char*, 4> kRunColumns = {"name", "strategy", "status", "message"};
// Datasets of /tables written from RunResult members; extra tables may not use these names.
constexpr std::array<const char*, 2> kReservedTables = {"summary", "jobs"};
constexpr std::array<const char*, 3> kGridAttributes = {"grid_start_s", "grid_step_s", "grid_n"};
constexpr unsigned kDeflateLevel = 4;
// The two text columns of /tables/jobs have a fixed width: capacity names and AWS region names
// fit with room to spare.
constexpr std::size_t kJobCapacityBytes = 16;
constexpr std::size_t kJobRegionBytes = 32;
constexpr std::size_t kTableChunkBytes = 1u << 20;

// Rejections of a ResultSet the schema cannot represent (found before any file is touched).
class Unrepresentable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Serialises HDF5 use across threads: a sweep's runner threads may write files concurrently
// and HDF5 is only safe from several threads when built thread-safe (Debian's is, others not).
// Every store entry point takes it before its first HDF5 call, so it is also where the library
// is told not to clean up at exit: after a write failed inside HDF5 (disk full) and the file
// could not be closed even with its descriptor on /dev/null (result_store_writer.cpp), HDF5
// 1.10's exit handler would try to close it again and crash. The store closes every file it
// opens explicitly, so nothing depends on that handler.
inline std::mutex& hdf5_mutex() {
  static std::mutex m;
  [[maybe_unused]] static const bool no_exit_handler = H5dont_atexit() >= 0;
  return m;
}

inline std::string q(std::string_view s) {
  return "'" + std::string(s) + "'";
}

inline void check_text(std::string_view text, std::string_view what) {
  if (text.find('\0') != std::string_view::npos)
    throw Unrepresentable(std::string(what) + " contains a NUL character");
}

inline void check_link_name(const std::string& name, std::string_view what) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos)
    throw Unrepresentable(std::string(what) + " " + q(name) +
                          " is not a valid dataset name (non-empty, no '/', not '.')");
  check_text(name, what);
}

enum class Kind { f64, i64, str };

inline Kind kind_of(const Field& f) {
  if (std::holds_alternative<double>(f.value))
    return Kind::f64;
  if (std::holds_alternative<std::int64_t>(f.value))
    return Kind::i64;
  return Kind::str;
}

inline const char* kind_name(Kind k) {
  switch (k) {
  case Kind::f64:
    return "double";
  case Kind::i64:
    return "int64";
  case Kind::str:
    return "string";
  }
  return "?";
}

struct Column {
  std::string name;
  std::string units;
  Kind kind = Kind::f64;
  std::size_t size = 0;   // bytes in a row
  std::size_t offset = 0; // in a row
};

// A packed compound type of `cols` in order: assigns each column's offset and returns the type
// (with the string member types it was built from) and the row size. Used for writing and,
// with the file's column sizes, as the memory type for reading.
struct PackedType {
  h5::Id type;
  std::vector<h5::Id> string_types;
  std::size_t row_size = 0;
};
inline PackedType packed_type(std::vector<Column>& cols) {
  PackedType p;
  for (auto& col : cols) {
    col.offset = p.row_size;
    p.row_size += col.size;
  }
  p.type = h5::compound_type(std::max<std::size_t>(p.row_size, 1));
  for (const auto& col : cols) {
    hid_t member = H5T_NATIVE_DOUBLE;
    if (col.kind == Kind::i64)
      member = H5T_NATIVE_INT64;
    if (col.kind == Kind::str)
      member = p.string_types.emplace_back(h5::string_type(col.size)).get();
    h5::insert_member(p.type.get(), col.name, col.offset, member);
  }
  return p;
}

// In-memory row of /tables/jobs; the file type is the same members packed.
struct JobRow {
  std::int64_t run;
  std::int64_t job_id;
  std::int64_t arrival_s;
  std::int64_t start_s;
  std::int64_t end_s;
  std::int32_t pieces;
  double cpus;
  double wait_h;
  double energy_kwh;
  double co2e_g;
  double co2e_coverage;
  double co2e_filled_share;
  double cost_usd;
  std::int8_t deadline_missed;
  std::int8_t blind;
  char capacity[kJobCapacityBytes]; // NUL-padded
  char region[kJobRegionBytes];     // NUL-padded
  std::int32_t interruptions;
  double lost_work_h;
  double unfinished_work_h;
};
static_assert(std::is_standard_layout_v<JobRow>);

struct JobColumn {
  const char* name;
  std::size_t offset;
  hid_t type; // native; 0 for a fixed-length string of `bytes`
  const char* units;
  bool optional = false; // absent from files written before it was added: reads as 0
  std::size_t bytes = 0; // string columns
};

inline std::vector<JobColumn> job_columns() {
  return {
      {"run", offsetof(JobRow, run), H5T_NATIVE_INT64, ""},
      {"job_id", offsetof(JobRow, job_id), H5T_NATIVE_INT64, ""},
      {"arrival_s", offsetof(JobRow, arrival_s), H5T_NATIVE_INT64, kTimeUnits},
      {"start_s", offsetof(JobRow, start_s), H5T_NATIVE_INT64, kTimeUnits},
      {"end_s", offsetof(JobRow, end_s), H5T_NATIVE_INT64, kTimeUnits},
      {"pieces", offsetof(JobRow, pieces), H5T_NATIVE_INT32, "1"},
      {"cpus", offsetof(JobRow, cpus), H5T_NATIVE_DOUBLE, "1"},
      {"wait_h", offsetof(JobRow, wait_h), H5T_NATIVE_DOUBLE, "h"},
      {"energy_kwh", offsetof(JobRow, energy_kwh), H5T_NATIVE_DOUBLE, "kW h"},
      {"co2e_g", offsetof(JobRow, co2e_g), H5T_NATIVE_DOUBLE, "g"},
      {"co2e_coverage", offsetof(JobRow, co2e_coverage), H5T_NATIVE_DOUBLE, "1"},
      {"co2e_filled_share", offsetof(JobRow, co2e_filled_share), H5T_NATIVE_DOUBLE, "1", true},
      {"cost_usd", offsetof(JobRow, cost_usd), H5T_NATIVE_DOUBLE, "USD"},
      {"deadline_missed", offsetof(JobRow, deadline_missed), H5T_NATIVE_INT8, "1"},
      {"blind", offsetof(JobRow, blind), H5T_NATIVE_INT8, "1"},
      {"capacity", offsetof(JobRow, capacity), 0, "", true, kJobCapacityBytes},
      {"region", offsetof(JobRow, region), 0, "", true, kJobRegionBytes},
      {"interruptions", offsetof(JobRow, interruptions), H5T_NATIVE_INT32, "1", true},
      {"lost_work_h", offsetof(JobRow, lost_work_h), H5T_NATIVE_DOUBLE, "h", true},
      {"unfinished_work_h", offsetof(JobRow, unfinished_work_h), H5T_NATIVE_DOUBLE, "h", true},
  };
}

// The in-memory row type; `skip` names columns to leave out (optional ones a file lacks).
inline h5::Id job_mem_type(const std::set<std::string>& skip = {}) {
  h5::Id type = h5::compound_type(sizeof(JobRow));
  for (const auto& c : job_columns())
    if (skip.count(c.name) == 0) {
      if (c.bytes > 0)
        h5::insert_member(type.get(), c.name, c.offset, h5::string_type(c.bytes).get());
      else
        h5::insert_member(type.get(), c.name, c.offset, c.type);
    }
  return type;
}

// Copies `text` into a fixed-length NUL-padded field; longer text cannot be stored.
template <std::size_t N>
void put_text(char (&field)[N], const std::string& text, const char* what) {
  if (text.size() > N)
    throw Unrepresentable(std::string("/tables/jobs: ") + what + " '" + text + "' is longer than " +
                          std::to_string(N) + " bytes");
  std::memset(field, 0, N);
  std::memcpy(field, text.data(), text.size());
}

// A fixed-length field up to its first NUL.
template <std::size_t N> std::string get_text(const char (&field)[N]) {
  return std::string(field, strnlen(field, N));
}

// Run `run`'s series in the shape's order, or none when the run has none (an error run: its
// rows are NaN). Unrepresentable when the run's series differ from the shape's.
std::vector<const NamedSeries*> series_in_order(const ResultShape::Data& shape,
                                                const RunResult& run);
// Run `run`'s summary fields by column of the shape (nullptr: the run lacks the field).
// Unrepresentable when a field is unknown to the shape or differs in type or units.
std::vector<const Field*> fields_in_order(const ResultShape::Data& shape, const RunResult& run);

} // namespace cfsim::store_detail

namespace cfsim {

// What ResultShape gathers: everything in the file's layout that depends on all runs.
struct ResultShape::Data {
  std::string path;
  std::string context; // "cannot write results to '<path>'", the start of every error
  TimeGrid grid;
  std::vector<std::pair<std::string, std::string>> attributes;
  bool has_schema_version = false; // the caller supplied it (it keeps its position)
  // Run names in file order; a deque, so the views in `name_set` stay valid as it grows.
  std::deque<std::string> run_names;
  std::unordered_set<std::string_view> name_set;
  // Byte widths of /run and the run columns of /tables/summary: the longest value, >= 1.
  std::array<std::size_t, 4> run_widths{1, 1, 1, 1};
  // Series: fixed by the first run that has any.
  std::string series_source; // that run's name ("" while no run had series)
  std::vector<std::string> series_names, series_units;
  // Summary fields: the union in first-seen order; a string field's size is its width.
  std::vector<store_detail::Column> fields;
  std::map<std::string, std::size_t> field_index;
  std::uint64_t job_rows = 0;
  std::vector<std::string> tables; // extra tables, in order
};

} // namespace cfsim
