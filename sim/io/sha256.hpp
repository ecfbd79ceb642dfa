// Internal to sim/io: SHA-256 fed block by block, for importers that stream a file instead of
// holding it (sim/io/focus_blocks.cpp). The digest equals sha256_hex() of the whole file; both
// are implemented in sim/io/file.cpp, the one place that calls OpenSSL.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cfsim {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Hashes the next bytes of the input, in order.
  void update(std::string_view bytes);
  // The lower-case hex digest of everything passed to update(); call once.
  std::string hex();

private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

} // namespace cfsim
