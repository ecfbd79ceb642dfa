#include "sweep/spool.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <type_traits>

#include "cfsim/error.hpp"

namespace cfsim {

namespace {

constexpr char kFileMagic[] = "CFSIM-SPOOL-1\n";
constexpr std::uint32_t kRecordMagic = 0x31524643; // "CFR1"

// FNV-1a, 64 bit: detects a torn or damaged record (not an adversary).
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Out {
public:
  template <class T> void pod(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    s.append(b, sizeof(T));
  }
  void str(const std::string& v) {
    pod<std::uint64_t>(v.size());
    s += v;
  }
  std::string s;
};

class In {
public:
  In(std::string_view b, const std::string& origin) : b_(b), origin_(origin) {}
  template <class T> T pod() {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T));
    T v;
    std::memcpy(&v, b_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    need(n);
    std::string v(b_.substr(at_, n));
    at_ += n;
    return v;
  }
  bool end() const { return at_ == b_.size(); }

private:
  void need(std::uint64_t n) const {
    if (n > b_.size() - at_)
      throw InputError(origin_ + ": damaged spool record (runs past its end)");
  }
  std::string_view b_;
  std::string origin_;
  std::size_t at_ = 0;
};

enum class Kind : std::uint8_t { number = 0, integer = 1, text = 2 };

std::string payload_of(const RunResult& r) {
  Out o;
  o.str(r.name);
  o.str(r.strategy);
  o.str(r.status);
  o.str(r.message);
  o.pod<std::uint64_t>(r.summary.size());
  for (const Field& f : r.summary) {
    o.str(f.name);
    o.str(f.units);
    if (const auto* d = std::get_if<double>(&f.value)) {
      o.pod(Kind::number);
      o.pod(*d);
    } else if (const auto* i = std::get_if<std::int64_t>(&f.value)) {
      o.pod(Kind::integer);
      o.pod(*i);
    } else {
      o.pod(Kind::text);
      o.str(std::get<std::string>(f.value));
    }
  }
  o.pod<std::uint64_t>(r.series.size());
  for (const NamedSeries& s : r.series) {
    o.str(s.name);
    o.str(s.units);
    o.pod<std::uint64_t>(s.values.size());
    o.s.append(reinterpret_cast<const char*>(s.values.data()), s.values.size() * sizeof(double));
  }
  o.pod<std::uint64_t>(r.jobs.size());
  for (const JobRecord& j : r.jobs) {
    o.pod(j.job_id);
    o.pod(j.arrival_s);
    o.pod(j.start_s);
    o.pod(j.end_s);
    o.pod(j.pieces);
    o.pod(j.cpus);
    o.pod(j.wait_h);
    o.pod(j.energy_kwh);
    o.pod(j.co2e_g);
    o.pod(j.co2e_coverage);
    o.pod(j.co2e_filled_share);
    o.pod(j.cost_usd);
    o.pod<std::uint8_t>(j.deadline_missed ? 1 : 0);
    o.pod<std::uint8_t>(j.blind ? 1 : 0);
    o.str(j.capacity);
    o.str(j.region);
    o.pod(j.interruptions);
    o.pod(j.lost_work_h);
    o.pod(j.unfinished_work_h);
  }
  return std::move(o.s);
}

RunResult run_of(std::string_view payload, const std::string& origin) {
  In in(payload, origin);
  RunResult r;
  r.name = in.str();
  r.strategy = in.str();
  r.status = in.str();
  r.message = in.str();
  const auto nf = in.pod<std::uint64_t>();
  for (std::uint64_t k = 0; k < nf; ++k) {
    Field f;
    f.name = in.str();
    f.units = in.str();
    const auto kind = in.pod<Kind>();
    if (kind == Kind::number)
      f.value = in.pod<double>();
    else if (kind == Kind::integer)
      f.value = in.pod<std::int64_t>();
    else if (kind == Kind::text)
      f.value = in.str();
    else
      throw InputError(origin + ": damaged spool record (unknown field type)");
    r.summary.push_back(std::move(f));
  }
  const auto ns = in.pod<std::uint64_t>();
  for (std::uint64_t k = 0; k < ns; ++k) {
    NamedSeries s;
    s.name = in.str();
    s.units = in.str();
    const auto n = in.pod<std::uint64_t>();
    s.values.resize(n);
    for (double& v : s.values)
      v = in.pod<double>();
    r.series.push_back(std::move(s));
  }
  const auto nj = in.pod<std::uint64_t>();
  for (std::uint64_t k = 0; k < nj; ++k) {
    JobRecord j;
    j.job_id = in.pod<std::int64_t>();
    j.arrival_s = in.pod<TimeS>();
    j.start_s = in.pod<TimeS>();
    j.end_s = in.pod<TimeS>();
    j.pieces = in.pod<std::int32_t>();
    j.cpus = in.pod<double>();
    j.wait_h = in.pod<double>();
    j.energy_kwh = in.pod<double>();
    j.co2e_g = in.pod<double>();
    j.co2e_coverage = in.pod<double>();
    j.co2e_filled_share = in.pod<double>();
    j.cost_usd = in.pod<double>();
    j.deadline_missed = in.pod<std::uint8_t>() != 0;
    j.blind = in.pod<std::uint8_t>() != 0;
    j.capacity = in.str();
    j.region = in.str();
    j.interruptions = in.pod<std::int32_t>();
    j.lost_work_h = in.pod<double>();
    j.unfinished_work_h = in.pod<double>();
    r.jobs.push_back(std::move(j));
  }
  if (!in.end())
    throw InputError(origin + ": damaged spool record (bytes after its end)");
  return r;
}

std::string header_of(const std::string& identity) {
  Out o;
  o.s = kFileMagic;
  o.str(identity);
  return std::move(o.s);
}

// A spool opened for reading; closed at scope exit.
class File {
public:
  explicit File(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) {
    if (!f_)
      throw InputError("cannot open spool '" + path + "': " + std::strerror(errno));
  }
  ~File() { std::fclose(f_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  // Reads exactly `n` bytes; false at the end of the file (a torn record).
  bool read(void* buf, std::size_t n) { return std::fread(buf, 1, n, f_) == n; }

private:
  std::FILE* f_;
};

} // namespace

std::string encode_run(std::uint64_t index, const RunResult& run) {
  const std::string payload = payload_of(run);
  Out o;
  o.pod(kRecordMagic);
  o.pod(index);
  o.str(payload);
  o.pod(fnv1a(payload));
  return std::move(o.s);
}

RunResult decode_run(std::string_view bytes, std::uint64_t& index, const std::string& origin) {
  In in(bytes, origin);
  if (in.pod<std::uint32_t>() != kRecordMagic)
    throw InputError(origin + ": damaged spool record (bad magic)");
  index = in.pod<std::uint64_t>();
  const std::string payload = in.str();
  if (in.pod<std::uint64_t>() != fnv1a(payload))
    throw InputError(origin + ": damaged spool record (checksum)");
  return run_of(payload, origin);
}

SpoolIndex scan_spool(const std::string& path) {
  // Streamed record by record (a spool of 10^5 runs is gigabytes): one record in memory.
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  File f(path);
  const std::string_view magic(kFileMagic);
  std::string buf(magic.size(), '\0');
  if (ec || !f.read(buf.data(), buf.size()) || buf != magic)
    throw InputError(path + ": not a cfsim sweep spool");
  std::uint64_t len = 0;
  if (!f.read(&len, sizeof len) || len > size)
    throw InputError(path + ": not a cfsim sweep spool (damaged header)");
  SpoolIndex idx;
  idx.identity.resize(len);
  if (!f.read(idx.identity.data(), len))
    throw InputError(path + ": not a cfsim sweep spool (damaged header)");
  std::uint64_t at = magic.size() + sizeof len + len;
  idx.intact_bytes = at;
  // Records: magic, index, payload length, payload, checksum. Stop at the first that is cut
  // short or fails its checksum: everything after it is the torn tail of an interrupted write.
  constexpr std::uint64_t fixed = 4 + 8 + 8;
  std::string payload;
  while (size - at >= fixed) {
    char head[fixed];
    if (!f.read(head, fixed))
      break;
    std::uint32_t m;
    std::uint64_t run;
    std::memcpy(&m, head, 4);
    std::memcpy(&run, head + 4, 8);
    std::memcpy(&len, head + 12, 8);
    if (m != kRecordMagic || len > size - at - fixed || size - at - fixed - len < 8)
      break;
    payload.resize(len);
    std::uint64_t sum;
    if (!f.read(payload.data(), len) || !f.read(&sum, sizeof sum) || sum != fnv1a(payload))
      break;
    idx.run.push_back(run);
    idx.offset.push_back(at);
    at += fixed + len + 8;
    idx.intact_bytes = at;
  }
  return idx;
}

SpoolWriter::SpoolWriter(const std::string& path, const std::string& identity, bool resume,
                         std::vector<std::uint64_t>& done)
    : path_(path) {
  done.clear();
  std::FILE* existing = resume ? std::fopen(path.c_str(), "rb") : nullptr;
  if (existing) {
    std::fclose(existing);
    const SpoolIndex idx = scan_spool(path);
    if (idx.identity != identity)
      throw UsageError("--resume: '" + path +
                       "' belongs to another sweep (different scenario, filter, shard or cfsim "
                       "version); remove it or run without --resume");
    done = idx.run;
    // Cut a torn tail off, then append after the last intact record.
    std::error_code ec;
    std::filesystem::resize_file(path, idx.intact_bytes, ec);
    f_ = ec ? nullptr : std::fopen(path.c_str(), "ab");
  } else {
    f_ = std::fopen(path.c_str(), "wb");
    if (f_) {
      const std::string h = header_of(identity);
      std::fwrite(h.data(), 1, h.size(), f_);
    }
  }
  if (!f_ || std::fflush(f_) != 0)
    throw StoreError(ExitCode::cant_create,
                     "cannot write the sweep spool '" + path + "': " + std::strerror(errno));
}

SpoolWriter::~SpoolWriter() {
  if (f_)
    std::fclose(f_);
}

void SpoolWriter::append(const std::string& record) {
  if (std::fwrite(record.data(), 1, record.size(), f_) != record.size() || std::fflush(f_) != 0)
    throw StoreError(ExitCode::io_error,
                     "cannot append to the sweep spool '" + path_ + "': " + std::strerror(errno));
}

void SpoolWriter::close() {
  if (f_ && std::fclose(f_) != 0) {
    f_ = nullptr;
    throw StoreError(ExitCode::io_error, "cannot close the sweep spool '" + path_ + "'");
  }
  f_ = nullptr;
}

SpoolReader::SpoolReader(const std::string& path) : path_(path) {
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_)
    throw InputError("cannot open spool '" + path + "': " + std::strerror(errno));
}

SpoolReader::~SpoolReader() {
  if (f_)
    std::fclose(f_);
}

RunResult SpoolReader::read(std::uint64_t offset) {
  char head[20];
  if (std::fseek(f_, static_cast<long>(offset), SEEK_SET) != 0 || std::fread(head, 1, 20, f_) != 20)
    throw InputError(path_ + ": cannot read the spool record at byte " + std::to_string(offset));
  std::uint64_t len;
  std::memcpy(&len, head + 12, 8);
  std::string rec(head, 20);
  rec.resize(20 + len + 8);
  if (std::fread(rec.data() + 20, 1, len + 8, f_) != len + 8)
    throw InputError(path_ + ": spool record at byte " + std::to_string(offset) + " is cut short");
  std::uint64_t index;
  return decode_run(rec, index, path_);
}

} // namespace cfsim
