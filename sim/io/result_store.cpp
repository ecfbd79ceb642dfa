// The HDF5 result store (DESIGN §9). The layout is specified in docs/result-schema.md; keep the
// two in step. Files must open with h5py, pandas.read_hdf (PyTables) and xarray (h5netcdf), so
// the layout sticks to what those readers understand: dimension scales for /time and /run,
// plain 1-D compound datasets with fixed-length string columns for the tables (PyTables cannot
// read variable-length strings in a table), variable-length UTF-8 strings for attributes.
#include "cfsim/store.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "cfsim/error.hpp"
#include "io/h5_wrap.hpp"

namespace cfsim {
namespace {

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
constexpr std::size_t kCoreIncrement = 4u << 20; // in-memory file growth step

// Rejections of a ResultSet the schema cannot represent (found before any file is touched).
class Unrepresentable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Serialises HDF5 use across threads: a sweep's runner threads may write files concurrently
// and HDF5 is only safe from several threads when built thread-safe (Debian's is, others not).
std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

std::string q(std::string_view s) {
  return "'" + std::string(s) + "'";
}

void check_text(std::string_view text, std::string_view what) {
  if (text.find('\0') != std::string_view::npos)
    throw Unrepresentable(std::string(what) + " contains a NUL character");
}

void check_link_name(const std::string& name, std::string_view what) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos)
    throw Unrepresentable(std::string(what) + " " + q(name) +
                          " is not a valid dataset name (non-empty, no '/', not '.')");
  check_text(name, what);
}

// --- the plan: a validated view of the ResultSet in schema order ---------------------------

enum class Kind { f64, i64, str };

Kind kind_of(const Field& f) {
  if (std::holds_alternative<double>(f.value))
    return Kind::f64;
  if (std::holds_alternative<std::int64_t>(f.value))
    return Kind::i64;
  return Kind::str;
}

const char* kind_name(Kind k) {
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
PackedType packed_type(std::vector<Column>& cols) {
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

struct Plan {
  std::vector<std::string> series_names; // first-seen order
  std::vector<std::string> series_units;
  std::vector<std::vector<const NamedSeries*>> series; // [run][series]; empty = no series
  std::vector<Column> fields;                          // union, first-seen order
  std::vector<std::vector<const Field*>> cells;        // [run][field]; nullptr = absent
  bool has_schema_version = false;                     // the caller supplied it
};

Plan make_plan(const ResultSet& rs) {
  Plan plan;
  if (rs.grid.n < 0)
    throw Unrepresentable("the grid has a negative cell count");
  const auto n = static_cast<std::size_t>(rs.grid.n);

  std::set<std::string> attr_names;
  for (const auto& [name, value] : rs.attributes) {
    if (name.empty())
      throw Unrepresentable("a root attribute has an empty name");
    check_text(name, "root attribute name " + q(name));
    check_text(value, "root attribute " + q(name));
    if (!attr_names.insert(name).second)
      throw Unrepresentable("root attribute " + q(name) + " appears twice");
    if (std::find(kGridAttributes.begin(), kGridAttributes.end(), name) != kGridAttributes.end())
      throw Unrepresentable("root attribute " + q(name) +
                            " is reserved for the grid (written from ResultSet::grid)");
    if (name == "schema_version") {
      if (value != kSchemaVersion)
        throw Unrepresentable("root attribute schema_version is " + q(value) +
                              ", this cfsim writes schema version " + kSchemaVersion);
      plan.has_schema_version = true;
    }
  }

  // Series: every run has the same set (the first run with series fixes names and order), or
  // none at all (an error run): its rows are NaN and /presence/series records it.
  const RunResult* first_with_series = nullptr;
  for (const auto& run : rs.runs) {
    if (!run.series.empty()) {
      first_with_series = &run;
      break;
    }
  }
  if (first_with_series != nullptr) {
    for (const auto& s : first_with_series->series) {
      check_link_name(s.name, "series name");
      check_text(s.units, "units of series " + q(s.name));
      if (std::find(plan.series_names.begin(), plan.series_names.end(), s.name) !=
          plan.series_names.end())
        throw Unrepresentable("run " + q(first_with_series->name) + " has series " + q(s.name) +
                              " twice");
      plan.series_names.push_back(s.name);
      plan.series_units.push_back(s.units);
    }
  }
  std::set<std::string> run_names;
  for (const auto& run : rs.runs) {
    check_text(run.name, "run name " + q(run.name));
    check_text(run.strategy, "strategy of run " + q(run.name));
    check_text(run.status, "status of run " + q(run.name));
    check_text(run.message, "message of run " + q(run.name));
    if (!run_names.insert(run.name).second)
      throw Unrepresentable("run name " + q(run.name) + " appears twice");
    auto& row = plan.series.emplace_back();
    if (run.series.empty())
      continue;
    if (run.series.size() != plan.series_names.size())
      throw Unrepresentable("run " + q(run.name) + " has " + std::to_string(run.series.size()) +
                            " series, run " + q(first_with_series->name) + " has " +
                            std::to_string(plan.series_names.size()) +
                            " (every run has the same series, or none)");
    row.assign(plan.series_names.size(), nullptr);
    for (const auto& s : run.series) {
      const auto it = std::find(plan.series_names.begin(), plan.series_names.end(), s.name);
      if (it == plan.series_names.end())
        throw Unrepresentable("run " + q(run.name) + " has series " + q(s.name) + " that run " +
                              q(first_with_series->name) + " lacks");
      const auto k = static_cast<std::size_t>(it - plan.series_names.begin());
      if (row[k] != nullptr)
        throw Unrepresentable("run " + q(run.name) + " has series " + q(s.name) + " twice");
      if (s.units != plan.series_units[k])
        throw Unrepresentable("series " + q(s.name) + " has units " + q(s.units) + " in run " +
                              q(run.name) + " but " + q(plan.series_units[k]) + " in run " +
                              q(first_with_series->name));
      if (s.values.size() != n)
        throw Unrepresentable("series " + q(s.name) + " of run " + q(run.name) + " has " +
                              std::to_string(s.values.size()) + " values, the grid has " +
                              std::to_string(n) + " cells");
      row[k] = &s;
    }
  }

  // Summary fields: the union of names in first-seen order; types and units must agree.
  std::map<std::string, std::size_t> field_index;
  for (const auto& run : rs.runs) {
    std::set<std::string> seen;
    for (const auto& f : run.summary) {
      if (f.name.empty())
        throw Unrepresentable("run " + q(run.name) + " has an unnamed field");
      check_text(f.name, "field name " + q(f.name));
      check_text(f.units, "units of field " + q(f.name));
      if (const auto* s = std::get_if<std::string>(&f.value))
        check_text(*s, "field " + q(f.name) + " of run " + q(run.name));
      if (std::find(kRunColumns.begin(), kRunColumns.end(), f.name) != kRunColumns.end())
        throw Unrepresentable("field name " + q(f.name) +
                              " is reserved for a /tables/summary run column");
      if (!seen.insert(f.name).second)
        throw Unrepresentable("run " + q(run.name) + " has field " + q(f.name) + " twice");
      const auto [it, added] = field_index.emplace(f.name, plan.fields.size());
      if (added) {
        plan.fields.push_back(Column{f.name, f.units, kind_of(f), 0, 0});
        continue;
      }
      const Column& c = plan.fields[it->second];
      if (c.kind != kind_of(f))
        throw Unrepresentable("field " + q(f.name) + " is " + kind_name(kind_of(f)) + " in run " +
                              q(run.name) + " but " + kind_name(c.kind) + " in an earlier run");
      if (c.units != f.units)
        throw Unrepresentable("field " + q(f.name) + " has units " + q(f.units) + " in run " +
                              q(run.name) + " but " + q(c.units) + " in an earlier run");
    }
  }
  for (const auto& run : rs.runs) {
    auto& row = plan.cells.emplace_back(plan.fields.size(), nullptr);
    for (const auto& f : run.summary)
      row[field_index.at(f.name)] = &f;
  }

  // Extra tables: valid, unique, unreserved names; named columns of one length each.
  std::set<std::string> table_names;
  for (const auto& table : rs.tables) {
    check_link_name(table.name, "table name");
    if (std::find(kReservedTables.begin(), kReservedTables.end(), table.name) !=
        kReservedTables.end())
      throw Unrepresentable("table name " + q(table.name) +
                            " is reserved (/tables/summary and /tables/jobs come from the runs)");
    if (!table_names.insert(table.name).second)
      throw Unrepresentable("table " + q(table.name) + " appears twice");
    if (table.columns.empty())
      throw Unrepresentable("table " + q(table.name) + " has no columns");
    std::set<std::string> column_names;
    for (const auto& col : table.columns) {
      const std::string what = "column " + q(col.name) + " of table " + q(table.name);
      if (col.name.empty())
        throw Unrepresentable("table " + q(table.name) + " has an unnamed column");
      check_text(col.name, what);
      check_text(col.units, "units of " + what);
      if (!column_names.insert(col.name).second)
        throw Unrepresentable("table " + q(table.name) + " has column " + q(col.name) + " twice");
      if (col.size() != table.rows())
        throw Unrepresentable(what + " has " + std::to_string(col.size()) + " values, column " +
                              q(table.columns.front().name) + " has " +
                              std::to_string(table.rows()));
      if (const auto* texts = std::get_if<std::vector<std::string>>(&col.values))
        for (const auto& t : *texts)
          check_text(t, what);
    }
  }
  // The fixed-width text columns of /tables/jobs.
  for (const auto& run : rs.runs)
    for (const auto& j : run.jobs) {
      check_text(j.capacity, "job capacity");
      check_text(j.region, "job region");
      if (j.capacity.size() > kJobCapacityBytes || j.region.size() > kJobRegionBytes)
        throw Unrepresentable("run " + q(run.name) + " has a job whose capacity " + q(j.capacity) +
                              " or region " + q(j.region) + " is longer than " +
                              std::to_string(kJobCapacityBytes) + " / " +
                              std::to_string(kJobRegionBytes) + " bytes");
    }
  return plan;
}

// --- writing --------------------------------------------------------------------------------

// Group creation properties: links tracked in creation order, so series read back in the
// order they were written (netCDF-4 does the same).
h5::Id ordered_gcpl() {
  h5::Id gcpl = h5::plist(H5P_GROUP_CREATE, "group creation properties");
  h5::check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot track link creation order");
  h5::check(H5Pset_attr_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot track attribute creation order");
  return gcpl;
}

// Chunked, shuffled and deflated; the first axis is extendible.
h5::Id compressed_dcpl(const std::vector<hsize_t>& chunk) {
  h5::Id dcpl = h5::plist(H5P_DATASET_CREATE, "dataset creation properties");
  h5::check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
            "cannot set the chunk shape");
  h5::check(H5Pset_shuffle(dcpl.get()), "cannot enable the shuffle filter");
  h5::check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "cannot enable the deflate filter");
  return dcpl;
}

void write_time(hid_t file, const TimeGrid& grid) {
  const auto n = static_cast<std::size_t>(grid.n);
  std::vector<std::int64_t> t(n);
  for (std::size_t i = 0; i < n; ++i)
    t[i] = grid.cell_start(static_cast<std::int64_t>(i));
  h5::Id space = h5::simple_space({n});
  h5::Id ds = h5::create_dataset(file, "time", H5T_STD_I64LE, space.get());
  if (n > 0)
    h5::write(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, t.data(), "/time");
  h5::write_string_attr(ds.get(), "units", kTimeUnits);
  h5::write_string_attr(ds.get(), "calendar", "standard");
  h5::write_string_attr(ds.get(), "standard_name", "time");
  h5::write_string_attr(ds.get(), "long_name", "start of the grid cell (UTC)");
  h5::write_string_attr(ds.get(), "axis", "T");
  h5::check(H5DSset_scale(ds.get(), "time"), "cannot make /time a dimension scale");
}

std::size_t longest(const std::vector<std::string>& values) {
  std::size_t size = 1; // HDF5 string types are at least one byte
  for (const auto& v : values)
    size = std::max(size, v.size());
  return size;
}

// Fixed-length string rows, NUL-padded to `size`.
std::vector<char> pack_strings(const std::vector<std::string>& values, std::size_t size) {
  std::vector<char> buf(values.size() * size, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(buf.data() + i * size, values[i].data(), values[i].size());
  return buf;
}

void write_run(hid_t file, const ResultSet& rs) {
  std::vector<std::string> names;
  names.reserve(rs.runs.size());
  for (const auto& run : rs.runs)
    names.push_back(run.name);
  const std::size_t size = longest(names);
  h5::Id type = h5::string_type(size);
  h5::Id space = h5::simple_space({names.size()});
  h5::Id ds = h5::create_dataset(file, "run", type.get(), space.get());
  if (!names.empty()) {
    const auto buf = pack_strings(names, size);
    h5::write(ds.get(), type.get(), H5S_ALL, H5S_ALL, buf.data(), "/run");
  }
  h5::write_string_attr(ds.get(), "long_name", "run name (scenario/strategy/k=v,k=v/seed=n)");
  h5::check(H5DSset_scale(ds.get(), "run"), "cannot make /run a dimension scale");
}

void attach(hid_t ds, hid_t scale, unsigned dim, std::string_view what) {
  h5::check(H5DSattach_scale(ds, scale, dim),
            "cannot attach a dimension scale to " + std::string(what));
}

void write_series(hid_t file, const ResultSet& rs, const Plan& plan) {
  const auto runs = static_cast<hsize_t>(rs.runs.size());
  const auto n = static_cast<hsize_t>(rs.grid.n);
  h5::Id gcpl = ordered_gcpl();
  h5::Id group = h5::create_group(file, "series", gcpl.get());
  h5::Id time = h5::open_dataset(file, "time");
  h5::Id run = h5::open_dataset(file, "run");
  const std::vector<double> nan_row(static_cast<std::size_t>(n),
                                    std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0; k < plan.series_names.size(); ++k) {
    const std::string& name = plan.series_names[k];
    const std::string where = "/series/" + name;
    h5::Id dcpl = n > 0 ? compressed_dcpl({1, n}) : h5::plist(H5P_DATASET_CREATE, "properties");
    const double fill = std::numeric_limits<double>::quiet_NaN();
    h5::check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &fill),
              "cannot set the fill value of " + where);
    // Extendible along runs (chunked); an empty grid cannot be chunked, so stays contiguous.
    h5::Id space =
        n > 0 ? h5::simple_space({runs, n}, {H5S_UNLIMITED, n}) : h5::simple_space({runs, n});
    h5::Id ds = h5::create_dataset(group.get(), name, H5T_IEEE_F64LE, space.get(), dcpl.get());
    h5::write_string_attr(ds.get(), "units", plan.series_units[k]);
    attach(ds.get(), run.get(), 0, where);
    attach(ds.get(), time.get(), 1, where);
    if (n == 0)
      continue;
    h5::Id mem = h5::simple_space({n});
    for (std::size_t r = 0; r < rs.runs.size(); ++r) {
      const NamedSeries* s = plan.series[r].empty() ? nullptr : plan.series[r][k];
      h5::select_rows(space.get(), r, 1, n, where);
      h5::write(ds.get(), H5T_NATIVE_DOUBLE, mem.get(), space.get(),
                s != nullptr ? s->values.data() : nan_row.data(), where);
    }
  }
}

// Which runs have series and which summary cells were given (the rest are filled: NaN, 0, "").
void write_presence(hid_t file, const ResultSet& rs, const Plan& plan) {
  const std::size_t runs = rs.runs.size();
  const std::size_t nf = plan.fields.size();
  h5::Id gcpl = ordered_gcpl();
  h5::Id group = h5::create_group(file, "presence", gcpl.get());
  h5::Id run = h5::open_dataset(file, "run");

  std::vector<std::int8_t> has_series(runs);
  for (std::size_t r = 0; r < runs; ++r)
    has_series[r] = rs.runs[r].series.empty() ? 0 : 1;
  h5::Id s1 = h5::simple_space({runs});
  h5::Id d1 = h5::create_dataset(group.get(), "series", H5T_STD_I8LE, s1.get());
  if (runs > 0)
    h5::write(d1.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, has_series.data(), "/presence/series");
  h5::write_string_attr(d1.get(), "long_name", "1 if the run has series, 0 if its rows are NaN");
  attach(d1.get(), run.get(), 0, "/presence/series");

  std::vector<std::int8_t> cells(runs * nf);
  for (std::size_t r = 0; r < runs; ++r)
    for (std::size_t f = 0; f < nf; ++f)
      cells[r * nf + f] = plan.cells[r][f] != nullptr ? 1 : 0;
  h5::Id s2 = h5::simple_space({runs, nf});
  h5::Id d2 = h5::create_dataset(group.get(), "summary", H5T_STD_I8LE, s2.get());
  if (!cells.empty())
    h5::write(d2.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, cells.data(), "/presence/summary");
  h5::write_string_attr(d2.get(), "long_name",
                        "1 if the run has the field (column 4 + j of /tables/summary), 0 if "
                        "the cell holds a filler (NaN, 0 or an empty string)");
  attach(d2.get(), run.get(), 0, "/presence/summary");
}

// A 1-D compound dataset, chunked and compressed, with per-column units.
void write_table(hid_t group, const std::string& name, hid_t mem_type, hid_t file_type,
                 std::size_t rows, const void* data, const std::vector<std::string>& units) {
  const std::string where = "/tables/" + name;
  const std::size_t row_size = H5Tget_size(file_type);
  if (row_size == 0)
    h5::fail("cannot get the row size of " + where);
  const auto chunk_rows = static_cast<hsize_t>(std::max<std::size_t>(
      1, std::min(rows, std::max<std::size_t>(1, kTableChunkBytes / row_size))));
  h5::Id dcpl = compressed_dcpl({chunk_rows});
  h5::Id space = h5::simple_space({rows}, {H5S_UNLIMITED});
  h5::Id ds = h5::create_dataset(group, name, file_type, space.get(), dcpl.get());
  if (rows > 0)
    h5::write(ds.get(), mem_type, H5S_ALL, H5S_ALL, data, where);
  h5::write_string_array_attr(ds.get(), "units", units);
}

void write_summary(hid_t tables, const ResultSet& rs, const Plan& plan) {
  std::vector<Column> cols;
  for (const char* name : kRunColumns)
    cols.push_back(Column{name, "", Kind::str, 0, 0});
  cols.insert(cols.end(), plan.fields.begin(), plan.fields.end());

  // String column widths: the longest value (at least 1 byte).
  for (std::size_t c = 0; c < cols.size(); ++c) {
    Column& col = cols[c];
    if (col.kind != Kind::str) {
      col.size = 8;
      continue;
    }
    col.size = 1;
    for (std::size_t r = 0; r < rs.runs.size(); ++r) {
      const RunResult& run = rs.runs[r];
      std::size_t len = 0;
      switch (c) {
      case 0:
        len = run.name.size();
        break;
      case 1:
        len = run.strategy.size();
        break;
      case 2:
        len = run.status.size();
        break;
      case 3:
        len = run.message.size();
        break;
      default:
        if (const Field* f = plan.cells[r][c - kRunColumns.size()])
          len = std::get<std::string>(f->value).size();
      }
      col.size = std::max(col.size, len);
    }
  }
  // One packed type serves as memory and file type (native = IEEE/two's complement LE here).
  const PackedType packed = packed_type(cols);
  const h5::Id& type = packed.type;
  const std::size_t row_size = packed.row_size;

  std::vector<char> rows(rs.runs.size() * row_size, '\0');
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t r = 0; r < rs.runs.size(); ++r) {
    char* row = rows.data() + r * row_size;
    const RunResult& run = rs.runs[r];
    const std::string* texts[4] = {&run.name, &run.strategy, &run.status, &run.message};
    for (std::size_t c = 0; c < kRunColumns.size(); ++c)
      std::memcpy(row + cols[c].offset, texts[c]->data(), texts[c]->size());
    for (std::size_t f = 0; f < plan.fields.size(); ++f) {
      const Column& col = cols[kRunColumns.size() + f];
      const Field* cell = plan.cells[r][f];
      char* dst = row + col.offset;
      switch (col.kind) {
      case Kind::f64: {
        const double v = cell != nullptr ? std::get<double>(cell->value) : nan;
        std::memcpy(dst, &v, sizeof v);
        break;
      }
      case Kind::i64: {
        const std::int64_t v = cell != nullptr ? std::get<std::int64_t>(cell->value) : 0;
        std::memcpy(dst, &v, sizeof v);
        break;
      }
      case Kind::str:
        if (cell != nullptr) {
          const auto& s = std::get<std::string>(cell->value);
          std::memcpy(dst, s.data(), s.size());
        }
        break;
      }
    }
  }
  std::vector<std::string> units;
  for (const auto& col : cols)
    units.push_back(col.units);
  write_table(tables, "summary", type.get(), type.get(), rs.runs.size(), rows.data(), units);
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

std::vector<JobColumn> job_columns() {
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
h5::Id job_mem_type(const std::set<std::string>& skip = {}) {
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

void write_jobs(hid_t tables, const ResultSet& rs) {
  std::vector<JobRow> rows;
  for (std::size_t r = 0; r < rs.runs.size(); ++r) {
    for (const auto& j : rs.runs[r].jobs) {
      JobRow row{static_cast<std::int64_t>(r),
                 j.job_id,
                 j.arrival_s,
                 j.start_s,
                 j.end_s,
                 j.pieces,
                 j.cpus,
                 j.wait_h,
                 j.energy_kwh,
                 j.co2e_g,
                 j.co2e_coverage,
                 j.co2e_filled_share,
                 j.cost_usd,
                 static_cast<std::int8_t>(j.deadline_missed ? 1 : 0),
                 static_cast<std::int8_t>(j.blind ? 1 : 0),
                 {},
                 {},
                 j.interruptions,
                 j.lost_work_h,
                 j.unfinished_work_h};
      put_text(row.capacity, j.capacity, "capacity");
      put_text(row.region, j.region, "region");
      rows.push_back(row);
    }
  }
  h5::Id mem = job_mem_type();
  h5::Id file_type = h5::copy_type(mem.get());
  h5::check(H5Tpack(file_type.get()), "cannot pack the /tables/jobs row type");
  std::vector<std::string> units;
  for (const auto& c : job_columns())
    units.emplace_back(c.units);
  write_table(tables, "jobs", mem.get(), file_type.get(), rows.size(), rows.data(), units);
}

// An extra table (ResultSet::tables): the same conventions as /tables/summary — float64,
// int64 and fixed-length NUL-padded string columns (as wide as the longest value, ≥ 1 byte),
// packed, with a `units` attribute.
void write_extra_table(hid_t tables, const Table& table) {
  std::vector<Column> cols;
  for (const auto& c : table.columns) {
    Column col{c.name, c.units, Kind::f64, 8, 0};
    if (std::holds_alternative<std::vector<std::int64_t>>(c.values)) {
      col.kind = Kind::i64;
    } else if (const auto* texts = std::get_if<std::vector<std::string>>(&c.values)) {
      col.kind = Kind::str;
      col.size = longest(*texts);
    }
    cols.push_back(col);
  }
  const PackedType packed = packed_type(cols);
  const h5::Id& type = packed.type;
  const std::size_t row_size = packed.row_size;
  const std::size_t rows = table.rows();
  std::vector<char> buf(rows * row_size, '\0');
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const Column& col = cols[c];
    std::visit(
        [&](const auto& values) {
          for (std::size_t r = 0; r < rows; ++r) {
            char* dst = buf.data() + r * row_size + col.offset;
            using V = std::decay_t<decltype(values[r])>;
            if constexpr (std::is_same_v<V, std::string>)
              std::memcpy(dst, values[r].data(), values[r].size());
            else
              std::memcpy(dst, &values[r], sizeof(V));
          }
        },
        table.columns[c].values);
  }
  std::vector<std::string> units;
  for (const auto& col : cols)
    units.push_back(col.units);
  write_table(tables, table.name, type.get(), type.get(), rows, buf.data(), units);
}

void write_root_attributes(hid_t file, const ResultSet& rs, const Plan& plan) {
  if (!plan.has_schema_version)
    h5::write_string_attr(file, "schema_version", kSchemaVersion);
  for (const auto& [name, value] : rs.attributes)
    h5::write_string_attr(file, name, value);
  h5::write_int64_attr(file, "grid_start_s", rs.grid.start_s);
  h5::write_int64_attr(file, "grid_step_s", rs.grid.step_s);
  h5::write_int64_attr(file, "grid_n", rs.grid.n);
}

void write_all(hid_t file, const ResultSet& rs, const Plan& plan) {
  write_root_attributes(file, rs, plan);
  write_time(file, rs.grid);
  write_run(file, rs);
  write_series(file, rs, plan);
  write_presence(file, rs, plan);
  h5::Id gcpl = ordered_gcpl();
  h5::Id tables = h5::create_group(file, "tables", gcpl.get());
  write_summary(tables.get(), rs, plan);
  write_jobs(tables.get(), rs);
  for (const auto& table : rs.tables)
    write_extra_table(tables.get(), table);
}

// File access for reading: HDF5 1.10 locks files with flock(); where the file system does not
// support it (some network mounts) carry on without the lock instead of failing.
h5::Id read_access() {
  h5::Id fapl = h5::plist(H5P_FILE_ACCESS, "file access properties");
  h5::check(H5Pset_file_locking(fapl.get(), true, true), "cannot set file locking");
  return fapl;
}

// Builds the whole file in memory (HDF5 core driver, no backing store) and returns its image.
// HDF5 never writes to disk here: a write that fails inside HDF5 (disk full, file too large)
// leaves the library unable to close the file, and it crashes at exit trying again, so the
// store does the disk I/O itself (write_image), where every failure is an ordinary errno.
std::vector<char> build_image(const std::string& name, const ResultSet& rs, const Plan& plan) {
  h5::Id fcpl = h5::plist(H5P_FILE_CREATE, "file creation properties");
  h5::check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot track link creation order");
  h5::check(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot track attribute creation order");
  h5::Id fapl = h5::plist(H5P_FILE_ACCESS, "file access properties");
  h5::check(H5Pset_fapl_core(fapl.get(), kCoreIncrement, false), "cannot select the core driver");
  h5::Id file = h5::create_file(name, fcpl.get(), fapl.get());
  write_all(file.get(), rs, plan);
  h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush the file");
  const ssize_t size =
      h5::check(H5Fget_file_image(file.get(), nullptr, 0), "cannot size the file image");
  std::vector<char> image(static_cast<std::size_t>(size));
  h5::check(H5Fget_file_image(file.get(), image.data(), image.size()),
            "cannot copy the file image");
  file.close("cannot close the file");
  return image;
}

// An open output file descriptor, closed (unchecked) if still open at scope exit.
class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

private:
  int fd_;
};

std::string errno_text(int err) {
  return std::strerror(err);
}

// Writes the image and syncs it to disk; the reason on failure, nullopt on success.
std::optional<std::string> write_image(Fd& fd, const std::vector<char>& image) {
  std::size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::write(fd.get(), image.data() + done, image.size() - done);
    if (n < 0) {
      const int err = errno;
      if (err == EINTR)
        continue;
      return "write failed after " + std::to_string(done) + " of " + std::to_string(image.size()) +
             " bytes: " + errno_text(err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    const int err = errno;
    return "fsync failed: " + errno_text(err);
  }
  if (::close(fd.release()) != 0) {
    const int err = errno;
    return "close failed: " + errno_text(err);
  }
  return std::nullopt;
}

// --- reading --------------------------------------------------------------------------------

// Names of an object's attributes or a group's links, in creation order when it was tracked
// (cfsim files), else in name order.
std::vector<std::string> attribute_names(hid_t obj) {
  std::vector<std::string> names;
  auto cb = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t idx = 0;
  if (H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, cb, &names) >= 0)
    return names;
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  idx = 0;
  h5::check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, cb, &names),
            "cannot list attributes");
  return names;
}

std::vector<std::string> link_names(hid_t group) {
  H5G_info_t info;
  h5::check(H5Gget_info(group, &info), "cannot list group members");
  H5_index_t index = H5_INDEX_CRT_ORDER;
  if (H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, 0, nullptr, 0, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT); // creation order not tracked: name order
    index = H5_INDEX_NAME;
  }
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t len =
        h5::check(H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT),
                  "cannot get a group member name");
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    h5::check(H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(),
                                 H5P_DEFAULT),
              "cannot get a group member name");
    name.resize(static_cast<std::size_t>(len));
    names.push_back(std::move(name));
  }
  return names;
}

[[noreturn]] void malformed(const std::string& what) {
  throw h5::Error(what);
}

std::int64_t read_int64_attr(hid_t obj, const std::string& name) {
  h5::Id attr = h5::open_attr(obj, name);
  h5::Id space(h5::check(H5Aget_space(attr.get()), "cannot get the dataspace of " + q(name)),
               H5Sclose);
  if (h5::check(H5Sget_simple_extent_npoints(space.get()), "cannot size " + q(name)) != 1)
    malformed("root attribute " + q(name) + " is not a single integer");
  std::int64_t v = 0;
  h5::check(H5Aread(attr.get(), H5T_NATIVE_INT64, &v), "cannot read attribute " + q(name));
  return v;
}

H5T_class_t attr_class(hid_t obj, const std::string& name) {
  h5::Id attr = h5::open_attr(obj, name);
  h5::Id type(h5::check(H5Aget_type(attr.get()), "cannot get the type of " + q(name)), H5Tclose);
  return h5::check(H5Tget_class(type.get()), "cannot get the class of " + q(name));
}

std::vector<std::string> read_string_dataset(hid_t loc, const std::string& name) {
  h5::Id ds = h5::open_dataset(loc, name);
  h5::Id type = h5::dataset_type(ds.get(), name);
  if (h5::check(H5Tget_class(type.get()), "cannot get the class of " + q(name)) != H5T_STRING)
    malformed("dataset " + q(name) + " does not hold strings");
  const auto dims = h5::extent(ds.get(), name);
  if (dims.size() != 1)
    malformed("dataset " + q(name) + " is not one-dimensional");
  return h5::read_strings(
      type.get(), static_cast<std::size_t>(dims[0]),
      [&](hid_t mem, void* buf) { h5::read(ds.get(), mem, H5S_ALL, H5S_ALL, buf, name); }, name);
}

std::vector<std::int8_t> read_int8_dataset(hid_t loc, const std::string& name,
                                           const std::vector<hsize_t>& expected) {
  h5::Id ds = h5::open_dataset(loc, name);
  const auto dims = h5::extent(ds.get(), name);
  if (dims != expected)
    malformed("dataset " + q(name) + " does not have the expected shape");
  std::size_t count = 1;
  for (hsize_t d : dims)
    count *= static_cast<std::size_t>(d);
  std::vector<std::int8_t> out(count);
  if (count > 0)
    h5::read(ds.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, out.data(), name);
  return out;
}

std::string member_name(hid_t type, unsigned i) {
  char* raw = H5Tget_member_name(type, i);
  if (raw == nullptr)
    h5::fail("cannot get a column name");
  std::string name(raw);
  H5free_memory(raw);
  return name;
}

// A 1-D compound table as read: its columns (kinds and sizes as stored, offsets packed for
// reading) and its rows in one buffer. Float columns read as double, integer columns as int64
// and fixed-length strings as they are; any other column type is rejected.
struct CompoundRows {
  std::vector<Column> cols;
  std::vector<char> bytes;
  std::size_t row_size = 0;
  std::size_t count = 0;
  const char* cell(std::size_t row, std::size_t col) const {
    return bytes.data() + row * row_size + cols[col].offset;
  }
};

CompoundRows read_compound(hid_t ds, const std::string& where) {
  h5::Id type = h5::dataset_type(ds, where);
  if (h5::check(H5Tget_class(type.get()), "cannot get the class of " + where) != H5T_COMPOUND)
    malformed(where + " is not a compound dataset");
  const auto dims = h5::extent(ds, where);
  if (dims.size() != 1)
    malformed(where + " is not one-dimensional");
  const int members =
      h5::check(H5Tget_nmembers(type.get()), "cannot count the columns of " + where);
  const auto ncols = static_cast<std::size_t>(members);

  std::vector<std::string> units(ncols);
  if (h5::attr_exists(ds, "units")) {
    units = h5::read_string_attr_values(ds, "units");
    if (units.size() != ncols)
      malformed(where + " has a units attribute of the wrong length");
  }

  CompoundRows out;
  out.cols.resize(ncols);
  out.count = static_cast<std::size_t>(dims[0]);
  for (unsigned i = 0; i < ncols; ++i) {
    Column& col = out.cols[i];
    col.name = member_name(type.get(), i);
    col.units = units[i];
    const H5T_class_t cls = h5::check(H5Tget_member_class(type.get(), i),
                                      "cannot get the class of column " + q(col.name));
    if (cls == H5T_FLOAT) {
      col.kind = Kind::f64;
      col.size = 8;
    } else if (cls == H5T_INTEGER) {
      col.kind = Kind::i64;
      col.size = 8;
    } else if (cls == H5T_STRING) {
      h5::Id mt(h5::check(H5Tget_member_type(type.get(), i), "cannot get a column type"), H5Tclose);
      if (h5::check(H5Tis_variable_str(mt.get()), "cannot inspect a column type") > 0)
        malformed("column " + q(col.name) + " of " + where + " is a variable-length string");
      col.kind = Kind::str;
      col.size = H5Tget_size(mt.get());
      if (col.size == 0)
        h5::fail("cannot get the size of column " + q(col.name));
    } else {
      malformed("column " + q(col.name) + " of " + where + " has an unsupported type");
    }
  }

  const PackedType packed = packed_type(out.cols);
  const h5::Id& mem = packed.type;
  out.row_size = packed.row_size;
  out.bytes.resize(out.count * out.row_size);
  if (!out.bytes.empty())
    h5::read(ds, mem.get(), H5S_ALL, H5S_ALL, out.bytes.data(), where);
  return out;
}

// A fixed-length, NUL-padded string cell.
std::string fixed_text(const char* p, std::size_t size) {
  std::size_t len = 0;
  while (len < size && p[len] != '\0')
    ++len;
  return std::string(p, len);
}
double f64_at(const char* p) {
  double v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}
std::int64_t i64_at(const char* p) {
  std::int64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// /tables/summary: run columns (strategy, status, message) and the fields with their units.
void read_summary(hid_t tables, ResultSet& rs, const std::vector<std::int8_t>& present) {
  const std::string where = "/tables/summary";
  h5::Id ds = h5::open_dataset(tables, "summary");
  const CompoundRows t = read_compound(ds.get(), where);
  if (t.count != rs.runs.size())
    malformed(where + " does not have one row per run");
  if (t.cols.size() < kRunColumns.size())
    malformed(where + " lacks the run columns");
  for (std::size_t i = 0; i < kRunColumns.size(); ++i)
    if (t.cols[i].name != kRunColumns[i] || t.cols[i].kind != Kind::str)
      malformed(where + " column " + std::to_string(i) + " is " + q(t.cols[i].name) +
                ", expected " + q(kRunColumns[i]));
  const std::size_t nf = t.cols.size() - kRunColumns.size();
  if (present.size() != rs.runs.size() * nf)
    malformed("/presence/summary does not match the columns of " + where);

  for (std::size_t r = 0; r < rs.runs.size(); ++r) {
    RunResult& run = rs.runs[r];
    run.strategy = fixed_text(t.cell(r, 1), t.cols[1].size);
    run.status = fixed_text(t.cell(r, 2), t.cols[2].size);
    run.message = fixed_text(t.cell(r, 3), t.cols[3].size);
    for (std::size_t f = 0; f < nf; ++f) {
      if (present[r * nf + f] == 0)
        continue;
      const std::size_t c = kRunColumns.size() + f;
      const Column& col = t.cols[c];
      Field field{col.name, col.units, 0.0};
      switch (col.kind) {
      case Kind::f64:
        field.value = f64_at(t.cell(r, c));
        break;
      case Kind::i64:
        field.value = i64_at(t.cell(r, c));
        break;
      case Kind::str:
        field.value = fixed_text(t.cell(r, c), col.size);
        break;
      }
      run.summary.push_back(std::move(field));
    }
  }
}

// /tables/<name> other than summary and jobs, in creation order → ResultSet::tables.
void read_extra_tables(hid_t tables, ResultSet& rs) {
  for (const auto& name : link_names(tables)) {
    if (std::find(kReservedTables.begin(), kReservedTables.end(), name) != kReservedTables.end())
      continue;
    const std::string where = "/tables/" + name;
    h5::Id ds = h5::open_dataset(tables, name);
    const CompoundRows t = read_compound(ds.get(), where);
    Table table{name, {}};
    for (std::size_t c = 0; c < t.cols.size(); ++c) {
      const Column& col = t.cols[c];
      TableColumn out{col.name, col.units, std::vector<double>()};
      switch (col.kind) {
      case Kind::f64: {
        std::vector<double> v(t.count);
        for (std::size_t r = 0; r < t.count; ++r)
          v[r] = f64_at(t.cell(r, c));
        out.values = std::move(v);
        break;
      }
      case Kind::i64: {
        std::vector<std::int64_t> v(t.count);
        for (std::size_t r = 0; r < t.count; ++r)
          v[r] = i64_at(t.cell(r, c));
        out.values = std::move(v);
        break;
      }
      case Kind::str: {
        std::vector<std::string> v(t.count);
        for (std::size_t r = 0; r < t.count; ++r)
          v[r] = fixed_text(t.cell(r, c), col.size);
        out.values = std::move(v);
        break;
      }
      }
      table.columns.push_back(std::move(out));
    }
    rs.tables.push_back(std::move(table));
  }
}

void read_series(hid_t file, ResultSet& rs, const std::vector<std::int8_t>& has_series) {
  h5::Id group = h5::open_group(file, "series");
  const auto runs = static_cast<hsize_t>(rs.runs.size());
  const auto n = static_cast<hsize_t>(rs.grid.n);
  for (const auto& name : link_names(group.get())) {
    const std::string where = "/series/" + name;
    h5::Id ds = h5::open_dataset(group.get(), name);
    if (h5::extent(ds.get(), where) != std::vector<hsize_t>{runs, n})
      malformed(where + " is not [run, time]");
    const std::vector<std::string> units = h5::attr_exists(ds.get(), "units")
                                               ? h5::read_string_attr_values(ds.get(), "units")
                                               : std::vector<std::string>{""};
    if (units.size() != 1)
      malformed(where + " has a units attribute that is not one string");
    h5::Id space = h5::dataset_space(ds.get(), where);
    h5::Id mem = h5::simple_space({n});
    for (std::size_t r = 0; r < rs.runs.size(); ++r) {
      if (has_series[r] == 0)
        continue;
      NamedSeries s{name, units[0], std::vector<double>(static_cast<std::size_t>(n))};
      if (n > 0) {
        h5::select_rows(space.get(), r, 1, n, where);
        h5::read(ds.get(), H5T_NATIVE_DOUBLE, mem.get(), space.get(), s.values.data(), where);
      }
      rs.runs[r].series.push_back(std::move(s));
    }
  }
}

void read_jobs(hid_t tables, ResultSet& rs) {
  const std::string where = "/tables/jobs";
  h5::Id ds = h5::open_dataset(tables, "jobs");
  h5::Id type = h5::dataset_type(ds.get(), where);
  std::set<std::string> absent;
  for (const auto& c : job_columns()) {
    if (H5Tget_member_index(type.get(), c.name) < 0) {
      H5Eclear2(H5E_DEFAULT);
      if (!c.optional)
        malformed(where + " has no column " + q(c.name));
      absent.insert(c.name);
    }
  }
  const auto dims = h5::extent(ds.get(), where);
  if (dims.size() != 1)
    malformed(where + " is not one-dimensional");
  std::vector<JobRow> rows(static_cast<std::size_t>(dims[0]));
  h5::Id mem = job_mem_type(absent);
  if (!rows.empty())
    h5::read(ds.get(), mem.get(), H5S_ALL, H5S_ALL, rows.data(), where);
  // Columns added later read as what files without them meant: nothing filled, on-demand in the
  // (unnamed) home region, no interruption.
  for (auto& row : rows) {
    if (absent.count("co2e_filled_share") != 0)
      row.co2e_filled_share = 0;
    if (absent.count("capacity") != 0)
      put_text(row.capacity, "on_demand", "capacity");
    if (absent.count("region") != 0)
      std::memset(row.region, 0, sizeof row.region);
    if (absent.count("interruptions") != 0)
      row.interruptions = 0;
    if (absent.count("lost_work_h") != 0)
      row.lost_work_h = 0;
    if (absent.count("unfinished_work_h") != 0)
      row.unfinished_work_h = 0;
  }
  for (const auto& row : rows) {
    if (row.run < 0 || static_cast<std::size_t>(row.run) >= rs.runs.size())
      malformed(where + " has a row whose run index " + std::to_string(row.run) +
                " is not a row of /run");
    JobRecord j;
    j.job_id = row.job_id;
    j.arrival_s = row.arrival_s;
    j.start_s = row.start_s;
    j.end_s = row.end_s;
    j.pieces = row.pieces;
    j.cpus = row.cpus;
    j.wait_h = row.wait_h;
    j.energy_kwh = row.energy_kwh;
    j.co2e_g = row.co2e_g;
    j.co2e_coverage = row.co2e_coverage;
    j.co2e_filled_share = row.co2e_filled_share;
    j.cost_usd = row.cost_usd;
    j.deadline_missed = row.deadline_missed != 0;
    j.blind = row.blind != 0;
    j.capacity = get_text(row.capacity);
    j.region = get_text(row.region);
    j.interruptions = row.interruptions;
    j.lost_work_h = row.lost_work_h;
    j.unfinished_work_h = row.unfinished_work_h;
    rs.runs[static_cast<std::size_t>(row.run)].jobs.push_back(j);
  }
}

ResultSet read_all(hid_t file) {
  ResultSet rs;
  std::optional<std::int64_t> grid[3];
  for (const auto& name : attribute_names(file)) {
    const H5T_class_t cls = attr_class(file, name);
    const auto g = std::find(kGridAttributes.begin(), kGridAttributes.end(), name);
    if (g != kGridAttributes.end() && cls == H5T_INTEGER) {
      grid[static_cast<std::size_t>(g - kGridAttributes.begin())] = read_int64_attr(file, name);
    } else if (cls == H5T_STRING) {
      auto values = h5::read_string_attr_values(file, name);
      if (values.size() != 1)
        malformed("root attribute " + q(name) + " is not a single string");
      rs.attributes.emplace_back(name, std::move(values[0]));
    }
  }
  for (std::size_t i = 0; i < kGridAttributes.size(); ++i)
    if (!grid[i])
      malformed(std::string("the root attribute ") + kGridAttributes[i] + " is missing");
  rs.grid = TimeGrid{*grid[0], *grid[1], *grid[2]};
  if (rs.grid.n < 0)
    malformed("grid_n is negative");

  const auto time_dims = h5::extent(h5::open_dataset(file, "time").get(), "/time");
  if (time_dims != std::vector<hsize_t>{static_cast<hsize_t>(rs.grid.n)})
    malformed("/time does not have grid_n values");

  for (auto& name : read_string_dataset(file, "run"))
    rs.runs.emplace_back().name = std::move(name);
  const auto runs = static_cast<hsize_t>(rs.runs.size());

  h5::Id tables = h5::open_group(file, "tables");
  std::size_t nf = 0;
  {
    h5::Id ds = h5::open_dataset(tables.get(), "summary");
    h5::Id type = h5::dataset_type(ds.get(), "/tables/summary");
    const int members = h5::check(H5Tget_nmembers(type.get()), "cannot count summary columns");
    nf = static_cast<std::size_t>(std::max(members - static_cast<int>(kRunColumns.size()), 0));
  }
  // /presence is absent from files written by other tools: then everything is present.
  std::vector<std::int8_t> has_series(rs.runs.size(), 1);
  std::vector<std::int8_t> present(rs.runs.size() * nf, 1);
  if (h5::link_exists(file, "presence")) {
    h5::Id group = h5::open_group(file, "presence");
    has_series = read_int8_dataset(group.get(), "series", {runs});
    present = read_int8_dataset(group.get(), "summary", {runs, nf});
  }
  read_summary(tables.get(), rs, present);
  if (h5::link_exists(file, "series"))
    read_series(file, rs, has_series);
  read_jobs(tables.get(), rs);
  read_extra_tables(tables.get(), rs);
  return rs;
}

} // namespace

void write_results(const std::string& path, const ResultSet& results) {
  const std::string context = "cannot write results to '" + path + "'";
  Plan plan;
  try {
    plan = make_plan(results);
  } catch (const Unrepresentable& e) {
    throw StoreError(ExitCode::io_error, context + ": " + e.what());
  }
  // Create the .tmp file first, so a missing folder is reported before any work is done.
  const std::string tmp = path + ".tmp";
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (fd.get() < 0) {
    const int err = errno;
    throw StoreError(ExitCode::cant_create,
                     context + ": cannot create '" + tmp + "': " + errno_text(err));
  }
  // From here on the .tmp file is ours: remove it on any failure.
  auto fail = [&](ExitCode code, const std::string& reason) {
    if (fd.get() >= 0)
      ::close(fd.release());
    std::remove(tmp.c_str());
    throw StoreError(code, context + ": " + reason);
  };
  std::vector<char> image;
  try {
    const std::lock_guard lock(hdf5_mutex());
    const h5::QuietErrors quiet;
    image = build_image(tmp, results, plan);
  } catch (const h5::Error& e) {
    fail(ExitCode::io_error, e.what());
  } catch (const std::bad_alloc&) {
    fail(ExitCode::io_error, "out of memory while building the file");
  }
  if (auto reason = write_image(fd, image))
    fail(ExitCode::io_error, "'" + tmp + "': " + *reason);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    fail(ExitCode::cant_create,
         "cannot rename '" + tmp + "' to '" + path + "': " + errno_text(err));
  }
}

ResultSet read_results(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status))
    throw InputError("cannot open result file '" + path + "': no such file");
  if (std::filesystem::is_directory(status))
    throw InputError("cannot open result file '" + path + "': it is a directory");
  const std::lock_guard lock(hdf5_mutex());
  const h5::QuietErrors quiet;
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0)
    throw InputError("cannot open result file '" + path + "': " + h5::take_error_stack());
  if (is_hdf5 == 0)
    throw StoreError(ExitCode::bad_data,
                     "'" + path + "' is not a cfsim result file (not an HDF5 file)");
  try {
    h5::Id fapl = read_access();
    h5::Id file = h5::open_file(path, fapl.get());
    if (!h5::attr_exists(file.get(), "schema_version"))
      throw StoreError(ExitCode::bad_data,
                       "'" + path + "' is not a cfsim result file (no schema_version attribute)");
    const auto version = h5::read_string_attr_values(file.get(), "schema_version");
    if (version.size() != 1 || version[0] != kSchemaVersion)
      throw StoreError(ExitCode::bad_data,
                       "'" + path + "' has result schema version " +
                           (version.empty() ? std::string("?") : q(version[0])) +
                           ", this cfsim reads version " + kSchemaVersion);
    ResultSet rs = read_all(file.get());
    file.close("cannot close the file");
    return rs;
  } catch (const h5::Error& e) {
    throw StoreError(ExitCode::io_error, "cannot read results from '" + path + "': " + e.what());
  }
}

} // namespace cfsim
