// The sweep spool (docs/sweeps.md): an append-only file of finished runs beside the output
// (`OUT.spool`), one checksummed record per run, written by the sweep's single writer thread as
// runs finish. It makes a sweep resumable (`--resume` keeps every intact record and drops a torn
// tail) and lets the HDF5 file be written at the end in run order whatever order the runs
// finished in. The same record encoding carries runs between MPI ranks.
// Native little-endian binary: a working file, not an exchange format (deleted when the HDF5
// file is complete).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/result.hpp"

namespace cfsim {

// A run's bytes: encode and decode are exact inverses (doubles bit for bit, NaN payloads too).
std::string encode_run(std::uint64_t index, const RunResult& run);
// Throws InputError naming `origin` on a malformed record.
RunResult decode_run(std::string_view bytes, std::uint64_t& index, const std::string& origin);

class SpoolWriter {
public:
  // Creates `path` with `identity` in its header (a text naming the sweep: scenario sha256,
  // filter, shard, version), or, with `resume`, reopens it: the identity must match, the intact
  // records are kept (their run indices end up in `done`) and a torn tail is cut off.
  SpoolWriter(const std::string& path, const std::string& identity, bool resume,
              std::vector<std::uint64_t>& done);
  ~SpoolWriter();
  SpoolWriter(const SpoolWriter&) = delete;
  SpoolWriter& operator=(const SpoolWriter&) = delete;
  // Appends one encoded record and flushes it to the OS (a killed process loses at most the
  // record being written).
  void append(const std::string& record);
  void close();

private:
  std::string path_;
  std::FILE* f_ = nullptr;
};

// Reads a spool: the identity and every intact record's run index and byte offset.
struct SpoolIndex {
  std::string identity;
  std::vector<std::uint64_t> run;    // run index of each record, in file order
  std::vector<std::uint64_t> offset; // byte offset of each record
  std::uint64_t intact_bytes = 0;    // end of the last intact record
};
SpoolIndex scan_spool(const std::string& path);

// Random access to a spool's records (one open file; not thread-safe).
class SpoolReader {
public:
  explicit SpoolReader(const std::string& path);
  ~SpoolReader();
  SpoolReader(const SpoolReader&) = delete;
  SpoolReader& operator=(const SpoolReader&) = delete;
  RunResult read(std::uint64_t offset);

private:
  std::string path_;
  std::FILE* f_ = nullptr;
};

} // namespace cfsim
