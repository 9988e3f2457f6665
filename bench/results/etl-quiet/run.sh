#!/usr/bin/env bash
# The ETL end to end on the quiet machine, with the CPU of each process (docs/benchmarks-etl.md, round of
# 2026-12-07): a fresh server (-Xmx512m, JAVA_OPTS extra = the setting tried) pointed at the bench's fake GitHub, a
# discarded cold round of `bench/run etl`, then the measured round over N repositories while the CPU of the server
# JVM, of PostgreSQL's processes, of the bench JVM (which serves the fake GitHub) and of the whole machine is sampled
# every half second; with PROFILE=1 the server is profiled (bench/profile) for 10 s from 2 s into the full run.
# usage: run.sh LABEL "JAVA_OPTS extra" [repositories, default 100000]
set -u
label=$1; extra=$2; n=${3:-100000}
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
D=/tmp/etl/$label-$(date +%H%M%S)
PID=$(GITHUB_API_URL=http://127.0.0.1:9479 bench/fresh-server "$D" "-Xmx512m $extra")
stamp() { while IFS= read -r line; do echo "$(date +%s.%N) $line"; done; }
etl() { timeout 600 bench/run etl --url=http://127.0.0.1:18080 --password=bench-admin --repositories=$1 \
  --unchanged=10000 --out=$D | stamp; }
etl 20000 > $D/cold.txt 2>&1
# one Python process reads /proc every half second (a shell loop forking pgrep and awk per tick took a visible share
# of the two cores itself): CPU ticks of the server JVM, of all postgres processes, of the bench JVM, of the machine
python3 - "$PID" > $D/cpu.txt <<'SAMPLER' &
import os, sys, time
server = sys.argv[1]
def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0
def cmd(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""
while os.path.exists(f"/proc/{server}"):
    pg = bench = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        c = cmd(pid)
        if c.startswith(b"postgres") or b"/bin/postgres" in c.split(b"\0")[0]:
            pg += ticks(pid)
        elif b"io.walleye.bench.Bench" in c:
            bench += ticks(pid)
    with open("/proc/stat") as f:
        cpu = f.readline().split()
    machine = sum(int(cpu[i]) for i in (1, 2, 3, 6, 7))
    print(f"{time.time():.3f} {ticks(server)} {pg} {bench} {machine}", flush=True)
    time.sleep(0.5)
SAMPLER
sampler=$!
etl $n | while IFS= read -r line; do
  echo "$line"
  case "$line" in *"Fake GitHub at"*) [ "${PROFILE:-0}" = 1 ] && (sleep 2; bench/profile $PID 10 $D/etl-profile > $D/profile.txt 2>&1) & ;; esac
done > $D/measured.txt 2>&1
kill $sampler
# not `wait`: the profiler runs in a subshell of the pipeline above, which `wait` does not see
while pgrep -f "bench/profile $PID" > /dev/null; do sleep 1; done
end=$(grep "full run:" $D/measured.txt | awk '{print $1}')
rate=$(grep -oP 'full run: .* = \K[0-9,]+' $D/measured.txt | tr -d ,)
# the run itself: from its started_at (end minus the run's seconds) to its end, not the fake GitHub's set-up before it
start=$(python3 -c "print($end - $(grep -oP 'loaded in \K[0-9.]+' $D/measured.txt))")
python3 - "$D/cpu.txt" "$start" "$end" "$rate" "$label" "$D" <<'PY' | tee -a /tmp/etl/results.txt
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 5]
start, end, rate, label, d = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
w = [r for r in rows if start <= r[0] <= end]
a, b = w[0], w[-1]
secs = b[0] - a[0]
cores = [(b[i] - a[i]) / 100 / secs for i in (1, 2, 3, 4)]
per = [c * 1e6 / rate for c in cores]
print(f"{label} repos/s={rate:.0f} cores jvm={cores[0]:.2f} pg={cores[1]:.2f} bench={cores[2]:.2f} machine={cores[3]:.2f} "
      f"us/repo jvm={per[0]:.0f} pg={per[1]:.0f} bench={per[2]:.0f} window={secs:.1f}s dir={d}")
PY
