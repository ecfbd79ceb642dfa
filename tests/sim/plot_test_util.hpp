// Helpers shared by the figure tests (plot_*_test.cpp): reading the written .dat and .gp files,
// a scratch folder per test, the options every test starts from, and replaying a saved .gp with
// plain gnuplot.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "cfsim/plot.hpp"

namespace cfsim::plot_test {

namespace fs = std::filesystem;
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The whole file, byte for byte ("" if it cannot be read).
inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Splits a .dat row into fields; double-quoted text is one field.
inline std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
    } else if (line[i] == '"') {
      const std::size_t end = line.find('"', i + 1);
      out.push_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      const std::size_t end = std::min(line.find(' ', i), line.size());
      out.push_back(line.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

// A .dat file: its comment lines (with the '#') and its data rows split into fields.
struct Dat {
  std::vector<std::string> comments;
  std::vector<std::vector<std::string>> rows;
};

inline Dat read_dat(const fs::path& p) {
  Dat d;
  std::istringstream in(slurp(p));
  for (std::string line; std::getline(in, line);) {
    if (line.empty())
      continue;
    if (line[0] == '#')
      d.comments.push_back(line);
    else
      d.rows.push_back(split_row(line));
  }
  return d;
}

// The data rows of a .dat, split into fields (blank lines and comments skipped).
inline std::vector<std::vector<std::string>> rows_of(const fs::path& p) {
  return read_dat(p).rows;
}

// True if a comment line of `d` contains `text`.
inline bool has_comment(const Dat& d, const std::string& text) {
  for (const std::string& c : d.comments)
    if (c.find(text) != std::string::npos)
      return true;
  return false;
}

// A .dat number; "NaN" is the unknown value.
inline double to_double(const std::string& s) {
  return s == "NaN" ? kNaN : std::stod(s);
}

// An emptied folder CFSIM_BINARY_DIR/<test>/<name> (created by whoever writes into it).
inline fs::path scratch_dir(const std::string& test, const std::string& name) {
  const fs::path dir = fs::path(CFSIM_BINARY_DIR) / test / name;
  fs::remove_all(dir);
  return dir;
}

// Writes <stem>_<figure> files into `dir` with the repository's plots/style.gp; with `figure`
// given, only that figure, as PNG.
inline PlotOptions plot_options(const fs::path& dir, const std::string& stem,
                                const std::string& figure = "") {
  PlotOptions opt;
  opt.out_dir = dir.string();
  opt.style_path = std::string(CFSIM_SOURCE_DIR) + "/plots/style.gp";
  opt.stem = stem;
  if (!figure.empty()) {
    opt.figures = {figure};
    opt.formats = {"png"};
  }
  return opt;
}

// std::system: the command's exit status.
inline int run_shell(const std::string& cmd) {
  return std::system(cmd.c_str());
}

// Replays <dir>/<base>.gp with plain gnuplot from `dir` in every format (pdf, png, svg, tex
// into replayed.* / replayed-tex.tex): each succeeds, writes its file, and stderr stays empty.
inline void expect_replays(const fs::path& dir, const std::string& base) {
  const fs::path gp = dir / (base + ".gp");
  for (const std::string fmt : {"pdf", "png", "svg", "tex"}) {
    const fs::path log = dir / ("replay_" + fmt + ".log");
    const std::string out = fmt == "tex" ? "replayed-tex.tex" : "replayed." + fmt;
    EXPECT_EQ(run_shell("cd '" + dir.string() + "' && gnuplot -e \"fmt='" + fmt + "'; out='" + out +
                        "'\" '" + gp.string() + "' 2>'" + log.string() + "'"),
              0)
        << fmt << ": " << slurp(log);
    EXPECT_EQ(slurp(log), "") << "gnuplot warnings replaying " << gp << " as " << fmt;
    EXPECT_TRUE(fs::exists(dir / out)) << out;
    EXPECT_GT(fs::file_size(dir / out), 0u) << out;
  }
}

} // namespace cfsim::plot_test
