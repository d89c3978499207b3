#!/bin/sh
# valgrind memcheck of the CLI over every input of the project's corpus:
# no invalid access, no leak, whatever the exit status of the lint itself.
top_srcdir=${1:-.}
top_builddir=${2:-.}
if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIP: valgrind not found (apt-get install valgrind)"
    exit 0
fi
bin="$top_builddir/swaggate"
[ -x "$top_builddir/.libs/swaggate" ] && bin="$top_builddir/.libs/swaggate"
export LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
pass=0 fail=0
for f in $(find "$top_srcdir/corpus" -type f -name 'input*' | sort); do
    opts=""
    [ -f "$(dirname "$f")/options" ] && opts=$(sed -n 's/^limit /--limit /p' "$(dirname "$f")/options" | tr '\n' ' ')
    for cmd in lint convert; do
        # shellcheck disable=SC2086
        if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            "$bin" $cmd $opts "$f" >/dev/null 2>/tmp/sg-valgrind.$$; then rc=0; else rc=$?; fi
        if [ "$rc" -eq 99 ]; then
            echo "valgrind error: $cmd $f"
            cat /tmp/sg-valgrind.$$
            fail=$((fail + 1))
        else
            pass=$((pass + 1))
        fi
    done
done
rm -f /tmp/sg-valgrind.$$
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
