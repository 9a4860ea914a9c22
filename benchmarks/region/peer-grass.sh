#!/usr/bin/env bash
# Peer timing, by hand (not a test, not run by CI): GRASS GIS r.fill.dir and r.watershed (D8, -s),
# r.slope.aspect and gdaldem slope on the same synthetic DEM as `sandtable bench --model region`,
# so their times stand beside ours. Needs Debian's grass-core and gdal-bin.
# usage: bash benchmarks/region/peer-grass.sh [N=4096]
set -euo pipefail
N=${1:-4096}
CELL=30
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v grass >/dev/null || { echo "grass is not installed (apt-get install grass-core)" >&2; exit 1; }
node --import tsx "$root/benchmarks/region/write-dem.ts" "$N" "$work/dem.bin"
timed() { # label command...: wall and CPU seconds of one run
  local label=$1; shift
  /usr/bin/time -f "$label %e s wall, %U s user + %S s system" "$@" >/dev/null 2>"$work/time.err" || { cat "$work/time.err" >&2; return 1; }
  tail -1 "$work/time.err"
}
echo "peers on a ${N} × ${N} synthetic DEM ($(grass --version 2>&1 | grep -m1 GRASS))"
if command -v gdaldem >/dev/null; then
  timed "gdaldem slope (Horn)      " gdaldem slope -q "$work/dem.bin" "$work/slope.tif"
  timed "gdaldem aspect (Horn)     " gdaldem aspect -q "$work/dem.bin" "$work/aspect.tif"
fi
cat > "$work/grass.sh" <<GRASS
set -e
r.in.bin -d --quiet input=$work/dem.bin output=dem bytes=8 order=little north=$((N * CELL)) south=0 east=$((N * CELL)) west=0 rows=$N cols=$N
g.region raster=dem
$(declare -f timed)
work=$work
timed "r.fill.dir                " r.fill.dir --quiet input=dem output=filled direction=direction
timed "r.watershed -s (D8 accum) " r.watershed -s --quiet elevation=dem accumulation=accumulation drainage=drainage
timed "r.slope.aspect            " r.slope.aspect --quiet elevation=dem slope=slope aspect=aspect
GRASS
grass --tmp-location XY --exec bash "$work/grass.sh"
