import sys, re, html
# usage: chart.py TITLE OUT.svg metric < results lines (label HH:MM key=value ...)
title, out, metric = sys.argv[1], sys.argv[2], sys.argv[3]
runs = []
for line in sys.stdin:
    p = line.split()
    if len(p) < 3: continue
    kv = dict(x.split('=', 1) for x in p[2:] if '=' in x)
    runs.append((p[0], p[1], float(kv[metric].rstrip('/s')), kv))
colors = {}
palette = ['#888', '#2a7', '#27c', '#c72', '#a3a']
W, H, left, top, bottom = 760, 340, 60, 30, 280
vmax = max(r[2] for r in runs) * 1.15
step = (W - left - 10) / len(runs)
s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
     f'<text x="{W/2}" y="18" text-anchor="middle" font-size="13">{html.escape(title)}</text>']
tick = 50 if vmax < 500 else 100
for t in range(0, int(vmax) + 1, tick):
    y = bottom - (bottom - top) * t / vmax
    s.append(f'<line x1="{left}" x2="{W-10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/><text x="{left-5}" y="{y+4:.1f}" text-anchor="end">{t}</text>')
for i, (label, at, v, kv) in enumerate(runs):
    c = colors.setdefault(label, palette[len(colors) % len(palette)])
    x = left + i * step + step * 0.15
    h = (bottom - top) * v / vmax
    s.append(f'<rect x="{x:.1f}" y="{bottom-h:.1f}" width="{step*0.7:.1f}" height="{h:.1f}" fill="{c}"/>')
    s.append(f'<text x="{x+step*0.35:.1f}" y="{bottom-h-4:.1f}" text-anchor="middle">{v:g}</text>')
    s.append(f'<text x="{x+step*0.35:.1f}" y="{bottom+14}" text-anchor="middle">{at}</text>')
for j, (label, c) in enumerate(colors.items()):
    s.append(f'<rect x="{left + j*230}" y="{bottom+26}" width="10" height="10" fill="{c}"/><text x="{left + j*230 + 14}" y="{bottom+35}">{html.escape(label)}</text>')
s.append('</svg>')
open(out, 'w').write('\n'.join(s) + '\n')
