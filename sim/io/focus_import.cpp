// `cfsim import focus`, streamed: each row is validated (focus_rows.cpp) and formatted
// (write_focus.cpp) straight into an output buffer, written to OUT.tmp whenever it fills and
// renamed to OUT at the end. Memory is the input blocks plus the output buffer, whatever the
// file's size; the bytes are format_focus_csv(load_focus_csv(IN))'s.
//
// One wrinkle: the whole-trace writer adds the x_InstanceType column when *any* record states an
// instance type, which a stream only knows at the end. Rows are written without the column until
// the first one that states a type; then the rows already written are rewritten once, with a
// NULL in that column (in practice a few rows: EC2 usage appears early in a bill). Files whose
// header cannot state a type (no ChargeDescription, no x_InstanceType) never have the column.
#include "io/focus_import.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "cfsim/error.hpp"
#include "io/focus_format.hpp"
#include "io/focus_rows.hpp"

namespace cfsim::focus {
namespace {

namespace fs = std::filesystem;

class SubsetWriter {
public:
  SubsetWriter(const std::string& path, std::size_t flush_bytes)
      : path_(path), tmp_(path + ".tmp"), flush_bytes_(flush_bytes) {}

  // On an error the partial OUT.tmp is removed; an existing OUT is left as it was.
  ~SubsetWriter() {
    if (f_ != nullptr)
      std::fclose(f_);
    if (opened_ && !committed_)
      std::remove(tmp_.c_str());
  }

  SubsetWriter(const SubsetWriter&) = delete;
  SubsetWriter& operator=(const SubsetWriter&) = delete;

  void header(const Layout& l) {
    const fs::path p(path_);
    if (!p.parent_path().empty() && !fs::is_directory(p.parent_path()))
      throw StoreError(ExitCode::cant_create, "cannot write '" + path_ + "': folder '" +
                                                  p.parent_path().string() + "' does not exist");
    f_ = open(tmp_, "w+b");
    opened_ = true;
    instance_ = l.may_state_instance() ? Instance::undecided : Instance::no;
    append_header(buf_, false, l.extra_columns);
  }

  void row(const Row& r) {
    if (instance_ == Instance::undecided && !r.instance_type.empty()) {
      add_instance_column();
      instance_ = Instance::yes;
    }
    append_row(buf_, r, instance_ == Instance::yes);
    if (buf_.size() >= flush_bytes_)
      flush();
  }

  void commit() {
    flush();
    const int closed = std::fclose(f_);
    f_ = nullptr;
    if (closed != 0)
      throw StoreError(ExitCode::io_error, "write error on '" + tmp_ + "'");
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
      throw StoreError(ExitCode::io_error, "cannot rename '" + tmp_ + "' to '" + path_ + "'");
    committed_ = true;
  }

private:
  enum class Instance { no, undecided, yes };

  static std::FILE* open(const std::string& path, const char* mode) {
    std::FILE* f = std::fopen(path.c_str(), mode);
    if (f == nullptr)
      throw StoreError(ExitCode::cant_create, "cannot create '" + path + "'");
    std::setvbuf(f, nullptr, _IONBF, 0); // the buffer is ours: whole buffers go to write(2)
    return f;
  }

  void write(std::FILE* f, std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
      throw StoreError(ExitCode::io_error, "write error on '" + tmp_ + "'");
  }

  void flush() {
    write(f_, buf_.view());
    buf_.clear();
  }

  // Rewrites what is written so far with the x_InstanceType column after the 13 canonical ones:
  // the header gains its name, every row a NULL. The old file stays readable through its open
  // handle after its name is reused (POSIX), so no second temporary name is needed.
  void add_instance_column() {
    flush();
    std::FILE* old = f_;
    f_ = nullptr;
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(old, &std::fclose);
    std::rewind(old);
    std::remove(tmp_.c_str());
    f_ = open(tmp_, "wb");

    // Our own output: quoted fields may hold commas and line breaks, '""' toggles the quote
    // state twice, so a field ends at a comma or LF outside quotes.
    std::vector<char> in(std::size_t{1} << 20);
    OutBuffer out;
    bool quoted = false, first_record = true;
    std::size_t field = 0;
    while (const std::size_t n = std::fread(in.data(), 1, in.size(), old)) {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = in[i];
        if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && (c == ',' || c == '\n')) {
          if (field + 1 == kCanonicalColumns) {
            out.append(",");
            out.append(first_record ? kInstanceTypeColumn : std::string_view("NULL"));
          }
          ++field;
          if (c == '\n') {
            field = 0;
            first_record = false;
          }
        }
        char* p = out.room(1);
        *p = c;
        out.commit(p + 1);
      }
      write(f_, out.view());
      out.clear();
    }
    if (std::ferror(old))
      throw StoreError(ExitCode::io_error, "read error on '" + tmp_ + "' while adding the " +
                                               std::string(kInstanceTypeColumn) + " column");
  }

  std::string path_, tmp_;
  std::size_t flush_bytes_;
  std::FILE* f_ = nullptr;
  bool opened_ = false, committed_ = false;
  Instance instance_ = Instance::no;
  OutBuffer buf_;
};

} // namespace

FocusImportSummary import_csv(const std::string& in_path, const std::string& out_path,
                              const ImportOptions& options) {
  SubsetWriter writer(out_path, options.flush_bytes);
  const ScanResult scanned = scan_focus_file(
      in_path, options.blocks, [&](const Layout& l) { writer.header(l); },
      [&](const Row& r) { writer.row(r); });
  writer.commit();
  FocusImportSummary out;
  out.rows = scanned.rows;
  out.sha256 = scanned.sha256;
  return out;
}

} // namespace cfsim::focus

namespace cfsim {

FocusImportSummary import_focus_csv(const std::string& in_path, const std::string& out_path) {
  focus::ImportOptions options;
  options.blocks.sha256 = true;
  return focus::import_csv(in_path, out_path, options);
}

} // namespace cfsim
