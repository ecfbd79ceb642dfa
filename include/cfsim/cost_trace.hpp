// Billing data in cfsim's canonical form: the FOCUS 1.x subset of DESIGN §4. Importers of
// FOCUS, AWS CUR 2.0 and Cost Explorer exports produce it; the data-quality metrics
// (TAC, Cost-MAPE, ...) read it.
#pragma once

#include <string>
#include <vector>

#include "cfsim/time.hpp"

namespace cfsim {

// One charge row. Money in the billing currency; a FOCUS NULL is NaN (numbers) or "" (text).
struct CostRecord {
  TimeS charge_start_s = 0; // ChargePeriodStart (UTC, inclusive)
  TimeS charge_end_s = 0;   // ChargePeriodEnd (UTC, exclusive)
  std::string resource_id;  // ResourceId ("" when NULL)
  std::string service_name;
  std::string region_id;
  std::string charge_category;  // Usage, Purchase, Tax, Credit, Adjustment
  std::string pricing_category; // Standard, Dynamic (spot), Committed, Other
  double consumed_quantity = 0; // NaN when NULL
  std::string consumed_unit;
  double billed_cost = 0;
  double effective_cost = 0; // NaN when NULL
  double list_cost = 0;      // NaN when NULL
  std::string billing_currency;
  // Derived where the source states it (CUR product_instance_type, a FOCUS `x_InstanceType`
  // column or ChargeDescription "... t3.micro Instance Hour", a Cost Explorer INSTANCE_TYPE
  // group); else "". format_focus_csv writes it as `x_InstanceType`.
  std::string instance_type;
  std::vector<std::string> extra; // values of CostTrace::extra_columns, same order
};

struct CostTrace {
  std::vector<CostRecord> records;
  std::vector<std::string> extra_columns; // kept custom columns (FOCUS `x_` prefix)
  // "focus-1.0", "focus-1.1", "focus-1.2", "focus-1.x" (version not stated by the columns),
  // "cur-2.0", "cost-explorer"
  std::string format;
  std::string origin; // file path(s)
  std::string sha256; // of the file bytes (pages concatenated in order)
};

// Which billing column a comparison uses (DESIGN §7: chosen explicitly, BilledCost by default;
// EffectiveCost can be 0 for covered usage).
enum class CostColumn { billed, effective, list };
// The FOCUS column name: "BilledCost", "EffectiveCost", "ListCost".
const char* to_string(CostColumn c);
// The record's value in that column (NaN where the source had NULL).
double cost_of(const CostRecord& r, CostColumn c);

} // namespace cfsim
