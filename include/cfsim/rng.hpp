// Randomness (DESIGN §2): std::mt19937_64 seeded through SplitMix64 from the scenario seed and
// a stream index, with cfsim's own distributions (std distributions differ between libraries).
#pragma once

#include <cstdint>
#include <random>

namespace cfsim {

std::uint64_t splitmix64(std::uint64_t x);

class Rng {
public:
  // Independent stream `stream` of a scenario seed (e.g. run index, trace id).
  Rng(std::uint64_t seed, std::uint64_t stream);
  std::uint64_t next_u64() { return engine_(); }
  double uniform01();                                         // [0, 1), 53 bits
  double uniform(double lo, double hi);                       // [lo, hi)
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi); // inclusive, unbiased
  double normal();                                            // N(0, 1), Marsaglia polar method
  double exponential(double rate);                            // inverse CDF

private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0;
};

} // namespace cfsim
