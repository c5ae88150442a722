#!/bin/sh
# Runs an example program ($1) and checks that it exits 0 and that its output
# contains the text $2, so that examples keep compiling and keep working.
set -eu
out="$("$1")"
echo "$out"
case "$out" in
  *"$2"*) ;;
  *) echo "expected the output to contain: $2"; exit 1 ;;
esac
