#!/usr/bin/env bash
# Set up, build and run cfsim on Debian 12 with nothing but this repository.
#   bash bootstrap.sh main   install what is missing, build (Release), run the default scenario,
#                            draw its figures: results/default.h5 and plots/default_*.{pdf,png}
#   bash bootstrap.sh test   install what is missing, build (Release), run the whole test suite
# Environment: CFSIM_WERROR=ON turns warnings into errors (CI); BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-main}
case "$mode" in main|test) ;; *) echo "usage: bash bootstrap.sh main|test" >&2; exit 64 ;; esac

# Debian 12 packages cfsim builds and tests with (README, "Dependencies").
packages=(cmake g++ make git pkg-config
  libboost-program-options-dev libboost-iostreams-dev libboost-filesystem-dev
  libeigen3-dev libhdf5-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  libgnuplot-iostream-dev gnuplot-nox libgtest-dev libgmock-dev libbenchmark-dev
  libhowardhinnant-date-dev libfast-float-dev tzdata libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-pandas python3-tables python3-numpy python3-xarray python3-h5netcdf)
# The tests also compile the LaTeX that `cfsim table` and `cfsim plot --format tex` write.
[ "$mode" = test ] && packages+=(texlive-latex-base texlive-latex-recommended)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build=${BUILD_DIR:-build}
# MPI (OpenMPI) distributes `cfsim sweep` over ranks (docs/scaling.md).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCFSIM_WERROR="${CFSIM_WERROR:-OFF}" \
  -DCFSIM_MPI=ON >&2
cmake --build "$build" -j "$(nproc)" >&2

if [ "$mode" = main ]; then
  "$build/sim/cfsim" run scenarios/default.json -o results/default.h5
  "$build/sim/cfsim" plot results/default.h5 -o plots
  echo "figures: plots/ (PDF and PNG, each with its .gp script and .dat data)"
else
  ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
fi
