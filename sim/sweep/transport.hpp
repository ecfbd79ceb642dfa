// How a sweep's finished runs reach the one writer (docs/scaling.md). In one process they do
// not travel; under MPI (`mpirun -np K cfsim sweep ...`, CFSIM_MPI build) every rank runs its
// share of the points and sends each finished run, as a spool record, to rank 0, which writes.
// MPI is used in sim/sweep/transport_mpi.cpp only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cfsim {

class Transport {
public:
  virtual ~Transport() = default;
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  // Non-root ranks: one encoded run record to rank 0; `finish` when the rank has no more.
  virtual void send_record(const std::string& record) = 0;
  virtual void finish() = 0;
  // Rank 0: the next record from another rank, waiting at most `wait_ms`; false when none came.
  // `remote_done()` is true once every other rank has finished and its records were received.
  virtual bool receive_record(std::string& record, int wait_ms) = 0;
  virtual bool remote_done() const = 0;
  // Every rank gets rank 0's `flags` (the runs a resumed spool already holds).
  virtual void broadcast(std::vector<std::uint8_t>& flags) = 0;
  // Every rank gets whether any rank failed (true) before the result is written.
  virtual bool any(bool mine) = 0;

protected:
  int rank_ = 0, size_ = 1;
};

// MPI when cfsim was built with CFSIM_MPI and started by an MPI launcher (mpirun/srun set the
// PMI/OMPI environment); one process otherwise.
std::unique_ptr<Transport> make_transport();

} // namespace cfsim
