#!/usr/bin/env bash
# Read latency of the performance API (issue 3: "summary and endpoints latency with 24 hours of
# data for 200 endpoints, target p99 under 20 ms").
#
# Starts the real server jar on a free loopback port with a temporary data directory, loads
# 24 hours of request events for 200 endpoints through POST /api/v1/requests (batches of 1,000;
# ~20 events per endpoint per minute, lognormal latencies per endpoint, some errors, events in
# every 10-second slot; see bench/QueryBench.java), then times GET /api/performance/summary and
# /api/performance/endpoints for window=24h and window=1h: a warm-up, then N sequential requests
# each from one java.net.http client, printing p50/p90/p99/max, for several rounds.
#
# NOTE: history can only be loaded through the API if the server accepts events that old, so the
# config sets late_window: 25h (the default is 1h). With it every sample of the day stays in the
# store's mutable tail. Unless --no-restart, the server is then restarted on the same data
# directory with the default late_window (1h): on start the store cuts everything older than
# about an hour into compressed chunks, as it holds a day of data in production, and the rounds
# are repeated against that layout.
#
# Usage: bench/query-bench.sh [--quick] [--no-build] [--rounds R] [-n N] [--hours H]
#                             [--endpoints E] [--no-restart] [--jfr FILE] [--jar JAR]
#   --quick       2 hours of data, 1 round of 50 requests per read: a smoke run, not results
#   --no-build    use vigil-server/target/vigil.jar as it is (it is built only when missing anyway)
#   --build       rebuild the jar first
#   --jfr FILE    record the (first) server with JFR into FILE, for profiling
#   --jar JAR     run this server jar instead (e.g. one built from another commit, to compare)
# Raw output goes to bench/results/query-<UTC time>/ (gitignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=0
build=0
rounds=3
n=200
warmup=1000
hours=24
endpoints=200
per_minute=20
restart=1
jfr=""
jar="vigil-server/target/vigil.jar"
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --build) build=1 ;;
    --rounds) shift; rounds="${1:?--rounds needs a number}" ;;
    -n) shift; n="${1:?-n needs a number}" ;;
    --hours) shift; hours="${1:?--hours needs a number}" ;;
    --endpoints) shift; endpoints="${1:?--endpoints needs a number}" ;;
    --no-restart) restart=0 ;;
    --jfr) shift; jfr="${1:?--jfr needs a file}" ;;
    --jar) shift; jar="${1:?--jar needs a file}"; build=0 ;;
    *) echo "unknown argument: $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done
if ((quick)); then
  hours=2
  rounds=1
  n=50
  warmup=50
fi

export LC_ALL=C

echo "== machine"
echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc:  $(nproc)"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | sed 's/^/java:   /'
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo

echo "jar:    $jar"
if ((build)) || [[ ! -f "$jar" ]]; then
  echo "== build"
  mvn -B -q -DskipTests package -pl vigil-server -am
fi

out="bench/results/query-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
tmp="$(mktemp -d /tmp/vigil-query-bench.XXXXXX)"
server_pid=""

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Tokens for this run only; the data directory is deleted afterwards.
admin="bench-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export VIGIL_ADMIN_TOKEN="$admin"
unset VIGIL_VIEWER_TOKEN VIGIL_INGEST_TOKEN VIGIL_PORT VIGIL_DATA_DIR VIGIL_LATE_WINDOW || true

write_config() { # $1 = late window
  cat >"$tmp/vigil.yml" <<EOF
port: 0
data_dir: $tmp/data
late_window: $1
rate_limit:
  requests_per_second: 1000000
  burst: 1000000
EOF
}

url=""
start_server() { # $1 = log file, $2 = extra JVM options
  : >"$1"
  # shellcheck disable=SC2086
  java ${2:-} -jar "$jar" server --config "$tmp/vigil.yml" >"$1" 2>&1 &
  server_pid=$!
  local port=""
  for _ in $(seq 1 3000); do # replaying a day of WAL may take a while: up to 300 s
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "server exited; its log:" >&2
      cat "$1" >&2
      exit 1
    fi
    port="$(sed -n 's|^Vigil is running at http://localhost:\([0-9]*\)/.*|\1|p' "$1" | head -n1)"
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "server did not start in 300 s; its log:" >&2
    cat "$1" >&2
    exit 1
  fi
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$url/-/ready" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server not ready" >&2
  exit 1
}

driver=(java -XX:+UseSerialGC -Xss512k bench/QueryBench.java)
paths=(
  "/api/performance/summary?window=24h"
  "/api/performance/endpoints?window=24h"
  "/api/performance/summary?window=1h"
  "/api/performance/endpoints?window=1h"
)

measure_rounds() { # $1 = label
  echo "-- $1: $warmup warm-up requests per read, then $rounds round(s) of $n timed requests per read (ms)"
  timeout 1800 "${driver[@]}" measure "$url" "$admin" "$n" "$warmup" "$rounds" "${paths[@]}" \
    | tee "$out/$1.txt"
}

summarise() { # $1 = label: median over rounds of each percentile, with min..max
  echo "== $1: median of $rounds round(s) of $n requests [min..max over rounds], ms"
  printf '%-40s %-22s %-22s %-22s %-22s\n' read p50 p90 p99 max
  local p
  for p in "${paths[@]}"; do
    awk -v p="$p" '
      $1 == "RESULT" && $2 == p { k++; a[k] = $4; b[k] = $6; c[k] = $8; d[k] = $10 }
      function med(x, m,   i, j, t, y) {
        for (i = 1; i <= m; i++) y[i] = x[i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (y[j] < y[i]) { t = y[i]; y[i] = y[j]; y[j] = t }
        lo = y[1]; hi = y[m]
        return (m % 2) ? y[(m + 1) / 2] : (y[m / 2] + y[m / 2 + 1]) / 2
      }
      END {
        if (k == 0) exit
        s = ""
        v = med(a, k); s = s sprintf("%-22s ", sprintf("%.2f [%.2f..%.2f]", v, lo, hi))
        v = med(b, k); s = s sprintf("%-22s ", sprintf("%.2f [%.2f..%.2f]", v, lo, hi))
        v = med(c, k); s = s sprintf("%-22s ", sprintf("%.2f [%.2f..%.2f]", v, lo, hi))
        v = med(d, k); s = s sprintf("%-22s ", sprintf("%.2f [%.2f..%.2f]", v, lo, hi))
        printf "%-40s %s\n", p, s
      }' "$out/$1.txt"
  done
  echo
}

echo "== server 1: late_window 25h (so that ${hours} h of history can be loaded through the API)"
write_config 25h
jvm1=""
[[ -n "$jfr" ]] && jvm1="-XX:StartFlightRecording=filename=$jfr,settings=profile"
start_server "$out/server1.log" "$jvm1"
echo "server at $url (pid $server_pid, data $tmp/data)"

echo "== load: $endpoints endpoints x $hours h, ~$per_minute events per endpoint per minute, batches of 1,000"
timeout 3600 "${driver[@]}" load "$url" "$admin" "$endpoints" "$hours" "$per_minute" 42 \
  | tee "$out/load.txt"
echo

measure_rounds loaded
stop_server

if ((restart)); then
  echo "== server 2: restarted on the same data with the default late_window (1h)"
  write_config 1h
  t0=$(date +%s.%N)
  start_server "$out/server2.log" ""
  echo "server at $url (pid $server_pid), started and replayed in $(echo "$(date +%s.%N) - $t0" | bc) s"
  measure_rounds restarted
  stop_server
fi

echo
echo "== results ($endpoints endpoints x $hours h; raw output in $out)"
((quick)) && echo "(--quick: a smoke run; its numbers are not results)"
summarise loaded
((restart)) && summarise restarted
exit 0
