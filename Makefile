# Skillhost — run · test · bench · demo
MVN      ?= mvn -B -q
DATA     ?= data
PLUGINS  ?= $(DATA)/plugins
HOST_JAR := host/target/skillhost-host-0.1.0.jar

.PHONY: build plugins run cluster test bench demo clean

## build: compile and package every module (no tests)
build:
	$(MVN) -DskipTests package

## plugins: put every built provider plugin jar into the watched plugins directory
plugins: build
	@scripts/install-plugins.sh $(PLUGINS)

## run: build, install the plugins and start the host on 127.0.0.1:8080
run: plugins
	java -jar $(HOST_JAR) serve

## cluster: build, then a private PostgreSQL (Debian's binaries, in target/cluster/pg) and three
##          hosts on 127.0.0.1:8081-8083 sharing target/cluster/shared, until Ctrl-C
cluster: build
	@scripts/cluster.sh

## test: the whole suite (unit, API over real HTTP/WebSocket, real plugin jars, real SQLite),
##       then lint and run the examples of every manifest in skills/
test:
	mvn -B verify
	java -jar $(HOST_JAR) skills lint skills/
	java -jar $(HOST_JAR) skills test skills/

## bench: durable submits/s, submit → first WebSocket event latency, heap per waiting task;
##        local i2v (5 s 1080p30 zoom) beside the ffmpeg command line, a local render resumed
##        after a host restart beside one from scratch,
##        manifest edit → live latency; memory of 1,000 waiting LibTV tasks beside one waiter
##        process per task; 1,000 Lovart tasks under its read limit; MCP tool call → task id and
##        500 MCP sessions following tasks; WebSocket fan-out to 10,000 subscribers; on PostgreSQL,
##        submits/s and first-event latency on 1, 2 and 3 host processes and takeover after kill -9
##        (takes ~20 minutes)
bench: build
	java -Xmx2g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.HostBench
	java -Xmx2g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.LocalBench
	java -Xmx2g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.LocalResumeBench
	java -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.SkillReloadBench
	java -Xmx2g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.LibTvMemoryBench
	java -Xmx1g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.LovartBench
	java -Xmx2g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.McpBench
	java -Xmx2g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.FanoutBench
	java -Xmx1g -cp "bench/target/skillhost-bench-0.1.0.jar:bench/target/lib/*" dev.skillhost.bench.ClusterBench

## demo: start a host on a free port, submit a task, stream its events to the end, stop
demo: build
	@scripts/demo.sh

clean:
	$(MVN) clean
