#!/bin/sh
# Runs //examples:quick_start and checks its output, so that the README's
# first example keeps compiling and keeps printing what the README says.
set -eu
out="$("$1")"
expected='Hello, BytesIO!
GetValue(): Jello, BytesIO! (was Hello, BytesIO!)
ReadLine(): first line
ReadLine(): second line'
if [ "$out" != "$expected" ]; then
  echo "quick_start printed:"
  echo "$out"
  echo "expected:"
  echo "$expected"
  exit 1
fi
