// `cfsim check`: metrics of named runs against a golden file under tolerances (docs/check.md).
// The golden file is JSON read through sim/io's parser (syntax errors name the line) and turned
// into cfsim::Value, so this file never touches the JSON library; it is written by hand here,
// one metric per line so a changed value shows as a one-line diff in review.
#include "cfsim/report.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/value.hpp"
#include "io/json_text.hpp"
#include "io/json_value.hpp"
#include "report/runs.hpp"

#ifndef CFSIM_VERSION
#define CFSIM_VERSION "unknown"
#endif

namespace cfsim {

namespace {

constexpr const char* kFormat = "cfsim-golden/1";

// The shortest of %.15g, %.16g, %.17g that reads back as the same double: round trip like
// %.17g, but 1e-09 stays 1e-09 instead of 1.0000000000000001e-09. "nan" for NaN (JSON null).
std::string number_text(double v) {
  if (std::isnan(v))
    return "nan";
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

std::string short_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string quoted(const std::string& s) {
  return Value(s).to_json();
}

// The line of the member at `keys` (a path of object keys) in the JSON text, for messages about
// values: nlohmann keeps no positions, so the keys are looked up in order in the text. A key not
// found leaves the line of the last one found (1 at worst): approximate, never wrong about the
// file.
long line_of(std::string_view text, const std::vector<std::string>& keys) {
  std::size_t pos = 0;
  for (const std::string& k : keys) {
    const std::string needle = quoted(k);
    std::size_t at = text.find(needle, pos);
    while (at != std::string_view::npos) {
      std::size_t after = at + needle.size();
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t' ||
                                     text[after] == '\n' || text[after] == '\r'))
        ++after;
      if (after < text.size() && text[after] == ':')
        break;
      at = text.find(needle, at + 1);
    }
    if (at == std::string_view::npos)
      break;
    pos = at;
  }
  long line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i)
    line += text[i] == '\n' ? 1 : 0;
  return line;
}

struct Reader {
  std::string_view text;
  const std::string& origin;
  [[noreturn]] void fail(const std::vector<std::string>& keys, const std::string& what) const {
    std::string path;
    for (const std::string& k : keys)
      path += "/" + k;
    throw TraceError(origin, line_of(text, keys), (path.empty() ? "/" : path) + ": " + what);
  }
  const Value::Object& object(const Value& v, const std::vector<std::string>& keys,
                              const std::string& allowed) const {
    if (!v.is_object())
      fail(keys, std::string("expected an object (") + allowed + "), got " + v.type_name());
    return v.as_object("");
  }
  // Unknown keys are typos: name them and the allowed ones.
  void only(const Value::Object& o, const std::vector<std::string>& keys,
            const std::set<std::string>& allowed) const {
    for (const auto& [k, v] : o)
      if (!allowed.count(k)) {
        std::string list;
        for (const std::string& a : allowed)
          list += (list.empty() ? "" : ", ") + a;
        std::vector<std::string> at = keys;
        at.push_back(k);
        fail(at, "unknown key (allowed: " + list + ")");
      }
  }
  Tolerance tolerance(const Value& v, const std::vector<std::string>& keys) const {
    const Value::Object& o = object(v, keys, "{\"rel\": number >= 0, \"abs\": number >= 0}");
    only(o, keys, {"rel", "abs"});
    auto get = [&](const char* k) {
      std::vector<std::string> at = keys;
      at.push_back(k);
      const auto it = o.find(k);
      if (it == o.end()) // both are required: a tolerance is never filled in silently
        fail(keys, std::string("has no \"") + k + "\" (give both rel and abs, numbers >= 0)");
      if (!it->second.is_number())
        fail(at, std::string("expected a number >= 0, got ") + it->second.type_name());
      const double d = it->second.as_number("");
      if (!(d >= 0) || !std::isfinite(d))
        fail(at, "expected a finite number >= 0, got " + number_text(d));
      return d;
    };
    return Tolerance{get("rel"), get("abs")};
  }
};

const char* kind_of(const Field& f) {
  return std::holds_alternative<std::string>(f.value) ? "text" : "a number";
}

std::string actual_text(const Field& f) {
  if (const auto* s = std::get_if<std::string>(&f.value))
    return quoted(*s);
  if (const auto* i = std::get_if<std::int64_t>(&f.value))
    return std::to_string(*i);
  return number_text(std::get<double>(f.value));
}

std::string expected_text(const GoldenValue& v) {
  if (const auto* s = std::get_if<std::string>(&v))
    return quoted(*s);
  return number_text(std::get<double>(v));
}

} // namespace

bool within_tolerance(double actual, double expected, const Tolerance& tol) {
  if (std::isnan(expected) || std::isnan(actual))
    return std::isnan(expected) && std::isnan(actual);
  if (actual == expected)
    return true;
  return std::fabs(actual - expected) <= tol.abs + tol.rel * std::fabs(expected);
}

const Tolerance& Golden::tolerance_of(const std::string& metric) const {
  for (const auto& [name, tol] : tolerances)
    if (name == metric)
      return tol;
  return default_tolerance;
}

Golden parse_golden(std::string_view text, const std::string& origin) {
  const Value root = to_value(jsontext::parse(text, origin, "a cfsim golden file, docs/check.md"));
  const Reader rd{text, origin};
  const Value::Object& top =
      rd.object(root, {}, "a cfsim golden file with format, tolerances and runs");
  rd.only(top, {}, {"format", "source", "tolerances", "runs"});
  Golden g;
  auto required = [&](const char* key) -> const Value& {
    const auto it = top.find(key);
    if (it == top.end())
      rd.fail({}, std::string("has no \"") + key + "\" (a golden file has \"format\": \"" +
                      kFormat + "\", \"tolerances\" and \"runs\"; docs/check.md)");
    return it->second;
  };
  const Value& format = required("format");
  if (!format.is_string() || format.as_string("") != kFormat)
    rd.fail({"format"}, "expected \"" + std::string(kFormat) + "\", got " + format.to_json());
  if (const auto it = top.find("source"); it != top.end())
    for (const auto& [k, v] : rd.object(it->second, {"source"}, "provenance strings")) {
      if (!v.is_string())
        rd.fail({"source", k}, std::string("expected a string, got ") + v.type_name());
      g.source.emplace_back(k, v.as_string(""));
    }

  const Value::Object& tols = rd.object(required("tolerances"), {"tolerances"},
                                        "\"default\" and per-metric {\"rel\": ..., \"abs\": ...}");
  const auto def = tols.find("default");
  if (def == tols.end())
    rd.fail({"tolerances"}, "has no \"default\" (the tolerance of metrics without their own, "
                            "e.g. {\"rel\": 1e-9, \"abs\": 0})");
  g.default_tolerance = rd.tolerance(def->second, {"tolerances", "default"});

  const Value::Object& runs = rd.object(required("runs"), {"runs"}, "run name → metrics");
  if (runs.empty())
    rd.fail({"runs"}, "is empty (name at least one run; a check of nothing cannot fail)");
  std::set<std::string> metric_names;
  for (const auto& [run, metrics] : runs) {
    const Value::Object& m = rd.object(metrics, {"runs", run}, "metric → expected value");
    if (m.empty())
      rd.fail({"runs", run}, "has no metrics (name at least one)");
    GoldenRun gr{run, {}};
    for (const auto& [name, v] : m) {
      if (v.is_null())
        gr.metrics.push_back({name, std::nan("")});
      else if (v.is_number())
        gr.metrics.push_back({name, v.as_number("")});
      else if (v.is_string())
        gr.metrics.push_back({name, v.as_string("")});
      else
        rd.fail({"runs", run, name},
                std::string("expected a number, null (NaN) or a string, got ") + v.type_name());
      metric_names.insert(name);
    }
    g.runs.push_back(std::move(gr));
  }
  for (const auto& [name, v] : tols) {
    if (name == "default")
      continue;
    if (!metric_names.count(name))
      rd.fail({"tolerances", name}, "names no metric of any run (a typo?)");
    g.tolerances.emplace_back(name, rd.tolerance(v, {"tolerances", name}));
  }
  return g;
}

Golden load_golden(const std::string& path) {
  return parse_golden(read_file(path), path);
}

Golden make_golden(const ResultSet& rs, const GoldenOptions& opt) {
  Golden g;
  g.source = {{"file", opt.source},
              {"cfsim_version", attribute(rs, "cfsim_version")},
              {"git_sha", attribute(rs, "git_sha")},
              {"scenario_name", attribute(rs, "scenario_name")},
              {"scenario_sha256", attribute(rs, "scenario_sha256")},
              {"written_by", std::string("cfsim ") + CFSIM_VERSION + " check --write-golden"}};
  g.default_tolerance = opt.tolerance;
  for (const std::string& m : opt.metrics)
    if (report::field_anywhere(rs, m) == nullptr)
      throw UsageError("--metrics: the result file has no summary field '" + m +
                       "' (fields: " + report::field_names(rs) + ")");
  for (std::size_t i : report::select_runs(rs, opt.runs_regex)) {
    const RunResult& r = rs.runs[i];
    if (r.status != "ok")
      throw Error(ExitCode::bad_data, "run " + r.name + " failed (" + r.message +
                                          "); write a golden file from a trusted result only, "
                                          "or leave the run out with --runs");
    GoldenRun gr{r.name, {}};
    auto add = [&](const Field& f) {
      if (const auto* s = std::get_if<std::string>(&f.value)) {
        gr.metrics.push_back({f.name, *s});
        return;
      }
      const double v = std::holds_alternative<double>(f.value)
                           ? std::get<double>(f.value)
                           : static_cast<double>(std::get<std::int64_t>(f.value));
      if (std::isinf(v))
        throw Error(ExitCode::bad_data, "run " + r.name + ", " + f.name +
                                            ": an infinite value has no JSON form; leave the "
                                            "metric out with --metrics");
      gr.metrics.push_back({f.name, v});
    };
    if (opt.metrics.empty())
      for (const Field& f : r.summary)
        add(f);
    else
      for (const std::string& m : opt.metrics) {
        const Field* f = find_field(r, m);
        if (f == nullptr)
          throw UsageError("run " + r.name + " has no summary field '" + m + "'");
        add(*f);
      }
    g.runs.push_back(std::move(gr));
  }
  return g;
}

std::string golden_json(const Golden& g) {
  auto tol = [](const Tolerance& t) {
    return "{\"rel\": " + number_text(t.rel) + ", \"abs\": " + number_text(t.abs) + "}";
  };
  std::string out = "{\n  \"format\": \"" + std::string(kFormat) + "\",\n  \"source\": {";
  for (std::size_t i = 0; i < g.source.size(); ++i)
    out += std::string(i ? "," : "") + "\n    " + quoted(g.source[i].first) + ": " +
           quoted(g.source[i].second);
  out += "\n  },\n  \"tolerances\": {\n    \"default\": " + tol(g.default_tolerance);
  for (const auto& [name, t] : g.tolerances)
    out += ",\n    " + quoted(name) + ": " + tol(t);
  out += "\n  },\n  \"runs\": {";
  for (std::size_t r = 0; r < g.runs.size(); ++r) {
    out += std::string(r ? "," : "") + "\n    " + quoted(g.runs[r].name) + ": {";
    const auto& ms = g.runs[r].metrics;
    for (std::size_t m = 0; m < ms.size(); ++m) {
      std::string v = expected_text(ms[m].value);
      if (v == "nan")
        v = "null";
      out += std::string(m ? "," : "") + "\n      " + quoted(ms[m].name) + ": " + v;
    }
    out += "\n    }";
  }
  return out + "\n  }\n}\n";
}

std::vector<Comparison> compare_golden(const ResultSet& rs, const Golden& g) {
  std::map<std::string, const RunResult*> by_name;
  for (const RunResult& r : rs.runs)
    by_name.emplace(r.name, &r);
  std::vector<Comparison> out;
  for (const GoldenRun& gr : g.runs) {
    const auto it = by_name.find(gr.name);
    for (const GoldenMetric& gm : gr.metrics) {
      Comparison c;
      c.run = gr.name;
      c.metric = gm.name;
      c.expected = expected_text(gm.value);
      c.tolerance = g.tolerance_of(gm.name);
      c.difference = std::nan("");
      const Field* f = it == by_name.end() ? nullptr : find_field(*it->second, gm.name);
      if (it == by_name.end()) {
        c.note = "run not in the result file";
      } else if (f == nullptr) {
        c.note = it->second->status == "ok"
                     ? "metric not in the run's summary"
                     : "metric missing: the run failed (" + it->second->message + ")";
      } else if (const auto* es = std::get_if<std::string>(&gm.value)) {
        c.actual = actual_text(*f);
        if (!std::holds_alternative<std::string>(f->value))
          c.note = std::string("expected text, the file has ") + kind_of(*f);
        else
          c.pass = std::get<std::string>(f->value) == *es;
      } else if (std::holds_alternative<std::string>(f->value)) {
        c.actual = actual_text(*f);
        c.note = "expected a number, the file has text";
      } else {
        c.actual = actual_text(*f);
        const double e = std::get<double>(gm.value);
        const double a = std::holds_alternative<double>(f->value)
                             ? std::get<double>(f->value)
                             : static_cast<double>(std::get<std::int64_t>(f->value));
        c.allowed = c.tolerance.abs + c.tolerance.rel * std::fabs(e);
        c.difference = std::fabs(a - e);
        c.pass = within_tolerance(a, e, c.tolerance);
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::string format_comparison(const Comparison& c) {
  std::string s =
      std::string(c.pass ? "PASS " : "FAIL ") + c.run + " " + c.metric + ": expected " + c.expected;
  if (!c.note.empty())
    return s + (c.actual.empty() ? "" : ", actual " + c.actual) + " (" + c.note + ")";
  s += ", actual " + c.actual;
  if (!c.expected.empty() && c.expected.front() == '"')
    return s + " (text, exact match)";
  if (c.expected == "nan")
    return s + " (an expected NaN matches only NaN)";
  if (std::isnan(c.difference))
    return s + " (a NaN never matches a number)";
  return s + ", |diff| " + short_number(c.difference) + (c.pass ? " <= " : " > ") + "tolerance " +
         short_number(c.allowed) + " (abs " + short_number(c.tolerance.abs) + " + rel " +
         short_number(c.tolerance.rel) + " * |expected|)";
}

} // namespace cfsim
