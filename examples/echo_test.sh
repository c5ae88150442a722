#!/bin/sh
# Runs //examples:echo with small numbers: three connections, random frame
# sizes up to 256 KiB, every frame verified by the program itself (it exits
# non-zero on any mismatch or after the timeout), and checks the report line.
set -eu
out="$("$1" --connections=3 --frames=150 --max_frame_size=262144 --timeout_s=50)"
echo "$out"
case "$out" in
  "echo: 3 connections, 450 frames"*"frames/s"*"MB/s") ;;
  *) echo "unexpected output"; exit 1 ;;
esac
