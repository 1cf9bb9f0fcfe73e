#!/usr/bin/env bash
# Throughput of access decisions (each one audited) with 1 and with 3 silos on this machine, using the local cluster
# scripts and wrk on loopback. Every run is bounded (DURATION seconds per size). Prints one markdown row per size.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-20}
connections=${CONNECTIONS:-48}
threads=${THREADS:-12}   # operator sessions in all; divisible by 1 and 3
command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)" >&2; exit 1; }

echo "| silos | requests/s (sum) | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
for size in 1 3; do
  export SAFETYNET_CLUSTER_DIR=/tmp/safetynet-scale-$size SAFETYNET_DB_NAME=safetynet_scale_$size SAFETYNET_DEMO_CAMERAS=68000
  # The nodes inherit this environment: lift the per-client rate limit (appsettings.json: 200/s) that would cap wrk.
  export Api__RateLimitPerSecond=0 AuditRateLimit__Burst=0
  deploy/cluster/stop-local-cluster.sh --purge --drop-database >/dev/null 2>&1 || true
  deploy/cluster/start-local-cluster.sh -n "$size" >/dev/null
  token=$(curl -s -X POST http://127.0.0.1:8080/api/v1/auth/token -H 'content-type: application/json' \
    -d '{"agencyId":"seoul-112","operatorId":"bench","role":"operator"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  tokens=$(for t in $(seq 1 "$threads"); do
    curl -s -X POST http://127.0.0.1:8080/api/v1/sessions -H "authorization: Bearer $token" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
  done | paste -sd,)
  logs=()
  for i in $(seq 1 "$size"); do
    log=$(mktemp); logs+=("$log")
    TOKENS=$tokens wrk -t$((threads / size)) -c$((connections / size)) -d"${duration}s" --latency -s bench/cluster/access.lua "http://127.0.0.1:$((8079 + i))" >"$log" 2>&1 &
  done
  wait
  rps=$(cat "${logs[@]}" | awk '/Requests\/sec/ {s+=$2} END {printf "%.0f", s}')
  p50=$(cat "${logs[@]}" | awk '$1 == "50%" {print $2}' | paste -sd/)
  p99=$(cat "${logs[@]}" | awk '$1 == "99%" {print $2}' | paste -sd/)
  errors=$(cat "${logs[@]}" | awk '/Non-2xx/ {s+=$4} END {print s+0}')
  echo "| $size | $rps | $p50 | $p99 | $errors |"
  deploy/cluster/stop-local-cluster.sh --purge --drop-database >/dev/null 2>&1 || true
done
