// A small hand-made ResultSet shared by the store tests (store_test.cpp) and the fixture
// writer whose file tests/python/read_back.py checks from Python. Keep the values in step
// with read_back.py.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "cfsim/result.hpp"

namespace cfsim::testing {

inline ResultSet store_fixture() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ResultSet rs;
  rs.grid = TimeGrid{1585440000, 3600, 4}; // 2020-03-29T00:00:00Z, 4 hourly cells
  rs.attributes = {
      {"tool_version", "0.1.0"},
      {"git_sha", "0123456789abcdef"},
      {"command_line", "cfsim sweep scenarios/demo.json -o out.h5"},
      {"scenario_json", "{\"name\": \"demo\", \"zone\": \"DE\", \"note\": \"gr\xc3\xbc\xc3\x9f\"}"},
      {"seed", "42"},
  };

  RunResult a;
  a.name = "demo/always_on/seed=1";
  a.strategy = "always_on";
  a.summary = {
      {"energy_kwh", "kW h", 12.5},
      {"co2e_operational_kg", "kg", nan},
      {"jobs", "1", std::int64_t{3}},
      {"zone", "", std::string("DE")},
  };
  a.series = {
      {"intensity_g_per_kwh", "g kW-1 h-1", {300.0, nan, 250.5, 0.001}},
      {"fleet_running", "1", {1.0, 1.0, 0.0, 0.0}},
  };
  a.jobs = {
      JobRecord{7, 1585440000, 1585440000, 1585447200, 1, 2.0, 0.0, 0.25, 80.5, 1.0, 0.0, 0.192,
                false, false},
      JobRecord{8, 1585443600, 1585447200, 1585454400, 2, 0.5, 1.0, 0.125, 30.25, 0.5, 0.25, 0.048,
                false, false},
  };

  RunResult b;
  b.name = "demo/lowest_slot/wait_h=6/seed=1";
  b.strategy = "lowest_slot";
  b.summary = {
      {"energy_kwh", "kW h", -0.0},
      {"co2e_operational_kg", "kg", 1.0e-300},
      {"jobs", "1", std::int64_t{-9007199254740993}},
      {"blind_decisions", "1", std::int64_t{2}}, // run a lacks it, b lacks "zone"
  };
  b.series = {
      // Same names in another order: the store writes them in the first run's order.
      {"fleet_running", "1", {0.0, 1.0, 1.0, 0.0}},
      {"intensity_g_per_kwh", "g kW-1 h-1", {1e300, -2.5, nan, 4.0}},
  };
  b.jobs = {
      JobRecord{9, 1585440000, 1585450800, 1585454400, 3, 4.0, 3.0, 1.5, 99.0, 0.75, 0.125, 1.25,
                true, true},
  };

  RunResult c;
  c.name = "demo/broken/seed=1";
  c.strategy = "broken";
  c.status = "error";
  c.message = "strategy 'broken' failed: forecast window is empty";

  rs.runs = {a, b, c};

  // An extra table (/tables/quality): one row per run, every column type, a NaN, a -0.0, an
  // empty string and a UTF-8 one.
  rs.tables = {Table{
      "quality",
      {
          {"run", "", std::vector<std::int64_t>{0, 1, 2}},
          {"trace", "", std::vector<std::string>{"carbon", "carbon", "carbon"}},
          {"source", "", std::vector<std::string>{"synthetic:DE", "", "Stadtwerke M\xc3\xbcnchen"}},
          {"filled_share", "1", std::vector<double>{0.25, -0.0, nan}},
          {"cells", "1", std::vector<std::int64_t>{4, -1, 9007199254740993}},
      }}};
  return rs;
}

} // namespace cfsim::testing
