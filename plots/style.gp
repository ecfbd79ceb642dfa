# cfsim figure style (DESIGN §10). Every script written by `cfsim plot` loads this file, so
# editing it restyles every figure at once; a figure's own .gp overrides it locally.
# Requires gnuplot >= 5.2 (cairo terminals, `keyentry`, `eval`).
#
# Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), safe for the
# common colour-vision deficiencies and distinct in greyscale by dash and point type. Each
# strategy has one fixed colour, dash type and point type, so a strategy looks the same in every
# figure. Eight colours cannot separate thirteen strategies on their own: strategies that share
# a colour differ in dash and point type, and pairs that share a colour are picked so they are
# rarely drawn together (fleet start/stop vs batch-job placement).

# --- Okabe–Ito palette (0xRRGGBB integers, for `lc rgb variable`) ---------------------------
oi_black      = 0x000000
oi_orange     = 0xE69F00
oi_sky_blue   = 0x56B4E9
oi_green      = 0x009E73   # bluish green
oi_yellow     = 0xF0E442   # low contrast on white: fills only, never thin lines
oi_blue       = 0x0072B2
oi_vermillion = 0xD55E00
oi_purple     = 0xCC79A7   # reddish purple
col_other     = 0x999999   # a strategy not listed below
col_neutral   = 0x333333   # data that belongs to no strategy (e.g. grid intensity)
col_gap       = 0xE8E8E8   # shading of intervals with unknown data
col_grid      = 0xD9D9D9   # background grid lines
col_note      = 0x555555   # footnotes and provenance

# --- One colour, dash type and point type per strategy ---------------------------------------
# Baselines: black. Fleet start/stop strategies: warm colours. Job placement: cool colours.
# Point types (cairo): 4/5 square, 6/7 circle, 8/9 triangle up, 10/11 triangle down,
# 12/13 diamond, 14/15 pentagon, 1 plus, 2 cross, 3 star.
col_always_on           = oi_black;      dt_always_on           = 1; pt_always_on           = 5
col_no_wait             = oi_black;      dt_no_wait             = 2; pt_no_wait             = 4
col_office_hours        = oi_orange;     dt_office_hours        = 1; pt_office_hours        = 7
col_carbon_office_hours = oi_orange;     dt_carbon_office_hours = 2; pt_carbon_office_hours = 6
col_threshold_stop      = oi_purple;     dt_threshold_stop      = 1; pt_threshold_stop      = 9
col_cost_carbon         = oi_vermillion; dt_cost_carbon         = 2; pt_cost_carbon         = 8
col_lowest_window       = oi_blue;       dt_lowest_window       = 1; pt_lowest_window       = 11
col_best_window         = oi_blue;       dt_best_window         = 2; pt_best_window         = 10
col_lowest_slot         = oi_sky_blue;   dt_lowest_slot         = 1; pt_lowest_slot         = 13
col_carbon_time         = oi_sky_blue;   dt_carbon_time         = 2; pt_carbon_time         = 12
col_wait_awhile         = oi_green;      dt_wait_awhile         = 1; pt_wait_awhile         = 15
col_ecovisor            = oi_vermillion; dt_ecovisor            = 1; pt_ecovisor            = 3
col_region_shift        = oi_purple;     dt_region_shift        = 2; pt_region_shift        = 14

# Look-ups by strategy name (the .dat files carry the name as text), with a fallback for
# strategies this file does not know yet.
strategy_color(s) = exists("col_".s) ? value("col_".s) : col_other
strategy_dash(s)  = exists("dt_".s)  ? value("dt_".s)  : 3
strategy_point(s) = exists("pt_".s)  ? value("pt_".s)  : 2
# The colour c mixed with white: f = 1 keeps c, f = 0 is white (fills under lines).
lighten(c, f) = (int(255 - (255 - ((c >> 16) & 255)) * f) << 16) \
              + (int(255 - (255 - ((c >> 8) & 255)) * f) << 8) \
              + int(255 - (255 - (c & 255)) * f)
rgb(c) = sprintf("#%06x", c)

# --- Sequential palette (heatmaps, `lc palette`) ---------------------------------------------
# viridis, matplotlib's default colour map (van der Walt & Smith, "mpl colormaps", 2015,
# https://bids.github.io/colormap/): perceptually uniform, readable with the common colour-vision
# deficiencies and monotonic in lightness, so it also survives greyscale printing. The nine
# stops are matplotlib's viridis at 0, 1/8, ..., 1 (dark purple = low, yellow = high).
# Unknown values are never given a palette colour: figures draw them in col_gap, hatched.
set palette defined (0 "#440154", 1 "#472D7B", 2 "#3B528B", 3 "#2C728E", 4 "#21918C", \
                     5 "#28AE80", 6 "#5EC962", 7 "#ADDC30", 8 "#FDE725")
set palette maxcolors 0

# --- Sizes (cm) for a thesis layout -----------------------------------------------------------
width_1col = 8.5    # one column of a two-column page, or a narrow figure
width_2col = 17.5   # full text width
# Fonts: sizes in points at the printed size above, so an 8 pt label is 8 pt in the thesis.
font_name  = "Helvetica"   # fontconfig maps it to Nimbus Sans / Liberation Sans / Arial
font_size  = 8
note_font  = ",6"          # footnotes (skipped runs, incomplete data)
prov_font  = ",5"          # provenance line (tool version, scenario sha256)
line_width = 1.0           # line width scale of the terminal
png_dpi    = 200           # PNG resolution; the PNG has the same layout as the PDF
show_provenance = exists("show_provenance") ? show_provenance : 1   # 0 hides the footnote

# The `set terminal` command for a format ("pdf", "png", "svg" or "tex") at w × h cm. "tex" is
# cairolatex: the text is set by LaTeX in the thesis font (\input the .tex; it includes the
# graphic <name>.pdf written beside it).
# Use as: eval cfsim_terminal(fmt, fig_w, fig_h)
cfsim_terminal(fmt, w, h) = \
  fmt eq "pdf" ? sprintf("set terminal pdfcairo enhanced color font '%s,%g' size %gcm,%gcm linewidth %g butt", font_name, font_size, w, h, line_width) : \
  fmt eq "png" ? sprintf("set terminal pngcairo enhanced color font '%s,%g' size %d,%d fontscale %g linewidth %g butt", font_name, font_size, int(w / 2.54 * png_dpi + 0.5), int(h / 2.54 * png_dpi + 0.5), png_dpi / 72.0, line_width * png_dpi / 72.0) : \
  fmt eq "svg" ? sprintf("set terminal svg enhanced font '%s,%g' size %d,%d dynamic linewidth %g butt", font_name, font_size, int(w / 2.54 * 72 + 0.5), int(h / 2.54 * 72 + 0.5), line_width) : \
  fmt eq "tex" ? sprintf("set terminal cairolatex pdf input color font ',%g' size %gcm,%gcm linewidth %g butt", font_size, w, h, line_width) : \
  sprintf("print 'cfsim style.gp: unknown fmt \"%s\" (pdf, png, svg or tex)'; exit status 1", fmt)

# Text from the data (strategy names, run names) as LaTeX reads it for fmt "tex": the specials
# _ % & # $ { } ^ ~ \ escaped; unchanged for the other formats (figures mark such text
# `noenhanced`). Literal labels carry both spellings instead (sim/plot/figure.hpp, label()).
tex_char(c) = (c eq "_" || c eq "%" || c eq "&" || c eq "#" || c eq "$" || c eq "{" || c eq "}") ? "\\".c : \
              c eq "^" ? "\\^{}" : c eq "~" ? "\\~{}" : c eq "\\" ? "\\textbackslash{}" : c
tex_escape(s) = strlen(s) == 0 ? "" : tex_char(s[1:1]) . tex_escape(s[2:])
tex_safe(s) = fmt eq "tex" ? tex_escape(s) : s
# The same for the strings of a `with labels` plot: gnuplot reads backslash escapes in those
# ("\%" becomes "%"), so every backslash of the escape is doubled.
tex_lchar(c) = (c eq "_" || c eq "%" || c eq "&" || c eq "#" || c eq "$" || c eq "{" || c eq "}") ? "\\\\".c : \
               c eq "^" ? "\\\\^{}" : c eq "~" ? "\\\\~{}" : c eq "\\" ? "\\\\textbackslash{}" : c
tex_lescape(s) = strlen(s) == 0 ? "" : tex_lchar(s[1:1]) . tex_lescape(s[2:])
tex_label(s) = fmt eq "tex" ? tex_lescape(s) : s

# --- Axes, grid, key --------------------------------------------------------------------------
set encoding utf8
set border 3 lw 0.8 lc rgb "black"    # left and bottom only
set tics nomirror out scale 0.6
set grid noxtics ytics lw 0.5 lc rgb rgb(col_grid) dt 1
set grid back
set key noautotitle samplen 2.5 spacing 1.1 nobox
set style fill solid 1.0 border
set pointsize 0.6
set datafile commentschars "#"
set datafile separator whitespace
# Axis labels use SI units in parentheses: "Savings (%)", "Carbon intensity (g CO_2e kWh^{-1})".
