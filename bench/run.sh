#!/bin/sh
# The benchmark against the peers and the parse floor (issue 8), one command:
#   bench/run.sh [--quick] [--no-peers] [--runs N]      (or: make bench-peers)
# run from a build directory (where ./swaggate and ./bench/parse_floor are;
# `make bench-peers` builds both first). It
#  1. installs the peers from the npm registry at pinned versions into an
#     ignored folder (PEERS_DIR, default bench/peers of the source tree):
#     @apidevtools/swagger-cli, @stoplight/spectral-cli, @redocly/cli;
#  2. generates APIG specs of 100 KB, 1 MB, 10 MB and 100 MB (--quick: up to
#     10 MB), JSON and the same content as YAML, into BENCH_DATA (default
#     $TMPDIR/swaggate-bench; kept between runs);
#  3. times the parse floor, `swaggate lint` (apig profile), `swaggate
#     normalize --canonical` (when the build has it) and the peers on them and
#     on the real specs of $SWAGGATE_CORPUS (the largest JSON and YAML ones),
#     alternating, medians of RUNS (default 5) runs, peak RSS from
#     /usr/bin/time; then the whole corpus: `lint -j 2` in one process against
#     one process per file, and every document against the fastest peer;
#  4. writes its section of bench/RESULTS.md (OUT to write elsewhere).
# Needs python3, node and npm (the machine's), /usr/bin/time (Debian: apt-get
# install time). Takes about an hour without --quick (peers on 10-100 MB
# files and on every corpus document), a few minutes with it.
# Environment: SWAGGATE, PARSE_FLOOR, LINT_STAGES, SWAGGATE_CORPUS, PEERS_DIR,
# BENCH_DATA, OUT, RUNS, PEER_TIMEOUT (seconds, default 300), PEER_ONCE_MB
# (peers run once on files above it, default 20), CORPUS_PEERS (peers run on
# every corpus document: all, the default, or a list such as swagger-cli),
# PARTS (default table,stages,many,perfile; the section is rewritten after
# each file of the table and after each part, so a cut run keeps its figures).
# make bench-peers RUN_FLAGS=--quick passes options through.
set -e
here=$(cd "$(dirname "$0")" && pwd)
quick=
peers=1
runs=${RUNS:-5}
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=--quick ;;
    --no-peers) peers= ;;
    --runs) runs=$2; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
sg=${SWAGGATE:-./swaggate}
floor=${PARSE_FLOOR:-./bench/parse_floor}
stages=${LINT_STAGES:-./bench/lint_stages}
peers_dir=${PEERS_DIR:-$here/peers}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/swaggate-bench}
out=${OUT:-$here/RESULTS.md}
for p in "$sg" "$floor"; do
    [ -x "$p" ] || { echo "bench/run.sh: $p is not built (run 'make bench-peers' or set SWAGGATE/PARSE_FLOOR)" >&2; exit 2; }
done
sg=$(cd "$(dirname "$sg")" && pwd)/$(basename "$sg")
# In a build tree with shared libraries ./swaggate is libtool's wrapper script:
# time the program itself, not a shell that sets up its library path first.
if head -c 4096 "$sg" | grep -q 'libtool' && [ -x "$(dirname "$sg")/.libs/swaggate" ]; then
    LD_LIBRARY_PATH=$(dirname "$sg")/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export LD_LIBRARY_PATH
    sg=$(dirname "$sg")/.libs/swaggate
fi
floor=$(cd "$(dirname "$floor")" && pwd)/$(basename "$floor")
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is needed" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    fi
    [ -x /usr/bin/time ] || { echo "bench/run.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
fi

# 1. the peers, pinned
if [ -n "$peers" ]; then
    command -v npm >/dev/null || { echo "bench/run.sh: npm is needed for the peers (or --no-peers)" >&2; exit 2; }
    want="@apidevtools/swagger-cli@4.0.4 @stoplight/spectral-cli@6.16.3 @redocly/cli@2.77.0"
    have=1
    for p in $want; do
        name=${p%@*}
        ver=${p##*@}
        pj=$peers_dir/node_modules/$name/package.json
        grep -q "\"version\": *\"$ver\"" "$pj" 2>/dev/null || have=
    done
    if [ -z "$have" ]; then
        echo "installing the peers into $peers_dir: $want"
        mkdir -p "$peers_dir"
        [ -f "$peers_dir/package.json" ] || printf '{"name": "swaggate-bench-peers", "private": true}\n' >"$peers_dir/package.json"
        (cd "$peers_dir" && npm install --no-audit --no-fund --save-exact $want)
    fi
    printf 'extends: ["spectral:oas"]\n' >"$peers_dir/.spectral.yaml"
fi

# 2. the generated specs (about 2 500 bytes of JSON per operation)
mkdir -p "$data"
for s in 100KB:40 1MB:400 10MB:4000 100MB:40000; do
    name=${s%:*}
    n=${s#*:}
    [ -n "$quick" ] && [ "$name" = 100MB ] && continue
    f=$data/apig-$name
    if [ ! -s "$f.json" ] || [ ! -s "$f.yaml" ]; then
        echo "generating $f.json and $f.yaml ($n operations)"
        python3 "$here/gen-apig.py" "$n" >"$f.json.tmp" && mv "$f.json.tmp" "$f.json"
        python3 "$here/json2yaml.py" <"$f.json" >"$f.yaml.tmp" && mv "$f.yaml.tmp" "$f.yaml"
    fi
done

# 3, 4. measure and write
set -- --swaggate "$sg" --floor "$floor" --data "$data" --out "$out" --runs "$runs" \
    --peer-timeout "${PEER_TIMEOUT:-300}" --peer-once-mb "${PEER_ONCE_MB:-20}" \
    --corpus-peers "${CORPUS_PEERS:-all}" --parts "${PARTS:-table,stages,many,perfile}"
[ -n "$peers" ] && set -- "$@" --peers "$peers_dir" || set -- "$@" --peers "$peers_dir" --no-peers
[ -n "$quick" ] && set -- "$@" --quick
[ -x "$stages" ] && set -- "$@" --stages "$(cd "$(dirname "$stages")" && pwd)/$(basename "$stages")"
if [ -n "$SWAGGATE_CORPUS" ] && [ -d "$SWAGGATE_CORPUS" ]; then
    set -- "$@" --corpus "$SWAGGATE_CORPUS"
else
    echo "bench/run.sh: SWAGGATE_CORPUS is not set: the real specs are skipped (SWAGGATE_CORPUS=../shared/corpus-real)"
fi
exec python3 "$here/peers.py" "$@"
