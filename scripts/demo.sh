#!/usr/bin/env bash
# make demo: starts a host on a free port with a throw-away data directory, then runs the
# README's examples against it, exactly as written there, and stops the host.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=${DEMO_PORT:-$(( 20000 + RANDOM % 20000 ))}
scripts/install-plugins.sh "$data/plugins" >/dev/null
# The four cloud backends' simulators, and the config that points the real plugins at them.
java -cp "simulators/target/skillhost-simulators-0.1.0.jar:host/target/lib/*" dev.skillhost.simulators.Main > "$data/skillhost.yaml" &
sims=$!
trap 'kill $sims 2>/dev/null; rm -rf "$data"' EXIT
until grep -q '^# ready' "$data/skillhost.yaml"; do sleep 0.1; done
SKILLHOST_DATA_DIR="$data" SKILLHOST_HTTP_PORT="$port" java -jar host/target/skillhost-host-0.1.0.jar serve \
  --config "$data/skillhost.yaml" >"$data/host.log" 2>&1 &
pid=$!
trap 'kill $pid $sims 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 600); do  # up to a minute: a busy 2-core machine starts the host slowly
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

echo; echo "== ask where words would go, then run them in a skill"
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"text":"make a short video of a cat","locale":"en"}' $BASE/v1/route; echo
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"skill":"sim","text":"make a short video of a cat","locale":"zh-CN"}' $BASE/v1/tasks; echo

echo; echo "== check the manifests"
java -jar host/target/skillhost-host-0.1.0.jar skills lint skills/
java -jar host/target/skillhost-host-0.1.0.jar skills test skills/
java -jar host/target/skillhost-host-0.1.0.jar skills render sim submitted --locale zh --var 'eta=3–6 秒'

echo; echo "== providers"
curl -s -H "Authorization: Bearer $KEY" $BASE/v1/providers; echo

echo; echo "== animate this photo for real, on this machine (provider local: H.264 MP4, no account, no network)"
FILE=$(curl -s -H "Authorization: Bearer $KEY" -F file=@samples/photo.png $BASE/v1/uploads \
  | sed -E 's/^\{"id":"([^"]+)".*/\1/')
LOCAL=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"provider":"local","operation":"i2v","inputs":[{"role":"image","file":"'$FILE'"}],"params":{"prompt":"animate this photo, slow zoom in","duration_s":10,"resolution":"1080p"}}' \
  $BASE/v1/tasks | sed -E 's/^\{"id":"([^"]+)".*/\1/')
echo "task $LOCAL"
# One line per event of the task's SSE stream, which ends when the task does.
curl -sN -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$LOCAL/events | sed -un 's/^data: //p' | while IFS= read -r ev; do
  type=$(printf '%s' "$ev" | sed -nE 's/.*"type":"([a-z_]+)".*/\1/p')
  case "$type" in
    progress)
      pct=$(printf '%s' "$ev" | sed -nE 's/.*"data":\{"fraction":([0-9.]+).*/\1/p')
      msg=$(printf '%s' "$ev" | sed -nE 's/.*"data":\{[^}]*"message":"([^"]*)".*/\1/p')
      printf '  %3s%%  %s\n' "$(awk -v f="${pct:-0}" 'BEGIN { printf "%d", f * 100 }')" "$msg" ;;
    state) printf '  state %s\n' "$(printf '%s' "$ev" | sed -nE 's/.*"state":"([a-z_]+)".*/\1/p')" ;;
    output) printf '  output %s\n' "$(printf '%s' "$ev" | sed -nE 's/.*"meta":(\{[^}]*\}).*/\1/p')" ;;
    error) printf '  error %s\n' "$ev" ;;
  esac
done
TASKJSON=$(curl -s -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$LOCAL)
VIDEO=$(printf '%s' "$TASKJSON" | sed -nE 's/.*"outputs":\[\{"kind":"video","file":"([0-9a-f]+)".*/\1/p')
if [ -z "$VIDEO" ]; then
  echo "the local task did not make a video: $TASKJSON"; exit 1
fi
mkdir -p target/demo
curl -s -H "Authorization: Bearer $KEY" -o target/demo/animated.mp4 $BASE/v1/files/$VIDEO
echo "video: $BASE/v1/files/$VIDEO (while this host runs)"
echo "saved: $PWD/target/demo/animated.mp4 ($(wc -c <target/demo/animated.mp4) bytes)"

echo; echo "== the cloud skills, against their simulators (same plugins, base URLs pointed at 127.0.0.1)"
echo "-- Lovart: words in, image out; Prefer: wait answers once the task is done"
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -H 'Prefer: wait=30' \
  -d '{"skill":"lovart","text":"draw a red fox in the snow","locale":"en"}' $BASE/v1/tasks; echo
echo "-- LibTV (managed gateway key): text to image"
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -H 'Prefer: wait=30' \
  -d '{"skill":"libtv","operation":"text2image","params":{"prompt":"a lighthouse at dawn"},"locale":"en"}' $BASE/v1/tasks; echo
echo "-- ChatArt: every generation waits for the user to confirm its cost"
CA=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"skill":"chatart","operation":"text2image","params":{"prompt":"a red fox in the snow"},"locale":"zh-CN"}' \
  $BASE/v1/tasks | sed -E 's/^\{"id":"([^"]+)".*/\1/')
for _ in $(seq 100); do
  curl -s -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$CA | grep -q '"state":"awaiting_confirmation"' && break; sleep 0.1
done
curl -s -X POST -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$CA/confirm; echo
curl -sN -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$CA/events | sed -n 's/^data: .*"message":"\([^"]*\)"}$/  \1/p'
echo "-- ChatArt: the device-style sign-in link, in the skill's own words"
curl -s -X POST -H "Authorization: Bearer $KEY" -H 'Accept-Language: en' $BASE/v1/providers/chatart/login; echo
echo "-- NemoVideo: one message per task, streamed, finished from the session state"
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -H 'Prefer: wait=60' \
  -d '{"skill":"nemovideo","operation":"generate","params":{"prompt":"a 15 second video about coffee"},"locale":"en"}' $BASE/v1/tasks; echo
echo "-- a result pushed to a Feishu chat (the Feishu simulator), then where the delivery stands"
FT=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -H 'Prefer: wait=30' \
  -d '{"provider":"sim","operation":"text2image","params":{"duration_ms":500},"channel":{"id":"feishu","chat_id":"oc_demo"}}' \
  $BASE/v1/tasks | sed -E 's/^\{"id":"([^"]+)".*/\1/')
sleep 1
curl -s -H "Authorization: Bearer $KEY" $BASE/v1/tasks/$FT/deliveries; echo
echo "-- a URL upload aimed at a cloud metadata address is refused before anything is sent"
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"url":"http://169.254.169.254/latest/meta-data/"}' $BASE/v1/uploads; echo

echo; echo "== an MCP session by hand: initialize, ask for a video, wait for it with progress"
SID=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}' \
  $BASE/mcp | tr -d '\r' | sed -n 's/^mcp-session-id: //Ip')
mcp() { curl -sN -H "Authorization: Bearer $KEY" -H "Mcp-Session-Id: $SID" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' -d "$1" $BASE/mcp; echo; }
mcp '{"jsonrpc":"2.0","method":"notifications/initialized"}'
TASK=$(mcp '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"generate","arguments":{"text":"make a short video of a cat","skill":"sim","locale":"zh"}}}' \
  | sed -E 's/.*"task_id":"([^"]+)".*/\1/')
mcp '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"task_wait","arguments":{"task_id":"'$TASK'"},"_meta":{"progressToken":1}}}'
