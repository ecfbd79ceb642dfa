// The HDF5 result store (DESIGN §9). The layout is specified in docs/result-schema.md; keep the
// two in step. Files must open with h5py, pandas.read_hdf (PyTables) and xarray (h5netcdf), so
// the layout sticks to what those readers understand: dimension scales for /time and /run,
// plain 1-D compound datasets with fixed-length string columns for the tables (PyTables cannot
// read variable-length strings in a table), variable-length UTF-8 strings for attributes.
//
// This file reads result files (read_results); writing is result_store_shape.cpp (the checks
// and layout) and result_store_writer.cpp (the HDF5 writes, in batches).
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
#include "io/result_store_common.hpp"

namespace cfsim {
using namespace store_detail;
namespace {

// File access for reading: HDF5 1.10 locks files with flock(); where the file system does not
// support it (some network mounts) carry on without the lock instead of failing.
h5::Id read_access() {
  h5::Id fapl = h5::plist(H5P_FILE_ACCESS, "file access properties");
  h5::check(H5Pset_file_locking(fapl.get(), true, true), "cannot set file locking");
  return fapl;
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
