// Randomness (DESIGN §2). The engine is std::mt19937_64, whose output sequence the C++ standard
// fixes for a given seed; the distributions below are cfsim's own because the std:: ones are
// implementation-defined and differ between libstdc++, libc++ and MSVC.
//
// Portability limit: the algorithms use only IEEE-754 basic operations, std::sqrt (correctly
// rounded by IEEE-754) and std::log (normal, exponential). std::log comes from the platform's
// libm; glibc's is accurate to < 1 ulp but not guaranteed correctly rounded, so another libm
// may, in rare draws, differ in the last bit. Same platform and build ⇒ bit-identical results,
// whatever the thread or rank count (each Rng owns its state).
#include "cfsim/rng.hpp"

#include <cmath>
#include <limits>

#include "cfsim/error.hpp"

namespace cfsim {

// SplitMix64 finaliser (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014; constants as in Vigna's reference splitmix64.c). Also used by the CAS-30d
// benchmark workload (shared/bench/WORKLOAD.md).
std::uint64_t splitmix64(std::uint64_t x) {
  std::uint64_t z = x + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The stream is hashed before it is mixed with the seed, so that (seed, stream) and
// (seed ^ stream, 0) — or consecutive seeds and streams — do not collide into one engine seed.
Rng::Rng(std::uint64_t seed, std::uint64_t stream)
    : engine_(splitmix64(seed ^ splitmix64(stream))) {}

double Rng::uniform01() {
  // The top 53 bits scaled by 2^-53: every value k·2^-53, k in [0, 2^53), equally likely.
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double Rng::uniform(double lo, double hi) {
  CFSIM_CHECK(lo <= hi, "Rng::uniform needs lo <= hi");
  if (lo == hi)
    return lo;
  const double r = lo + (hi - lo) * uniform01();
  // lo + (hi - lo)·u can round up to hi for u close to 1; keep the interval half-open.
  return r < hi ? r : std::nextafter(hi, lo);
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  CFSIM_CHECK(lo <= hi, "Rng::uniform_int needs lo <= hi");
  // Work in unsigned arithmetic (mod 2^64) so that the full int64 range is representable.
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == std::numeric_limits<std::uint64_t>::max()) {
    return static_cast<std::int64_t>(next_u64());
  }
  const std::uint64_t n = span + 1;
  // Reject the lowest 2^64 mod n raw values: the remaining ones are a whole number of copies
  // of [0, n), so x mod n is exactly uniform (no modulo bias).
  const std::uint64_t threshold = (0 - n) % n;
  std::uint64_t x = next_u64();
  while (x < threshold)
    x = next_u64();
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % n);
}

double Rng::normal() {
  // Marsaglia & Bray's polar method (1964): a point uniform in the unit disc gives two
  // independent N(0, 1) values; the second is kept for the next call.
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u = 0.0;
  double v = 0.0;
  double s = 0.0;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double m = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * m;
  has_spare_ = true;
  return u * m;
}

double Rng::exponential(double rate) {
  CFSIM_CHECK(rate > 0.0, "Rng::exponential needs rate > 0");
  // Inverse CDF on 1 − u ∈ (0, 1], so the logarithm is always finite.
  return -std::log(1.0 - uniform01()) / rate;
}

} // namespace cfsim
