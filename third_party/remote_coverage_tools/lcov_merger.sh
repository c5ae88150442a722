#!/usr/bin/env bash
# Minimal LcovMerger: concatenates every *.dat file under --coverage_dir into
# --output_file. Other flags (--filter_sources, --source_file_manifest, ...)
# are accepted and ignored.
set -euo pipefail
coverage_dir=""
output_file=""
for arg in "$@"; do
  case "$arg" in
    --coverage_dir=*) coverage_dir="${arg#*=}" ;;
    --output_file=*) output_file="${arg#*=}" ;;
  esac
done
if [[ -z "$coverage_dir" || -z "$output_file" ]]; then
  echo "lcov_merger: --coverage_dir and --output_file are required" >&2
  exit 1
fi
tmp="$(mktemp)"
find "$coverage_dir" -type f -name '*.dat' ! -path "$output_file" -print0 |
  sort -z | xargs -0 -r cat -- >"$tmp"
mkdir -p "$(dirname "$output_file")"
mv -f "$tmp" "$output_file"
