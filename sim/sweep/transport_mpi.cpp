// The MPI transport (sim/sweep/transport.hpp): OpenMPI from Debian, the only file that calls
// MPI. Only the sweep's writer thread calls it (MPI_THREAD_SERIALIZED is enough).
// The C API only: OpenMPI's mpi.h would otherwise pull in the removed C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "cfsim/error.hpp"
#include "sweep/transport.hpp"

namespace cfsim {

std::unique_ptr<Transport> make_local_transport();

namespace {

constexpr int kTagRecord = 1, kTagDone = 2;

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v))
      return true;
  return false;
}

[[noreturn]] void mpi_failed(const char* what) {
  throw Error(ExitCode::unavailable, std::string("MPI: ") + what + " failed");
}

class MpiTransport final : public Transport {
public:
  MpiTransport() {
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
      mpi_failed("MPI_Init_thread");
    if (provided < MPI_THREAD_SERIALIZED)
      throw Error(ExitCode::unavailable,
                  "MPI: this MPI library does not allow calls from a worker thread "
                  "(MPI_THREAD_SERIALIZED)");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    remote_left_ = size_ - 1;
  }
  ~MpiTransport() override { MPI_Finalize(); }

  void send_record(const std::string& record) override {
    if (MPI_Send(record.data(), static_cast<int>(record.size()), MPI_BYTE, 0, kTagRecord,
                 MPI_COMM_WORLD) != MPI_SUCCESS)
      mpi_failed("MPI_Send");
  }
  void finish() override {
    if (!root() && MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagDone, MPI_COMM_WORLD) != MPI_SUCCESS)
      mpi_failed("MPI_Send");
  }
  bool receive_record(std::string& record, int wait_ms) override {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    do {
      int flag = 0;
      MPI_Status st;
      if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS)
        mpi_failed("MPI_Iprobe");
      if (flag) {
        int n = 0;
        MPI_Get_count(&st, MPI_BYTE, &n);
        record.resize(static_cast<std::size_t>(n));
        if (MPI_Recv(record.data(), n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS)
          mpi_failed("MPI_Recv");
        if (st.MPI_TAG == kTagDone) {
          --remote_left_;
          continue;
        }
        return true;
      }
      if (remote_left_ == 0)
        return false;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    } while (std::chrono::steady_clock::now() < until);
    return false;
  }
  bool remote_done() const override { return remote_left_ == 0; }
  void broadcast(std::vector<std::uint8_t>& flags) override {
    unsigned long long n = flags.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    flags.resize(static_cast<std::size_t>(n));
    if (n > 0 &&
        MPI_Bcast(flags.data(), static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
      mpi_failed("MPI_Bcast");
  }
  bool any(bool mine) override {
    int in = mine ? 1 : 0, out = 0;
    if (MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
      mpi_failed("MPI_Allreduce");
    return out != 0;
  }

private:
  int remote_left_ = 0;
};

} // namespace

std::unique_ptr<Transport> make_transport() {
  if (!launched_by_mpi())
    return make_local_transport();
  return std::make_unique<MpiTransport>();
}

} // namespace cfsim
