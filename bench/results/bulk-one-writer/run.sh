#!/usr/bin/env bash
# Bulk charges at saturation with the CPU of the server JVM and of PostgreSQL per charge (docs/benchmarks-wallet.md,
# round of 2026-12-07): a fresh server (JAVA_OPTS extra = the setting tried), a discarded warm-up run of the
# scenario, then the measured run; the CPU of both processes is sampled every second and read over the measured
# phase's 20 s (found from the time its summary line was printed).
# usage: run.sh LABEL "JAVA_OPTS extra" [batches/s offered, default 10] [more scenario options, e.g. --own-customers=true]
set -u
label=$1; extra=$2; rate=${3:-10}; more=${4:-}
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
D=/tmp/bulk/$label-$(date +%H%M%S)
PID=$(bench/fresh-server $D "$extra")
bulk() { timeout 400 bench/run wallet-bulk-charges --url=http://127.0.0.1:18080 --password=bench-admin --customers=3000 \
  --businesses=30 --single-rate=400 --rates=$1 --warmup=5s --duration=20s --out=$D $more \
  | while IFS= read -r line; do echo "$(date +%s.%N) $line"; done; }
bulk 4 > $D/warm.txt 2>&1
ticks() { local s=0; for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
( while kill -0 $PID 2>/dev/null; do echo "$(date +%s.%N) $(ticks $PID) $(ticks $(pgrep -x postgres))"; sleep 1; done ) > $D/cpu.txt &
sampler=$!
bulk $rate > $D/measured.txt 2>&1
kill $sampler
end=$(grep "bulk charges:" $D/measured.txt | awk '{print $1}')
done_=$(grep -oP 'bulk charges: \K[0-9]+' $D/measured.txt)
python3 - "$D/cpu.txt" "$end" "$done_" "$label" "$(cut -d' ' -f1 /proc/loadavg)" "$D" <<'PY' | tee -a /tmp/bulk/results.txt
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 3]
end, done, label, load, d = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
window = [r for r in rows if end - 21 <= r[0] <= end - 1]
a, b = window[0], window[-1]
secs = b[0] - a[0]
jvm = (b[1] - a[1]) / 100 / secs
pg = (b[2] - a[2]) / 100 / secs
print(f"{label} charges={done:.0f}/s jvm_cores={jvm:.2f} pg_cores={pg:.2f} jvm_us={jvm * 1e6 / done:.0f} pg_us={pg * 1e6 / done:.0f} load={load} dir={d}")
PY
