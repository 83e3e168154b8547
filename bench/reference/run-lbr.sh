#!/usr/bin/env bash
# Usage: bench/reference/run-lbr.sh <directory holding Jaeckel's source: the 2013-2014 release
#        (LetsBeRational.cpp, erf_cody.cpp, normaldistribution.{cpp,h}, rationalcubic.{cpp,h},
#        importexport.h, version.h) or the 2013-2024 release (lets_be_rational.{cpp,h}, dllmain.h, ...)>
# Builds lbr-harness.cpp against that source with g++ -O2 and runs it on the pricing bench inputs.
set -euo pipefail
src=${1:?directory of the LetsBeRational C++ source}
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
npx tsx "$here/lbr-inputs.ts" "$work/inputs.bin"
if [ -f "$src/lets_be_rational.cpp" ]; then
  # 2013-2024 release (lets_be_rational.{cpp,h}, dllmain.h)
  g++ -O2 -std=c++17 -w -DLBR2024 -DNO_XL_API -I"$src" -o "$work/lbr-harness" "$here/lbr-harness.cpp" \
    "$src/lets_be_rational.cpp" "$src/erf_cody.cpp" "$src/normaldistribution.cpp" "$src/rationalcubic.cpp"
else
  # 2013-2014 release (LetsBeRational.cpp, importexport.h, version.h)
  g++ -O2 -std=c++11 -w -I"$src" -o "$work/lbr-harness" "$here/lbr-harness.cpp" \
    "$src/LetsBeRational.cpp" "$src/erf_cody.cpp" "$src/normaldistribution.cpp" "$src/rationalcubic.cpp"
fi
"$work/lbr-harness" "$work/inputs.bin"
