#!/usr/bin/env bash
# Starts an N-node SafetyNet cluster on loopback, backed by a local PostgreSQL.
#
#   deploy/cluster/start-local-cluster.sh [-n N] [--no-build] [--cameras COUNT]
#   deploy/cluster/start-local-cluster.sh --join K        (scale out: K more nodes join the running cluster)
#
# Node i (1..N) gets silo port 11110+i, gateway port 29999+i, HTTP port 8079+i (so 11111/30000/8080 for node 1),
# its own data directory, log file and pid file under the state directory. Only node 1 seeds the demo city.
# All nodes share one random signing key, generated once and kept in the state directory.
# --join starts the lowest-numbered nodes that are not running (so it also restarts a node that was stopped).
# Stop with deploy/cluster/stop-local-cluster.sh [--node I] [--kill] [--purge].
#
# Environment (all optional):
#   SAFETYNET_CLUSTER_DIR     state directory                        (/tmp/safetynet-cluster)
#   SAFETYNET_NODES           node count, same as -n                 (3)
#   SAFETYNET_DB_NAME         database                               (safetynet_local)
#   SAFETYNET_DB_USER         role the nodes connect as              (safetynet)
#   SAFETYNET_DB_PASSWORD     its password                           (generated into the state directory)
#   SAFETYNET_PG_HOST/PORT    PostgreSQL TCP endpoint for the nodes  (127.0.0.1 / 5432)
#   SAFETYNET_PSQL_ADMIN      command that runs psql as a superuser  (runuser -u postgres -- psql, when root)
#   SAFETYNET_SILO_PORT_BASE / SAFETYNET_GATEWAY_PORT_BASE / SAFETYNET_HTTP_PORT_BASE   (11110 / 29999 / 8079)
#   SAFETYNET_DEMO_CAMERAS    demo cameras seeded by node 1          (68000)
#   SAFETYNET_DISTRICTS       district boundaries GeoJSON            (../shared/data/seoul-districts.geojson, if present)
#   SAFETYNET_APP_DIR         published node binaries to run         ($SAFETYNET_CLUSTER_DIR/app; another folder = an upgrade)
#   SAFETYNET_READY_TIMEOUT   seconds to wait for each node's /health/ready   (240)
#   SAFETYNET_CLUSTER_ID / SAFETYNET_SERVICE_ID                      (local / safetynet)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${SAFETYNET_CLUSTER_DIR:-/tmp/safetynet-cluster}
nodes=${SAFETYNET_NODES:-3}
build=1
cameras=${SAFETYNET_DEMO_CAMERAS:-68000}

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
join=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n|--nodes) nodes=${2:?-n needs a number}; shift 2 ;;
    --no-build) build=0; shift ;;
    --join) join=${2:?--join needs a number}; build=0; shift 2 ;;
    --cameras) cameras=${2:?--cameras needs a number}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$nodes" in ''|*[!0-9]*) echo "node count must be a positive number, not '$nodes'" >&2; exit 2 ;; esac
[ "$nodes" -ge 1 ] || { echo "node count must be at least 1" >&2; exit 2; }
case "$join" in ''|*[!0-9]*) echo "--join needs a positive number, not '$join'" >&2; exit 2 ;; esac

db_name=${SAFETYNET_DB_NAME:-safetynet_local}
db_user=${SAFETYNET_DB_USER:-safetynet}
pg_host=${SAFETYNET_PG_HOST:-127.0.0.1}
pg_port=${SAFETYNET_PG_PORT:-5432}
silo_base=${SAFETYNET_SILO_PORT_BASE:-11110}
gateway_base=${SAFETYNET_GATEWAY_PORT_BASE:-29999}
http_base=${SAFETYNET_HTTP_PORT_BASE:-8079}
ready_timeout=${SAFETYNET_READY_TIMEOUT:-240}
cluster_id=${SAFETYNET_CLUSTER_ID:-local}
service_id=${SAFETYNET_SERVICE_ID:-safetynet}
districts=${SAFETYNET_DISTRICTS:-$repo/../shared/data/seoul-districts.geojson}
if [ -f "$districts" ]; then districts=$(cd "$(dirname "$districts")" && pwd)/$(basename "$districts"); else
  echo "note: no district boundaries at '$districts'; demo cameras are placed by district centroid and area" >&2
  districts=""
fi

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }
die() { printf 'start-local-cluster: %s\n' "$*" >&2; exit 1; }

[[ "$db_name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "SAFETYNET_DB_NAME must be a plain lower-case identifier"
[[ "$db_user" =~ ^[a-z_][a-z0-9_]*$ ]] || die "SAFETYNET_DB_USER must be a plain lower-case identifier"
command -v dotnet >/dev/null || die "dotnet is not on PATH"
command -v curl >/dev/null || die "curl is not on PATH"
command -v psql >/dev/null || die "psql is not on PATH (apt-get install postgresql-client)"

mkdir -p "$state"
chmod 700 "$state"

# Which nodes of this state directory run now (by their pid files)?
running=()
for pidfile in "$state"/node*/node.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  i=$(basename "$(dirname "$pidfile")"); i=${i#node}
  if kill -0 "$pid" 2>/dev/null; then running+=("$i"); else rm -f "$pidfile"; fi
done
if [ "$join" -eq 0 ] && [ ${#running[@]} -gt 0 ]; then
  die "node(s) ${running[*]} from $state are still running; stop them first with deploy/cluster/stop-local-cluster.sh, or add nodes with --join K"
fi
if [ "$join" -gt 0 ] && [ ${#running[@]} -eq 0 ]; then
  die "--join needs a running cluster in $state; start one first"
fi

# --- PostgreSQL --------------------------------------------------------------------------------------------------
# shellcheck source=psql-admin.sh
source "$repo/deploy/cluster/psql-admin.sh"

if ! pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v pg_lsclusters >/dev/null; then
    version_cluster=$(pg_lsclusters --no-header | awk -v p="$pg_port" '$3 == p { print $1, $2; exit }')
    if [ -n "$version_cluster" ]; then
      log "starting PostgreSQL cluster $version_cluster"
      # shellcheck disable=SC2086 # two words on purpose: version and cluster name
      pg_ctlcluster $version_cluster start
    fi
  fi
  for _ in $(seq 1 30); do pg_isready -q -h "$pg_host" -p "$pg_port" && break; sleep 1; done
  pg_isready -q -h "$pg_host" -p "$pg_port" || die "PostgreSQL does not answer on $pg_host:$pg_port"
fi

if [ -n "${SAFETYNET_DB_PASSWORD:-}" ]; then
  db_password=$SAFETYNET_DB_PASSWORD
elif [ -f "$state/db.password" ]; then
  db_password=$(cat "$state/db.password")
else
  db_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  (umask 077 && printf '%s\n' "$db_password" >"$state/db.password")
fi

log "database $db_name, role $db_user (created if missing)"
# Role and database are created only when missing; the password is (re)set every time so that it matches the state dir.
"${psql_admin[@]}" -X -q -v ON_ERROR_STOP=1 -d postgres \
  -v db_user="$db_user" -v db_password="$db_password" >/dev/null <<'SQL' || die "could not create or update the role (psql as superuser failed)"
SELECT format('CREATE ROLE %I LOGIN', :'db_user')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'db_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'db_user', :'db_password') \gexec
SQL
"${psql_admin[@]}" -X -q -v ON_ERROR_STOP=1 -d postgres \
  -v db_user="$db_user" -v db_name="$db_name" >/dev/null <<'SQL' || die "could not create the database (psql as superuser failed)"
SELECT format('CREATE DATABASE %I OWNER %I', :'db_name', :'db_user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db_name') \gexec
SQL

connection="Host=$pg_host;Port=$pg_port;Database=$db_name;Username=$db_user;Password=$db_password"

# --- the node binaries (published once into the state directory, so a rebuild of the repo cannot change them under running nodes)
app=${SAFETYNET_APP_DIR:-$state/app}
if [ "$build" -eq 1 ] || [ ! -f "$app/SafetyNet.Silo.dll" ]; then
  log "publishing silo (Release) into $app"
  if ! dotnet publish "$repo/silo/SafetyNet.Silo.csproj" -c Release -o "$app" --nologo -v quiet >"$state/publish.log" 2>&1; then
    tail -n 40 "$state/publish.log" >&2
    die "dotnet publish failed; full log in $state/publish.log"
  fi
fi

# --- the shared signing key ---------------------------------------------------------------------------------------
if [ ! -s "$state/signing.key" ]; then
  (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$state/signing.key")
fi
signing_key=$(cat "$state/signing.key")
# The state sealing key: every node must hold the same one (a node on PostgreSQL creates none of its own).
if [ ! -s "$state/state-seal.key" ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 -w0 >"$state/state-seal.key")
fi

# --- nodes -----------------------------------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_node() {
  local i=$1 dir="$state/node$1"
  local silo=$((silo_base + i)) gateway=$((gateway_base + i)) http=$((http_base + i))
  for p in "$silo" "$gateway" "$http"; do
    port_free "$p" || die "node $i: port $p on 127.0.0.1 is already in use"
  done
  mkdir -p "$dir/data"
  local seed=false
  [ "$i" -eq 1 ] && seed=true
  log "node $i: silo $silo, gateway $gateway, http http://127.0.0.1:$http, seed=$seed"
  (
    cd "$dir"
    export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    export Cluster__Provider=Postgres
    export ConnectionStrings__SafetyNet="$connection"
    export Cluster__SiloPort="$silo" Cluster__GatewayPort="$gateway"
    export Cluster__ClusterId="$cluster_id" Cluster__ServiceId="$service_id"
    export Cluster__AdvertisedAddress=127.0.0.1
    export Cluster__PublicBaseUrl="http://127.0.0.1:$http"
    export Storage__DataDirectory="$dir/data"
    export Demo__Seed="$seed" Demo__Cameras="$cameras" Demo__DistrictBoundaries="$districts"
    export Auth__SigningKey="$signing_key"
    export StateSeal__KeyPath="$state/state-seal.key"
    # The nodes share this machine's cores: server GC would give each a heap and a spinning GC thread per core, and the
    # nodes would preempt each other's collections. Workstation GC unless the caller chose otherwise.
    export DOTNET_gcServer="${DOTNET_gcServer:-0}"
    # A local try-out cluster mints development tokens (POST /api/v1/auth/token); production uses an issuer (Auth__Authority).
    if [ -z "${Auth__Authority:-}" ]; then export Auth__DevelopmentTokens="${Auth__DevelopmentTokens:-true}"; fi
    # appsettings.json comes from the binaries (content root); relative paths resolve against the node directory.
    exec setsid dotnet "$app/SafetyNet.Silo.dll" --contentRoot "$app" --urls "http://127.0.0.1:$http" >>"$dir/node.log" 2>&1 </dev/null
  ) &
  echo $! >"$dir/node.pid"
  echo "$http" >"$dir/http.port"
}

# Waits until node i answers Healthy (or Degraded: ready, but its context layers failed to read back) on /health/ready;
# on timeout or exit prints the log tail and fails.
wait_ready() {
  local i=$1 dir="$state/node$1" deadline=$((SECONDS + ready_timeout)) body=""
  local http pid
  http=$(cat "$dir/http.port")
  pid=$(cat "$dir/node.pid")
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "---- node $i exited; last lines of $dir/node.log:" >&2
      tail -n 40 "$dir/node.log" >&2
      die "node $i (pid $pid) exited before it became ready"
    fi
    body=$(curl -s -m 5 "http://127.0.0.1:$http/health/ready" || true)
    case "$body" in
      '{"status":"Healthy"'*) log "node $i ready: $body"; return 0 ;;
      '{"status":"Degraded"'*) log "node $i ready, degraded: $body"; return 0 ;;
    esac
    sleep 1
  done
  echo "---- node $i not ready after ${ready_timeout}s; last answer: ${body:-<none>}; last lines of $dir/node.log:" >&2
  tail -n 40 "$dir/node.log" >&2
  die "node $i did not become ready within ${ready_timeout}s (it is left running; stop-local-cluster.sh stops it)"
}

is_running() { local r; for r in "${running[@]}"; do [ "$r" = "$1" ] && return 0; done; return 1; }

if [ "$join" -eq 0 ]; then
  # Node 1 first: it applies the schema and seeds the demo city; the others join once it is ready.
  start_node 1
  wait_ready 1
  for i in $(seq 2 "$nodes"); do start_node "$i"; done
  for i in $(seq 2 "$nodes"); do wait_ready "$i"; done
  mapfile -t running < <(seq 1 "$nodes")
else
  # Scale out: the lowest-numbered nodes that are not running.
  added=()
  for i in $(seq 1 $((${#running[@]} + join))); do
    [ ${#added[@]} -ge "$join" ] && break
    is_running "$i" || added+=("$i")
  done
  for i in "${added[@]}"; do start_node "$i"; done
  for i in "${added[@]}"; do wait_ready "$i"; done
  mapfile -t running < <(printf '%s\n' "${running[@]}" "${added[@]}" | sort -n)
fi
nodes=${#running[@]}

# Every node should now see all N silos as active (membership converges within a few seconds).
deadline=$((SECONDS + 60))
while :; do
  all=1
  for i in "${running[@]}"; do
    body=$(curl -s -m 5 "http://127.0.0.1:$(cat "$state/node$i/http.port")/health/ready" || true)
    [[ "$body" == *"\"activeSilos\":$nodes,"* || "$body" == *"\"activeSilos\":$nodes}"* ]] || all=0
  done
  [ "$all" -eq 1 ] && break
  if [ $SECONDS -ge $deadline ]; then
    echo "membership did not converge to $nodes active silos within 60 s; last answer from node $i: $body" >&2
    exit 1
  fi
  sleep 1
done

cat >"$state/cluster.env" <<EOF
# written by start-local-cluster.sh
SAFETYNET_NODES=$nodes
SAFETYNET_CLUSTER_URLS="$(for i in "${running[@]}"; do printf 'http://127.0.0.1:%s ' "$(cat "$state/node$i/http.port")"; done | sed 's/ $//')"
SAFETYNET_CONNECTION="$connection"
EOF
chmod 600 "$state/cluster.env"

log "cluster of $nodes node(s) is up, every node sees $nodes active silo(s)"
for i in "${running[@]}"; do
  echo "  node $i: http://127.0.0.1:$(cat "$state/node$i/http.port")  pid $(cat "$state/node$i/node.pid")  log $state/node$i/node.log"
done
echo "  database: $db_name on $pg_host:$pg_port (role $db_user; password in $state/db.password)"
echo "  stop: $repo/deploy/cluster/stop-local-cluster.sh [--purge]"
