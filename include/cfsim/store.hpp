// The HDF5 result store (DESIGN §9, docs/result-schema.md). HDF5 appears nowhere else.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/result.hpp"

namespace cfsim {

// Writes `results` to `path` through `path + ".tmp"` and renames it when complete, so an
// existing file is never left half-written. StoreError (73/74) with the HDF5 reason on failure.
// The same file as ResultShape + ResultWriter give for the same runs (it is written that way).
void write_results(const std::string& path, const ResultSet& results);

// Reads a result file back (dump, plot, check). StoreError/InputError on failure.
ResultSet read_results(const std::string& path);

// --- Streaming writes: files larger than memory (`cfsim sweep`) ------------------------------
//
// A result file's layout depends on all of its runs (the union of summary fields, the width of
// fixed-length string columns, the row counts), so a streamed write takes two passes over the
// runs, in file order: ResultShape sees every run and keeps only what the layout needs (run
// names and per-column figures, not series); ResultWriter then takes the same runs again and
// writes them in batches. Memory is bounded by the batch, not by the number of runs.
//
//   ResultShape shape(path, grid, attributes);
//   for (each run) shape.add_run(run);          // validates, like write_results
//   ResultWriter out(shape);                    // creates path.tmp, every dataset sized
//   for (each run) out.append(run);             // the same runs in the same order
//   out.finish();                               // fsync, rename to path

// The layout of one result file, gathered run by run. Every method throws StoreError
// (io_error, naming the path) when the runs cannot be represented (the checks write_results
// makes: unique run names, one set of series and units, one type and unit per field, ...).
class ResultShape {
public:
  ResultShape(std::string path, TimeGrid grid,
              std::vector<std::pair<std::string, std::string>> attributes);
  ~ResultShape();
  ResultShape(ResultShape&&) noexcept;
  ResultShape& operator=(ResultShape&&) noexcept;

  // The next run of the file.
  void add_run(const RunResult& run);
  // The next extra table (/tables/<name>); ResultWriter::write_table writes it whole.
  void add_table(const Table& table);
  std::size_t runs() const;

  struct Data; // private to the store

private:
  friend class ResultWriter;
  std::unique_ptr<Data> d_;
};

// Writes the file a ResultShape describes. Creating it creates `path.tmp` (StoreError
// cant_create when that fails, e.g. a missing folder); a failure of any later step removes the
// .tmp and throws StoreError (io_error; cant_create when the final rename fails), and so does
// destroying an unfinished writer (without throwing): `path` is only ever replaced by a
// complete file. `shape` must outlive the writer.
class ResultWriter {
public:
  // `batch_runs`: runs buffered per hyperslab write (about 8 series × cells × 8 bytes each).
  explicit ResultWriter(const ResultShape& shape, std::size_t batch_runs = 512);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // The next run: the same run ResultShape::add_run saw at this position.
  void append(const RunResult& run);
  // The next extra table, as given to ResultShape::add_table.
  void write_table(const Table& table);
  // Writes what is buffered, closes and syncs the .tmp file and renames it to the path.
  void finish();

  struct Impl; // private to the store

private:
  std::unique_ptr<Impl> d_;
};

} // namespace cfsim
