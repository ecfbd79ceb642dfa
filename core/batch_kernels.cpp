// Batch kernels (batch_kernels.hpp). The algorithms:
//
// lowest_window: with prefix sums P, the score of start s for length L is D_L(s) = P[s+L] − P[s],
// and a job (a, L) needs the earliest argmin of D_L over [a, a + W]: a sliding-window minimum of
// fixed width W + 1. Per distinct length, two passes over the starts a_min .. a_max + W (van
// Herk / Gil-Werman, see start_row) give every arrival's answer in O(1); the answers go into a
// start table [length][arrival] of 16-bit offsets (8.3 MB → 4.1 MB at 5 min: 277 lengths × 7,488
// arrivals), and the jobs are then answered in input order, one table read each. Same answers as
// a monotone deque keeping the earliest index on ties, without its data-dependent pops. Measured
// during development on CAS-30d (10^6 jobs, W = 24 h), this beat bucketing the jobs by length
// with a counting sort and answering each bucket from its length's row: the buckets' scattered
// output writes cost more than the table's one random read per job (with a 32-bit table
// already: ~10 % at 5 min, 2x at 60 min; 16-bit offsets gained another ~25 % at 5 min).
//
// wait_awhile: the cost is "the sum of the L smallest values of ci in [l, r)", a range
// k-smallest-sum query. A wavelet matrix over the ranks of ci (ties broken by position) answers
// it in one pass over its ⌈log2 T⌉ levels: at each level the range splits into the elements
// whose rank bit is 0 (smaller) and 1; if the k smallest are all among the zeros, descend there,
// otherwise take every zero (their value sum from a per-level prefix sum) and descend into the
// ones with k reduced. Each level stores, per position, the count and the value sum of zeros
// before it. The descent is branch-free (its direction is a coin flip for a branch predictor)
// and eight queries descend together, level by level, so that their cache misses overlap (the
// structure is ~1.4 MB at T = 8,640; measured ~1.4x faster than one query at a time). When the
// (arrival, length) pairs in range are fewer than half the jobs (hourly CAS-30d: 24 lengths ×
// 624 arrivals), each pair is queried once into a table and every job is a look-up.
#include "cfsim/batch_kernels.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"

namespace cfsim {

// What BatchScratch keeps between calls. Every buffer only grows.
struct BatchScratch::Buffers {
  std::vector<double> prefix;                  // P
  std::vector<double> window_sums;             // lowest_window: D of one length
  std::vector<std::int32_t> block_argmin;      // lowest_window: `pre` of one length
  std::vector<std::uint16_t> starts16;         // lowest_window: start table, 16-bit offsets
  std::vector<std::int32_t> starts32;          // lowest_window: start table, 32-bit offsets
  std::vector<double> pair_costs;              // wait_awhile: (arrival, length) table
  std::vector<double> sorted;                  // wavelet matrix: values by rank
  std::vector<std::uint32_t> zeros;            // wavelet matrix: zeros before each position
  std::vector<double> zero_sums;               // wavelet matrix: their value sums
  std::vector<std::uint32_t> level_zeros;      // wavelet matrix: zeros per level
  std::vector<std::uint32_t> order, cur, next; // wavelet matrix: construction

  template <class T> static std::size_t bytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
  }
  std::size_t total() const {
    return bytes(prefix) + bytes(window_sums) + bytes(block_argmin) + bytes(starts16) +
           bytes(starts32) + bytes(pair_costs) + bytes(sorted) + bytes(zeros) + bytes(zero_sums) +
           bytes(level_zeros) + bytes(order) + bytes(cur) + bytes(next);
  }
};

BatchScratch::BatchScratch() : buffers_(std::make_unique<Buffers>()) {}
BatchScratch::~BatchScratch() = default;
BatchScratch::BatchScratch(BatchScratch&&) noexcept = default;
BatchScratch& BatchScratch::operator=(BatchScratch&&) noexcept = default;
std::size_t BatchScratch::bytes() const {
  return buffers_ ? buffers_->total() : 0;
}

namespace {

using Index = std::int32_t;

// A buffer of at least n elements, reusing the vector's memory: buffers only grow.
template <class T> T* grow(std::vector<T>& v, std::size_t n) {
  if (v.size() < n)
    v.resize(n);
  return v.data();
}

// The span of arrivals and lengths in a batch (empty batch: n_jobs == 0).
struct JobRange {
  std::size_t n_jobs = 0;
  Index a_min = 0, a_max = 0;
  Index l_min = 0, l_max = 0;
};

// Checks the preconditions of batch_kernels.hpp; returns the arrival and length ranges.
JobRange check_batch(const char* kernel, std::span<const double> ci,
                     std::span<const Index> arrivals, std::span<const Index> lengths,
                     std::size_t n_out) {
  const std::string name(kernel);
  CFSIM_CHECK(arrivals.size() == lengths.size() && n_out == arrivals.size(),
              name + ": arrivals, lengths and outputs differ in size");
  CFSIM_CHECK(ci.size() < static_cast<std::size_t>(std::numeric_limits<Index>::max()),
              name + ": trace longer than 2^31 - 2 steps");
  for (std::size_t t = 0; t < ci.size(); ++t)
    CFSIM_CHECK(std::isfinite(ci[t]), name + ": trace value " + std::to_string(t) +
                                          " is not finite (the kernels need a known trace)");
  JobRange r;
  r.n_jobs = arrivals.size();
  if (r.n_jobs == 0)
    return r;
  const auto n_steps = static_cast<std::int64_t>(ci.size());
  // Locals, not r's fields: the outputs must not alias the inputs for the loop to vectorise.
  Index a_min = arrivals[0], a_max = arrivals[0], l_min = lengths[0], l_max = lengths[0];
  const auto n32 = static_cast<std::uint32_t>(n_steps);
  unsigned bad = 0; // not a bool: the loop vectorises (SSE2) with an integer accumulator
  for (std::size_t i = 0; i < r.n_jobs; ++i) {
    const Index a = arrivals[i], len = lengths[i];
    // In 32 bits: with a ≥ 0 and len ≥ 1 the unsigned sum cannot wrap.
    bad |= static_cast<unsigned>(
        (a < 0) | (len < 1) |
        (static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(len) > n32));
    a_min = std::min(a_min, a);
    a_max = std::max(a_max, a);
    l_min = std::min(l_min, len);
    l_max = std::max(l_max, len);
  }
  for (std::size_t i = 0; bad != 0 && i < r.n_jobs; ++i) {
    const Index a = arrivals[i], len = lengths[i];
    CFSIM_CHECK(a >= 0 && len >= 1 && std::int64_t{a} + len <= n_steps,
                name + ": job " + std::to_string(i) + " (arrival " + std::to_string(a) +
                    ", length " + std::to_string(len) + ") does not fit in a trace of " +
                    std::to_string(n_steps) + " steps");
  }
  r.a_min = a_min;
  r.a_max = a_max;
  r.l_min = l_min;
  r.l_max = l_max;
  return r;
}

// P[0] = 0, P[t + 1] = P[t] + ci[t], in time order (as numpy's cumsum).
const double* prefix_sums(std::span<const double> ci, std::vector<double>& buffer) {
  double* p = grow(buffer, ci.size() + 1);
  double acc = 0;
  p[0] = 0;
  for (std::size_t t = 0; t < ci.size(); ++t) {
    acc += ci[t];
    p[t + 1] = acc;
  }
  return p;
}

constexpr std::size_t u(Index v) {
  return static_cast<std::size_t>(v);
}

// ---- lowest_window ------------------------------------------------------------------------

// One row of the start table: for every arrival a in [a_min, a_min + n_a), the earliest argmin
// of D(s) = P[s + len] − P[s] over s in [a, min(a + window, last)], where `last` ≥ a_min + n_a − 1
// is the last start that fits. `d` and `pre` are scratch of last − a_min + 1 elements.
//
// The starts a_min .. last are cut into blocks of window + 1, aligned so that the last block
// ends at `last` (the first one may be shorter). A forward pass stores D and pre[j], the argmin
// from j's block start to j (strict <: earliest on ties); a backward pass keeps the argmin from
// j to its block end in registers (<=: earliest on ties) and combines it with pre[e], e the
// window's end, when e lies in the next block: the window is a suffix of j's block plus a
// prefix of the next (whose indices are later, so it wins only when strictly lower). A window
// clipped at `last` ends at a block end, so clipping needs no special case.
template <class Offset>
void start_row(const double* p, Index len, Index a_min, std::size_t n_a, Index last,
               std::size_t window, double* d, Index* pre, Offset* row) {
  const std::size_t n = u(last - a_min) + 1;
  const std::size_t block = window + 1;
  const double* p0 = p + a_min;
  const double* pl = p0 + len;
  for (std::size_t b0 = 0, b1 = n % block == 0 ? block : n % block; b0 < n; b0 = b1, b1 += block) {
    double best = pl[b0] - p0[b0];
    auto bi = static_cast<Index>(b0);
    d[b0] = best;
    pre[b0] = bi;
    for (std::size_t j = b0 + 1; j < b1; ++j) {
      const double dj = pl[j] - p0[j];
      d[j] = dj;
      bi = dj < best ? static_cast<Index>(j) : bi;
      best = dj < best ? dj : best;
      pre[j] = bi;
    }
  }
  // Backward, block by block from the end; only rows j < n_a are needed.
  for (std::size_t b1 = n; b1 > 0;) {
    const std::size_t b0 = b1 >= block ? b1 - block : 0;
    const std::size_t end = b1 - 1; // this block's last start
    double best = d[end];
    auto bi = static_cast<Index>(end);
    for (std::size_t j = end + 1; j-- > b0;) {
      const double dj = d[j];
      bi = dj <= best ? static_cast<Index>(j) : bi;
      best = dj <= best ? dj : best;
      if (j < n_a) {
        const std::size_t e = std::min(j + window, n - 1);
        Index pick = bi;
        if (e > end) {
          const Index other = pre[e];
          pick = d[u(other)] < best ? other : bi;
        }
        row[j] = static_cast<Offset>(u(pick) - j);
      }
    }
    b1 = b0;
  }
}

} // namespace

void no_wait_batch(std::span<const double> ci, std::span<const Index> arrivals,
                   std::span<const Index> lengths, double step_h, std::span<double> out_costs,
                   BatchScratch& scratch) {
  const JobRange r = check_batch("no_wait_batch", ci, arrivals, lengths, out_costs.size());
  const double* p = prefix_sums(ci, scratch.buffers().prefix);
  for (std::size_t i = 0; i < r.n_jobs; ++i)
    out_costs[i] = (p[u(arrivals[i] + lengths[i])] - p[u(arrivals[i])]) * step_h;
}

void no_wait_batch(std::span<const double> ci, std::span<const Index> arrivals,
                   std::span<const Index> lengths, double step_h, std::span<double> out_costs) {
  BatchScratch scratch;
  no_wait_batch(ci, arrivals, lengths, step_h, out_costs, scratch);
}

void lowest_window_batch(std::span<const double> ci, std::span<const Index> arrivals,
                         std::span<const Index> lengths, Index window, double step_h,
                         std::span<Index> out_starts, std::span<double> out_costs,
                         BatchScratch& scratch) {
  CFSIM_CHECK(window >= 0, "lowest_window_batch: negative window");
  CFSIM_CHECK(out_starts.size() == out_costs.size(),
              "lowest_window_batch: out_starts and out_costs differ in size");
  const JobRange r = check_batch("lowest_window_batch", ci, arrivals, lengths, out_costs.size());
  if (r.n_jobs == 0)
    return;
  BatchScratch::Buffers& b = scratch.buffers();
  const double* p = prefix_sums(ci, b.prefix);
  const auto n_steps = static_cast<std::int64_t>(ci.size());
  const std::size_t n_a = u(r.a_max - r.a_min) + 1;
  const std::size_t n_lengths = u(r.l_max - r.l_min) + 1;
  const auto n_starts = static_cast<std::size_t>(
      std::min<std::int64_t>(std::int64_t{r.a_max} + window, n_steps) - r.a_min + 1);
  double* d = grow(b.window_sums, n_starts);
  Index* pre = grow(b.block_argmin, n_starts);
  // The start table: one row per length, one entry per arrival in [a_min, a_max], holding the
  // chosen start's offset from the arrival (16 bits when the window allows: half the memory).
  const auto solve = [&]<class Offset>(std::vector<Offset>& buffer) {
    Offset* table = grow(buffer, n_lengths * n_a);
    for (std::size_t k = 0; k < n_lengths; ++k) {
      const Index len = r.l_min + static_cast<Index>(k);
      // Starts beyond a_max + W are never candidates; none beyond T − L fits.
      const auto last =
          static_cast<Index>(std::min<std::int64_t>(std::int64_t{r.a_max} + window, n_steps - len));
      if (last < r.a_min)
        continue; // no arrival fits this length, so no job has it (checked above)
      // Arrivals past `last` do not fit this length either: no job looks them up.
      start_row(p, len, r.a_min, std::min(n_a, u(last - r.a_min) + 1), last, u(window), d, pre,
                table + k * n_a);
    }
    for (std::size_t i = 0; i < r.n_jobs; ++i) {
      const Index a = arrivals[i], len = lengths[i];
      const Index s = a + static_cast<Index>(table[u(len - r.l_min) * n_a + u(a - r.a_min)]);
      out_starts[i] = s;
      out_costs[i] = (p[u(s + len)] - p[u(s)]) * step_h;
    }
  };
  if (window <= std::numeric_limits<std::uint16_t>::max())
    solve(b.starts16);
  else
    solve(b.starts32);
}

void lowest_window_batch(std::span<const double> ci, std::span<const Index> arrivals,
                         std::span<const Index> lengths, Index window, double step_h,
                         std::span<Index> out_starts, std::span<double> out_costs) {
  BatchScratch scratch;
  lowest_window_batch(ci, arrivals, lengths, window, step_h, out_starts, out_costs, scratch);
}

// ---- wait_awhile --------------------------------------------------------------------------

namespace {

// Wavelet matrix over the ranks of a trace, answering "sum of the k smallest values in [l, r)".
class KSmallestSum {
public:
  // Builds the matrix in `b`'s wavelet buffers.
  KSmallestSum(std::span<const double> v, BatchScratch::Buffers& b) : n_(v.size()) {
    std::uint32_t* by_value = grow(b.order, n_);
    std::iota(by_value, by_value + n_, 0u);
    std::sort(by_value, by_value + n_, [&](std::uint32_t x, std::uint32_t y) {
      return v[x] < v[y] || (v[x] == v[y] && x < y);
    });
    double* sorted = grow(b.sorted, n_);
    std::uint32_t* cur = grow(b.cur, n_); // rank of each position
    for (std::size_t r = 0; r < n_; ++r) {
      sorted[r] = v[by_value[r]];
      cur[by_value[r]] = static_cast<std::uint32_t>(r);
    }
    levels_ = n_ <= 1 ? 1 : static_cast<unsigned>(std::bit_width(n_ - 1));
    std::uint32_t* zeros = grow(b.zeros, levels_ * (n_ + 1));
    double* zero_sums = grow(b.zero_sums, levels_ * (n_ + 1));
    std::uint32_t* level_zeros = grow(b.level_zeros, levels_);
    std::uint32_t* next = grow(b.next, n_);
    for (unsigned lev = 0; lev < levels_; ++lev) {
      const unsigned bit = levels_ - 1 - lev;
      std::uint32_t* z = zeros + lev * (n_ + 1);
      double* zs = zero_sums + lev * (n_ + 1);
      z[0] = 0;
      zs[0] = 0;
      for (std::size_t q = 0; q < n_; ++q) {
        const bool zero = ((cur[q] >> bit) & 1u) == 0;
        z[q + 1] = z[q] + (zero ? 1u : 0u);
        zs[q + 1] = zs[q] + (zero ? sorted[cur[q]] : 0.0);
      }
      level_zeros[lev] = z[n_];
      // Stable partition: zeros first, then ones.
      std::size_t w0 = 0, w1 = z[n_];
      for (std::size_t q = 0; q < n_; ++q)
        next[((cur[q] >> bit) & 1u) == 0 ? w0++ : w1++] = cur[q];
      std::swap(cur, next);
    }
    sorted_ = sorted;
    zeros_ = zeros;
    zero_sums_ = zero_sums;
    level_zeros_ = level_zeros;
  }

  // Sum of the k smallest values among positions [l, r); 1 ≤ k ≤ r − l.
  double query(std::size_t l, std::size_t r, std::size_t k) const {
    Cursor c{l, r, k, 0.0, 0u};
    for (unsigned lev = 0; lev < levels_; ++lev)
      descend(c, lev);
    return result(c);
  }

  // out[i] = query(a[i], min(T, a[i] + len[i] + w), len[i]) × scale for i < n, eight queries
  // interleaved level by level so that their cache misses overlap.
  void queries(const Index* a, const Index* len, std::size_t n, std::size_t w, double scale,
               double* out) const {
    constexpr std::size_t kLanes = 8;
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
      Cursor c[kLanes];
      for (std::size_t q = 0; q < kLanes; ++q)
        c[q] = Cursor{u(a[i + q]), std::min(n_, u(a[i + q]) + u(len[i + q]) + w), u(len[i + q]),
                      0.0, 0u};
      for (unsigned lev = 0; lev < levels_; ++lev)
        for (Cursor& cq : c)
          descend(cq, lev);
      for (std::size_t q = 0; q < kLanes; ++q)
        out[i + q] = result(c[q]) * scale;
    }
    for (; i < n; ++i)
      out[i] = query(u(a[i]), std::min(n_, u(a[i]) + u(len[i]) + w), u(len[i])) * scale;
  }

private:
  // A query on its way down: the range [l, r) on the current level, the k smallest still to
  // take from it, the sum taken so far and the rank bits fixed so far.
  struct Cursor {
    std::size_t l, r, k;
    double sum;
    std::uint32_t rank;
  };
  // Branch-free (the direction is a coin flip for the branch predictor).
  void descend(Cursor& c, unsigned lev) const {
    const std::uint32_t* z = zeros_ + lev * (n_ + 1);
    const double* zs = zero_sums_ + lev * (n_ + 1);
    const std::size_t zl = z[c.l], zr = z[c.r];
    const std::size_t nz = zr - zl;
    const bool ones = c.k > nz; // the k smallest reach beyond the zeros: take them all
    const double taken = zs[c.r] - zs[c.l];
    c.sum += ones ? taken : 0.0;
    c.k -= ones ? nz : 0;
    const std::size_t base = ones ? level_zeros_[lev] : 0;
    c.l = base + (ones ? c.l - zl : zl);
    c.r = base + (ones ? c.r - zr : zr);
    c.rank |= ones ? 1u << (levels_ - 1 - lev) : 0u;
  }
  // Ranks are unique: at the bottom one element is left, and k is 1 (k only drops below the
  // range's zeros, never to 0).
  double result(const Cursor& c) const {
    return c.sum + static_cast<double>(c.k) * sorted_[c.rank];
  }

  std::size_t n_;
  unsigned levels_ = 1;
  const double* sorted_;             // values by rank
  const std::uint32_t* zeros_;       // per level: zeros before each position
  const double* zero_sums_;          // per level: value sum of the zeros before each position
  const std::uint32_t* level_zeros_; // per level: zeros in all
};

} // namespace

void wait_awhile_batch(std::span<const double> ci, std::span<const Index> arrivals,
                       std::span<const Index> lengths, Index window, double step_h,
                       std::span<double> out_costs, BatchScratch& scratch) {
  CFSIM_CHECK(window >= 0, "wait_awhile_batch: negative window");
  const JobRange r = check_batch("wait_awhile_batch", ci, arrivals, lengths, out_costs.size());
  if (r.n_jobs == 0)
    return;
  BatchScratch::Buffers& b = scratch.buffers();
  const KSmallestSum wm(ci, b);
  const std::size_t n_steps = ci.size(), w = u(window);
  const std::size_t n_arrivals = u(r.a_max - r.a_min) + 1;
  const std::size_t n_lengths = u(r.l_max - r.l_min) + 1;
  if (n_arrivals * n_lengths * 2 <= r.n_jobs) {
    // Few distinct (arrival, length) pairs: one query each, then a look-up per job.
    double* table = grow(b.pair_costs, n_arrivals * n_lengths);
    for (std::size_t x = 0; x < n_arrivals; ++x)
      for (std::size_t y = 0; y < n_lengths; ++y) {
        const std::size_t a = u(r.a_min) + x, len = u(r.l_min) + y;
        // A pair that does not fit in the trace is no job's: never looked up.
        table[x * n_lengths + y] =
            a + len <= n_steps ? wm.query(a, std::min(n_steps, a + len + w), len) * step_h : 0.0;
      }
    for (std::size_t i = 0; i < r.n_jobs; ++i)
      out_costs[i] = table[u(arrivals[i] - r.a_min) * n_lengths + u(lengths[i] - r.l_min)];
    return;
  }
  wm.queries(arrivals.data(), lengths.data(), r.n_jobs, w, step_h, out_costs.data());
}

void wait_awhile_batch(std::span<const double> ci, std::span<const Index> arrivals,
                       std::span<const Index> lengths, Index window, double step_h,
                       std::span<double> out_costs) {
  BatchScratch scratch;
  wait_awhile_batch(ci, arrivals, lengths, window, step_h, out_costs, scratch);
}

} // namespace cfsim
