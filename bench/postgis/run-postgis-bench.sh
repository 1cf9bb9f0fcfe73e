#!/usr/bin/env bash
# PostGIS KNN baseline for design.md's spatial target ("nearest 16 cameras within 500 m, 68,000 cameras").
#
#   bench/postgis/run-postgis-bench.sh [--points N] [--seconds S] [--no-build]
#
# 1. publishes the node (Release) and starts one embedded node on free loopback ports with a fresh data directory
#    (it seeds the 68,000-camera demo city), then exports every camera through GET /api/v1/cameras (platform-admin);
# 2. loads them into a scratch PostgreSQL database with PostGIS: geography(Point, 4326) + GiST index;
# 3. draws N fixed query points uniformly inside Seoul's 25 districts (ST_GeneratePoints with a fixed seed);
# 4. runs the KNN query for each point in PostGIS and asks the node's API for the same point, and compares the
#    ordered id lists;
# 5. times the PostGIS query: inside the server (plpgsql loop, clock_timestamp per query) and through libpq with
#    pgbench (1 client for latency percentiles, 2 clients for throughput on this 2-core machine);
# 6. writes bench/postgis/RESULTS.md (machine, commands, numbers, plan) and keeps raw files in the work directory.
#
# Distances: SafetyNet uses a sphere (haversine, R = 6,371,008.8 m). PostGIS geography defaults to the WGS84 spheroid,
# so every filter here passes use_spheroid = false (ST_DWithin(g, p, 500, false)), whose sphere is PostGIS's mean
# radius 6,371,008.771 m (a 4.5e-9 relative difference: micrometres at 500 m). The KNN operator <-> on geography is
# itself a sphere distance. A second variant orders by ST_Distance(g, p, false) explicitly, to check the two agree.
#
# Environment: SAFETYNET_BENCH_DIR (/tmp/safetynet-postgis-bench), BENCH_DB (safetynet_postgis_bench),
#              SAFETYNET_DISTRICTS (../shared/data/seoul-districts.geojson), SAFETYNET_PSQL_ADMIN (runuser -u postgres -- psql).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=${SAFETYNET_BENCH_DIR:-/tmp/safetynet-postgis-bench}
db=${BENCH_DB:-safetynet_postgis_bench}
points=1000
seconds=20
build=1
radius=500
limit=16
point_seed=20170
districts=${SAFETYNET_DISTRICTS:-$repo/../shared/data/seoul-districts.geojson}
results="$repo/bench/postgis/RESULTS.md"
invocation="bench/postgis/run-postgis-bench.sh $*"

while [ $# -gt 0 ]; do
  case "$1" in
    --points) points=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { printf 'run-postgis-bench: %s\n' "$*" >&2; exit 1; }
[[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lower-case identifier"
[ -f "$districts" ] || die "district boundaries not found at $districts (set SAFETYNET_DISTRICTS)"
districts=$(cd "$(dirname "$districts")" && pwd)/$(basename "$districts")
for tool in dotnet curl jq psql pgbench; do command -v "$tool" >/dev/null || die "$tool is not on PATH"; done

if [ -n "${SAFETYNET_PSQL_ADMIN:-}" ]; then
  read -r -a psql_admin <<<"$SAFETYNET_PSQL_ADMIN"
  run_as_pg=()
elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
  psql_admin=(runuser -u postgres -- psql)
  run_as_pg=(runuser -u postgres --)
else
  psql_admin=(psql)
  run_as_pg=()
fi
sql() { "${psql_admin[@]}" -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

mkdir -p "$work"
chmod 755 "$work"
cd "$work"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- PostGIS --------------------------------------------------------------------------------------------------------
pg_major=$("${psql_admin[@]}" -X -Atq -d postgres -c "SHOW server_version_num" | cut -c1-2)
if ! dpkg -s "postgresql-$pg_major-postgis-3" >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "PostGIS is missing: apt-get install postgresql-$pg_major-postgis-3"
  log "installing postgresql-$pg_major-postgis-3"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$pg_major-postgis-3" >/dev/null
fi

# --- a node that holds the demo city ----------------------------------------------------------------------------------
app="$work/app"
if [ "$build" -eq 1 ] || [ ! -f "$app/SafetyNet.Silo.dll" ]; then
  log "publishing silo (Release) into $app"
  dotnet publish "$repo/silo/SafetyNet.Silo.csproj" -c Release -o "$app" --nologo -v quiet >"$work/publish.log" 2>&1 \
    || { tail -n 30 "$work/publish.log" >&2; die "dotnet publish failed"; }
fi

free_port() { # first port from $1 on that nobody listens on (bounded scan)
  local p
  for p in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port in $1..$(($1 + 200))"
}
http_port=$(free_port 18480)
silo_port=$(free_port 21480)
gateway_port=$(free_port 31480)
base="http://127.0.0.1:$http_port"

rm -rf "$work/node-data"
mkdir -p "$work/node-data"
log "starting an embedded node on $base (data in $work/node-data)"
(
  export Storage__DataDirectory="$work/node-data" Demo__Seed=true Demo__Cameras=68000 Demo__DistrictBoundaries="$districts"
  export Cluster__Provider=Embedded Cluster__SiloPort="$silo_port" Cluster__GatewayPort="$gateway_port"
  export Api__RateLimitPerSecond=0 AuditRateLimit__Burst=0 Auth__DevelopmentTokens=true
  exec dotnet "$app/SafetyNet.Silo.dll" --urls "$base" >"$work/node.log" 2>&1 </dev/null
) &
node_pid=$!
stop_node() {
  if kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$node_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$node_pid" 2>/dev/null || true
  fi
}
trap stop_node EXIT

ready=0
for _ in $(seq 1 300); do
  kill -0 "$node_pid" 2>/dev/null || { tail -n 30 "$work/node.log" >&2; die "the node exited"; }
  if curl -s -m 5 "$base/health/ready" | grep -q '"status":"Healthy"'; then ready=1; break; fi
  sleep 1
done
[ "$ready" -eq 1 ] || { tail -n 30 "$work/node.log" >&2; die "the node was not ready within 300 s"; }

token() { # role agency
  curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"agencyId\":\"$2\",\"operatorId\":\"bench\",\"role\":\"$1\"}" | jq -r .accessToken
}
admin=$(token platform-admin safetynet-ops)

log "exporting cameras"
: >"$work/cameras.csv"
page=1
total=-1
while [ "$page" -le 20 ]; do
  curl -sf "$base/api/v1/cameras?pageSize=20000&page=$page" -H "authorization: Bearer $admin" >"$work/page.json" \
    || die "GET /api/v1/cameras page $page failed"
  total=$(jq .total "$work/page.json")
  n=$(jq '.features | length' "$work/page.json")
  [ "$n" -eq 0 ] && break
  jq -r '.features[] | [.id, .geometry.coordinates[1], .geometry.coordinates[0]] | @csv' "$work/page.json" >>"$work/cameras.csv"
  [ $((page * 20000)) -ge "$total" ] && break
  page=$((page + 1))
done
rm -f "$work/page.json"
exported=$(wc -l <"$work/cameras.csv")
[ "$exported" -eq "$total" ] || die "exported $exported cameras but the API reports $total"
log "exported $exported cameras"

# --- the PostGIS side ----------------------------------------------------------------------------------------------------
log "loading them into database $db (PostGIS, GiST on geography)"
"${psql_admin[@]}" -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
sql -c "CREATE EXTENSION postgis"
sql <<'SQL'
CREATE TABLE cameras (id text PRIMARY KEY, lat float8 NOT NULL, lon float8 NOT NULL, geog geography(Point, 4326));
CREATE TABLE districts (gj text NOT NULL);
SQL
sql -c "COPY cameras (id, lat, lon) FROM STDIN WITH (FORMAT csv)" <"$work/cameras.csv"
jq -c '.features[].geometry' "$districts" | sed 's/\\/\\\\/g' | sql -c "COPY districts (gj) FROM STDIN"
sql -v points="$points" -v seed="$point_seed" <<'SQL'
UPDATE cameras SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
ALTER TABLE cameras ALTER COLUMN geog SET NOT NULL;
CREATE INDEX cameras_geog_gist ON cameras USING gist (geog);
-- Fixed query points, uniformly inside the union of the 25 districts.
CREATE TABLE qpoints AS
SELECT (d.path[1])::int AS qid, ST_Y(d.geom) AS lat, ST_X(d.geom) AS lon, d.geom::geography AS p
FROM ST_Dump(ST_GeneratePoints((SELECT ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(gj), 4326)) FROM districts), :points, :seed)) AS d;
ALTER TABLE qpoints ADD PRIMARY KEY (qid);
VACUUM ANALYZE cameras;
VACUUM ANALYZE qpoints;
SQL
postgis_version=$(sql -Atc "SELECT postgis_full_version()")
pg_version=$(sql -Atc "SELECT version()")

# The query under test. PT stands for the point; the KNN operator orders, ST_DWithin (sphere) bounds the radius.
knn_sql="SELECT id FROM cameras WHERE ST_DWithin(geog, PT, $radius, false) ORDER BY geog <-> PT LIMIT $limit"
sphere_sql="SELECT id FROM cameras WHERE ST_DWithin(geog, PT, $radius, false) ORDER BY ST_Distance(geog, PT, false), id LIMIT $limit"

log "recording PostGIS answers for $points points"
sql -At -F '|' >"$work/postgis-knn.txt" <<SQL
SELECT q.qid, array_to_string(ARRAY(${knn_sql//PT/q.p}), ',')
FROM qpoints q ORDER BY q.qid;
SQL
sql -At -F '|' >"$work/postgis-sphere.txt" <<SQL
SELECT q.qid, array_to_string(ARRAY(${sphere_sql//PT/q.p}), ',')
FROM qpoints q ORDER BY q.qid;
SQL
sql -At -F ',' -c "SELECT qid, lat, lon FROM qpoints ORDER BY qid" >"$work/points.csv"

# --- the API side ------------------------------------------------------------------------------------------------------------
log "asking the API for the same points"
operator=$(token operator seoul-112)
session_token=$(curl -sf -X POST "$base/api/v1/sessions" -H "authorization: Bearer $operator" | jq -r .accessToken)
if [ -z "$session_token" ] || [ "$session_token" = null ]; then die "could not open an operator session"; fi
{
  echo "header = \"authorization: Bearer $session_token\""
  while IFS=, read -r _ lat lon; do
    echo "url = \"$base/api/v1/cameras/nearby?lat=$lat&lon=$lon&radius=$radius&limit=$limit\""
  done <"$work/points.csv"
} >"$work/api-requests.cfg"
curl -sf -K "$work/api-requests.cfg" >"$work/api-responses.json" || die "a nearby request failed"
jq -r '[.items[].id] | join(",")' "$work/api-responses.json" | paste -d '|' <(cut -d, -f1 "$work/points.csv") - >"$work/api.txt"
[ "$(wc -l <"$work/api.txt")" -eq "$points" ] || die "expected $points API answers, got $(wc -l <"$work/api.txt")"

compare() { # file-a file-b -> "identical same-set total"
  join -t '|' "$1" "$2" 2>/dev/null | awk -F'|' '
    { total++; if ($2 == $3) same++; else { na = split($2, a, ","); nb = split($3, b, ","); delete s;
        for (i = 1; i <= na; i++) s[a[i]] = 1; ok = (na == nb); for (i = 1; i <= nb; i++) if (!(b[i] in s)) ok = 0; if (ok) sameset++ } }
    END { printf "%d %d %d\n", same, sameset, total }'
}
sort -t '|' -k1,1 "$work/postgis-knn.txt" >"$work/a.sorted"
sort -t '|' -k1,1 "$work/postgis-sphere.txt" >"$work/b.sorted"
sort -t '|' -k1,1 "$work/api.txt" >"$work/c.sorted"
read -r api_same api_sameset api_total < <(compare "$work/a.sorted" "$work/c.sorted")
read -r sph_same sph_sameset sph_total < <(compare "$work/a.sorted" "$work/b.sorted")
join -t '|' "$work/a.sorted" "$work/c.sorted" | awk -F'|' '$2 != $3' >"$work/mismatches-api.txt"
rm -f "$work/a.sorted" "$work/b.sorted" "$work/c.sorted"
result_stats=$(awk -F'|' '{ n = ($2 == "") ? 0 : split($2, a, ","); c[n == 16 ? "full" : (n == 0 ? "empty" : "partial")]++; s += n }
  END { printf "%d with 16 results, %d with 1-15, %d with none; mean %.1f results per point", c["full"], c["partial"], c["empty"], s / NR }' "$work/postgis-knn.txt")
log "identical ordered lists PostGIS vs API: $api_same / $api_total"

# --- timing ---------------------------------------------------------------------------------------------------------------------
log "timing inside the server (plpgsql loop, 1 warm-up pass + 5 timed passes)"
sql -At >"$work/server-timing.txt" <<SQL
CREATE TEMP TABLE timing (pass int, qid int, us float8);
DO \$\$
DECLARE q record; t0 timestamptz; ids text[]; pass int;
BEGIN
  FOR pass IN 0..5 LOOP
    FOR q IN SELECT qid, p FROM qpoints ORDER BY qid LOOP
      t0 := clock_timestamp();
      ids := ARRAY(${knn_sql//PT/q.p});
      IF pass > 0 THEN INSERT INTO timing VALUES (pass, q.qid, extract(epoch FROM clock_timestamp() - t0) * 1e6); END IF;
    END LOOP;
  END LOOP;
END \$\$;
SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY us)::numeric, 1),
       round(avg(us)::numeric, 1), round(max(us)::numeric, 1), round((1e6 / avg(us))::numeric, 0) FROM timing;
SQL
read -r srv_n srv_p50 srv_p99 srv_mean srv_max srv_qps < <(tr '|' ' ' <"$work/server-timing.txt")

# Twice in one session: the first run pays for planning and a cold cache; the second one is the one shown.
explain="EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${knn_sql//PT/(SELECT p FROM qpoints WHERE qid = 1)};"
printf '\\o /dev/null\n%s\n\\o\n%s\n' "$explain" "$explain" | sql >"$work/plan.txt"

log "timing through libpq with pgbench (${seconds}s per run)"
mkdir -p "$work/pgbench"
if [ ${#run_as_pg[@]} -gt 0 ]; then chown postgres "$work/pgbench"; fi
cat >"$work/pgbench/knn.sql" <<SQL
\set i random(1, $points)
${knn_sql//PT/(SELECT p FROM qpoints WHERE qid = :i)};
SQL
chmod 644 "$work/pgbench/knn.sql"
pgbench_cmd1="pgbench -n -M prepared -f knn.sql -c 1 -j 1 -T $seconds -l --log-prefix=c1 $db"
pgbench_cmd2="pgbench -n -M prepared -f knn.sql -c 2 -j 2 -T $seconds $db"
(cd "$work/pgbench" && rm -f c1.* && "${run_as_pg[@]}" bash -c "$pgbench_cmd1" >"$work/pgbench-c1.txt" 2>&1) || { cat "$work/pgbench-c1.txt" >&2; die "pgbench failed"; }
(cd "$work/pgbench" && "${run_as_pg[@]}" bash -c "$pgbench_cmd2" >"$work/pgbench-c2.txt" 2>&1) || { cat "$work/pgbench-c2.txt" >&2; die "pgbench failed"; }
# transaction log: client_id transaction_no time(us) script_no time_epoch time_us
read -r cli_n cli_p50 cli_p99 cli_mean < <(cat "$work"/pgbench/c1.* | awk '{ print $3 }' | sort -n | awk '
  { v[NR] = $1; s += $1 } END { printf "%d %.1f %.1f %.1f\n", NR, v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1], s / NR }')
tps1=$(sed -nE 's/^tps = ([0-9]+).*/\1/p' "$work/pgbench-c1.txt" | head -1)
tps2=$(sed -nE 's/^tps = ([0-9]+).*/\1/p' "$work/pgbench-c2.txt" | head -1)

# --- RESULTS.md --------------------------------------------------------------------------------------------------------------------
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }'; }
{
  cat <<EOF
# PostGIS KNN baseline (nearest $limit cameras within $radius m, $exported cameras)

Written by \`$invocation\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Raw files (answers, mismatches, pgbench logs, plan) stay in
\`$work\`. The in-process index numbers to compare with are in [docs/benchmarks.md](../../docs/benchmarks.md).

## Results

| measure | PostGIS |
|---|---|
| identical ordered id lists, PostGIS KNN vs SafetyNet API (\`/api/v1/cameras/nearby\`) | **$api_same / $api_total ($(pct "$api_same" "$api_total") %)**; same set in another order: $api_sameset |
| identical ordered id lists, KNN \`<->\` vs explicit \`ORDER BY ST_Distance(g, p, false), id\` | $sph_same / $sph_total; same set in another order: $sph_sameset |
| query points | $api_total, uniform inside the 25 districts (ST_GeneratePoints, seed $point_seed): $result_stats |
| in-server, per query (plpgsql loop, $srv_n timed queries) | p50 **$srv_p50 µs**, p99 **$srv_p99 µs**, mean $srv_mean µs, max $srv_max µs (≈ $srv_qps queries/s on one core) |
| through libpq, 1 client (pgbench, prepared, Unix socket, $seconds s) | p50 **$cli_p50 µs**, p99 **$cli_p99 µs**, mean $cli_mean µs over $cli_n queries; $tps1 queries/s |
| through libpq, 2 clients (pgbench, prepared, $seconds s) | **$tps2 queries/s** |

pgbench's figures include its query of the point by id from \`qpoints\` (an InitPlan: a primary-key lookup, a few µs).

## The query

\`\`\`sql
-- PT = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography; cameras.geog geography(Point, 4326) with a GiST index
$knn_sql;
\`\`\`

**Distances.** SafetyNet measures on a sphere (haversine, R = 6,371,008.8 m). PostGIS geography measures on the WGS84
spheroid by default, so the radius filter passes \`use_spheroid = false\`: PostGIS then uses a sphere of its mean radius
6,371,008.771 m (a relative difference of 4.5e-9, micrometres at 500 m). The KNN operator \`<->\` on geography already
orders by sphere distance; the second row of the table checks that against an explicit \`ST_Distance(g, p, false)\` sort.

Plan for one point (EXPLAIN ANALYZE):

\`\`\`
$(cat "$work/plan.txt")
\`\`\`

## Machine

\`\`\`
nproc: $(nproc)
$(lscpu | grep -E '^(Model name|Architecture|CPU\(s\)|Thread|Core|Socket|L2|L3|CPU max MHz|Hypervisor)' )
memory: $(free -h | awk '/^Mem:/ { print $2 }')
$pg_version
$postgis_version
\`\`\`

Load average (1, 5, 15 min) when the run started: $load_at_start; when it ended: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: above 2, other work shared the machine).

## Commands

\`\`\`sh
$invocation
# PostGIS answers:   psql -d $db   (the query above for each row of qpoints)
# API answers:       curl "$base/api/v1/cameras/nearby?lat=LAT&lon=LON&radius=$radius&limit=$limit" -H "authorization: Bearer <operator session token>"
# in-server timing:  a plpgsql loop over qpoints, clock_timestamp() around each query, 1 warm-up pass + 5 timed passes
# (cd $work/pgbench && $pgbench_cmd1)   # latency: per-transaction log c1.*
# (cd $work/pgbench && $pgbench_cmd2)   # throughput
# with knn.sql:
$(cat "$work/pgbench/knn.sql")
\`\`\`
EOF
  if [ -s "$work/mismatches-api.txt" ]; then
    echo
    echo "## Differences (point | PostGIS | API), first 10"
    echo
    echo '```'
    head -n 10 "$work/mismatches-api.txt"
    echo '```'
  fi
} >"$results"
log "wrote $results"
echo "identical: $api_same/$api_total; in-server p50 ${srv_p50}us p99 ${srv_p99}us; libpq p50 ${cli_p50}us p99 ${cli_p99}us; ${tps1} q/s (1 client), ${tps2} q/s (2 clients)"
