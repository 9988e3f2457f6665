#!/usr/bin/env bash
# The A/B driver of docs/performance.md "Single events": a fresh server per run (JAVA_OPTS extra = the setting
# tried), a discarded JIT warm-up round, then 30 s at RATE single-event requests/s offered (wrk, open loop; 5,000 by
# default, above saturation) with the server JVM's CPU and its read/write system calls (/proc/PID/io) read from
# /proc over 20 s of it.
# usage: run.sh LABEL "JAVA_OPTS extra" [RATE]
set -u
label=$1; extra=$2; offered=${3:-5000}
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
D=/tmp/ab/$label-$(date +%H%M%S)
PID=$(bench/fresh-server $D "$extra")
# JIT warm-up round, discarded
timeout 200 bench/run eye-ingest --url=http://127.0.0.1:18080 --password=bench-admin --batch=1 --rates=$offered --generator=wrk --duration=30s --warmup=10s --drain=10s > $D/warm.txt 2>&1
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
calls() { awk '/^sysc[rw]:/ {printf "%s ", $2}' /proc/$PID/io; }
(sleep 16; t0=$(ticks); c0=$(calls); s0=$(date +%s.%N); sleep 20; t1=$(ticks); c1=$(calls); s1=$(date +%s.%N)
 echo "$t0 $t1 $s0 $s1 $c0 $c1" > $D/cpu.txt) & cpu_pid=$!
timeout 200 bench/run eye-ingest --url=http://127.0.0.1:18080 --password=bench-admin --batch=1 --rates=$offered --generator=wrk --duration=30s --warmup=10s --drain=10s > $D/measured.txt 2>&1
wait $cpu_pid
rate=$(grep -oP 'completed \K[0-9]+' $D/measured.txt | head -1)
read t0 t1 s0 s1 r0 w0 r1 w1 < $D/cpu.txt
cores=$(python3 -c "print(round(($t1-$t0)/100/($s1-$s0),3))")
us=$(python3 -c "print(round(($t1-$t0)/100/($s1-$s0)*1e6/$rate))")
p99=$(grep -oP 'p99 \K[0-9.]+' $D/measured.txt | head -1)
reads=$(python3 -c "print(round(($r1-$r0)/($s1-$s0)/$rate,2))")
writes=$(python3 -c "print(round(($w1-$w0)/($s1-$s0)/$rate,2))")
echo "$label $(date +%H:%M) completed=$rate/s jvm_cores=$cores cpu_per_req_us=$us reads_per_req=$reads writes_per_req=$writes offered=$offered p99_ms=$p99 load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a /tmp/ab/results.txt
