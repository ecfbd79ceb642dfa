// The second pass of a result file write (include/cfsim/store.hpp): every dataset of
// docs/result-schema.md created at its final size from a ResultShape, then filled with runs in
// batches (one hyperslab write per dataset and batch), so memory is bounded by the batch.
//
// Disk errors. HDF5 writes the .tmp file itself here (the sec2 driver), in pieces, as chunks
// and metadata leave its caches. HDF5 1.10 cannot close a file after a failed write: the close
// flushes again, fails again, and the library crashes at exit still trying. So on any failure
// the writer points HDF5's file descriptor at /dev/null (dup2), where the remaining writes
// succeed, closes the file and removes the .tmp: every failure ends as a StoreError and `path`
// keeps its earlier content. A failed metadata flush can leave HDF5 unable to close the file
// even then; it stays open inside the library (its exit handler is off, result_store_common.hpp).
// (The earlier design built the whole file in memory, core driver, to keep HDF5 away from the disk;
// that costs the file's size in memory.)
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/store.hpp"
#include "io/result_store_common.hpp"

namespace cfsim {

using namespace store_detail;

namespace {

// A batch holds at most this many bytes of series (a long fine grid gets fewer runs per batch).
constexpr std::size_t kBatchSeriesBytes = 64u << 20;
// /tables/jobs rows buffered before a write (about 10 MB).
constexpr std::size_t kJobRowsPerWrite = 1u << 16;
// Chunk cache of a table: room for a few of its (≤ 1 MiB) chunks, so rows written batch by
// batch complete a chunk in memory before it is compressed and written once.
constexpr std::size_t kTableCacheBytes = 4u << 20;

std::string errno_text(int err) {
  return std::strerror(err);
}

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

void attach(hid_t ds, hid_t scale, unsigned dim, std::string_view what) {
  h5::check(H5DSattach_scale(ds, scale, dim),
            "cannot attach a dimension scale to " + std::string(what));
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

// Rows [first, first + count) of a 1-D (row_length 0) or 2-D dataset from a packed buffer.
void write_rows(hid_t ds, hid_t mem_type, std::size_t first, std::size_t count,
                std::size_t row_length, const void* buf, std::string_view where) {
  if (count == 0)
    return;
  h5::Id space = h5::dataset_space(ds, where);
  const hsize_t start[2] = {first, 0};
  const hsize_t counts[2] = {count, row_length};
  const int rank = row_length == 0 ? 1 : 2;
  h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, counts, nullptr),
            "cannot select rows of " + h5::in_quotes(where));
  h5::Id mem = rank == 1 ? h5::simple_space({count}) : h5::simple_space({count, row_length});
  h5::write(ds, mem_type, mem.get(), space.get(), buf, where);
}

// A 1-D compound table of `rows` rows: chunked (≤ 1 MiB a chunk), compressed, extendible, with
// per-column units.
h5::Id create_table(hid_t group, const std::string& name, hid_t file_type, std::size_t rows,
                    const std::vector<std::string>& units) {
  const std::string where = "/tables/" + name;
  const std::size_t row_size = H5Tget_size(file_type);
  if (row_size == 0)
    h5::fail("cannot get the row size of " + where);
  const auto chunk_rows = static_cast<hsize_t>(std::max<std::size_t>(
      1, std::min(rows, std::max<std::size_t>(1, kTableChunkBytes / row_size))));
  h5::Id dcpl = compressed_dcpl({chunk_rows});
  h5::Id dapl = h5::plist(H5P_DATASET_ACCESS, "dataset access properties");
  h5::check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, kTableCacheBytes, 1.0),
            "cannot size the chunk cache of " + where);
  h5::Id space = h5::simple_space({rows}, {H5S_UNLIMITED});
  h5::Id ds(h5::check(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                 dcpl.get(), dapl.get()),
                      "cannot create dataset " + h5::in_quotes(name)),
            H5Dclose);
  h5::write_string_array_attr(ds.get(), "units", units);
  return ds;
}

// The packed columns of an extra table (float64, int64, fixed-length strings as wide as the
// longest value, >= 1 byte) and its rows in one buffer.
void write_extra_table(hid_t tables, const Table& table) {
  std::vector<Column> cols;
  for (const auto& c : table.columns) {
    Column col{c.name, c.units, Kind::f64, 8, 0};
    if (std::holds_alternative<std::vector<std::int64_t>>(c.values)) {
      col.kind = Kind::i64;
    } else if (const auto* texts = std::get_if<std::vector<std::string>>(&c.values)) {
      col.kind = Kind::str;
      col.size = 1;
      for (const auto& t : *texts)
        col.size = std::max(col.size, t.size());
    }
    cols.push_back(col);
  }
  const PackedType packed = packed_type(cols);
  const std::size_t rows = table.rows();
  std::vector<char> buf(rows * packed.row_size, '\0');
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const Column& col = cols[c];
    std::visit(
        [&](const auto& values) {
          for (std::size_t r = 0; r < rows; ++r) {
            char* dst = buf.data() + r * packed.row_size + col.offset;
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
  h5::Id ds = create_table(tables, table.name, packed.type.get(), rows, units);
  write_rows(ds.get(), packed.type.get(), 0, rows, 0, buf.data(), "/tables/" + table.name);
}

} // namespace

struct ResultWriter::Impl {
  const ResultShape::Data& shape;
  std::string tmp;
  std::size_t batch_runs = 1;
  std::size_t n = 0; // grid cells

  enum class State { open, failed, done } state = State::open;
  hid_t file = H5I_INVALID_HID;
  int fd = -1; // the sec2 driver's descriptor of the .tmp file

  h5::Id run_type, run_ds;
  std::vector<h5::Id> series_ds;
  h5::Id presence_series, presence_summary;
  h5::Id tables;
  std::vector<Column> summary_cols;
  PackedType summary_type;
  h5::Id summary_ds;
  h5::Id job_mem, job_file, jobs_ds;

  // The batch: runs [batch_first, batch_first + batch_count), packed as the datasets store them.
  std::size_t appended = 0, batch_first = 0, batch_count = 0;
  std::vector<char> names;
  std::vector<std::vector<double>> series; // per series, [batch × n]
  std::vector<std::int8_t> has_series, present;
  std::vector<char> summary;
  std::vector<JobRow> jobs;
  std::uint64_t jobs_written = 0;
  std::size_t tables_written = 0;

  explicit Impl(const ResultShape::Data& s) : shape(s), tmp(s.path + ".tmp") {}

  std::size_t fields() const { return shape.fields.size(); }

  void create_file();
  void create_layout();
  void pack(const RunResult& run);
  void flush_batch();
  void flush_jobs();
  void close_and_rename();
  void close_objects() noexcept;
  void abandon() noexcept;

  // Runs `step` holding the HDF5 lock; any failure abandons the .tmp file and becomes a
  // StoreError naming the path.
  template <class Step> void guarded(Step&& step);
};

template <class Step> void ResultWriter::Impl::guarded(Step&& step) {
  if (state != State::open)
    throw StoreError(ExitCode::io_error, shape.context + ": the writer has " +
                                             (state == State::done ? "finished" : "failed") +
                                             " already");
  std::string reason;
  {
    const std::lock_guard lock(hdf5_mutex());
    const h5::QuietErrors quiet;
    try {
      step();
      return;
    } catch (const StoreError&) {
      abandon();
      throw;
    } catch (const h5::Error& e) {
      reason = e.what();
    } catch (const Unrepresentable& e) {
      reason = e.what();
    } catch (const std::bad_alloc&) {
      reason = "out of memory while writing the file";
    }
    abandon();
  }
  throw StoreError(ExitCode::io_error, shape.context + ": " + reason);
}

void ResultWriter::Impl::close_objects() noexcept {
  jobs_ds.reset();
  job_file.reset();
  job_mem.reset();
  summary_ds.reset();
  summary_type = PackedType{};
  tables.reset();
  presence_summary.reset();
  presence_series.reset();
  series_ds.clear();
  run_ds.reset();
  run_type.reset();
}

void ResultWriter::Impl::abandon() noexcept {
  state = State::failed;
  if (file >= 0 && H5Iis_valid(file) > 0) {
    // Later writes (the close flushes) go nowhere instead of failing again; see the top.
    if (fd >= 0) {
      const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
      if (null_fd >= 0) {
        ::dup2(null_fd, fd);
        ::close(null_fd);
      }
    }
    close_objects();
    H5Fclose(file);
  } else {
    close_objects();
  }
  H5Eclear2(H5E_DEFAULT);
  file = H5I_INVALID_HID;
  fd = -1;
  std::remove(tmp.c_str());
}

void ResultWriter::Impl::create_file() {
  h5::Id fcpl = h5::plist(H5P_FILE_CREATE, "file creation properties");
  h5::check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot track link creation order");
  h5::check(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot track attribute creation order");
  h5::Id fapl = h5::plist(H5P_FILE_ACCESS, "file access properties");
  h5::check(H5Pset_fapl_sec2(fapl.get()), "cannot select the sec2 driver");
  // Where the file system has no flock() (some network mounts) carry on without the lock.
  h5::check(H5Pset_file_locking(fapl.get(), true, true), "cannot set file locking");
  file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get());
  if (file < 0)
    throw StoreError(ExitCode::cant_create,
                     shape.context + ": cannot create '" + tmp + "': " + h5::take_error_stack());
  void* handle = nullptr;
  h5::check(H5Fget_vfd_handle(file, fapl.get(), &handle), "cannot get the file descriptor");
  fd = *static_cast<int*>(handle);
}

void ResultWriter::Impl::create_layout() {
  const std::size_t runs = shape.run_names.size();
  if (!shape.has_schema_version)
    h5::write_string_attr(file, "schema_version", kSchemaVersion);
  for (const auto& [name, value] : shape.attributes)
    h5::write_string_attr(file, name, value);
  h5::write_int64_attr(file, "grid_start_s", shape.grid.start_s);
  h5::write_int64_attr(file, "grid_step_s", shape.grid.step_s);
  h5::write_int64_attr(file, "grid_n", shape.grid.n);
  write_time(file, shape.grid);

  run_type = h5::string_type(shape.run_widths[0]);
  {
    h5::Id space = h5::simple_space({runs});
    run_ds = h5::create_dataset(file, "run", run_type.get(), space.get());
    h5::write_string_attr(run_ds.get(), "long_name", "run name (scenario/strategy/k=v,k=v/seed=n)");
    h5::check(H5DSset_scale(run_ds.get(), "run"), "cannot make /run a dimension scale");
  }
  h5::Id time = h5::open_dataset(file, "time");

  // /series: one [run, time] dataset per series, NaN where a run has none.
  {
    h5::Id gcpl = ordered_gcpl();
    h5::Id group = h5::create_group(file, "series", gcpl.get());
    for (std::size_t k = 0; k < shape.series_names.size(); ++k) {
      const std::string& name = shape.series_names[k];
      const std::string where = "/series/" + name;
      h5::Id dcpl = n > 0 ? compressed_dcpl({1, n}) : h5::plist(H5P_DATASET_CREATE, "properties");
      const double fill = std::numeric_limits<double>::quiet_NaN();
      h5::check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &fill),
                "cannot set the fill value of " + where);
      // Extendible along runs (chunked); an empty grid cannot be chunked, so stays contiguous.
      h5::Id space =
          n > 0 ? h5::simple_space({runs, n}, {H5S_UNLIMITED, n}) : h5::simple_space({runs, n});
      h5::Id ds = h5::create_dataset(group.get(), name, H5T_IEEE_F64LE, space.get(), dcpl.get());
      h5::write_string_attr(ds.get(), "units", shape.series_units[k]);
      attach(ds.get(), run_ds.get(), 0, where);
      attach(ds.get(), time.get(), 1, where);
      series_ds.push_back(std::move(ds));
    }
  }

  // /presence: which runs have series and which summary cells were given.
  {
    h5::Id gcpl = ordered_gcpl();
    h5::Id group = h5::create_group(file, "presence", gcpl.get());
    h5::Id s1 = h5::simple_space({runs});
    presence_series = h5::create_dataset(group.get(), "series", H5T_STD_I8LE, s1.get());
    h5::write_string_attr(presence_series.get(), "long_name",
                          "1 if the run has series, 0 if its rows are NaN");
    attach(presence_series.get(), run_ds.get(), 0, "/presence/series");
    h5::Id s2 = h5::simple_space({runs, fields()});
    presence_summary = h5::create_dataset(group.get(), "summary", H5T_STD_I8LE, s2.get());
    h5::write_string_attr(presence_summary.get(), "long_name",
                          "1 if the run has the field (column 4 + j of /tables/summary), 0 if "
                          "the cell holds a filler (NaN, 0 or an empty string)");
    attach(presence_summary.get(), run_ds.get(), 0, "/presence/summary");
  }

  h5::Id gcpl = ordered_gcpl();
  tables = h5::create_group(file, "tables", gcpl.get());

  // /tables/summary: the run columns, then the fields; one packed type in memory and file
  // (native = IEEE / two's complement little-endian here).
  for (std::size_t c = 0; c < kRunColumns.size(); ++c)
    summary_cols.push_back(Column{kRunColumns[c], "", Kind::str, shape.run_widths[c], 0});
  summary_cols.insert(summary_cols.end(), shape.fields.begin(), shape.fields.end());
  summary_type = packed_type(summary_cols);
  std::vector<std::string> units;
  for (const auto& col : summary_cols)
    units.push_back(col.units);
  summary_ds = create_table(tables.get(), "summary", summary_type.type.get(), runs, units);

  // /tables/jobs: the in-memory JobRow, packed in the file.
  job_mem = job_mem_type();
  job_file = h5::copy_type(job_mem.get());
  h5::check(H5Tpack(job_file.get()), "cannot pack the /tables/jobs row type");
  std::vector<std::string> job_units;
  for (const auto& c : job_columns())
    job_units.emplace_back(c.units);
  jobs_ds = create_table(tables.get(), "jobs", job_file.get(),
                         static_cast<std::size_t>(shape.job_rows), job_units);
}

// Copies the run into the batch buffers (rows pre-filled with NUL / NaN / 0).
void ResultWriter::Impl::pack(const RunResult& run) {
  if (appended >= shape.run_names.size() || shape.run_names[appended] != run.name)
    throw Unrepresentable("run " + q(run.name) + " is not the run the first pass saw at row " +
                          std::to_string(appended));
  const std::string* texts[4] = {&run.name, &run.strategy, &run.status, &run.message};
  for (std::size_t c = 0; c < 4; ++c)
    if (texts[c]->size() > shape.run_widths[c])
      throw Unrepresentable("run " + q(run.name) + " has a longer " + kRunColumns[c] +
                            " than the first pass saw");
  const auto row_series = series_in_order(shape, run);
  const auto row_fields = fields_in_order(shape, run);
  const std::size_t b = batch_count;

  std::memcpy(names.data() + b * shape.run_widths[0], run.name.data(), run.name.size());
  has_series[b] = row_series.empty() ? 0 : 1;
  for (std::size_t k = 0; k < row_series.size(); ++k)
    std::copy(row_series[k]->values.begin(), row_series[k]->values.end(),
              series[k].begin() + static_cast<std::ptrdiff_t>(b * n));

  char* row = summary.data() + b * summary_type.row_size;
  for (std::size_t c = 0; c < kRunColumns.size(); ++c)
    std::memcpy(row + summary_cols[c].offset, texts[c]->data(), texts[c]->size());
  for (std::size_t f = 0; f < row_fields.size(); ++f) {
    const Column& col = summary_cols[kRunColumns.size() + f];
    const Field* cell = row_fields[f];
    present[b * fields() + f] = cell != nullptr ? 1 : 0;
    if (cell == nullptr) {
      if (col.kind == Kind::f64) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        std::memcpy(row + col.offset, &nan, sizeof nan);
      }
      continue; // integers 0, strings "" (the buffer is zeroed)
    }
    if (const auto* d = std::get_if<double>(&cell->value))
      std::memcpy(row + col.offset, d, sizeof *d);
    else if (const auto* i = std::get_if<std::int64_t>(&cell->value))
      std::memcpy(row + col.offset, i, sizeof *i);
    else {
      const auto& s = std::get<std::string>(cell->value);
      std::memcpy(row + col.offset, s.data(), s.size());
    }
  }

  for (const auto& j : run.jobs) {
    JobRow jr{static_cast<std::int64_t>(appended),
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
    put_text(jr.capacity, j.capacity, "capacity");
    put_text(jr.region, j.region, "region");
    jobs.push_back(jr);
  }
  ++batch_count;
  ++appended;
}

void ResultWriter::Impl::flush_jobs() {
  if (jobs_written + jobs.size() > shape.job_rows)
    throw Unrepresentable("the runs have more jobs than the first pass saw");
  write_rows(jobs_ds.get(), job_mem.get(), static_cast<std::size_t>(jobs_written), jobs.size(), 0,
             jobs.data(), "/tables/jobs");
  jobs_written += jobs.size();
  jobs.clear();
}

void ResultWriter::Impl::flush_batch() {
  const std::size_t first = batch_first, count = batch_count;
  write_rows(run_ds.get(), run_type.get(), first, count, 0, names.data(), "/run");
  if (n > 0)
    for (std::size_t k = 0; k < series_ds.size(); ++k)
      write_rows(series_ds[k].get(), H5T_NATIVE_DOUBLE, first, count, n, series[k].data(),
                 "/series/" + shape.series_names[k]);
  write_rows(presence_series.get(), H5T_NATIVE_INT8, first, count, 0, has_series.data(),
             "/presence/series");
  if (fields() > 0)
    write_rows(presence_summary.get(), H5T_NATIVE_INT8, first, count, fields(), present.data(),
               "/presence/summary");
  write_rows(summary_ds.get(), summary_type.type.get(), first, count, 0, summary.data(),
             "/tables/summary");
  flush_jobs();
  // The next batch starts from fillers.
  batch_first += count;
  batch_count = 0;
  std::fill(names.begin(), names.end(), '\0');
  for (auto& s : series)
    std::fill(s.begin(), s.end(), std::numeric_limits<double>::quiet_NaN());
  std::fill(summary.begin(), summary.end(), '\0');
}

void ResultWriter::Impl::close_and_rename() {
  if (batch_count > 0)
    flush_batch();
  if (appended != shape.run_names.size())
    throw Unrepresentable(std::to_string(appended) + " runs were written, the first pass saw " +
                          std::to_string(shape.run_names.size()));
  if (jobs_written != shape.job_rows)
    throw Unrepresentable("the runs have fewer jobs than the first pass saw");
  if (tables_written != shape.tables.size())
    throw Unrepresentable("table " + q(shape.tables[tables_written]) + " was not written");
  // Everything reaches the file here (chunk caches, metadata), while a failure can still be
  // cleaned up; the close then has nothing left to write.
  h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "cannot flush the file");
  close_objects();
  h5::check(H5Fclose(file), "cannot close the file");
  file = H5I_INVALID_HID;
  fd = -1;
  const int sync_fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (sync_fd < 0 || ::fsync(sync_fd) != 0) {
    const int err = errno;
    if (sync_fd >= 0)
      ::close(sync_fd);
    throw StoreError(ExitCode::io_error,
                     shape.context + ": '" + tmp + "': fsync failed: " + errno_text(err));
  }
  ::close(sync_fd);
  if (std::rename(tmp.c_str(), shape.path.c_str()) != 0) {
    const int err = errno;
    throw StoreError(ExitCode::cant_create, shape.context + ": cannot rename '" + tmp + "' to '" +
                                                shape.path + "': " + errno_text(err));
  }
  state = State::done;
}

ResultWriter::ResultWriter(const ResultShape& shape, std::size_t batch_runs)
    : d_(std::make_unique<Impl>(*shape.d_)) {
  Impl& d = *d_;
  const ResultShape::Data& s = *shape.d_;
  d.n = static_cast<std::size_t>(s.grid.n);
  const std::size_t run_bytes = std::max<std::size_t>(1, s.series_names.size() * d.n * 8);
  d.batch_runs = std::max<std::size_t>(1, std::min(batch_runs, kBatchSeriesBytes / run_bytes));
  // Create the .tmp file first, so a missing folder is reported before any work is done, and
  // a .tmp that is not ours (e.g. a directory) is left alone.
  const int probe = ::open(d.tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (probe < 0) {
    const int err = errno;
    d.state = Impl::State::failed;
    throw StoreError(ExitCode::cant_create,
                     s.context + ": cannot create '" + d.tmp + "': " + errno_text(err));
  }
  ::close(probe);
  d.guarded([&] {
    d.create_file();
    d.create_layout();
    d.names.assign(d.batch_runs * s.run_widths[0], '\0');
    d.series.assign(
        s.series_names.size(),
        std::vector<double>(d.batch_runs * d.n, std::numeric_limits<double>::quiet_NaN()));
    d.has_series.assign(d.batch_runs, 0);
    d.present.assign(d.batch_runs * d.fields(), 0);
    d.summary.assign(d.batch_runs * d.summary_type.row_size, '\0');
  });
}

ResultWriter::~ResultWriter() {
  if (d_ && d_->state == Impl::State::open) {
    const std::lock_guard lock(hdf5_mutex());
    const h5::QuietErrors quiet;
    d_->abandon();
  }
}

void ResultWriter::append(const RunResult& run) {
  d_->guarded([&] {
    d_->pack(run);
    if (d_->jobs.size() >= kJobRowsPerWrite)
      d_->flush_jobs();
    if (d_->batch_count == d_->batch_runs)
      d_->flush_batch();
  });
}

void ResultWriter::write_table(const Table& table) {
  d_->guarded([&] {
    Impl& d = *d_;
    if (d.tables_written >= d.shape.tables.size() || d.shape.tables[d.tables_written] != table.name)
      throw Unrepresentable("table " + q(table.name) + " is not the table the first pass saw");
    write_extra_table(d.tables.get(), table);
    ++d.tables_written;
  });
}

void ResultWriter::finish() {
  d_->guarded([&] { d_->close_and_rename(); });
}

void write_results(const std::string& path, const ResultSet& results) {
  ResultShape shape(path, results.grid, results.attributes);
  for (const auto& run : results.runs)
    shape.add_run(run);
  for (const auto& table : results.tables)
    shape.add_table(table);
  ResultWriter out(shape);
  for (const auto& run : results.runs)
    out.append(run);
  for (const auto& table : results.tables)
    out.write_table(table);
  out.finish();
}

} // namespace cfsim
