#!/usr/bin/env bash
# Server ingest throughput (issue 3): request events per second through POST /api/v1/requests in
# batches of 1,000, against the real server jar, driven by wrk on loopback. Target: 500,000/s.
#
# Starts `vigil.jar server` on a free loopback port with a temporary data directory (rate limit
# raised so that it does not cap the load, system collector on), waits for /-/ready, then per run
# generates fresh bodies (bench/ingest/gen_bodies.py: 200 endpoints, lognormal latencies, 4xx/5xx,
# 50 users, timestamps within the last 5 s, one service per run), drives them with wrk
# (bench/ingest/post.lua: one connection per wrk thread, each stops at its first answer after the
# duration, so nothing is in flight at the end), and checks through
# /api/performance/summary?window=5m&service=<run> that the server counted exactly 1,000 events per
# 2xx answer and that no answer was non-2xx. Prints events/s per run, the median and spread, and the
# CPU the server and wrk used. Stops the server. Raw output: bench/results/ingest-<UTC time>/.
#
# Usage: bench/ingest-bench.sh [--quick] [--build] [--jar FILE] [--runs N] [--seconds S]
#                               [--connections C]
#   --quick          10 s runs (default 20 s) and a 10 s warm-up (default 20 s: the JIT needs it)
#   --build          rebuild the jar even if it exists (default: only when missing)
#   --jar FILE       measure this server jar instead (e.g. one built from an older commit)
#   --runs N         measured runs (default 3)
#   --seconds S      length of a measured run
#   --connections C  concurrent connections, one wrk thread each (default 8: a few clients, enough
#                    for the write-ahead log's group commit to share each fsync)
# VIGIL_JAVA_OPTS is passed to the server's JVM, as ./vigil does.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds=20
warmup=20
runs=3
connections=8
build=0
bodies=12
jar=""
while (($#)); do
  case "$1" in
    --quick) seconds=10; warmup=10 ;;
    --build) build=1 ;;
    --jar) shift; jar="${1:?--jar needs a file}" ;;
    --runs) shift; runs="${1:?--runs needs a number}" ;;
    --seconds) shift; seconds="${1:?--seconds needs a number}" ;;
    --connections) shift; connections="${1:?--connections needs a number}" ;;
    *) echo "unknown argument: $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$seconds" "$runs" "$connections"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "not a positive whole number: $n" >&2; exit 2; }
done
((seconds <= 300 && runs <= 10 && connections <= 64)) || {
  echo "load is bounded: at most 300 s per run, 10 runs, 64 connections" >&2
  exit 2
}

export LC_ALL=C
command -v wrk >/dev/null || { echo "wrk is missing (Debian package wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }

echo "== machine"
echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc:  $(nproc)"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | sed 's/^/java:   /'
echo "wrk:    $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-3)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo

if [[ -n "$jar" ]]; then
  [[ -f "$jar" ]] || { echo "no such jar: $jar" >&2; exit 2; }
  ((build == 0)) || { echo "--build and --jar exclude each other" >&2; exit 2; }
else
  jar="vigil-server/target/vigil.jar"
fi
if ((build)) || [[ ! -f "$jar" ]]; then
  echo "== build"
  mvn -B -q -DskipTests package -pl vigil-server -am
fi

out="bench/results/ingest-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
tmp="$(mktemp -d /tmp/vigil-ingest-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
admin="bench-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
ingest="bench-ingest-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
cat >"$tmp/vigil.yml" <<EOF
rate_limit:
  requests_per_second: 1000000
  burst: 1000000
system:
  enabled: true
EOF

# A private copy: a rebuild during the run must not change the classes under the running server.
cp "$jar" "$tmp/vigil.jar"
echo "== server: java ${VIGIL_JAVA_OPTS:-} -jar $jar server --config vigil.yml --port $port --data <tmp>"
# shellcheck disable=SC2086 # VIGIL_JAVA_OPTS is a list of options, as in ./vigil
VIGIL_ADMIN_TOKEN="$admin" VIGIL_INGEST_TOKEN="$ingest" \
  java ${VIGIL_JAVA_OPTS:-} -jar "$tmp/vigil.jar" server --config "$tmp/vigil.yml" --port "$port" \
  --data "$tmp/data" >"$out/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for i in $(seq 1 600); do
  if curl -fsS "$base/-/ready" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null || ((i == 600)); then
    echo "server did not become ready; its log:" >&2
    tail -n 30 "$out/server.log" >&2
    exit 1
  fi
  sleep 0.1
done

ticks="$(getconf CLK_TCK)"
machine_busy() { # CPU seconds all processes were busy so far (user, nice, system, irq, softirq, steal)
  awk -v t="$ticks" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat
}
server_cpu() { # user + system CPU seconds of the server so far
  awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$server_pid/stat"
}

# One run: fresh bodies for service $1, wrk for $2 seconds; appends a result line to $out/runs.tsv.
run() {
  local service="$1" secs="$2" seed="$3"
  rm -rf "$tmp/bodies"
  python3 bench/ingest/gen_bodies.py "$tmp/bodies" "$bodies" 1000 "$service" "$seed"
  local cpu0 cpu1 wrk_cpu busy0 busy1
  cpu0="$(server_cpu)"
  busy0="$(machine_busy)"
  local wall0 wall1
  wall0="$(date +%s.%N)"
  # Each thread stops itself at its first answer after $secs; wrk sleeps for all of -d, which is
  # the bound for the last answers (p99 is well under a second).
  local TIMEFORMAT="%U %S"
  { time wrk -t "$connections" -c "$connections" -d "$((secs + 3))s" --timeout 10s \
      -s bench/ingest/post.lua "$base/api/v1/requests" -- "$tmp/bodies" "$bodies" "$ingest" "$secs" \
      >"$out/wrk-$service.txt" 2>&1; } 2>"$out/wrk-$service.time"
  cpu1="$(server_cpu)"
  busy1="$(machine_busy)"
  wall1="$(date +%s.%N)"
  wrk_cpu="$(awk '{ printf "%.2f", $1 + $2 }' "$out/wrk-$service.time")"
  local line
  line="$(grep '^VIGIL sent=' "$out/wrk-$service.txt" || true)"
  if [[ -z "$line" ]]; then
    echo "wrk gave no result; see $out/wrk-$service.txt" >&2
    cat "$out/wrk-$service.txt" >&2
    exit 1
  fi
  curl -fsS -H "Authorization: Bearer $admin" \
    "$base/api/performance/summary?window=5m&service=$service" >"$out/summary-$service.json"
  python3 - "$service" "$line" "$cpu0" "$cpu1" "$wrk_cpu" "$out/summary-$service.json" \
    "$busy0" "$busy1" "$wall0" "$wall1" >>"$out/runs.tsv" <<'PY'
import json, sys
service, line, cpu0, cpu1, wrk_cpu, summary, busy0, busy1, wall0, wall1 = sys.argv[1:11]
f = dict(kv.split("=", 1) for kv in line.split()[1:])
sent, ok, failed, us = int(f["sent"]), int(f["ok"]), int(f["failed"]), int(f["duration_us"])
total = json.load(open(summary))["total_requests"]
# Exact: every answer 2xx, every wrk thread stopped with nothing in flight, 1,000 events per 2xx.
exact = failed == 0 and int(f["unstopped"]) == 0 and sent == ok and total == ok * 1000
secs = us / 1e6
server = float(cpu1) - float(cpu0)
# What else kept the machine busy meanwhile: the CPU of every process but the server and wrk, per
# second of the whole wrk invocation (which idles up to 3 s after its last thread stopped).
others = max(0.0, float(busy1) - float(busy0) - server - float(wrk_cpu))
others_cores = others / (float(wall1) - float(wall0))
print("\t".join(str(x) for x in [
    service, ok, failed, total, "yes" if exact else "NO", f"{secs:.2f}", f"{ok * 1000 / secs:.0f}",
    f"{server:.1f}", f"{server / secs:.2f}", wrk_cpu, f"{float(wrk_cpu) / secs:.2f}",
    f"{others_cores:.2f}", f"{int(f['p50_us']) / 1000:.1f}", f"{int(f['p99_us']) / 1000:.1f}"]))
PY
  grep '^VIGIL first_failure=' "$out/wrk-$service.txt" >&2 || true
}

header="run\t2xx\tnon-2xx\tserver_events\texact\tseconds\tevents/s\tserver_cpu_s\tserver_cores\twrk_cpu_s\twrk_cores\tother_cores\tp50_ms\tp99_ms"
printf '%b\n' "$header" >"$out/runs.tsv"
echo "== warm-up: ${warmup} s (not counted)"
run "bench-warmup" "$warmup" 100
for r in $(seq 1 "$runs"); do
  echo "== run $r of $runs: ${seconds} s, $connections connections, $bodies bodies of 1,000 events"
  run "bench-run-$r" "$seconds" "$r"
done
echo
column -t -s $'\t' "$out/runs.tsv" | tee "$out/table.txt"
echo
python3 - "$out/runs.tsv" <<'PY' | tee "$out/summary.txt"
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
measured = [r for r in rows if r[0] != "bench-warmup"]
rates = [float(r[6]) for r in measured]
cores = [float(r[8]) for r in measured]
wrk = [float(r[10]) for r in measured]
others = [float(r[11]) for r in measured]
cpu_per_event = [float(r[7]) / (float(r[6]) * float(r[5])) * 1e6 for r in measured]
exact = all(r[4] == "yes" for r in rows)
med = statistics.median(rates)
print(f"events/s: median {med:,.0f} over {len(rates)} runs, spread {min(rates):,.0f} .. "
      f"{max(rates):,.0f} ({(max(rates) - min(rates)) / med * 100:.1f}% of the median)")
print(f"server:   {statistics.median(cores):.2f} cores busy (median), "
      f"{statistics.median(cpu_per_event):.2f} us CPU per event")
print(f"wrk:      {statistics.median(wrk):.2f} cores busy (median)")
print(f"others:   {statistics.median(others):.2f} cores busy with other processes (median;"
      f" {max(others):.2f} at most): the machine is shared")
print(f"counted:  {'exact in every run (server events == 2xx x 1000, no non-2xx)' if exact else 'NOT EXACT: see the table'}")
print(f"target:   500,000 events/s: {med / 5000:.0f}% of it")
sys.exit(0 if exact else 1)
PY
