#!/usr/bin/env bash
# `siege report` in a real browser: headless Chromium renders generated report.html files.
#
# Usage: scripts/report-browser-test.sh [--allow-skip] [--keep]
#   --allow-skip  exit 0 (after printing "report-browser-test: SKIPPED (reason)") when
#                 Chromium is missing and cannot be installed; without it that is a failure
#   --keep        keep the temporary directory (reports, screenshots, browser logs)
# Environment: SIEGE_BIN (default: target/release/siege of this repository).
#
# Installs Debian's `chromium` with apt-get when it is absent (needs root). Then, for a run, a
# check, an optimise and a sensitivity directory written by siege into one `mktemp -d` directory:
#   1. writes report.html with `siege report`;
#   2. renders it with headless Chromium (no sandbox, no GPU, no network services, a throwaway
#      profile) to a screenshot, logging the page's console to stderr; the report's
#      Content-Security-Policy forbids every outside resource, so a reference to one is refused
#      and logged too;
#   3. fails on any console message (errors, refused resources), on a screenshot that is blank
#      (fewer than 2% non-white pixels or under 64 distinct colours: the charts are missing), and
#      when the rendered DOM (--dump-dom) lacks the report's sections.
# Takes about 10 s once Chromium is installed.

set -euo pipefail

allow_skip=0
keep=0
for arg in "$@"; do
    case $arg in
        --allow-skip) allow_skip=1 ;;
        --keep) keep=1 ;;
        -h | --help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "report-browser-test: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { echo "report-browser-test: $*"; }
fail() {
    echo "report-browser-test: FAIL: $*" >&2
    exit 1
}
skip() {
    say "SKIPPED ($1)"
    ((allow_skip)) && exit 0
    echo "report-browser-test: FAIL: Chromium is unavailable and --allow-skip was not given" >&2
    exit 1
}

siege_bin=${SIEGE_BIN:-$root/target/release/siege}
[[ -x $siege_bin ]] || fail "no siege binary at $siege_bin (build it: cargo build --release, or set SIEGE_BIN)"
command -v python3 >/dev/null || fail "python3 is needed to check the screenshot"

tmp=$(mktemp -d)
cleanup() {
    if ((keep)); then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
    [[ $(id -u) -eq 0 ]] || skip "chromium is not installed and installing it needs root"
    command -v apt-get >/dev/null || skip "chromium is not installed and there is no apt-get"
    say "installing chromium with apt-get"
    install_log=$tmp/apt.log
    install() { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >>"$install_log" 2>&1; }
    if ! install; then
        DEBIAN_FRONTEND=noninteractive apt-get update >>"$install_log" 2>&1 || true
        install || { tail -n 5 "$install_log" >&2; skip "apt-get install chromium failed"; }
    fi
    browser=$(command -v chromium || true)
    [[ -n $browser ]] || skip "chromium is not on PATH after installing it"
fi
say "browser: $("$browser" --version 2>/dev/null | head -n 1)"

cd "$root"
"$siege_bin" run scenarios/farabougou_2020.toml --replicates 3 --no-charts --out "$tmp/run" >"$tmp/run.log"
set +e
"$siege_bin" check scenarios/farabougou_2020.toml --facts validation/farabougou_2020.csv --replicates 3 \
    --no-charts --out "$tmp/check" >"$tmp/check.log"
status=$?
set -e
((status <= 1)) || fail "siege check exited $status (see $tmp/check.log)"

# An optimisation (a village, 8 candidate plans) and a sensitivity analysis, both small.
cat >"$tmp/optimise.toml" <<EOF
[optimise]
name = "small"
scenario = "$root/scenarios/village_cutoff.toml"
set = ["population.size=400", "simulation.days=40", "events=[]", "food.stock_days_mean=5"]
vary = ["airdrops.0.day=2,10,18,26", "airdrops.0.sorties=1..2"]
start_replicates = 2
max_replicates = 8
EOF
"$siege_bin" optimise "$tmp/optimise.toml" --no-charts --out "$tmp/optimise" >"$tmp/optimise.log"
"$siege_bin" sensitivity scenarios/farabougou_sensitivity.toml --samples 2 --replicates 1 --bootstrap 100 \
    --no-charts --out "$tmp/sensitivity" >"$tmp/sensitivity.log"

# Chromium, headless, with nothing of its own reaching out; $1 the page, then its own flags.
render() {
    local page=$1
    shift
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --user-data-dir="$(mktemp -d -p "$tmp")" \
        "$@" "file://$page"
}

for kind in run check optimise sensitivity; do
    dir=$tmp/$kind
    "$siege_bin" report "$dir" >/dev/null
    page=$dir/report.html
    shot=$tmp/$kind.png
    render "$page" --enable-logging=stderr --v=0 --hide-scrollbars --window-size=1280,3000 \
        --screenshot="$shot" >"$tmp/$kind.out" 2>"$tmp/$kind.err" ||
        { tail -n 20 "$tmp/$kind.err" >&2; fail "$kind: chromium failed to render $page"; }
    [[ -s $shot ]] || fail "$kind: no screenshot written"
    if grep -E ':CONSOLE|Uncaught|Refused to' "$tmp/$kind.err" >"$tmp/$kind.console"; then
        cat "$tmp/$kind.console" >&2
        fail "$kind: the page logged console messages (above)"
    fi
    render "$page" --dump-dom >"$tmp/$kind.dom" 2>/dev/null || fail "$kind: chromium --dump-dom failed"
    sections=("Key numbers" "Charts" "Provenance" "<svg")
    [[ $kind == run || $kind == check ]] && sections+=("Food balance" "Assumptions in effect")
    [[ $kind == optimise ]] && sections+=("The chosen plan is" "saved vs nothing")
    [[ $kind == sensitivity ]] && sections+=("The assumptions that move it most")
    for section in "${sections[@]}"; do
        grep -qF "$section" "$tmp/$kind.dom" || fail "$kind: the rendered page has no \"$section\""
    done
    if [[ $kind == check ]]; then
        grep -qF "Documented facts" "$tmp/$kind.dom" || fail "check: the rendered page has no check table"
    fi
    python3 - "$shot" <<'PY' || fail "$kind: the screenshot is blank"
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}"
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours, ink, total = set(), 0, 0
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4:
        continue
    for x in range(0, width, 4):
        px = bytes(line[x * bpp:x * bpp + 3])
        colours.add(px)
        total += 1
        if min(px) < 240:
            ink += 1
share = ink / max(total, 1)
print(f"report-browser-test: {sys.argv[1].rsplit('/', 1)[-1]}: {width}x{height}, {share:.1%} non-white, {len(colours)} colours")
sys.exit(0 if share >= 0.02 and len(colours) >= 64 else 1)
PY
    say "$kind: report.html rendered without console messages"
done
say "PASSED ($((SECONDS)) s)"
