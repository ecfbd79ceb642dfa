// The one-process transport: nothing travels (sim/sweep/transport.hpp).
#include "sweep/transport.hpp"

#include "cfsim/error.hpp"

namespace cfsim {

namespace {

class LocalTransport final : public Transport {
public:
  void send_record(const std::string&) override {
    CFSIM_CHECK(false, "a single process has no rank 0 to send to");
  }
  void finish() override {}
  bool receive_record(std::string&, int) override { return false; }
  bool remote_done() const override { return true; }
  void broadcast(std::vector<std::uint8_t>&) override {}
  bool any(bool mine) override { return mine; }
};

} // namespace

#ifndef CFSIM_WITH_MPI
std::unique_ptr<Transport> make_transport() {
  return std::make_unique<LocalTransport>();
}
#else
std::unique_ptr<Transport> make_local_transport() {
  return std::make_unique<LocalTransport>();
}
#endif

} // namespace cfsim
