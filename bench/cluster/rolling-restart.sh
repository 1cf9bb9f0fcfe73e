#!/usr/bin/env bash
# An on-call engineer's rolling restart, measured: three local nodes on PostgreSQL behind HAProxy (routing only to nodes
# whose /health/ready answers 200, checked every second, out after two failures, never retrying a request elsewhere, as a
# Kubernetes Service does not), operator consoles deciding on random cameras through it with wrk, and each node stopped
# (SIGTERM, stop-local-cluster.sh --node) and started again in turn. Prints wrk's summary, every status the consoles got,
# the first 5xx bodies, and each node's log lines for the requests it refused or failed. Bounded: DURATION seconds of load.
#
#   bench/cluster/rolling-restart.sh            # needs wrk and haproxy (apt-get install -y wrk haproxy) and PostgreSQL
#   NO_BUILD=1 bench/cluster/rolling-restart.sh # reuse the binaries already published into SAFETYNET_APP_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in wrk haproxy; do command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install -y wrk haproxy)" >&2; exit 1; }; done
duration=${DURATION:-150}
consoles=${CONSOLES:-4}
lb_port=${LB_PORT:-9000}
export SAFETYNET_CLUSTER_DIR=${SAFETYNET_CLUSTER_DIR:-/tmp/safetynet-rolling} SAFETYNET_DB_NAME=${SAFETYNET_DB_NAME:-safetynet_rolling}
export SAFETYNET_APP_DIR=${SAFETYNET_APP_DIR:-/tmp/safetynet-rolling-app}
export Api__RateLimitPerSecond=0 AuditRateLimit__Burst=0
work=$(mktemp -d)
cleanup() {
  [ -f "$work/haproxy.pid" ] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null || true
  deploy/cluster/stop-local-cluster.sh --purge --drop-database >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
deploy/cluster/stop-local-cluster.sh --purge --drop-database >/dev/null 2>&1 || true
deploy/cluster/start-local-cluster.sh -n 3 ${NO_BUILD:+--no-build} --cameras 2000 >"$work/start.log" 2>&1 || { tail -20 "$work/start.log" >&2; exit 1; }
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 0
frontend consoles
  bind 127.0.0.1:$lb_port
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /health/ready
  default-server inter 1s fall 2 rise 2
  server node1 127.0.0.1:8080 check
  server node2 127.0.0.1:8081 check
  server node3 127.0.0.1:8082 check
CFG
haproxy -D -p "$work/haproxy.pid" -f "$work/haproxy.cfg"
lb=http://127.0.0.1:$lb_port
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$lb/health/ready")" = 200 ]; do sleep 0.5; done
token=$(curl -s -X POST "$lb/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"agencyId":"seoul-112","operatorId":"rolling","role":"operator"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
tokens=$(for _ in $(seq 1 "$consoles"); do
  curl -s -X POST "$lb/api/v1/sessions" -H "authorization: Bearer $token" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'; echo
done | grep '^eyJ' | paste -sd,)
[ "$(tr ',' '\n' <<<"$tokens" | grep -c .)" -eq "$consoles" ] || { echo "could not start $consoles operator sessions" >&2; exit 1; }
TOKENS=$tokens CAMERAS_PER_DISTRICT=30 wrk -t"$consoles" -c"$consoles" -d"${duration}s" --latency -s bench/cluster/statuses.lua "$lb" >"$work/wrk.log" 2>&1 &
wrk_pid=$!
sleep 10
for n in 1 2 3; do
  echo "$(date -u +%T) restarting node $n"
  deploy/cluster/stop-local-cluster.sh --node "$n" | tail -1
  deploy/cluster/start-local-cluster.sh --join 1 | grep -m1 "ready" || true
  sleep 10
done
wait "$wrk_pid"
cat "$work/wrk.log"
echo "Read-only grain calls sent again, per node since its own restart:"
for n in 1 2 3; do
  echo "  node $n: $(curl -s "http://127.0.0.1:$((8079 + n))/metrics" | grep '^safetynet_grain_calls_resent_total' | sed -E 's/.*outcome="([a-z]+)".* ([0-9.]+)$/\1 \2/' | paste -sd, || true)"
done
echo "Refused or failed on the nodes:"
grep -h "Refused /api\|Unhandled fault" "$SAFETYNET_CLUSTER_DIR"/node*/node.log | sed -E 's/ => SpanId.*RequestPath:[^ ]+ RequestId:[^ ]+//' | cut -c1-400 || echo "  none"
