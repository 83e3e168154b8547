#!/usr/bin/env bash
# Usage: bench/reference/run-lbr.sh <directory holding Jaeckel's LetsBeRational.cpp, erf_cody.cpp,
#        normaldistribution.{cpp,h}, rationalcubic.{cpp,h}, importexport.h, version.h>
# Builds lbr-harness.cpp against that source with g++ -O2 and runs it on the pricing bench inputs.
set -euo pipefail
src=${1:?directory of the LetsBeRational C++ source}
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
npx tsx "$here/lbr-inputs.ts" "$work/inputs.bin"
g++ -O2 -std=c++11 -w -I"$src" -o "$work/lbr-harness" "$here/lbr-harness.cpp" \
  "$src/LetsBeRational.cpp" "$src/erf_cody.cpp" "$src/normaldistribution.cpp" "$src/rationalcubic.cpp"
"$work/lbr-harness" "$work/inputs.bin"
