#!/usr/bin/env bash
# The A/B driver of docs/performance.md "Single events": a fresh server per run (JAVA_OPTS extra = the setting
# tried), a discarded JIT warm-up round, then 30 s at 5,000 single-event requests/s offered (wrk, open loop) with the
# server JVM's CPU read from /proc over 20 s of it.
# usage: run.sh LABEL "JAVA_OPTS extra"
set -u
label=$1; extra=$2
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
D=/tmp/ab/$label-$(date +%H%M%S)
PID=$(bench/fresh-server $D "$extra")
# JIT warm-up round, discarded
timeout 200 bench/run eye-ingest --url=http://127.0.0.1:18080 --password=bench-admin --batch=1 --rates=5000 --generator=wrk --duration=30s --warmup=10s --drain=10s > $D/warm.txt 2>&1
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
(sleep 16; t0=$(ticks); s0=$(date +%s.%N); sleep 20; t1=$(ticks); s1=$(date +%s.%N); echo "$t0 $t1 $s0 $s1" > $D/cpu.txt) & cpu_pid=$!
timeout 200 bench/run eye-ingest --url=http://127.0.0.1:18080 --password=bench-admin --batch=1 --rates=5000 --generator=wrk --duration=30s --warmup=10s --drain=10s > $D/measured.txt 2>&1
wait $cpu_pid
rate=$(grep -oP 'completed \K[0-9]+' $D/measured.txt | head -1)
read t0 t1 s0 s1 < $D/cpu.txt
cores=$(python3 -c "print(round(($t1-$t0)/100/($s1-$s0),3))")
us=$(python3 -c "print(round(($t1-$t0)/100/($s1-$s0)*1e6/$rate))")
p99=$(grep -oP 'p99 \K[0-9.]+' $D/measured.txt | head -1)
echo "$label $(date +%H:%M) completed=$rate/s jvm_cores=$cores cpu_per_req_us=$us p99_ms=$p99 load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a /tmp/ab/results.txt
