// `cfsim dump FILE --summary|--jobs`: a result file's tables as CSV on stdout.
#include <iostream>

#include "cfsim/error.hpp"
#include "cfsim/store.hpp"

#include "cli/cli.hpp"

namespace cfsim::cli {

int cmd_dump(const Args& args, const std::string& /*command_line*/) {
  po::options_description o("cfsim dump options");
  o.add_options()("file", po::value<std::string>()->required(), "result file (HDF5)")(
      "summary", "print /tables/summary as CSV (one row per run)")(
      "jobs", "print /tables/jobs as CSV (one row per job placement)");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim dump FILE --summary|--jobs"))
    return 0;
  if (vm.count("summary") + vm.count("jobs") != 1)
    throw UsageError("give exactly one of --summary or --jobs");
  const ResultSet rs = read_results(vm["file"].as<std::string>());
  if (vm.count("summary")) {
    if (rs.runs.empty())
      return 0;
    std::string header = "run,strategy,status,message";
    for (const Field& f : rs.runs.front().summary)
      header += "," + f.name;
    std::cout << header << "\n";
    for (const RunResult& r : rs.runs) {
      std::string line = csv_quote(r.name) + "," + csv_quote(r.strategy) + "," +
                         csv_quote(r.status) + "," + csv_quote(r.message);
      for (const Field& f : r.summary)
        line += "," + csv_quote(field_text(f));
      std::cout << line << "\n";
    }
  } else {
    std::cout << "run,job_id,arrival_utc,start_utc,end_utc,pieces,cpus,wait_h,energy_kwh,co2e_g,"
                 "co2e_coverage,cost_usd,deadline_missed,blind,capacity,region,interruptions,"
                 "lost_work_h,unfinished_work_h\n";
    for (const RunResult& r : rs.runs)
      for (const JobRecord& j : r.jobs)
        std::cout << csv_quote(r.name) << ',' << j.job_id << ',' << format_utc(j.arrival_s) << ','
                  << format_utc(j.start_s) << ',' << format_utc(j.end_s) << ',' << j.pieces << ','
                  << format_number(j.cpus) << ',' << format_number(j.wait_h) << ','
                  << format_number(j.energy_kwh) << ',' << format_number(j.co2e_g) << ','
                  << format_number(j.co2e_coverage) << ',' << format_number(j.cost_usd) << ','
                  << (j.deadline_missed ? 1 : 0) << ',' << (j.blind ? 1 : 0) << ','
                  << csv_quote(j.capacity) << ',' << csv_quote(j.region) << ',' << j.interruptions
                  << ',' << format_number(j.lost_work_h) << ','
                  << format_number(j.unfinished_work_h) << "\n";
  }
  return 0;
}

} // namespace cfsim::cli
