// Figures from stored results (DESIGN §10). The only user of gnuplot-iostream.
//
// Every figure is one function in its own file (sim/plot/figure_<name>.cpp, see figure.hpp)
// that turns a ResultSet into the numbers it plots (<stem>_<figure>.dat) and the gnuplot
// commands that draw them. `plot_results` wraps the commands in a common preamble that loads
// plots/style.gp and sets the terminal from variables, saves the result as a standalone
// <stem>_<figure>.gp, and pipes exactly that text to gnuplot once per output format. A reader
// can therefore restyle or replay any figure without C++: `gnuplot -e "fmt='png'" x.gp`.
// Adding a figure = one `make_*` file plus one row in `kFigures`.
#include "cfsim/plot.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

// gnuplot-iostream (and the Boost headers it pulls in) is third-party code: keep its warnings
// out of the project's -Werror build without weakening the flags for our own code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <gnuplot-iostream.h>
#pragma GCC diagnostic pop

#include "cfsim/error.hpp"

#include "plot/figure.hpp"

#ifndef CFSIM_VERSION
#define CFSIM_VERSION "unknown"
#endif

namespace cfsim {
namespace {

namespace fs = std::filesystem;
using namespace figures; // NOLINT(google-build-using-namespace): the figure toolkit
// ---- The figure table: the only list of figure names --------------------------------------

struct FigureSpec {
  std::string_view name;
  std::string_view summary;
  Figure (*make)(const Context&);
};

// In the order of DESIGN §10 / issue 6, which is the order `cfsim plot` draws them in.
constexpr std::array kFigures{
    FigureSpec{"pareto", "cost vs operational CO2e per run, with the Pareto front", make_pareto},
    FigureSpec{"savings", "CO2e and cost savings (%) of each strategy against its baseline",
               make_savings},
    FigureSpec{"timeline", "grid carbon intensity and one run's on/off schedule over time (UTC)",
               make_timeline},
    FigureSpec{"sweep", "a metric over a swept parameter, one line per strategy, seed bands",
               make_sweep},
    FigureSpec{"wait_cdf", "distribution (ECDF) of job waiting times (h) per strategy",
               make_wait_cdf},
    FigureSpec{"heatmap", "a metric over two swept parameters, one panel per strategy",
               make_heatmap},
    FigureSpec{"methods", "hourly CO2e vs Cloud Carbon Footprint's annual-average estimate",
               make_methods},
    FigureSpec{"quality", "data quality per input trace: grid-time shares, TAC, Cost-MAPE, DPS",
               make_quality},
};

const FigureSpec& figure_spec(std::string_view name) {
  for (const FigureSpec& f : kFigures)
    if (f.name == name)
      return f;
  throw UsageError("plot: unknown figure '" + std::string(name) +
                   "'. Valid values are: " + join(figure_names(), ", ") + ".");
}

constexpr std::array<std::string_view, 4> kFormats{"pdf", "png", "svg", "tex"};

// The file a format produces. `tex` (cairolatex) writes two files: <base>-tex.tex with the text
// set by LaTeX and the graphic <base>-tex.pdf it includes; the suffix keeps that graphic apart
// from the plain <base>.pdf.
std::string output_name(const std::string& base, std::string_view fmt) {
  return fmt == "tex" ? base + "-tex.tex" : base + "." + std::string(fmt);
}

// ---- Files and gnuplot --------------------------------------------------------------------

// Writes through `<path>.tmp` and a rename, so a reader never sees half a file.
void write_file_atomic(const fs::path& path, std::string_view content) {
  const fs::path tmp = fs::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out)
      throw StoreError(ExitCode::cant_create, "plot: cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec)
    throw StoreError(ExitCode::cant_create, "plot: cannot rename " + tmp.string() + " to " +
                                                path.string() + ": " + ec.message());
}

std::string read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// The gnuplot executable: $CFSIM_GNUPLOT if set, else `gnuplot` from PATH.
std::string gnuplot_program() {
  const char* env = std::getenv("CFSIM_GNUPLOT");
  return (env != nullptr && env[0] != '\0') ? env : "gnuplot";
}

// Runs `script` through a gnuplot pipe with fmt/out/script_dir preset (exactly what
// `gnuplot -e "fmt='png'; out='...'" file.gp` does) and renames the output(s) into place.
// gnuplot's exit status and messages are captured through the shell, because the pipe's own
// status is not reported by gnuplot-iostream; the shell then drains whatever gnuplot did not
// read, so an early gnuplot exit never raises SIGPIPE in this process.
void render(const fs::path& dir, const std::string& base, const std::string& script,
            std::string_view fmt) {
  const std::string name = output_name(base, fmt);
  const fs::path out = dir / name;
  // gnuplot writes into a private folder first, so a reader never sees half a figure. For
  // `tex` the folder is also the working directory: cairolatex names its graphic in the .tex
  // by the output path as given, so a bare name keeps the pair movable (\graphicspath).
  const fs::path work = dir / ("." + name + ".tmp.d");
  const fs::path tmp = work / name;
  const fs::path log = work / "gnuplot-log";
  const fs::path status = work / "gnuplot-status";
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  if (ec)
    throw StoreError(ExitCode::cant_create,
                     "plot: cannot create " + work.string() + ": " + ec.message());
  const auto clean = [&] { fs::remove_all(work, ec); };

  const std::string program = gnuplot_program();
  const std::string command = "cd " + sh_quote(work.string()) + " && " + sh_quote(program) + " >" +
                              sh_quote(log.string()) + " 2>&1; echo $? >" +
                              sh_quote(status.string()) + "; while read -r _; do :; done";
  try {
    Gnuplot gp(command);
    gp << "script_dir = " << gp_str(dir.string()) << "\n"
       << "fmt = " << gp_str(fmt) << "\n"
       << "out = " << gp_str(fmt == "tex" ? name : tmp.string()) << "\n"
       << script << std::flush;
  } catch (const std::exception& e) { // popen failed or the pipe broke
    clean();
    throw Error(ExitCode::unavailable, "plot: cannot run gnuplot ('" + program + "'): " + e.what());
  }
  const std::string log_text = trim(read_small_file(log));
  const std::string status_text = trim(read_small_file(status));

  int rc = -1;
  std::from_chars(status_text.data(), status_text.data() + status_text.size(), rc);
  if (rc == 126 || rc == 127) {
    clean();
    throw Error(ExitCode::unavailable,
                "plot: gnuplot not found ('" + program + "': " + log_text +
                    "). Install gnuplot with cairo terminals (Debian/Ubuntu: apt-get install "
                    "gnuplot-nox) or set CFSIM_GNUPLOT to its path");
  }
  if (rc != 0) {
    clean();
    throw Error(ExitCode::cant_create, "plot: gnuplot failed drawing " + out.string() +
                                           " (exit status " + status_text + "): " + log_text);
  }
  std::vector<std::pair<fs::path, fs::path>> moves{{tmp, out}};
  if (fmt == "tex") {
    const std::string graphic = base + "-tex.pdf";
    moves.emplace_back(work / graphic, dir / graphic);
  }
  for (const auto& [from, to] : moves)
    if (!fs::exists(from) || fs::file_size(from, ec) == 0) {
      clean();
      throw Error(ExitCode::cant_create, "plot: gnuplot wrote no " + std::string(fmt) +
                                             " output for " + to.string() +
                                             (log_text.empty() ? std::string() : ": " + log_text));
    }
  for (const auto& [from, to] : moves) {
    fs::rename(from, to, ec);
    if (ec) {
      const std::string reason = ec.message();
      clean();
      throw StoreError(ExitCode::cant_create, "plot: cannot rename " + from.string() + " to " +
                                                  to.string() + ": " + reason);
    }
  }
  clean();
}

// The style file: as given, else (if relative) below the source tree cfsim was built from.
fs::path find_style(const std::string& style_path) {
  const fs::path p(style_path);
  std::error_code ec;
  if (fs::is_regular_file(p, ec))
    return fs::absolute(p);
#ifdef CFSIM_SOURCE_DIR
  if (p.is_relative()) {
    const fs::path q = fs::path(CFSIM_SOURCE_DIR) / p;
    if (fs::is_regular_file(q, ec))
      return q;
  }
#endif
  throw InputError("plot: style file '" + style_path +
                   "' not found (give the path of cfsim's plots/style.gp)");
}

// The common head of every .gp: how to replay it, where the data and style are, the terminal.
std::string script_text(const FigureSpec& spec, const Context& ctx, const Figure& fig,
                        const std::string& style_ref) {
  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# " << ctx.base << ".gp: cfsim figure '" << spec.name << "': " << spec.summary << ".\n"
     << "# Data: " << ctx.base << ".dat (next to this script; its header names the columns).\n"
     << "#\n"
        "# Replay from any directory (writes next to this script unless `out` is given):\n"
        "#   gnuplot "
     << ctx.base << ".gp                      -> " << ctx.base
     << ".pdf\n"
        "#   gnuplot -e \"fmt='png'\" "
     << ctx.base << ".gp       -> " << ctx.base
     << ".png\n"
        "#   gnuplot -e \"fmt='tex'\" "
     << ctx.base << ".gp       -> " << ctx.base << "-tex.tex + " << ctx.base
     << "-tex.pdf (LaTeX: \\input the .tex)\n"
        "#   gnuplot -e \"fmt='svg'; out='/tmp/x.svg'\" "
     << ctx.base
     << ".gp\n"
        "# Variables for -e: fmt (pdf|png|svg|tex), out (output file), style (style file), fig_w\n"
        "# and fig_h (size in cm; width_1col and width_2col in style.gp), show_provenance (0 "
        "hides\n"
        "# the footnote). Restyle every figure in style.gp; this figure below.\n"
        "\n"
        "if (!exists(\"script_dir\")) {\n"
        "  script_dir = \".\"; _slash = 0\n"
        "  do for [_i = 1:strlen(ARG0)] { if (ARG0[_i:_i] eq \"/\") { _slash = _i } }\n"
        "  if (_slash == 1) { script_dir = \"/\" }\n"
        "  if (_slash > 1) { script_dir = ARG0[1:_slash - 1] }\n"
        "}\n"
        "if (!exists(\"fmt\")) fmt = \"pdf\"\n"
     << (ctx.opt.provenance ? "" : "if (!exists(\"show_provenance\")) show_provenance = 0\n")
     << "if (!exists(\"style\")) style = " << style_ref << "\n"
     << "load style\n"
        "if (!exists(\"out\")) out = script_dir . \"/"
     << ctx.base
     << "\" . (fmt eq \"tex\" ? \"-tex.tex\" : \".\" . fmt)\n"
        "dat = script_dir . \"/"
     << ctx.base
     << ".dat\"\n"
        "if (!exists(\"fig_w\")) fig_w = "
     << (fig.width_cm == 8.5    ? std::string("width_1col")
         : fig.width_cm == 17.5 ? std::string("width_2col")
                                : num(fig.width_cm))
     << "   # cm\n"
     << "if (!exists(\"fig_h\")) fig_h = " << num(fig.height_cm) << "   # cm\n"
     << "eval cfsim_terminal(fmt, fig_w, fig_h)\n"
        "set output out\n";
  std::string prov = ctx.provenance;
  if (!fig.subject.empty())
    prov += " · " + fig.subject;
  gp << "if (show_provenance) set label 99 " << label(prov) << " at " << fig.provenance_at
     << " font prov_font tc rgb rgb(col_note) noenhanced\n"
        "\n"
     << fig.body << "unset output\n";
  return gp.str();
}

// --width: one column (8.5 cm) or the full text width (17.5 cm) whatever the figure's default.
// A wide figure squeezed into one column keeps most of its height, so its panels stay legible.
void apply_width(Figure& fig, const std::string& width) {
  if (width.empty())
    return;
  const double want_cm = width == "1col" ? 8.5 : 17.5;
  if (want_cm < fig.width_cm)
    fig.height_cm = std::max(5.5, std::round(0.85 * fig.height_cm * 20) / 20); // 0.5 mm steps
  fig.width_cm = want_cm;
}

} // namespace

std::vector<std::string> figure_names() {
  std::vector<std::string> names;
  for (const FigureSpec& f : kFigures)
    names.emplace_back(f.name);
  return names;
}

std::string figure_summary(const std::string& name) {
  return std::string(figure_spec(name).summary);
}

std::vector<std::string> plot_results(const ResultSet& results, const PlotOptions& opt) {
  // Validate everything before writing anything.
  std::vector<const FigureSpec*> specs;
  if (opt.figures.empty())
    for (const FigureSpec& f : kFigures)
      specs.push_back(&f);
  for (const std::string& name : opt.figures)
    specs.push_back(&figure_spec(name));
  for (const std::string& fmt : opt.formats)
    if (std::find(kFormats.begin(), kFormats.end(), fmt) == kFormats.end())
      throw UsageError("plot: unknown format '" + fmt +
                       "'. Valid values are: pdf, png, svg, tex (cairolatex: .tex + graphic).");
  if (!opt.width.empty() && opt.width != "1col" && opt.width != "2col")
    throw UsageError("plot: unknown width '" + opt.width +
                     "'. Valid values are: 1col (8.5 cm), 2col (17.5 cm).");
  const fs::path style = find_style(opt.style_path);

  const fs::path dir(opt.out_dir.empty() ? "." : opt.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw StoreError(ExitCode::cant_create, "plot: cannot create output directory " + dir.string() +
                                                (ec ? ": " + ec.message() : std::string()));
  const fs::path abs_dir = fs::weakly_canonical(fs::absolute(dir));

  // The style file as the .gp will find it: relative to the script if possible, so a moved or
  // cloned tree keeps working; absolute otherwise.
  const fs::path style_abs = fs::weakly_canonical(style);
  const fs::path style_rel = style_abs.lexically_relative(abs_dir);
  const auto ups = std::count(style_rel.begin(), style_rel.end(), fs::path(".."));
  const std::string style_ref = (style_rel.empty() || ups > 2)
                                    ? gp_str(style_abs.string())
                                    : "script_dir . " + gp_str("/" + style_rel.generic_string());

  std::string stem = opt.stem;
  if (stem.empty())
    stem = attribute(results, "scenario_name");
  if (stem.empty())
    stem = "results";

  const std::string version = [&] {
    std::string v = attribute(results, "cfsim_version");
    return v.empty() ? std::string(CFSIM_VERSION) : v;
  }();
  const std::string scenario = attribute(results, "scenario_name");
  const std::string sha = attribute(results, "scenario_sha256");
  std::string source = "# source: result set '" + one_line(stem) + "'";
  if (!scenario.empty())
    source += ", scenario '" + one_line(scenario) + "'";
  source += "\n# scenario_sha256: " + (sha.empty() ? std::string("unknown") : one_line(sha)) +
            "\n# written by cfsim " + one_line(version) + " (results), plotted by cfsim " +
            CFSIM_VERSION + "\n";
  for (const char* key : {"git_sha", "created_utc", "command_line", "carbon_zone", "carbon_signal",
                          "carbon_source", "carbon_sha256"}) {
    const std::string v = attribute(results, key);
    if (!v.empty())
      source += std::string("# ") + key + ": " + one_line(v) + "\n";
  }
  std::string provenance = "cfsim " + version;
  if (!scenario.empty())
    provenance += " · scenario " + scenario;
  if (!sha.empty())
    provenance += " · sha256 " + sha.substr(0, 12);
  // The result file's name, unless it repeats the scenario's: one column holds only about 80
  // characters of the 5 pt footnote.
  if (stem != scenario)
    provenance += " · " + stem;

  std::vector<std::string> written;
  for (const FigureSpec* spec : specs) {
    const Context ctx{results, opt, stem + "_" + std::string(spec->name), source, provenance};
    Figure fig = spec->make(ctx);
    apply_width(fig, opt.width);
    const std::string script = script_text(*spec, ctx, fig, style_ref);
    const fs::path dat = abs_dir / (ctx.base + ".dat");
    const fs::path gp = abs_dir / (ctx.base + ".gp");
    write_file_atomic(dat, fig.dat);
    write_file_atomic(gp, script);
    written.push_back((dir / (ctx.base + ".dat")).string());
    written.push_back((dir / (ctx.base + ".gp")).string());
    for (const std::string& fmt : opt.formats) {
      render(abs_dir, ctx.base, script, fmt);
      written.push_back((dir / output_name(ctx.base, fmt)).string());
      if (fmt == "tex")
        written.push_back((dir / (ctx.base + "-tex.pdf")).string());
    }
  }
  return written;
}

} // namespace cfsim
