#!/usr/bin/env bash
# make cluster: a private PostgreSQL (Debian's binaries) and three hosts on 127.0.0.1:8081–8083,
# all on one database and one shared directory, until Ctrl-C. Builds nothing (make cluster builds first).
#   scripts/cluster.sh           run until Ctrl-C; the database and the tasks stay in target/cluster
#   scripts/cluster.sh --check   start, run the README's example across the nodes, stop (make test runs it)
# Settings: CLUSTER_DIR (target/cluster), CLUSTER_PORT (8081: the first host's port), CLUSTER_PG_PORT (54329),
# SKILLHOST_PG_BIN (the newest /usr/lib/postgresql/N/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1
dir=${CLUSTER_DIR:-target/cluster}
port0=${CLUSTER_PORT:-8081}
pgport=${CLUSTER_PG_PORT:-54329}
jar=host/target/skillhost-host-0.1.0.jar
[ -f "$jar" ] || { echo "no $jar: run make build first" >&2; exit 1; }
bin=${SKILLHOST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "PostgreSQL's server is not installed (apt-get install postgresql), or set SKILLHOST_PG_BIN" >&2; exit 1; }
mkdir -p "$dir/shared"
dir=$(cd "$dir" && pwd)
pg=$dir/pg

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user the Debian package made.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
  pg=$(mktemp -d /tmp/skillhost-cluster-pg.XXXXXX)  # a parent of $dir is closed to the postgres user
  echo "postgres cannot enter $dir; its database is in $pg"
fi
if [ ! -f "$pg/data/PG_VERSION" ]; then
  mkdir -p "$pg"
  [ "$(id -u)" = 0 ] && chown postgres "$pg"
  as_pg "$bin/initdb" -D "$pg/data" -A trust -U skillhost -E UTF8 >"$pg/initdb.log" 2>&1 \
    || { cat "$pg/initdb.log" >&2; exit 1; }
fi
as_pg "$bin/pg_ctl" -D "$pg/data" -w -l "$pg/log" \
  -o "-p $pgport -k $pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
  || { tail -20 "$pg/log" >&2; exit 1; }
pids=()
stop() {
  trap - INT TERM EXIT
  set +e
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null
    wait "${pids[@]}" 2>/dev/null
  fi
  as_pg "$bin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true
  echo "stopped"
}
trap stop INT TERM EXIT
"$bin/psql" -h 127.0.0.1 -p "$pgport" -U skillhost -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'skillhost'" \
  | grep -q 1 || "$bin/createdb" -h 127.0.0.1 -p "$pgport" -U skillhost skillhost
url=postgres://skillhost@127.0.0.1:$pgport/skillhost

# One API key for every host, in the shared directory where they all read it.
if [ ! -s "$dir/shared/api-keys" ]; then
  (umask 077; { echo "# Skillhost API keys, one per line. Keep this file private."
    echo "sk_$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; } >"$dir/shared/api-keys")
fi
KEY=$(grep -v '^#' "$dir/shared/api-keys" | head -1)

for i in 1 2 3; do
  node=$dir/node$i
  scripts/install-plugins.sh "$node/plugins" >/dev/null
  SKILLHOST_DATA_DIR=$node SKILLHOST_HTTP_PORT=$((port0 + i - 1)) SKILLHOST_STORE_URL=$url \
    SKILLHOST_SHARED_DIR=$dir/shared java -Xmx512m -jar "$jar" serve >"$node/host.log" 2>&1 &
  pids+=($!)
done
for i in 1 2 3; do
  up=0
  for _ in $(seq 900); do  # up to 90 s: three JVMs start at once on a small machine
    curl -sf "http://127.0.0.1:$((port0 + i - 1))/v1/health" >/dev/null && { up=1; break; }
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || break
    sleep 0.1
  done
  [ $up = 1 ] || { echo "host $i did not start:" >&2; tail -20 "$dir/node$i/host.log" >&2; exit 1; }
done

echo "PostgreSQL: $url (data in $pg)"
echo "shared dir: $dir/shared"
for i in 1 2 3; do echo "host $i:     http://127.0.0.1:$((port0 + i - 1))  (log $dir/node$i/host.log)"; done
echo "API key:    $KEY"

if [ $check = 0 ]; then
  echo "Ctrl-C stops them all."
  wait
  exit 0
fi

# --check: the README's example, as written there (a task submitted to host 1, followed on host 3, read on host 2).
B1=http://127.0.0.1:$port0; B2=http://127.0.0.1:$((port0 + 1)); B3=http://127.0.0.1:$((port0 + 2))
KEY=$(grep -v '^#' "$dir/shared/api-keys" | head -1)
TASK=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"provider":"sim","operation":"t2v","params":{"duration_ms":2000}}' $B1/v1/tasks | sed -E 's/^\{"id":"([^"]+)".*/\1/')
case "$TASK" in t_*) ;; *) echo "check: host 1 did not take the task: $TASK" >&2; exit 1 ;; esac
curl -sN -H "Authorization: Bearer $KEY" $B3/v1/tasks/$TASK/events | sed -n 's/^data: //p' | tee "$dir/check-events"
curl -s -H "Authorization: Bearer $KEY" $B2/v1/tasks/$TASK | tee "$dir/check-task"; echo
grep -q '"state":"succeeded"' "$dir/check-task" || { echo "check: the task did not succeed on host 2" >&2; exit 1; }
seqs=$(sed -nE 's/.*"seq":([0-9]+).*/\1/p' "$dir/check-events" | tr '\n' ' ')
[ "$seqs" = "$(seq -s ' ' 1 "$(wc -l <"$dir/check-events")") " ] && grep -q '"state":"succeeded"' "$dir/check-events" \
  || { echo "check: host 3 streamed '$seqs', not 1..n to the end" >&2; exit 1; }
echo "check: ok (submitted on host 1, streamed on host 3, read on host 2)"
