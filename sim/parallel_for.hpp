// Internal: the one thread pool loop of sim/ (engine runs, experiment runs). Results are the
// same for any thread count because every task writes only its own slot.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace cfsim {

// Threads to use for `threads` (0: one per core, at least 1).
inline int thread_count(int threads) {
  return threads > 0 ? threads
                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Runs f(0) … f(n − 1) on thread_count(threads) threads. A task that throws does not stop the
// others; after all finish, the failure of the lowest task index is rethrown (the same whatever
// the thread count).
template <class F> void parallel_for(std::size_t n, int threads, F&& f) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        f(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const auto t = static_cast<std::size_t>(thread_count(threads));
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < std::min(t, n); ++k)
    pool.emplace_back(worker);
  worker();
  for (auto& th : pool)
    th.join();
  for (const auto& e : errors)
    if (e)
      std::rethrow_exception(e);
}

} // namespace cfsim
