#!/usr/bin/env bash
# make demo: starts a host on a free port with a throw-away data directory, then runs the
# README's examples against it, exactly as written there, and stops the host.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=${DEMO_PORT:-$(( 20000 + RANDOM % 20000 ))}
scripts/install-plugins.sh "$data/plugins" >/dev/null
SKILLHOST_DATA_DIR="$data" SKILLHOST_HTTP_PORT="$port" java -jar host/target/skillhost-host-0.1.0.jar serve \
  >"$data/host.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null && break
  sleep 0.1
done
BASE=http://127.0.0.1:$port
KEY=$(grep -v '^#' "$data/api-keys" | head -1)
echo "host up at $BASE (data in $data)"

echo; echo "== submit a simulated text-to-video task"
TASK=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"provider":"sim","operation":"t2v","params":{"duration_ms":3000}}' \
  $BASE/v1/tasks | sed -E 's/^\{"id":"([^"]+)".*/\1/')
echo "task $TASK"

echo; echo "== follow its events to the end (SSE)"
curl -sN -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$TASK/events

echo; echo "== the finished task"
curl -s -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$TASK; echo

echo; echo "== upload an image, then animate it"
FILE=$(curl -s -H "Authorization: Bearer $KEY" -F file=@samples/photo.png $BASE/v1/uploads \
  | sed -E 's/^\{"id":"([^"]+)".*/\1/')
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-1' \
  -d '{"provider":"sim","operation":"i2v","inputs":[{"role":"image","file":"'$FILE'"}],"params":{"duration_ms":1000}}' \
  $BASE/v1/tasks; echo

echo; echo "== providers"
curl -s -H "Authorization: Bearer $KEY" $BASE/v1/providers; echo
