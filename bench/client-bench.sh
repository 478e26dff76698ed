#!/usr/bin/env bash
# Vigil's recording client against Micrometer, Prometheus client_java and HdrHistogram:
# cost per request (JMH, RecordBenchmark), quantile accuracy (AccuracyReport) and memory per
# endpoint (MemoryReport). Raw results go to bench/results/client-<UTC time>/ (gitignored).
#
# Usage: bench/client-bench.sh [--quick] [--no-build] [--only REGEX] [-- extra JMH arguments]
#   --quick       one fork, one 200 ms warm-up and one 200 ms measurement per cell: a smoke test
#   --no-build    reuse vigil-bench/target/benchmarks.jar
#   --only REGEX  benchmarks to run instead of all of RecordBenchmark (JMH ORs include patterns,
#                 so a pattern after -- would add to the default rather than narrow it)
#   e.g. bench/client-bench.sh --only 'RecordBenchmark.twoThreads100' -- -p library=vigil,hdr
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=0
build=1
only="RecordBenchmark"
jmh_extra=()
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --only) shift; only="${1:?--only needs a regex}" ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "unknown argument: $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

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

jar="vigil-bench/target/benchmarks.jar"
if ((build)); then
  echo "== build"
  mvn -B -q -DskipTests package -pl vigil-bench -am
fi

out="bench/results/client-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

jmh_args=("$only" -prof gc -rf csv -rff "$out/record.csv")
if ((quick)); then
  jmh_args+=(-f 1 -wi 1 -i 1 -w 200ms -r 200ms)
fi
jmh_args+=("${jmh_extra[@]}")

echo "== RecordBenchmark: java -jar $jar ${jmh_args[*]}"
((quick)) && echo "(--quick: a smoke run; its numbers are not results)"
# The full log goes to record.txt; only JMH's progress lines are shown here.
java -jar "$jar" "${jmh_args[@]}" | tee "$out/record.txt" | grep --line-buffered '^# Run progress' || true
if [[ ! -s "$out/record.csv" ]]; then
  echo "JMH wrote no results; see $out/record.txt" >&2
  tail -n 30 "$out/record.txt" >&2
  exit 1
fi
status=0
if grep -q '<failure>' "$out/record.txt"; then
  echo "some benchmarks failed and are missing from the tables; see $out/record.txt" >&2
  status=1
fi
echo
echo "== time per request (ns/op with its 99.9% error, B/op from -prof gc, peer/vigil in the same mode)"
((quick)) && echo "(--quick: a smoke run; its numbers are not results)"
java -cp "$jar" dev.vigil.bench.JmhSummary "$out/record.csv" | tee "$out/summary.txt"

echo "== accuracy"
java -cp "$jar" dev.vigil.bench.AccuracyReport | tee "$out/accuracy.txt" || status=1
echo

# JOL reads object layouts through a self-attached agent where it can.
jol_flags=(-Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true)
java_major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
if ((java_major >= 21)); then
  jol_flags+=(-XX:+EnableDynamicAgentLoading)
fi
echo "== memory"
java "${jol_flags[@]}" -cp "$jar" dev.vigil.bench.MemoryReport 2>&1 | tee "$out/memory.txt" || status=1
echo
echo "raw results: $out"
exit "$status"
