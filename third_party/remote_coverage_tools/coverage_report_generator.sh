#!/usr/bin/env bash
# Minimal coverage report generator (for --combined_report=lcov): concatenates
# the LCOV files listed in --reports_file into --output_file.
set -euo pipefail
reports_file=""
output_file=""
for arg in "$@"; do
  case "$arg" in
    --reports_file=*) reports_file="${arg#*=}" ;;
    --output_file=*) output_file="${arg#*=}" ;;
  esac
done
if [[ -z "$reports_file" || -z "$output_file" ]]; then
  echo "coverage_report_generator: --reports_file and --output_file are required" >&2
  exit 1
fi
mkdir -p "$(dirname "$output_file")"
: >"$output_file"
while IFS= read -r report; do
  if [[ -n "$report" && -f "$report" ]]; then cat -- "$report" >>"$output_file"; fi
done <"$reports_file"
