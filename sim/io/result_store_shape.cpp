// The first pass of a result file write (include/cfsim/store.hpp): every check the schema
// (docs/result-schema.md) makes of a ResultSet, made run by run, and the layout figures that
// depend on all runs (field union, string widths, row counts). Nothing here touches HDF5 or
// the disk, so a ResultSet the schema cannot represent is rejected before any file exists.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/store.hpp"
#include "io/result_store_common.hpp"

namespace cfsim {

namespace store_detail {

std::vector<const NamedSeries*> series_in_order(const ResultShape::Data& shape,
                                                const RunResult& run) {
  std::vector<const NamedSeries*> row;
  if (run.series.empty())
    return row;
  const auto& names = shape.series_names;
  const auto n = static_cast<std::size_t>(shape.grid.n);
  if (run.series.size() != names.size())
    throw Unrepresentable("run " + q(run.name) + " has " + std::to_string(run.series.size()) +
                          " series, run " + q(shape.series_source) + " has " +
                          std::to_string(names.size()) +
                          " (every run has the same series, or none)");
  row.assign(names.size(), nullptr);
  for (const auto& s : run.series) {
    const auto it = std::find(names.begin(), names.end(), s.name);
    if (it == names.end())
      throw Unrepresentable("run " + q(run.name) + " has series " + q(s.name) + " that run " +
                            q(shape.series_source) + " lacks");
    const auto k = static_cast<std::size_t>(it - names.begin());
    if (row[k] != nullptr)
      throw Unrepresentable("run " + q(run.name) + " has series " + q(s.name) + " twice");
    if (s.units != shape.series_units[k])
      throw Unrepresentable("series " + q(s.name) + " has units " + q(s.units) + " in run " +
                            q(run.name) + " but " + q(shape.series_units[k]) + " in run " +
                            q(shape.series_source));
    if (s.values.size() != n)
      throw Unrepresentable("series " + q(s.name) + " of run " + q(run.name) + " has " +
                            std::to_string(s.values.size()) + " values, the grid has " +
                            std::to_string(n) + " cells");
    row[k] = &s;
  }
  return row;
}

std::vector<const Field*> fields_in_order(const ResultShape::Data& shape, const RunResult& run) {
  std::vector<const Field*> row(shape.fields.size(), nullptr);
  for (const auto& f : run.summary) {
    const auto it = shape.field_index.find(f.name);
    if (it == shape.field_index.end())
      throw Unrepresentable("run " + q(run.name) + " has field " + q(f.name) +
                            " that the first pass did not see");
    const Column& c = shape.fields[it->second];
    if (c.kind != kind_of(f))
      throw Unrepresentable("field " + q(f.name) + " is " + kind_name(kind_of(f)) + " in run " +
                            q(run.name) + " but " + kind_name(c.kind) + " in an earlier run");
    if (c.units != f.units)
      throw Unrepresentable("field " + q(f.name) + " has units " + q(f.units) + " in run " +
                            q(run.name) + " but " + q(c.units) + " in an earlier run");
    if (row[it->second] != nullptr)
      throw Unrepresentable("run " + q(run.name) + " has field " + q(f.name) + " twice");
    if (const auto* s = std::get_if<std::string>(&f.value); s != nullptr && s->size() > c.size)
      throw Unrepresentable("field " + q(f.name) + " of run " + q(run.name) +
                            " is longer than the first pass saw");
    row[it->second] = &f;
  }
  return row;
}

namespace {

// The fixed-width text columns of /tables/jobs.
void check_jobs(const RunResult& run) {
  for (const auto& j : run.jobs) {
    check_text(j.capacity, "job capacity");
    check_text(j.region, "job region");
    if (j.capacity.size() > kJobCapacityBytes || j.region.size() > kJobRegionBytes)
      throw Unrepresentable("run " + q(run.name) + " has a job whose capacity " + q(j.capacity) +
                            " or region " + q(j.region) + " is longer than " +
                            std::to_string(kJobCapacityBytes) + " / " +
                            std::to_string(kJobRegionBytes) + " bytes");
  }
}

// The first run with series fixes their names, units and order.
void fix_series(ResultShape::Data& d, const RunResult& run) {
  for (const auto& s : run.series) {
    check_link_name(s.name, "series name");
    check_text(s.units, "units of series " + q(s.name));
    if (std::find(d.series_names.begin(), d.series_names.end(), s.name) != d.series_names.end())
      throw Unrepresentable("run " + q(run.name) + " has series " + q(s.name) + " twice");
    d.series_names.push_back(s.name);
    d.series_units.push_back(s.units);
  }
  d.series_source = run.name;
}

// Adds the run's new fields to the union (first-seen order); string widths grow.
void gather_fields(ResultShape::Data& d, const RunResult& run) {
  for (const auto& f : run.summary) {
    if (f.name.empty())
      throw Unrepresentable("run " + q(run.name) + " has an unnamed field");
    check_text(f.name, "field name " + q(f.name));
    check_text(f.units, "units of field " + q(f.name));
    if (std::find(kRunColumns.begin(), kRunColumns.end(), f.name) != kRunColumns.end())
      throw Unrepresentable("field name " + q(f.name) +
                            " is reserved for a /tables/summary run column");
    const auto [it, added] = d.field_index.emplace(f.name, d.fields.size());
    if (added)
      d.fields.push_back(Column{f.name, f.units, kind_of(f), kind_of(f) == Kind::str ? 1u : 8u, 0});
    if (const auto* s = std::get_if<std::string>(&f.value)) {
      check_text(*s, "field " + q(f.name) + " of run " + q(run.name));
      Column& c = d.fields[it->second];
      if (c.kind == Kind::str)
        c.size = std::max(c.size, s->size());
    }
  }
}

void check_table(const ResultShape::Data& d, const Table& table) {
  check_link_name(table.name, "table name");
  if (std::find(kReservedTables.begin(), kReservedTables.end(), table.name) !=
      kReservedTables.end())
    throw Unrepresentable("table name " + q(table.name) +
                          " is reserved (/tables/summary and /tables/jobs come from the runs)");
  if (std::find(d.tables.begin(), d.tables.end(), table.name) != d.tables.end())
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
                            q(table.columns.front().name) + " has " + std::to_string(table.rows()));
    if (const auto* texts = std::get_if<std::vector<std::string>>(&col.values))
      for (const auto& t : *texts)
        check_text(t, what);
  }
}

} // namespace
} // namespace store_detail

using namespace store_detail;

ResultShape::ResultShape(std::string path, TimeGrid grid,
                         std::vector<std::pair<std::string, std::string>> attributes)
    : d_(std::make_unique<Data>()) {
  d_->path = std::move(path);
  d_->context = "cannot write results to '" + d_->path + "'";
  d_->grid = grid;
  try {
    if (grid.n < 0)
      throw Unrepresentable("the grid has a negative cell count");
    std::set<std::string> names;
    for (const auto& [name, value] : attributes) {
      if (name.empty())
        throw Unrepresentable("a root attribute has an empty name");
      check_text(name, "root attribute name " + q(name));
      check_text(value, "root attribute " + q(name));
      if (!names.insert(name).second)
        throw Unrepresentable("root attribute " + q(name) + " appears twice");
      if (std::find(kGridAttributes.begin(), kGridAttributes.end(), name) != kGridAttributes.end())
        throw Unrepresentable("root attribute " + q(name) +
                              " is reserved for the grid (written from ResultSet::grid)");
      if (name == "schema_version") {
        if (value != kSchemaVersion)
          throw Unrepresentable("root attribute schema_version is " + q(value) +
                                ", this cfsim writes schema version " + kSchemaVersion);
        d_->has_schema_version = true;
      }
    }
  } catch (const Unrepresentable& e) {
    throw StoreError(ExitCode::io_error, d_->context + ": " + e.what());
  }
  d_->attributes = std::move(attributes);
}

ResultShape::~ResultShape() = default;
ResultShape::ResultShape(ResultShape&&) noexcept = default;
ResultShape& ResultShape::operator=(ResultShape&&) noexcept = default;

void ResultShape::add_run(const RunResult& run) {
  Data& d = *d_;
  try {
    check_text(run.name, "run name " + q(run.name));
    check_text(run.strategy, "strategy of run " + q(run.name));
    check_text(run.status, "status of run " + q(run.name));
    check_text(run.message, "message of run " + q(run.name));
    if (d.name_set.count(run.name) != 0)
      throw Unrepresentable("run name " + q(run.name) + " appears twice");
    if (!run.series.empty() && d.series_source.empty())
      fix_series(d, run);
    series_in_order(d, run); // checks names, units and lengths
    gather_fields(d, run);
    fields_in_order(d, run); // checks types, units and duplicates
    check_jobs(run);
  } catch (const Unrepresentable& e) {
    throw StoreError(ExitCode::io_error, d.context + ": " + e.what());
  }
  const std::string* texts[4] = {&run.name, &run.strategy, &run.status, &run.message};
  for (std::size_t c = 0; c < 4; ++c)
    d.run_widths[c] = std::max(d.run_widths[c], texts[c]->size());
  d.job_rows += run.jobs.size();
  d.name_set.insert(d.run_names.emplace_back(run.name));
}

void ResultShape::add_table(const Table& table) {
  try {
    check_table(*d_, table);
  } catch (const Unrepresentable& e) {
    throw StoreError(ExitCode::io_error, d_->context + ": " + e.what());
  }
  d_->tables.push_back(table.name);
}

std::size_t ResultShape::runs() const {
  return d_->run_names.size();
}

} // namespace cfsim
