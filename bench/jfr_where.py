"""Where a submit's CPU goes: each CPU-time sample of a JFR recording gets one bucket, by ordered
rules over its stack (see BENCHMARKS.md, issue 14). Record HostBench on JDK 25 with
  -XX:StartFlightRecording:jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms,delay=8s,filename=hb.jfr
then
  jfr print --json --stack-depth 96 --events jdk.CPUTimeSample hb.jfr > hb.json
  python3 bench/jfr_where.py hb.json
CPU-time samples (JDK 25) see native frames' time too (SQLite's C code under org.sqlite), which
JDK 17's jdk.ExecutionSample does not.
"""
import json, sys, collections

def bucket(thread, fr):
    cls = [f["method"]["type"]["name"] for f in fr]
    meth = [c + "." + f["method"]["name"] for c, f in zip(cls, fr)]
    j = " ".join(meth)
    leaf = cls[0] if cls else ""
    if "store-write" in thread:
        if any(m.endswith(".commit") for m in meth) : return "SQLite writer: COMMIT (WAL append)"
        if "OutboxStore" in j: return "SQLite writer: outbox hook (subscriptions lookup)"
        return "SQLite writer: INSERT/UPDATE statements"
    if "checkpoint" in thread or "Database.checkpoint" in j: return "SQLite checkpoint (background, every 1 s)"
    if "store-read" in thread:
        return "metrics gauge: open tasks by state (json_extract scan every 5 s)" if "openCounts" in j else "store reads (other)"
    if "dev/skillhost/bench" in j or "io/vertx/ext/web/client" in j or "Http1xClientConnection" in j or "WebSocketClient" in j:
        return "load generator (bench client in the same JVM)"
    if "worker" in thread:
        return "workers (skill reload checks, CEL compile at start)" if ("CelConditionCompiler" in j or "skills/" in j) else "workers (other)"
    if "com/samskivert/mustache" in j or "MustacheTemplate" in j or "TaskMessages" in j: return "Mustache messages (TaskMessages)"
    if "dev/cel" in j or "CelCondition" in j or "CelValues" in j: return "CEL confirm rule"
    if "dev/skillhost/sim" in j or "Submission.lambda$askFirst" in j: return "estimate call (sim, timeout timer)"
    if "io/micrometer" in j or "HostMetrics" in j or "bucketNames" in j: return "metrics (micrometer, bucket names)"
    if "TaskRoutes.answer" in j or "Task.toJson" in j: return "JSON: 202 answer (Task.toJson + encode)"
    if "TaskCodec" in j or "TaskStore.encode" in j: return "JSON: task/event encode for the store"
    if "Json.object" in j or "TaskRequest" in j: return "JSON: request body decode"
    if "StreamRoutes" in j or "TaskEvent.encode" in j or "websocketx" in j: return "WebSocket event writes"
    if "TaskLog.publish" in j or "io/vertx/core/eventbus" in j: return "event bus publish/deliver"
    if "ApiKeys" in j or "Auth." in j: return "auth (API key SHA-256 per request)"
    if "newId" in j: return "task id (SecureRandom)"
    if "dev/skillhost/host/tasks" in j: return "engine: task state machine (other)"
    if "Http1xServerConnection" in j or "io/vertx/ext/web" in j or "io/netty/handler/codec/http" in j or "io/vertx/core/http" in j:
        return "HTTP server: parse, route, body, write"
    if leaf.startswith("io/netty") or leaf.startswith("sun/nio") or "io/netty/channel" in j:
        return "netty socket I/O (syscalls, both sides)"
    if "io/vertx/core" in j: return "vert.x context hops, futures, timers"
    return "other: " + "/".join(leaf.split("/")[:3])

def main():
    ev = json.load(open(sys.argv[1]))["recording"]["events"]
    ev = [e for e in ev if not e["values"].get("failed") and e["values"].get("stackTrace")]
    c = collections.Counter()
    for e in ev:
        v = e["values"]; st = v.get("sampledThread") or v.get("eventThread"); th = st["javaName"] or st["osName"]
        c[bucket(th, v["stackTrace"]["frames"])] += 1
    tot = sum(c.values())
    print("samples", tot)
    for k, n in c.most_common(): print(f"{100*n/tot:5.1f}%  {n:6d}  {k}")

if __name__ == "__main__":
    main()
