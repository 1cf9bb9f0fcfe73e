#!/bin/bash
# Imports a city-sized hydrant file (60,676 points, about 10 MB of GeoJSON) into a freshly seeded demo node, once as a
# merge and once as a replace, and prints how long each took, the node's RSS and database size after, how long the first
# hydrant query takes after a restart (the layer is read back then), and any grain turn over a second the node logged
# (its seeding included).
#
#   bench/context-import/import-bench.sh [SILO_BUILD_DIR] [LABEL]
#
# SILO_BUILD_DIR defaults to this checkout's Release build (dotnet build silo -c Release); point it at another checkout's
# build to compare versions on the same machine in the same hour. Loopback only: port 8091, silo ports 11191/30091.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/silo/bin/Release/net10.0}
label=${2:-current}
work=${TMPDIR:-/tmp}/safetynet-import-bench
data=$work/data-$label
log=$work/$label.log
file=$work/hydrants.geojson
base=http://127.0.0.1:8091
mkdir -p "$work"; rm -rf "$data"
[ -f "$file" ] || python3 - "$file" <<'PY'
import json, random, sys
r = random.Random(60676)
features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(126.86 + r.random() * 0.28, 6), round(37.46 + r.random() * 0.21, 6)]},
             "properties": {"id": f"h-{i}", "name": f"hydrant {i}", "type": r.choice(["underground", "above-ground"])}} for i in range(60676)]
json.dump({"type": "FeatureCollection", "features": features}, open(sys.argv[1], "w"))
PY

cd "$build"
# The request limit is raised for versions that sent context imports through the ordinary 1 MiB limit.
start_node() {
  started=$(date +%s.%N)
  Auth__DevelopmentTokens=true Demo__DistrictBoundaries="$root/../shared/data/seoul-districts.geojson" Api__MaxRequestBodyBytes=67108864 \
    Api__RateLimitPerSecond=0 dotnet SafetyNet.Silo.dll --urls $base --Storage:DataDirectory "$data" --Cluster:SiloPort 11191 \
    --Cluster:GatewayPort 30091 >> "$log" 2>&1 &
  node=$!
  trap 'kill -TERM $node 2>/dev/null || true' EXIT
  until curl -fs $base/health/ready 2>/dev/null | grep -q Healthy; do
    kill -0 $node 2>/dev/null || { echo "the node exited:"; tail -5 "$log"; exit 1; }
    sleep 0.5
  done
  echo "$label: ready after $(echo "$(date +%s.%N) - $started" | bc) s"
  admin=$(curl -fsS -X POST $base/api/v1/auth/token -H 'content-type: application/json' \
    -d '{"agencyId":"safetynet-ops","operatorId":"layers","role":"platform-admin"}' | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p')
}
: > "$log"
start_node
for mode in merge replace; do
  t0=$(date +%s.%N)
  status=$(curl -sS -o "$work/$label-$mode.json" -w '%{http_code}' -X POST "$base/api/v1/context/hydrants/import?mode=$mode" \
    -H "authorization: Bearer $admin" -H 'content-type: application/json' --data-binary @"$file")
  echo "$label: import ($mode) $status in $(echo "$(date +%s.%N) - $t0" | bc) s: $(head -c 100 "$work/$label-$mode.json")"
done
echo "$label: RSS $(ps -o rss= -p $node) kB, database $(du -sh "$data/safetynet.db" | cut -f1)"
kill -TERM $node; wait $node || true
# After a restart the layer is read back from storage by the first query that needs it.
start_node
t0=$(date +%s.%N)
count=$(curl -fsS "$base/api/v1/context?lat=37.5665&lon=126.978&radius=300&layers=hydrants" -H "authorization: Bearer $admin" | grep -o '"id"' | wc -l)
echo "$label: after a restart, the first hydrant query answered in $(echo "$(date +%s.%N) - $t0" | bc) s ($count hydrants within 300 m)"
kill -TERM $node; wait $node || true
trap - EXIT
echo "$label: grain turns over 1 s: $(grep -o 'took elapsed time [0-9:.]*' "$log" | sed 's/took elapsed time //' | paste -sd' ' || true)"
