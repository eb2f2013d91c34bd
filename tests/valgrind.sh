#!/usr/bin/env bash
# valgrind.sh -- a subset of the golden SQL cases under valgrind (memcheck):
# the compiler and the JIT-run query (veloc run) and the AOT-built job, with
# zero errors and no definite leaks allowed. Prints `N passed, N failed`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VELOC=${1:-$ROOT/veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
export VELO_REGEX_JIT=0 # PCRE2 JIT SIMD reads aligned words past the subject, see runtime/regex.c
export VELO_PREFETCH_MIN=1 # every hash join's probes fetched a batch ahead (codegen.c, cg_scan_prefetch)
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0
CASES="basic/filter_project basic/groupby_decimal basic/union_all_int_bigint agg/first_last_string_agg agg/min_max_all_types
windows/session_many_aggs windows/sliding_final types/cast_failure_dead_letter formats/csv_quoting_null formats/gzip_input
subquery/corr_scalar_select subquery/corr_in subquery/null_string_keys rewrites/redundant_joins functions/regexp_pcre
windows/sliding_distinct agg/count_distinct_types rewrites/probe_prefetch rewrites/probe_prefetch_bloom rewrites/early_bloom rewrites/key_bits rewrites/left_join_unique_group
formats/csv_late_fields formats/csv_filter_after_probe"
for c in $CASES; do
    sql=$ROOT/tests/sql/cases/$c.sql
    [ -f "$sql" ] || { echo "skip $c (no such case)"; continue; }
    dir=$(dirname "$sql")
    for mode in jit aot; do
        if [ $mode = jit ]; then
            (cd "$dir" && $VG "$VELOC" run "$sql" --format csv --quiet >"$TMP/out" 2>"$TMP/err")
        else
            "$VELOC" build "$sql" -o "$TMP/job" 2>"$TMP/err" &&
                (cd "$dir" && $VG "$TMP/job" --format csv --quiet >"$TMP/out" 2>>"$TMP/err")
        fi
        rc=$?
        if [ $rc = 99 ] || grep -q "==[0-9]*==" "$TMP/err"; then
            fail=$((fail + 1)); echo "FAIL $c [$mode]: valgrind reported errors"; grep "==" "$TMP/err" | head -20
        elif [ -f "${sql%.sql}.expected" ] && ! cmp -s "$TMP/out" "${sql%.sql}.expected"; then
            fail=$((fail + 1)); echo "FAIL $c [$mode]: output differs from the golden file"
        else
            pass=$((pass + 1)); echo "ok   $c [$mode]"
        fi
    done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
