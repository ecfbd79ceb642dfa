#include <gtest/gtest.h>

#include "cfsim/error.hpp"
#include "cfsim/value.hpp"

namespace cfsim {
namespace {

Value params() {
  return Value(Value::Object{{"percentile", Value(30.0)}, {"label", Value("x")}});
}

TEST(ParamReader, ReadsValuesAndDefaults) {
  const Value p = params();
  ParamReader r(p, "strategy 'ecovisor'");
  EXPECT_EQ(r.number("percentile", 50), 30.0);
  EXPECT_EQ(r.number("lookahead_h", 24), 24.0);
  EXPECT_EQ(r.string("label", ""), "x");
  EXPECT_NO_THROW(r.finish());
}

TEST(ParamReader, UnknownKeyNamesTheAllowedOnes) {
  const Value p = params();
  ParamReader r(p, "strategy 'ecovisor'");
  r.number("percentile", 30);
  r.number("lookahead_h", 24);
  try {
    r.finish();
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("strategy 'ecovisor'"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown parameter 'label'"), std::string::npos) << m;
    EXPECT_NE(m.find("allowed: lookahead_h, percentile"), std::string::npos) << m;
  }
}

TEST(ParamReader, WrongTypeAndMissingRequiredAreErrors) {
  const Value p = params();
  ParamReader r(p, "s");
  EXPECT_THROW(r.number("label", 0), ConfigError);
  EXPECT_THROW(r.string_required("timezone"), ConfigError);
  ParamReader none(Value(), "s"); // no params at all: defaults
  EXPECT_EQ(none.number("x", 2.5), 2.5);
  EXPECT_NO_THROW(none.finish());
}

TEST(Value, ToJsonIsCompactAndSorted) {
  const Value v(Value::Object{{"b", Value(Value::Array{Value(1), Value(true), Value()})},
                              {"a", Value("q\"")}});
  EXPECT_EQ(v.to_json(), "{\"a\":\"q\\\"\",\"b\":[1,true,null]}");
}

} // namespace
} // namespace cfsim
