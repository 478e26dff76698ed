#!/usr/bin/env bash
# Storage side by side (issue 4): Vigil, Prometheus 2.42 and VictoriaMetrics 1.79 (Debian's
# packages) fed the same Prometheus remote-write stream on loopback. Prints one table: accepted
# samples per second, bytes per sample on disk after compaction, resident memory per active series
# and restart time, per system and as Vigil/peer ratios against the issue's targets.
#
# Usage: bench/compare-storage.sh [--quick] [--series N] [--rounds R] [--seconds S]
#                                 [--connections C] [--batch B] [--systems LIST]
#                                 [--native-histograms] [--build]
#   --quick          40 rounds (10 simulated minutes) and at most 80 s of sending per system: the
#                    whole run finishes within 5 minutes. Default: 120 rounds (30 simulated
#                    minutes: 120 samples per series, one full chunk in Prometheus and Vigil), at
#                    most 300 s per system, within 20 minutes.
#   --series N       active series (default 100,000; the fleet is rounded up to whole hosts)
#   --rounds R       scrape rounds of 15 s of simulated time each, at most 220 (see Time below)
#   --seconds S      most seconds of sending per system; a system still sending then stops after
#                    its current round and its row is marked TRUNCATED (its other figures then
#                    cover less data than its peers' and are not comparable)
#   --connections C  concurrent HTTP connections per system (default 4)
#   --batch B        samples per request (default 2,000: Prometheus' max_samples_per_send is 500
#                    in 2.42 and 2,000 in later releases)
#   --systems LIST   comma-separated subset of vigil,prometheus,victoriametrics (default all three)
#   --native-histograms  the API latency histograms as native histograms (schema 3) instead of
#                    classic ones; Prometheus runs with --enable-feature=native-histograms and
#                    VictoriaMetrics 1.79, which does not take them, is skipped
#   --build          rebuild vigil.jar and benchmarks.jar even if they exist
# Vigil is started through ./vigil, as a user would start it: the launcher's JVM defaults, then
# VIGIL_JAVA_OPTS (e.g. -Xmx2g; later options win).
#
# Method.
# - Load: dev.vigil.bench.remote.RemoteWriteLoad (vigil-bench) records the stream once, then
#   replays the same bytes to each system. A simulated fleet of hosts, each with node_exporter-like
#   series (node_cpu_seconds_total per CPU and mode, memory, filesystem, network, disk, load,
#   processes, scrape series) and an API's http_request_duration_seconds classic histograms (12
#   buckets, _sum, _count for 4 handlers x 2 codes): about 255 series per host. Counters grow by
#   noisy rates in node_exporter's steps, gauges random-walk, some values are constant and some are
#   full-precision noise. Every 20 rounds, 2% of the hosts are replaced by new ones (new instance
#   label, counters from zero). Requests of 2,000 samples, snappy-compressed protobuf
#   (docs/format/remote-write-stream.md). Each round holds every active series once, all with the
#   round's timestamp; a round's requests are spread over the connections and every request of a
#   round is answered before the next round starts, so every series arrives in order.
# - Time: the stream's timestamps are simulated, 15 s apart, the last round 5 minutes after the
#   stream was recorded, so R rounds cover R x 15 s ending just ahead of the wall clock. Prometheus
#   2.42 checks samples only against its own head (nothing older than the newest sample minus 1 h
#   for an in-order series), VictoriaMetrics only against its retention and 2 days ahead; Vigil
#   accepts samples from 1 h before to 10 min after its clock. Vigil is therefore sent first, right
#   after the recording, and R is capped at 220 (55 minutes) so that its whole stream stays inside
#   its window. Sending is as fast as each system answers; the rate is accepted samples (those in
#   2xx answers only) over the wall time from the first request to the last answer.
# - Order: one system at a time (Vigil, Prometheus, VictoriaMetrics), each in a fresh temporary
#   data directory on a free loopback port, so they never compete for the 2 CPUs; the sender is a
#   separate JVM on the same machine, whose CPU (reading pre-encoded requests, HTTP) is the same for
#   all three.
# - Memory: VmRSS of the system's process (/proc/PID/status) 5 s after the last answer, divided by
#   the active series (series of the last round; churned-away series are still held by all three,
#   as they would be in production until head compaction or cache expiry). VmHWM (peak) is kept in
#   the raw output.
# - Disk, "after compaction": each system's own persistent format for all of the data.
#   Prometheus keeps recent data in its WAL and head until the head spans 3 h, which a bounded run
#   never reaches; its admin snapshot (POST /api/v1/admin/tsdb/snapshot, --web.enable-admin-api)
#   writes the whole head as a compacted block, and that block's size is used (chunks, index,
#   meta). VictoriaMetrics writes parts as it goes: after /internal/force_flush and
#   /internal/force_merge of the stream's month(s), /metrics and the size of data/ and indexdb/
#   are polled until no merge is active, no rows are pending, each partition is one part and the
#   size has not changed for 20 s (its indexdb merges on its own schedule; 120 s at most), then the
#   process is stopped cleanly and data/ + indexdb/ are measured (caches excluded). The settled
#   size still varies between runs of the same stream (quick runs: 13.7 to 15.5 MB; data/ alone
#   6.5 to 7.4 MB after a full merge): compare the median of a few runs when the ratio is close.
#   Vigil, as Prometheus: its admin snapshot (POST /api/v1/admin/tsdb/snapshot with the admin
#   token) writes the whole head, recent samples included, as a block (chunks, index, meta.json)
#   into data/tsdb/snapshots/<name>/blocks/, and that is measured. The size at clean stop of every
#   system (Vigil: data/tsdb/wal and data/tsdb/blocks, i.e. WAL + checkpoint in a short run) is also
#   printed. Divided by accepted samples.
# - Restart: the same data directory is started again; the time from launching the process until
#   it reports ready (Prometheus and Vigil /-/ready, VictoriaMetrics /health) and a query for the
#   probe series (one series of the last round, from the stream's summary) returns its last sample
#   (Prometheus /api/v1/query at the last timestamp; VictoriaMetrics /api/v1/export; Vigil
#   /api/v1/query when it has one, otherwise readiness alone, which the table says).
# - Targets, Vigil/peer in the same run: ingest >= 1.0x VictoriaMetrics and >= 2x Prometheus; bytes
#   per sample <= VictoriaMetrics'; memory per active series <= 0.5x Prometheus'; restart <= 0.5x
#   Prometheus'.
# - Vigil answering 404 at /api/v1/write (no remote-write receiver on this build) gives a row that
#   says so; the peers are still measured.
# Everything listens on and is sent to 127.0.0.1 only (Vigil's server binds all interfaces; nothing
# but this script talks to it). Every process is stopped on exit. Raw output:
# bench/results/storage-<UTC time>/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

series=100000
rounds=120
max_seconds=300
connections=4
batch=2000
systems="vigil,prometheus,victoriametrics"
histograms=classic
build=0
while (($#)); do
  case "$1" in
    --quick) rounds=40; max_seconds=80 ;;
    --series) shift; series="${1:?--series needs a number}" ;;
    --rounds) shift; rounds="${1:?--rounds needs a number}" ;;
    --seconds) shift; max_seconds="${1:?--seconds needs a number}" ;;
    --connections) shift; connections="${1:?--connections needs a number}" ;;
    --batch) shift; batch="${1:?--batch needs a number}" ;;
    --systems) shift; systems="${1:?--systems needs a list}" ;;
    --native-histograms) histograms=native ;;
    --build) build=1 ;;
    *) echo "unknown argument: $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$series" "$rounds" "$max_seconds" "$connections" "$batch"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "not a positive whole number: $n" >&2; exit 2; }
done
((series <= 1000000 && rounds <= 220 && max_seconds <= 600 && connections <= 16 && batch <= 50000)) || {
  echo "bounded: at most 1,000,000 series, 220 rounds (Vigil's 1 h window), 600 s per system," \
    "16 connections, 50,000 samples per request" >&2
  exit 2
}
IFS=',' read -r -a system_list <<<"$systems"
for s in "${system_list[@]}"; do
  case "$s" in vigil | prometheus | victoriametrics) ;; *) echo "unknown system: $s" >&2; exit 2 ;; esac
done

export LC_ALL=C
for tool in java curl python3 prometheus victoria-metrics du; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc:   $(nproc)"
echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
echo "memory:  $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | head -1 | sed 's/^/java:    /'
echo "prom:    $(prometheus --version 2>&1 | head -1)"
echo "vm:      victoria-metrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null || echo unknown)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo

vigil_jar="vigil-server/target/vigil.jar"
bench_jar="vigil-bench/target/benchmarks.jar"
if ((build)) || [[ ! -f "$bench_jar" ]] || { [[ ",$systems," == *,vigil,* ]] && [[ ! -f "$vigil_jar" ]]; }; then
  echo "== build"
  # The shaded jar replaces the module's jar in place; left there, the jar plugin finds it up to
  # date and shading starts from it, keeping the classes of the previous build of other modules.
  rm -f "$vigil_jar" vigil-server/target/original-vigil.jar
  mvn -B -q -DskipTests package -pl vigil-bench,vigil-server -am
fi

out="bench/results/storage-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
tmp="$(mktemp -d /tmp/vigil-compare-storage.XXXXXX)"
pid=""
stop_process() { # SIGTERM, up to 120 s for a clean stop, then SIGKILL; prints seconds taken
  local p="$1" t0
  t0="$(date +%s.%N)"
  if kill -0 "$p" 2>/dev/null; then
    kill "$p" 2>/dev/null || true
    for _ in $(seq 1 1200); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$p" 2>/dev/null; then
      echo "   process $p did not stop within 120 s: killed" >&2
      kill -9 "$p" 2>/dev/null || true
    fi
  fi
  wait "$p" 2>/dev/null || true
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)"
}
cleanup() {
  if [[ -n "$pid" ]]; then
    stop_process "$pid" >/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Private copies: a rebuild during the run must not change the classes under the running JVMs.
cp "$bench_jar" "$tmp/benchmarks.jar"
if [[ -f "$vigil_jar" ]]; then cp "$vigil_jar" "$tmp/vigil.jar"; fi
load() { java -cp "$tmp/benchmarks.jar" dev.vigil.bench.remote.RemoteWriteLoad "$@"; }

echo "== recording the stream"
last_ms=$(($(date +%s%3N) + 5 * 60 * 1000))
load generate --out "$tmp/stream" --series "$series" --rounds "$rounds" --interval-seconds 15 \
  --last-millis "$last_ms" --seed 42 --batch "$batch" --churn-percent 2 --churn-every 20 \
  --histograms "$histograms" \
  | tee "$out/stream.txt"
cp "$tmp/stream.properties" "$out/stream.properties"
prop() { sed -n "s/^$1=//p" "$tmp/stream.properties"; }
active_series="$(prop active_series)"
probe_selector="$(prop probe_selector)"
probe_value="$(prop probe_value)"
first_ms="$(prop first_ms)"
echo

admin="bench-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
ingest="bench-ingest-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
cat >"$tmp/vigil.yml" <<EOF
rate_limit:
  requests_per_second: 1000000
  burst: 1000000
system:
  enabled: false
EOF
printf 'global:\n  scrape_interval: 15s\n' >"$tmp/prometheus.yml"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start SYSTEM DIR PORT LOG: launches the system in the background and sets $pid.
start() {
  local system="$1" dir="$2" port="$3" log="$4"
  case "$system" in
    vigil)
      # Through the launcher, as a user runs it: its JVM defaults, then VIGIL_JAVA_OPTS.
      VIGIL_ADMIN_TOKEN="$admin" VIGIL_INGEST_TOKEN="$ingest" VIGIL_JAR="$tmp/vigil.jar" \
        "$root/vigil" server --config "$tmp/vigil.yml" \
        --port "$port" --data "$dir" >"$log" 2>&1 &
      ;;
    prometheus)
      local features=()
      [[ "$histograms" == native ]] && features=(--enable-feature=native-histograms)
      prometheus "${features[@]}" --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$dir" \
        --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver \
        --web.enable-admin-api --log.level=warn >"$log" 2>&1 &
      ;;
    victoriametrics)
      victoria-metrics -storageDataPath="$dir" -httpListenAddr="127.0.0.1:$port" \
        -loggerLevel=WARN >"$log" 2>&1 &
      ;;
  esac
  pid=$!
}

ready_path() { case "$1" in victoriametrics) echo /health ;; *) echo /-/ready ;; esac; }

# wait_ready SYSTEM PORT LOG: polls readiness for up to 300 s.
wait_ready() {
  local system="$1" port="$2" log="$3" path
  path="$(ready_path "$system")"
  for i in $(seq 1 6000); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port$path" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null || ((i == 6000)); then
      echo "$system did not become ready; its log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    sleep 0.05
  done
}

# probe SYSTEM PORT: prints ok when the probe series' sample at the stream's last timestamp is
# served, "none" when Vigil has no query API, otherwise what was answered.
probe() {
  local system="$1" port="$2" base="http://127.0.0.1:$2" t body code
  t="$(python3 -c "import sys; print(int(sys.argv[1]) / 1000)" "$last_ms")"
  case "$system" in
    victoriametrics)
      body="$(curl -sS -G "$base/api/v1/export" --data-urlencode "match[]=$probe_selector" \
        --data-urlencode "start=$(((last_ms - 60000) / 1000))" \
        --data-urlencode "end=$((last_ms / 1000 + 1))" 2>&1 || true)"
      ;;
    *)
      local auth=()
      [[ "$system" == vigil ]] && auth=(-H "Authorization: Bearer $admin")
      code="$(curl -sS -G -o "$tmp/probe.json" -w '%{http_code}' "${auth[@]}" "$base/api/v1/query" \
        --data-urlencode "query=$probe_selector" --data-urlencode "time=$t" 2>/dev/null || true)"
      if [[ "$system" == vigil && "$code" == 404 ]]; then
        echo none
        return
      fi
      body="$(cat "$tmp/probe.json" 2>/dev/null || true)"
      ;;
  esac
  printf '%s' "$body" >"$tmp/probe.body"
  python3 - "$system" "$probe_value" "$last_ms" "$tmp/probe.body" <<'PY'
import json, sys
system, want, last_ms = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
text = open(sys.argv[4]).read().strip()
try:
    if system == "victoriametrics":
        rows = [json.loads(l) for l in text.splitlines() if l.strip()]
        got = [v for r in rows for t, v in zip(r["timestamps"], r["values"]) if t == last_ms]
    else:
        result = json.loads(text)["data"]["result"]
        got = [float(r["value"][1]) for r in result]
except Exception:
    print("answer:", text[:200].replace("\n", " "))
    sys.exit(0)
ok = len(got) == 1 and abs(got[0] - want) <= abs(want) * 1e-12
print("ok" if ok else f"got {got}, want {want}")
PY
}

# wait_probe SYSTEM PORT SECONDS: polls probe until ok or none; prints the last answer.
wait_probe() {
  local answer=""
  for _ in $(seq 1 "$(($3 * 20))"); do
    answer="$(probe "$1" "$2")"
    if [[ "$answer" == ok || "$answer" == none ]]; then
      break
    fi
    sleep 0.05
  done
  echo "$answer"
}

size_of() { { du -sb "$@" 2>/dev/null || true; } | awk '{ s += $1 } END { print s + 0 }'; }
storage_size() { # bytes of the system's storage in DIR (caches, snapshots and logs excluded)
  local system="$1" dir="$2"
  case "$system" in
    vigil) size_of "$dir/tsdb/wal" "$dir/tsdb/blocks" ;;
    prometheus) size_of "$dir/wal" "$dir/chunks_head" "$dir"/01* ;;
    victoriametrics) size_of "$dir/data" "$dir/indexdb" ;;
  esac
}
rss_kb() { awk "/^$2:/ { print \$2 }" "/proc/$1/status"; }

results="$out/results.tsv"
printf 'system\tstatus\taccepted\tsend_s\tsamples_per_s\tfailed\trss_bytes\thwm_bytes\tactive_series\tdisk_bytes\tdisk_at_stop_bytes\trestart_s\tready_s\tprobe\tnote\n' >"$results"

measure() {
  local system="$1" dir="$tmp/$1-data" port log url
  port="$(free_port)"
  log="$out/$system.log"
  echo "== $system: port $port"
  start "$system" "$dir" "$port" "$log"
  wait_ready "$system" "$port" "$log"
  url="http://127.0.0.1:$port/api/v1/write"
  local bearer=()
  [[ "$system" == vigil ]] && bearer=(--bearer "$ingest")
  echo "   sending ${rounds} rounds to $url over $connections connections (at most ${max_seconds} s)"
  load send --in "$tmp/stream" --url "$url" --connections "$connections" \
    --max-seconds "$max_seconds" "${bearer[@]}" >"$out/$system-send.txt" 2>&1 || true
  local line
  line="$(grep '^RESULT ' "$out/$system-send.txt" || true)"
  if [[ -z "$line" ]]; then
    echo "   the sender gave no result:" >&2
    cat "$out/$system-send.txt" >&2
    exit 1
  fi
  echo "   $line"
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  local accepted seconds failed truncated not_found
  accepted="$(field accepted)"
  seconds="$(field seconds)"
  failed="$(field failed)"
  truncated="$(field truncated)"
  not_found="$(field not_found)"
  # Without a receiver, Vigil answers 404, or 403 when its ingest role does not cover the path.
  if [[ "$accepted" == 0 ]] && { [[ "$not_found" == 1 ]] || grep -q '^RESULT .*first_failure="403 .*/api/v1/write' <<<"$line"; }; then
    echo "   $system refuses every request at /api/v1/write: no remote-write receiver yet"
    printf '%s\tno-receiver\t0\t%s\t0\t%s\t\t\t%s\t\t\t\t\t\t%s\n' "$system" "$seconds" "$failed" \
      "$active_series" "first answer: $(sed -n 's/.* first_failure=//p' <<<"$line")" >>"$results"
    echo "   stopped in $(stop_process "$pid") s"
    pid=""
    return
  fi
  local status=ok note=""
  if [[ "$truncated" == 1 ]]; then
    status=TRUNCATED
    note="stopped after $(field rounds) of $rounds rounds (--seconds $max_seconds)"
  fi
  if [[ "$failed" != 0 ]]; then
    status="$status,FAILURES"
    note="$note $failed requests not accepted, first: $(sed -n 's/.* first_failure=//p' <<<"$line")"
  fi

  sleep 5
  local rss hwm
  rss=$(($(rss_kb "$pid" VmRSS) * 1024))
  hwm=$(($(rss_kb "$pid" VmHWM) * 1024))
  local probe_after
  probe_after="$(wait_probe "$system" "$port" 30)"
  echo "   RSS $((rss / 1048576)) MiB (peak $((hwm / 1048576)) MiB); probe after ingest: $probe_after"

  local disk=""
  case "$system" in
    prometheus | vigil)
      local snap snaps="$dir/snapshots" auth=()
      if [[ "$system" == vigil ]]; then
        snaps="$dir/tsdb/snapshots"
        auth=(-H "Authorization: Bearer $admin")
      fi
      snap="$(curl -fsS -XPOST "${auth[@]}" "http://127.0.0.1:$port/api/v1/admin/tsdb/snapshot" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["name"])')"
      disk="$(size_of "$snaps/$snap")"
      echo "   snapshot (head written as a block): $disk bytes"
      rm -rf "$snaps"
      ;;
    victoriametrics)
      curl -fsS -o /dev/null "http://127.0.0.1:$port/internal/force_flush"
      local m
      for m in $(python3 -c 'import sys, time
for ms in sys.argv[1:]:
    print(time.strftime("%Y_%m", time.gmtime(int(ms) / 1000)))' "$first_ms" "$last_ms" | sort -u); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/internal/force_merge?partition_prefix=$m"
      done
      # Done when no merge is running, nothing is pending, the storage holds at most one part
      # per partition, and the size has not changed for 20 s (indexdb merges on its own
      # schedule, seen 14 s after the force_merge): 120 s at most.
      local previous=-1 same=0 now settled parts partitions
      partitions="$(python3 -c 'import sys, time
print(len({time.strftime("%Y_%m", time.gmtime(int(ms) / 1000)) for ms in sys.argv[1:]}))' "$first_ms" "$last_ms")"
      for _ in $(seq 1 60); do
        sleep 2
        now="$(storage_size "$system" "$dir")"
        settled="$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '
          /^vm_active_merges\{/ || /^vm_pending_rows\{/ { busy += $2 }
          /^vm_parts\{type="storage\/(small|big)"\}/ { parts += $2 }
          END { print (busy == 0 ? "idle" : "busy") " " parts + 0 }')"
        parts="${settled#* }"
        if [[ "$now" == "$previous" && "${settled% *}" == idle ]] && ((parts <= partitions)); then
          same=$((same + 1))
          ((same >= 10)) && break
        else
          same=0
        fi
        previous="$now"
      done
      local how=settled
      ((same >= 10)) || how="NOT settled after 120 s"
      echo "   merged: $now bytes (data/ $(size_of "$dir/data"), indexdb/ $(size_of "$dir/indexdb"))" \
        "in $parts storage part(s), $how"
      ;;
  esac
  echo "   stopped in $(stop_process "$pid") s"
  pid=""
  local at_stop
  at_stop="$(storage_size "$system" "$dir")"
  [[ -n "$disk" ]] || disk="$at_stop"
  echo "   storage at clean stop: $at_stop bytes"

  local t0 t1 t2 probe_restart
  t0="$(date +%s.%N)"
  start "$system" "$dir" "$port" "$out/$system-restart.log"
  wait_ready "$system" "$port" "$out/$system-restart.log"
  t1="$(date +%s.%N)"
  probe_restart="$(wait_probe "$system" "$port" 300)"
  t2="$(date +%s.%N)"
  local restart ready
  ready="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$t1")"
  restart="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$t2")"
  echo "   restart: ready after $ready s, probe ($probe_restart) after $restart s"
  if [[ "$probe_restart" == none ]]; then
    note="$note restart = readiness only (no /api/v1/query)"
  elif [[ "$probe_restart" != ok ]]; then
    status="$status,PROBE-FAILED"
    note="$note probe after restart: $probe_restart"
  fi
  [[ "$probe_after" == ok || "$probe_after" == none ]] || note="$note probe after ingest: $probe_after"
  echo "   stopped in $(stop_process "$pid") s"
  pid=""
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$system" "$status" \
    "$accepted" "$seconds" "$(field samples_per_second)" "$failed" "$rss" "$hwm" "$active_series" \
    "$disk" "$at_stop" "$restart" "$ready" "$probe_restart" "${note# }" >>"$results"
  rm -rf "$dir"
}

for s in "${system_list[@]}"; do
  if [[ "$s" == victoriametrics && "$histograms" == native ]]; then
    echo "== victoriametrics: skipped (1.79 does not take native histograms)"
    printf '%s\tskipped\t0\t\t0\t0\t\t\t%s\t\t\t\t\t\t%s\n' "$s" "$active_series" \
      "version 1.79 does not take native histograms" >>"$results"
    echo
    continue
  fi
  measure "$s"
  echo
done

python3 - "$results" "$tmp/stream.properties" <<'PY' | tee "$out/table.txt"
import csv, sys
rows = {r["system"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
props = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[2]) if "=" in l)
print(f"stream: {int(props['active_series']):,} active series ({int(props['total_series']):,} with churn), "
      f"{int(props['samples']):,} samples in {int(props['requests']):,} requests of "
      f"{int(props['batch_samples']):,}, {props['rounds']} rounds of {int(props['interval_ms']) // 1000} s, "
      f"{props.get('histograms', 'classic')} histograms")
print()

def num(r, k):
    try:
        return float(r[k])
    except (KeyError, TypeError, ValueError):
        return None

def metrics(r):
    if r is None or r["status"] in ("no-receiver", "skipped"):
        return None
    acc = num(r, "accepted")
    return {
        "ingest": num(r, "samples_per_s"),
        "bytes": num(r, "disk_bytes") / acc if acc else None,
        "memory": num(r, "rss_bytes") / num(r, "active_series"),
        "restart": num(r, "restart_s"),
    }

names = {"vigil": "Vigil", "prometheus": "Prometheus 2.42", "victoriametrics": "VictoriaMetrics 1.79"}

def table(header, lines):
    widths = [max(len(str(x[i])) for x in [header] + lines) for i in range(len(header))]
    fmt = lambda x: "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w)
                              for i, (v, w) in enumerate(zip(x, widths))).rstrip()
    for l in [header, ["-" * w for w in widths]] + lines:
        print(fmt(l))

lines, notes = [], []
for key, r in rows.items():
    m = metrics(r)
    if m is None:
        lines.append([names[key], "-", "-", "-", "-", r["status"]])
        if r["status"] == "no-receiver":
            notes.append(f"{names[key]}: no remote-write receiver yet ({r['note']})")
        else:
            notes.append(f"{names[key]}: {r['note']}")
        continue
    lines.append([names[key], f"{m['ingest']:,.0f}", f"{m['bytes']:.2f}", f"{m['memory']:,.0f} B",
                  f"{m['restart']:.2f}", r["status"]])
    if r["note"]:
        notes.append(f"{names[key]}: {r['note']}")
table(["system", "samples/s", "bytes/sample", "RSS/active series", "restart s", "status"], lines)
for n in notes:
    print("  " + n)
print()
lines = []
for key, r in rows.items():
    if metrics(r) is None:
        continue
    lines.append([names[key], f"{int(r['accepted']):,}", r["send_s"], f"{int(r['disk_bytes']):,}",
                  f"{int(r['disk_at_stop_bytes']):,}", f"{int(r['rss_bytes']) / 2**20:,.0f} MiB",
                  f"{int(r['hwm_bytes']) / 2**20:,.0f} MiB", r["ready_s"]])
if lines:
    table(["system", "accepted", "send s", "disk used (bytes)", "storage at clean stop", "RSS",
           "peak RSS", "ready s"], lines)
    print()

vigil = metrics(rows.get("vigil"))
targets = [
    ("ingest", "victoriametrics", ">=", 1.0, "samples/s"),
    ("ingest", "prometheus", ">=", 2.0, "samples/s"),
    ("bytes", "victoriametrics", "<=", 1.0, "bytes/sample"),
    ("memory", "prometheus", "<=", 0.5, "RSS/active series"),
    ("restart", "prometheus", "<=", 0.5, "restart"),
]
print("Vigil/peer, same run, against the targets:")
for metric, peer, op, target, label in targets:
    p = metrics(rows.get(peer))
    name = f"{label} Vigil/{names[peer].split()[0]}"
    if vigil is None or p is None or not p[metric]:
        why = "Vigil has no remote-write receiver yet" if rows.get("vigil", {}).get("status") == "no-receiver" else "not measured"
        print(f"  {name:40} n/a ({why}); target {op} {target:g}")
        continue
    ratio = vigil[metric] / p[metric]
    met = ratio >= target if op == ">=" else ratio <= target
    print(f"  {name:40} {ratio:6.2f}  target {op} {target:g}: {'met' if met else 'NOT met'}")
PY
echo
echo "raw output: $out"
