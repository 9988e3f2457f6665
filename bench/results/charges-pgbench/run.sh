#!/usr/bin/env bash
# Charges against pgbench in one run (docs/performance.md, round of 2026-12-07 04:10): a fresh server per
# run (JAVA_OPTS extra = the setting tried), pgbench tpcb-like 20 s on its PostgreSQL, a discarded JIT warm-up round
# of charges, then 30 s of charges offered above saturation (wrk, open loop) with the CPU of the server JVM and of
# PostgreSQL's processes read from /proc over 20 s of it, then pgbench again.
# usage: run.sh LABEL "JAVA_OPTS extra" [offered charges/s]
set -u
label=$1; extra=$2; rate=${3:-3500}
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
D=/tmp/cp/$label-$(date +%H%M%S)
PID=$(bench/fresh-server $D "$extra")
pg1=$(bench/pgbench 127.0.0.1 55432 20 16 | grep -oP '^tps = \K[0-9.]+')
charges() { timeout 300 bench/run wallet-charges --url=http://127.0.0.1:18080 --password=bench-admin --customers=2000 \
  --businesses=100 --rates=$1 --generator=wrk --duration=30s --warmup=10s; }
charges 2500 > $D/warm.txt 2>&1
ticks() { local s=0; for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
pgpids() { pgrep -x postgres | tr '\n' ' '; }
(sleep 24; P=$(pgpids); j0=$(ticks $PID); p0=$(ticks $P); s0=$(date +%s.%N); sleep 20; j1=$(ticks $PID); p1=$(ticks $P); s1=$(date +%s.%N)
 echo "$j0 $j1 $p0 $p1 $s0 $s1" > $D/cpu.txt) & cpu_pid=$!
charges $rate > $D/measured.txt 2>&1
wait $cpu_pid
pg2=$(bench/pgbench 127.0.0.1 55432 20 16 | grep -oP '^tps = \K[0-9.]+')
done_=$(grep -oP 'completed \K[0-9]+' $D/measured.txt | head -1)
read j0 j1 p0 p1 s0 s1 < $D/cpu.txt
jus=$(python3 -c "print(round(($j1-$j0)/100/($s1-$s0)*1e6/$done_))")
pus=$(python3 -c "print(round(($p1-$p0)/100/($s1-$s0)*1e6/$done_))")
ratio=$(python3 -c "print(round($done_/(($pg1+$pg2)/2),3))")
p99=$(grep -oP 'p99 \K[0-9.]+' $D/measured.txt | head -1)
echo "$label $(date +%H:%M) charges=$done_/s pgbench=$pg1,$pg2 ratio=$ratio jvm_us=$jus pg_us=$pus p99_ms=$p99 load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a /tmp/cp/results.txt
