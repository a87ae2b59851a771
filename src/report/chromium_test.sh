#!/bin/sh
# chromium_test.sh — e2e test of `engram-kern report`: a short real bench run rendered to HTML,
# loaded in headless Chromium; the DOM Chromium built must hold the charts, each with bars of
# non-zero size. Usage: chromium_test.sh ENGRAM_KERN CHROMIUM OUT_DIR (report.html/.png go there).
set -eu
cli=$1
chromium=$2
out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

"$cli" bench --workload cosine/d768/n256 --repetitions 6 --min-time 0.01 --peers --format json \
  >"$work/bench.json"
"$cli" report "$work/bench.json" -o "$out/report.html" \
  --command "engram-kern bench --workload cosine/d768/n256 --repetitions 6 --peers"

# No network, no profile state: the page must render from the file alone.
browse() {
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --window-size=1100,1600 "$@" "file://$out/report.html" \
    2>>"$work/chromium.log"
}
browse --dump-dom >"$work/dom.html"
browse --screenshot="$out/report.png" >/dev/null

python3 - "$work/dom.html" "$out/report.png" <<'PY'
import sys
from html.parser import HTMLParser

class Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts = []  # per <svg>: [bars with non-zero size, non-empty paths]
        self.depth = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.depth += 1
            self.charts.append([0, 0])
        elif self.depth and tag == "rect":
            if float(a.get("width", 0)) > 0 and float(a.get("height", 0)) > 0:
                self.charts[-1][0] += 1
        elif self.depth and tag == "path" and a.get("d", "").strip():
            self.charts[-1][1] += 1
    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1

p = Charts()
p.feed(open(sys.argv[1], encoding="utf-8").read())
# One cosine workload: speed-up, roofline, and (peers built in or not) the peers chart or its note.
assert len(p.charts) >= 2, f"expected at least 2 charts, found {len(p.charts)}"
for i, (bars, paths) in enumerate(p.charts):
    assert bars > 0 and paths > 0, f"chart {i} is empty: {bars} bars, {paths} paths"
assert open(sys.argv[2], "rb").read(8) == b"\x89PNG\r\n\x1a\n", "no screenshot"
print(f"{len(p.charts)} charts, bars per chart: {[c[0] for c in p.charts]}")
PY
