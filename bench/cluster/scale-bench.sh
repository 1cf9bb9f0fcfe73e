#!/usr/bin/env bash
# Throughput of access decisions (each one audited) with 1 and with 3 silos on PostgreSQL on this machine, using the
# local cluster scripts and wrk on loopback, and a per-silo profile of each run, read from each node's /metrics
# (Prometheus) and /proc: CPU, lock contentions (System.Runtime), thread-pool queue length (max of 1 s samples),
# PostgreSQL commands and time (Npgsql's meter), Orleans messages and the most activated grain types.
# Every run is bounded (DURATION seconds per size). Prints markdown tables.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-20}
warmup=${WARMUP:-300}   # the most the warm-up (every node deciding once on every camera) may take
connections=${CONNECTIONS:-48}
threads=${THREADS:-12}   # operator sessions in all; divisible by 1 and 3
sizes=${SIZES:-"1 3"}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)" >&2; exit 1; }
export SAFETYNET_APP_DIR=${SAFETYNET_APP_DIR:-/tmp/safetynet-scale-app}
build_flag=${NO_BUILD:+--no-build}   # NO_BUILD=1 reuses the binaries already published into SAFETYNET_APP_DIR
keep=${KEEP_METRICS:-}   # a directory: each run's /metrics of every silo, before and after, are kept there (size-N/before-I, after-I)

# Sum of every series of the metrics whose name matches the regex, in a Prometheus text file.
metric() { awk -v re="$2" '$1 !~ /^#/ { name = $1; sub(/\{.*/, "", name); if (name ~ re) s += $NF } END { printf "%.3f", s + 0 }' "$1"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

summary="| silos | sessions | warm-up: every node decides on 25,000 cameras (s) | requests/s (sum) | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|---|\n"
profile="| silos | silo | CPU cores | lock contentions/s | thread-pool queue max | PG commands/s | PG ms per command | Orleans msgs received/s | top grain activations |\n|---|---|---|---|---|---|---|---|---|\n"
for size in $sizes; do
  export SAFETYNET_CLUSTER_DIR=/tmp/safetynet-scale-$size SAFETYNET_DB_NAME=safetynet_scale_$size SAFETYNET_DEMO_CAMERAS=68000
  # The nodes inherit this environment: lift the per-client rate limit (appsettings.json: 200/s) that would cap wrk.
  export Api__RateLimitPerSecond=0 AuditRateLimit__Burst=0
  deploy/cluster/stop-local-cluster.sh --purge --drop-database >/dev/null 2>&1 || true
  deploy/cluster/start-local-cluster.sh -n "$size" $build_flag >/dev/null
  build_flag="--no-build"
  token=$(curl -s -X POST http://127.0.0.1:8080/api/v1/auth/token -H 'content-type: application/json' \
    -d '{"agencyId":"seoul-112","operatorId":"bench","role":"operator"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  # One token per line: the API's JSON has no trailing newline, and without one the tokens ran together into one
  # malformed token, so every request was a 401 (counted by the non-2xx column, which now reads the right field).
  # Each session is started through the node whose wrk will use it, as a console behind a load balancer that keeps a
  # client on one node (the session grain lives where it was started).
  tokens=$(for t in $(seq 1 "$threads"); do
    curl -s -X POST "http://127.0.0.1:$((8080 + (t - 1) / (threads / size)))/api/v1/sessions" -H "authorization: Bearer $token" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
    echo
  done | grep -v '^$' | paste -sd,)
  [ "$(tr ',' '\n' <<<"$tokens" | grep -c '^eyJ')" -eq "$threads" ] || { echo "could not start $threads operator sessions" >&2; exit 1; }
  # Warm-up, not recorded: every node decides once on every camera the run picks from (25,000), so that the timed run
  # measures warm decisions at every size. A warm-up by time was unfair to the slower-starting size: after 20 s, three
  # silos were still mostly activating cameras, and the run measured that. A warm-up that touched each camera from one
  # node only left the other nodes' directory caches cold: a third of the timed decisions then asked another silo where
  # their camera lived. The warm-up is timed and reported on its own.
  # Each node's wrk gets its own share of the sessions (wrk numbers its threads from 1 in every process, so with the
  # whole list every node would use the same first sessions, and a session answers one request at a time).
  per_node=$((threads / size))
  share() { tr ',' '\n' <<<"$tokens" | sed -n "$(( ($1 - 1) * per_node + 1 )),$(( $1 * per_node ))p" | paste -sd,; }
  warm_started=$(date +%s.%N)
  done_dir=$(mktemp -d)
  for i in $(seq 1 "$size"); do
    DONE_DIR=$done_dir TOKENS=$(share "$i") NODE=$i wrk -t"$per_node" -c$((connections / size)) -d"${warmup}s" \
      -s bench/cluster/warm.lua "http://127.0.0.1:$((8079 + i))" >/dev/null 2>&1 &
  done
  until [ "$(ls "$done_dir" | wc -l)" -ge "$threads" ] || ! pgrep -x wrk >/dev/null; do sleep 0.2; done
  pkill -x wrk || true
  wait
  [ "$(ls "$done_dir" | wc -l)" -ge "$threads" ] || { echo "the warm-up did not touch every camera within ${warmup} s" >&2; exit 1; }
  rm -rf "$done_dir"
  warm_seconds=$(awk -v a="$(date +%s.%N)" -v b="$warm_started" 'BEGIN { printf "%.1f", a - b }')
  probe=$(mktemp -d)
  for i in $(seq 1 "$size"); do
    curl -s "http://127.0.0.1:$((8079 + i))/metrics" >"$probe/before-$i"
    ticks "$(cat "$SAFETYNET_CLUSTER_DIR/node$i/node.pid")" >"$probe/ticks-$i"
  done
  logs=()
  for i in $(seq 1 "$size"); do
    log=$(mktemp); logs+=("$log")
    TOKENS=$(share "$i") wrk -t"$per_node" -c$((connections / size)) -d"${duration}s" --latency -s bench/cluster/access.lua "http://127.0.0.1:$((8079 + i))" >"$log" 2>&1 &
  done
  for s in $(seq 1 "$duration"); do
    sleep 1
    for i in $(seq 1 "$size"); do
      curl -s -m 1 "http://127.0.0.1:$((8079 + i))/metrics" | awk '$1 ~ /^dotnet_thread_pool_queue_length/ { print $NF }' >>"$probe/queue-$i" || true
    done
  done
  wait
  for i in $(seq 1 "$size"); do
    pid=$(cat "$SAFETYNET_CLUSTER_DIR/node$i/node.pid")
    curl -s "http://127.0.0.1:$((8079 + i))/metrics" >"$probe/after-$i"
    cores=$(awk -v a="$(ticks "$pid")" -v b="$(cat "$probe/ticks-$i")" -v d="$duration" 'BEGIN { printf "%.2f", (a - b) / 100 / d }')
    delta() { awk -v a="$(metric "$probe/after-$i" "$1")" -v b="$(metric "$probe/before-$i" "$1")" 'BEGIN { printf "%.3f", a - b }'; }
    locks=$(awk -v x="$(delta 'lock_contention')" -v d="$duration" 'BEGIN { printf "%.0f", x / d }')
    queue=$(sort -n "$probe/queue-$i" 2>/dev/null | tail -1); queue=${queue:-n/a}
    pg_count=$(delta '^db_client_(commands|operation)_duration.*_count$')
    pg_sum=$(delta '^db_client_(commands|operation)_duration.*_sum$')
    pg=$(awk -v c="$pg_count" -v s="$pg_sum" -v d="$duration" 'BEGIN { printf "%.0f | %.2f", c / d, (c > 0 ? s * 1000 / c : 0) }')
    msgs=$(awk -v x="$(delta '^orleans_messaging_received_messages_size_bytes_count$')" -v d="$duration" 'BEGIN { printf "%.0f", x / d }')
    grains=$(awk '$1 ~ /^orleans_grains\{/ { match($1, /type="[^"]*"/); t = substr($1, RSTART + 6, RLENGTH - 7); n = split(t, p, "."); print $NF, p[n] }' "$probe/after-$i" \
      | sort -rn | head -3 | awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1 }')
    profile+="| $size | $i | $cores | $locks | $queue | $pg | $msgs | ${grains:-n/a} |\n"
  done
  rps=$(cat "${logs[@]}" | awk '/Requests\/sec/ {s+=$2} END {printf "%.0f", s}')
  p50=$(cat "${logs[@]}" | awk '$1 == "50%" {print $2}' | paste -sd/)
  p99=$(cat "${logs[@]}" | awk '$1 == "99%" {print $2}' | paste -sd/)
  errors=$(cat "${logs[@]}" | awk '/Non-2xx/ {s+=$NF} END {print s+0}')
  summary+="| $size | $threads | $warm_seconds | $rps | $p50 | $p99 | $errors |\n"
  deploy/cluster/stop-local-cluster.sh --purge --drop-database >/dev/null 2>&1 || true
  if [ -n "$keep" ]; then mkdir -p "$keep/size-$size"; cp "$probe"/before-* "$probe"/after-* "$keep/size-$size/"; fi
  rm -rf "$probe" "${logs[@]}"
done
printf "%b\n" "$summary"
printf "Per silo, over the %s s run (PG = PostgreSQL through Npgsql):\n\n%b" "$duration" "$profile"
