#!/bin/sh
# Does `swaggate lint --profile swagger` scale linearly? Generates specs of
# 1x, 10x and 100x N path items (bench/gen-swagger.py; default N=100, so
# 100x is 20,000 path items, 50,000 operations, 20,000 definitions) and
# times `swaggate convert` (reading, and writing JSON) and the lint, best of
# REPEAT runs; check_s is the difference, the cost of the checkers. Linear
# rules keep the per-path-item check time flat across the three sizes; a
# quadratic one would multiply it by 10 at each step.
# Then, when bench/swagger_bench is built (make bench/swagger_bench), the
# same files in process: load, resolver and swagger checker apart.
# Usage: bench/swagger-scale.sh [N] [REPEAT]
#   (SWAGGATE=path/to/swaggate, SWAGGER_BENCH=path/to/swagger_bench)
here=$(cd "$(dirname "$0")" && pwd)
sg=${SWAGGATE:-./swaggate}
sb=${SWAGGER_BENCH:-./bench/swagger_bench}
n=${1:-100}
repeat=${2:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/swagger-scale.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
limits="--limit file-size=1000000000 --limit nodes=100000000"

best() { # best wall time in seconds of REPEAT runs of "$@"
    b=
    i=0
    while [ "$i" -lt "$repeat" ]; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s.%N)
        b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (b == "" || t < b) ? t : b }')
        i=$((i + 1))
    done
    echo "$b"
}

printf '%-6s %8s %10s %10s %10s %10s %14s\n' scale paths bytes convert_s lint_s check_s check_us/path
for k in 1 10 100; do
    p=$((n * k))
    f="$tmp/spec-$p.json"
    python3 "$here/gen-swagger.py" "$p" >"$f" || exit 2
    bytes=$(wc -c <"$f")
    c=$(best "$sg" convert --compact $limits "$f")
    l=$(best "$sg" lint --profile swagger --format json $limits "$f")
    # check = lint less reading (convert reads and writes the same bytes);
    # two path items per generated resource
    chk=$(awk -v l="$l" -v c="$c" 'BEGIN { d = l - c; printf "%.3f", d < 0 ? 0 : d }')
    per=$(awk -v d="$chk" -v p="$p" 'BEGIN { printf "%.1f", d * 1000000 / (p * 2) }')
    printf '%-6s %8d %10d %10.3f %10.3f %10s %14s\n' "${k}x" $((p * 2)) "$bytes" "$c" "$l" "$chk" "$per"
done
if [ -x "$sb" ]; then
    echo
    "$sb" -n "$repeat" "$tmp"/spec-*.json
fi
