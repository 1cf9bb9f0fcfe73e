#!/usr/bin/env bash
# Stops the nodes that start-local-cluster.sh started: SIGTERM (a graceful drain: each silo leaves membership and
# deactivates its grains, saving their state), then SIGKILL for any node still running after the timeout.
#
#   deploy/cluster/stop-local-cluster.sh [--node I]... [--kill] [--purge] [--drop-database] [--timeout SECONDS]
#
#   --node I         stop only node I (repeatable): scale in by one node, or take one node down for an upgrade
#   --kill           SIGKILL at once instead of a graceful drain (a crash drill: the survivors declare it dead)
#   --purge          also delete the state directory (binaries, logs, data directories, signing key, db password)
#   --drop-database  also drop the cluster's database (the role is kept)
#
# Environment: SAFETYNET_CLUSTER_DIR (/tmp/safetynet-cluster), SAFETYNET_DB_NAME (safetynet_local),
#              SAFETYNET_PSQL_ADMIN (runuser -u postgres -- psql, when root), SAFETYNET_STOP_TIMEOUT (45).
set -euo pipefail

state=${SAFETYNET_CLUSTER_DIR:-/tmp/safetynet-cluster}
timeout=${SAFETYNET_STOP_TIMEOUT:-45}
purge=0
drop_db=0
only=()
signal=TERM
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=1; shift ;;
    --drop-database) drop_db=1; shift ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    --node) only+=("${2:?--node needs a number}"); shift 2 ;;
    --kill) signal=KILL; shift ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if { [ "$purge" -eq 1 ] || [ "$drop_db" -eq 1 ]; } && [ ${#only[@]} -gt 0 ]; then
  echo "--purge and --drop-database apply to the whole cluster, not with --node" >&2
  exit 2
fi

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }

# Only pids recorded in our pid files, and only if they still run our node (the pid may have been reused).
is_our_node() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'SafetyNet.Silo.dll'; }

pids=()
pidfiles=()
if [ -d "$state" ]; then
  for pidfile in "$state"/node*/node.pid; do
    [ -f "$pidfile" ] || continue
    name=$(basename "$(dirname "$pidfile")")
    if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qx "${name#node}"; then continue; fi
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null && is_our_node "$pid"; then
      log "SIG$signal $name (pid $pid)"
      kill "-$signal" "$pid"
      pids+=("$pid")
      pidfiles+=("$pidfile")
    else
      rm -f "$pidfile"
    fi
  done
fi

if [ ${#pids[@]} -eq 0 ]; then
  log "no running node under $state"
else
  deadline=$((SECONDS + timeout))
  while [ $SECONDS -lt $deadline ]; do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid still running after ${timeout}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "${pidfiles[@]}"
  log "stopped ${#pids[@]} node(s)"
fi

if [ "$drop_db" -eq 1 ]; then
  db_name=${SAFETYNET_DB_NAME:-safetynet_local}
  # shellcheck source=psql-admin.sh
  source "$(dirname "${BASH_SOURCE[0]}")/psql-admin.sh"
  log "dropping database $db_name"
  "${psql_admin[@]}" -X -q -v ON_ERROR_STOP=1 -d postgres -v db_name="$db_name" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db_name') \gexec
SQL
fi

if [ "$purge" -eq 1 ] && [ -d "$state" ]; then
  case "$state" in
    /|/tmp|/root|/home|"$HOME") echo "refusing to purge '$state'" >&2; exit 1 ;;
  esac
  log "purging $state"
  rm -rf -- "$state"
fi
