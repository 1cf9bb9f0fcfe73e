#!/bin/bash
# Imports a hydrant file into a freshly seeded demo node, once as a merge and once as a replace, and prints how long each
# took, how long context queries sent during the merge waited, the node's RSS and database size after, how long the first
# hydrant query takes after a restart (the layer is read back then), and any grain turn over a second the node logged (its
# seeding included).
#
#   bench/context-import/import-bench.sh [SILO_BUILD_DIR] [LABEL]
#   HYDRANTS=300000 REGION=korea bench/context-import/import-bench.sh      # a national layer
#
# The default file is city-sized: 60,676 points over Seoul (about 10 MB of GeoJSON). REGION=korea seeds the synthetic
# nation and spreads HYDRANTS points over the mainland (about 5,000 tiles of 0.05°).
# SILO_BUILD_DIR defaults to this checkout's Release build (dotnet build silo -c Release); point it at another checkout's
# build to compare versions on the same machine in the same hour. Loopback only: port 8091, silo ports 11191/30091.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/silo/bin/Release/net10.0}
label=${2:-current}
region=${REGION:-seoul}
hydrants=${HYDRANTS:-60676}
work=${TMPDIR:-/tmp}/safetynet-import-bench
data=$work/data-$label
log=$work/$label.log
file=$work/hydrants-$region-$hydrants.geojson
base=http://127.0.0.1:8091
mkdir -p "$work"; rm -rf "$data"
[ -f "$file" ] || python3 - "$file" "$region" "$hydrants" <<'PY'
import json, random, sys
path, region, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Seoul's built-up area, or the mainland's box (Jeju and the islands left out).
south, west, height, width = (37.46, 126.86, 0.21, 0.28) if region == "seoul" else (34.6, 126.5, 3.5, 2.8)
r = random.Random(count)
features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(west + r.random() * width, 6), round(south + r.random() * height, 6)]},
             "properties": {"id": f"h-{i}", "name": f"hydrant {i}", "type": r.choice(["underground", "above-ground"])}} for i in range(count)]
json.dump({"type": "FeatureCollection", "features": features}, open(path, "w"))
PY
echo "$label: $hydrants hydrants over $region, $(du -h "$file" | cut -f1) of GeoJSON"

cd "$build"
# The request limit is raised for versions that sent context imports through the ordinary 1 MiB limit.
start_node() {
  started=$(date +%s.%N)
  Auth__DevelopmentTokens=true Demo__DistrictBoundaries="$root/../shared/data/seoul-districts.geojson" Api__MaxRequestBodyBytes=67108864 \
    Api__RateLimitPerSecond=0 Demo__Region=$region dotnet SafetyNet.Silo.dll --urls $base --Storage:DataDirectory "$data" --Cluster:SiloPort 11191 \
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
# Within 300 m of Seoul City Hall in the city, 2 km in the nation (about 2.5 hydrants a km² spread over the mainland).
radius=$([ "$region" = seoul ] && echo 300 || echo 2000)
query="$base/api/v1/context?lat=37.5665&lon=126.978&radius=$radius&layers=hydrants"
for mode in merge replace; do
  # A 119 operator's incident asks for the hydrants around it while the layer is imported: one query after another.
  rm -f "$work/importing" "$work/$label-$mode-queries"; touch "$work/importing"
  ( while [ -f "$work/importing" ]; do
      curl -fsS -o /dev/null -w '%{time_total}\n' "$query" -H "authorization: Bearer $admin" >> "$work/$label-$mode-queries"
    done ) &
  queries=$!
  t0=$(date +%s.%N)
  status=$(curl -sS -o "$work/$label-$mode.json" -w '%{http_code}' -X POST "$base/api/v1/context/hydrants/import?mode=$mode" \
    -H "authorization: Bearer $admin" -H 'content-type: application/json' --data-binary @"$file")
  echo "$label: import ($mode) $status in $(echo "$(date +%s.%N) - $t0" | bc) s: $(head -c 100 "$work/$label-$mode.json")"
  rm -f "$work/importing"; wait $queries
  echo "$label: queries during the $mode: $(sort -n "$work/$label-$mode-queries" | awk '{ a[NR] = $1 } END { printf "%d answered, median %.3f s, slowest %.3f s", NR, a[int((NR + 1) / 2)], a[NR] }')"
done
echo "$label: RSS $(ps -o rss= -p $node) kB, database $(du -sh "$data/safetynet.db" | cut -f1)"
kill -TERM $node; wait $node || true
# After a restart the layer is read back from storage by the first query that needs it.
start_node
t0=$(date +%s.%N)
count=$(curl -fsS "$query" -H "authorization: Bearer $admin" | { grep -o '"id"' || true; } | wc -l)
echo "$label: after a restart, the first hydrant query answered in $(echo "$(date +%s.%N) - $t0" | bc) s ($count hydrants within $radius m)"
kill -TERM $node; wait $node || true
trap - EXIT
echo "$label: grain turns over 1 s: $(grep -o 'took elapsed time [0-9:.]*' "$log" | sed 's/took elapsed time //' | paste -sd' ' || true)"
