// Error types. User and environment mistakes are cfsim::Error subclasses carrying the
// exit code DESIGN §11 assigns; broken invariants are CFSIM_CHECK failures. Only main()
// prints and chooses the exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace cfsim {

// Exit codes (DESIGN §11, sysexits.h values).
enum class ExitCode : int {
  ok = 0,
  regression = 1,   // `check` found a regression, or a run failed
  usage = 64,       // bad command line
  bad_data = 65,    // malformed input data
  no_input = 66,    // input file missing or unreadable
  unavailable = 69, // remote service unavailable
  cant_create = 73, // cannot create an output file
  io_error = 74,    // I/O error while reading or writing
  retry_later = 75, // temporary failure, try again
  config = 78,      // bad scenario / configuration
};

class Error : public std::runtime_error {
public:
  Error(ExitCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ExitCode code() const noexcept { return code_; }

private:
  ExitCode code_;
};

// A bad scenario, parameter, strategy name, instance type, ...
class ConfigError : public Error {
public:
  explicit ConfigError(const std::string& what) : Error(ExitCode::config, what) {}
};

// Malformed input data. Messages read `file:line: what is wrong (what is allowed)`.
class TraceError : public Error {
public:
  explicit TraceError(const std::string& what) : Error(ExitCode::bad_data, what) {}
  TraceError(const std::string& origin, long line, const std::string& what)
      : Error(ExitCode::bad_data, origin + ":" + std::to_string(line) + ": " + what) {}
};

// An input file that does not exist or cannot be opened.
class InputError : public Error {
public:
  explicit InputError(const std::string& what) : Error(ExitCode::no_input, what) {}
};

// Result store failures (HDF5 and output files).
class StoreError : public Error {
public:
  StoreError(ExitCode code, const std::string& what) : Error(code, what) {}
};

// Command-line mistakes.
class UsageError : public Error {
public:
  explicit UsageError(const std::string& what) : Error(ExitCode::usage, what) {}
};

[[noreturn]] void check_failed(const char* expr, const char* file, int line,
                               const std::string& msg);

} // namespace cfsim

// Invariant check: a failure is a bug in cfsim, never a user mistake.
#define CFSIM_CHECK(cond, msg)                                                                     \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      ::cfsim::check_failed(#cond, __FILE__, __LINE__, (msg));                                     \
  } while (false)
