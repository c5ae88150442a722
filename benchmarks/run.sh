#!/usr/bin/env bash
# Builds the benchmark suite optimised (--config=opt), runs every binary with
# JSON output (medians of repetitions), and prints the side-by-side table of
# bytesio against its baselines plus MET/MISSED for each bar.
#
#   benchmarks/run.sh                       # the whole suite, ~3-5 minutes
#   benchmarks/run.sh --results             # also rewrite benchmarks/RESULTS.md
#                                           # and the README's performance table
#   MIN_TIME=0.05 REPS=1 benchmarks/run.sh  # a quick look
#   benchmarks/run.sh --benchmark_filter=Frame   # any Google Benchmark flag
#
# Environment: MIN_TIME (seconds per benchmark, default 0.1), REPS
# (repetitions, default 3), OUT (directory for the JSON files, default a new
# temporary one).
set -euo pipefail
cd "$(dirname "$0")/.."

write_results=0
bench_args=()
for arg in "$@"; do
  if [[ "$arg" == "--results" ]]; then
    write_results=1
  else
    bench_args+=("$arg")
  fi
done

min_time="${MIN_TIME:-0.1}"
reps="${REPS:-3}"
out="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/bytesio_bench.XXXXXX")}"
mkdir -p "$out"

./bazelw build --config=opt //benchmarks:all >&2
# The output directory of this configuration (bazel-bin may point at another
# configuration if someone builds concurrently).
bin="$(./bazelw info --config=opt bazel-bin 2>/dev/null)/benchmarks"

binaries=(rope_benchmark bytes_io_benchmark framing_benchmark limits_benchmark
          memory_benchmark protobuf_benchmark)
for name in "${binaries[@]}"; do
  echo "running $name ..." >&2
  "$bin/$name" \
    --benchmark_min_time="$min_time" \
    --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$name.json" \
    --benchmark_out_format=json \
    ${bench_args[@]+"${bench_args[@]}"} >&2
done

report_args=("$out"/*.json)
if (( write_results )); then
  report_args+=(--results benchmarks/RESULTS.md --readme README.md)
fi
python3 benchmarks/report.py "${report_args[@]}"
echo "JSON in $out" >&2
