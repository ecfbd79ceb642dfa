// Thin checked wrappers over the HDF5 C API, for sim/io/result_store.cpp only (the one place
// in cfsim that sees HDF5, DESIGN §1). Every call into HDF5 is checked once, here, and a
// failure becomes an h5::Error whose message says what was being done and why HDF5 refused
// (the outermost and the innermost entries of the HDF5 error stack, e.g.
// "cannot create file: H5Fcreate: unable to create file (H5FD_sec2_open: unable to open file:
// ... errno = 2, error message = 'No such file or directory' ...)"). The store turns it into a
// cfsim::StoreError naming the file. Handles are move-only RAII values.
#pragma once

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cfsim::h5 {

// An HDF5 call failed. what() = "<context>: <HDF5 reason>".
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Turns off HDF5's automatic printing of the error stack to stderr for the current thread
// (only main() prints, STYLE.md) and restores the previous handler on scope exit.
class QuietErrors {
public:
  QuietErrors() {
    if (H5Eget_auto2(H5E_DEFAULT, &func_, &data_) < 0) {
      func_ = nullptr;
      data_ = nullptr;
    }
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// Reads and clears the current thread's HDF5 error stack: "outer (innermost)".
inline std::string take_error_stack() {
  std::vector<std::string> entries;
  auto walk = [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
    auto& out = *static_cast<std::vector<std::string>*>(data);
    std::string entry = e->func_name != nullptr ? e->func_name : "?";
    entry += ": ";
    entry += e->desc != nullptr ? e->desc : "(no description)";
    out.push_back(std::move(entry));
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk, &entries);
  H5Eclear2(H5E_DEFAULT);
  if (entries.empty())
    return "unknown HDF5 error";
  if (entries.size() == 1)
    return entries.front();
  return entries.front() + " (" + entries.back() + ")";
}

[[noreturn]] inline void fail(std::string_view context) {
  throw Error(std::string(context) + ": " + take_error_stack());
}

// Checks the return value of an HDF5 call (negative = failure).
template <class T> T check(T result, std::string_view context) {
  if (result < 0)
    fail(context);
  return result;
}

// An owned HDF5 identifier with its close function. Close errors in the destructor are
// ignored (it only runs on scopes that end early or after close() succeeded); close() checks.
class Id {
public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id(Id&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Id& operator=(Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Id() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

  void reset() noexcept {
    if (id_ >= 0 && closer_ != nullptr) {
      closer_(id_);
      H5Eclear2(H5E_DEFAULT);
    }
    id_ = H5I_INVALID_HID;
  }
  // Checked close (a file close flushes, so its failure is a write failure).
  void close(std::string_view context) {
    if (id_ < 0)
      return;
    const hid_t id = std::exchange(id_, H5I_INVALID_HID);
    check(closer_(id), context);
  }

private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

inline std::string in_quotes(std::string_view name) {
  return "'" + std::string(name) + "'";
}

// --- property lists, dataspaces, types ---------------------------------------------------

inline Id plist(hid_t cls, std::string_view what) {
  return Id(check(H5Pcreate(cls), std::string("cannot create ") + std::string(what)), H5Pclose);
}
inline Id scalar_space() {
  return Id(check(H5Screate(H5S_SCALAR), "cannot create a scalar dataspace"), H5Sclose);
}
inline Id simple_space(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& maxdims = {}) {
  return Id(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                   maxdims.empty() ? nullptr : maxdims.data()),
                  "cannot create a dataspace"),
            H5Sclose);
}
inline Id copy_type(hid_t type) {
  return Id(check(H5Tcopy(type), "cannot copy a datatype"), H5Tclose);
}
// UTF-8 string type: variable length if size == 0, else fixed length `size` bytes, NUL-padded
// (no terminator stored, so a value may use every byte; numpy's 'S' dtype reads it as is).
inline Id string_type(std::size_t size) {
  Id t = copy_type(H5T_C_S1);
  check(H5Tset_size(t.get(), size == 0 ? H5T_VARIABLE : size), "cannot size a string type");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "cannot set a string type to UTF-8");
  if (size != 0)
    check(H5Tset_strpad(t.get(), H5T_STR_NULLPAD), "cannot set string padding");
  return t;
}
inline Id compound_type(std::size_t size) {
  return Id(check(H5Tcreate(H5T_COMPOUND, size), "cannot create a compound type"), H5Tclose);
}
inline void insert_member(hid_t compound, const std::string& name, std::size_t offset, hid_t type) {
  check(H5Tinsert(compound, name.c_str(), offset, type),
        "cannot add column " + in_quotes(name) + " to a compound type");
}
inline Id dataset_type(hid_t dset, std::string_view name) {
  return Id(check(H5Dget_type(dset), "cannot get the type of " + in_quotes(name)), H5Tclose);
}
inline Id dataset_space(hid_t dset, std::string_view name) {
  return Id(check(H5Dget_space(dset), "cannot get the dataspace of " + in_quotes(name)), H5Sclose);
}
// Extent of a dataset's dataspace.
inline std::vector<hsize_t> extent(hid_t dset, std::string_view name) {
  Id space = dataset_space(dset, name);
  const int rank =
      check(H5Sget_simple_extent_ndims(space.get()), "cannot get the rank of " + in_quotes(name));
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr),
        "cannot get the extent of " + in_quotes(name));
  return dims;
}

// --- files, groups, datasets, attributes --------------------------------------------------

inline Id create_file(const std::string& path, hid_t fcpl, hid_t fapl) {
  return Id(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl), "cannot create file"),
            H5Fclose);
}
inline Id open_file(const std::string& path, hid_t fapl) {
  return Id(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl), "cannot open file"), H5Fclose);
}
inline Id create_group(hid_t loc, const std::string& name, hid_t gcpl) {
  return Id(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT),
                  "cannot create group " + in_quotes(name)),
            H5Gclose);
}
inline Id open_group(hid_t loc, const std::string& name) {
  return Id(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), "cannot open group " + in_quotes(name)),
            H5Gclose);
}
inline bool link_exists(hid_t loc, const std::string& name) {
  return check(H5Lexists(loc, name.c_str(), H5P_DEFAULT), "cannot look up " + in_quotes(name)) > 0;
}
inline Id create_dataset(hid_t loc, const std::string& name, hid_t type, hid_t space,
                         hid_t dcpl = H5P_DEFAULT) {
  return Id(check(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                  "cannot create dataset " + in_quotes(name)),
            H5Dclose);
}
inline Id open_dataset(hid_t loc, const std::string& name) {
  return Id(
      check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "cannot open dataset " + in_quotes(name)),
      H5Dclose);
}
inline void write(hid_t dset, hid_t mem_type, hid_t mem_space, hid_t file_space, const void* buf,
                  std::string_view name) {
  check(H5Dwrite(dset, mem_type, mem_space, file_space, H5P_DEFAULT, buf),
        "cannot write dataset " + in_quotes(name));
}
inline void read(hid_t dset, hid_t mem_type, hid_t mem_space, hid_t file_space, void* buf,
                 std::string_view name) {
  check(H5Dread(dset, mem_type, mem_space, file_space, H5P_DEFAULT, buf),
        "cannot read dataset " + in_quotes(name));
}
inline void select_rows(hid_t space, hsize_t first, hsize_t count, hsize_t row_length,
                        std::string_view name) {
  const hsize_t start[2] = {first, 0};
  const hsize_t counts[2] = {count, row_length};
  check(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, counts, nullptr),
        "cannot select rows of " + in_quotes(name));
}

inline bool attr_exists(hid_t obj, const std::string& name) {
  return check(H5Aexists(obj, name.c_str()), "cannot look up attribute " + in_quotes(name)) > 0;
}
inline Id open_attr(hid_t obj, const std::string& name) {
  return Id(
      check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "cannot open attribute " + in_quotes(name)),
      H5Aclose);
}
inline void write_attr(hid_t obj, const std::string& name, hid_t type, hid_t space,
                       const void* buf) {
  Id attr(check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                "cannot create attribute " + in_quotes(name)),
          H5Aclose);
  check(H5Awrite(attr.get(), type, buf), "cannot write attribute " + in_quotes(name));
  attr.close("cannot close attribute " + in_quotes(name));
}
// Scalar variable-length UTF-8 string attribute (h5py and netCDF-4 read it as a str).
inline void write_string_attr(hid_t obj, const std::string& name, const std::string& value) {
  Id type = string_type(0);
  Id space = scalar_space();
  const char* p = value.c_str();
  write_attr(obj, name, type.get(), space.get(), &p);
}
// 1-D array of variable-length UTF-8 strings.
inline void write_string_array_attr(hid_t obj, const std::string& name,
                                    const std::vector<std::string>& values) {
  Id type = string_type(0);
  Id space = simple_space({values.size()});
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values)
    ptrs.push_back(v.c_str());
  write_attr(obj, name, type.get(), space.get(), ptrs.data());
}
inline void write_int64_attr(hid_t obj, const std::string& name, std::int64_t value) {
  Id space = scalar_space();
  write_attr(obj, name, H5T_NATIVE_INT64, space.get(), &value);
}

// Reads the strings of a string-typed dataset or attribute (fixed or variable length), after
// `read_fn(mem_type, buf)` has been given a buffer of `count` elements.
template <class ReadFn>
std::vector<std::string> read_strings(hid_t file_type, std::size_t count, ReadFn&& read_fn,
                                      std::string_view name) {
  std::vector<std::string> out;
  out.reserve(count);
  if (count == 0)
    return out;
  const htri_t vl =
      check(H5Tis_variable_str(file_type), "cannot inspect the type of " + in_quotes(name));
  if (vl > 0) {
    Id mem = string_type(0);
    std::vector<char*> ptrs(count, nullptr);
    read_fn(mem.get(), static_cast<void*>(ptrs.data()));
    for (char* p : ptrs) {
      out.emplace_back(p != nullptr ? p : "");
      if (p != nullptr)
        H5free_memory(p);
    }
    return out;
  }
  const std::size_t size = H5Tget_size(file_type);
  if (size == 0)
    fail("cannot get the string size of " + in_quotes(name));
  Id mem = string_type(size);
  std::vector<char> buf(size * count, '\0');
  read_fn(mem.get(), static_cast<void*>(buf.data()));
  for (std::size_t i = 0; i < count; ++i) {
    const char* p = buf.data() + i * size;
    std::size_t len = 0;
    while (len < size && p[len] != '\0')
      ++len;
    out.emplace_back(p, len);
  }
  return out;
}

inline std::vector<std::string> read_string_attr_values(hid_t obj, const std::string& name) {
  Id attr = open_attr(obj, name);
  Id type(check(H5Aget_type(attr.get()), "cannot get the type of attribute " + in_quotes(name)),
          H5Tclose);
  if (check(H5Tget_class(type.get()), "cannot get the class of attribute " + in_quotes(name)) !=
      H5T_STRING)
    throw Error("attribute " + in_quotes(name) + " is not a string");
  Id space(
      check(H5Aget_space(attr.get()), "cannot get the dataspace of attribute " + in_quotes(name)),
      H5Sclose);
  const hssize_t n =
      check(H5Sget_simple_extent_npoints(space.get()), "cannot size attribute " + in_quotes(name));
  return read_strings(
      type.get(), static_cast<std::size_t>(n),
      [&](hid_t mem, void* buf) {
        check(H5Aread(attr.get(), mem, buf), "cannot read attribute " + in_quotes(name));
      },
      name);
}

} // namespace cfsim::h5
