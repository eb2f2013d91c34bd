/*
 * regex.c -- REGEXP_LIKE, REGEXP_REPLACE and REGEXP_EXTRACT, on PCRE2.
 *
 * The dialect is PCRE2's, which is Perl's and nearly Java's: the one users
 * of Flink SQL and ksqlDB write (\d, lazy quantifiers, lookaround, and the
 * leftmost alternative wins, not the longest). Patterns are UTF-8, '.'
 * matches a code point, and a subject that is not valid UTF-8 is still
 * searched (PCRE2_MATCH_INVALID_UTF: no match spans a bad byte).
 *
 * Why PCRE2 and not <regex.h>: glibc's regexec took three quarters of
 * NEXMark q21's time; PCRE2's JIT compiles a pattern to machine code once.
 * It also needs no NUL-terminated copy of the subject.
 *
 * A match that runs away (nested quantifiers on a long subject) stops at
 * PCRE2's match limit and fails its record, which goes to the dead
 * letters; it never hangs the job.
 *
 * VELO_REGEX_JIT=0 in the environment runs PCRE2's interpreter instead of
 * its JIT: the JIT's SIMD scans read aligned words past the subject's end,
 * which valgrind reports (tests/valgrind.sh sets it; the results are the
 * same either way).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "velo.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VF_RE_OPTIONS (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
#define VF_RE_MAX     (256LL * 1024 * 1024) /* refuse to build bigger strings */

/* Compiled patterns, keyed by their text, per thread (match data is not
 * shared across threads). A query uses a handful of constant patterns, so a
 * tiny round-robin cache makes compilation a once-per-job cost. */
#define VF_RE_CACHE 16
typedef struct vf_re {
    char *pat; /* copy of the pattern, NULL: empty slot */
    i64 n;
    pcre2_code *code;
    pcre2_match_data *md;
    u32 groups; /* capture groups in the pattern */
} vf_re;
static _Thread_local vf_re vf_re_cache[VF_RE_CACHE];
static _Thread_local int vf_re_next;
static _Thread_local pcre2_match_context *vf_re_mctx;
static _Thread_local pcre2_jit_stack *vf_re_stack;

static void vf_re_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

/* The JIT's default stack is 32 KB, which a long subject with a group under
 * a quantifier can overflow; give it room to 1 MB, grown on demand. */
static pcre2_match_context *vf_re_context(void)
{
    if (!vf_re_mctx) {
        vf_re_mctx = pcre2_match_context_create(NULL);
        if (!vf_re_mctx) vf_re_oom();
        vf_re_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
        if (vf_re_stack) pcre2_jit_stack_assign(vf_re_mctx, NULL, vf_re_stack);
    }
    return vf_re_mctx;
}

static void vf_re_clear(vf_re *slot)
{
    pcre2_match_data_free(slot->md);
    pcre2_code_free(slot->code);
    free(slot->pat);
    memset(slot, 0, sizeof *slot);
}

/* Compiles pattern p of n bytes; on error, msg holds PCRE2's message and
 * *off the byte offset in the pattern where it found the error. */
static pcre2_code *vf_re_compile(const char *p, i64 n, char *msg, size_t cap, i64 *off)
{
    int err = 0;
    PCRE2_SIZE at = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)(n ? p : ""), (PCRE2_SIZE)n, VF_RE_OPTIONS, &err, &at, NULL);
    if (!code) {
        PCRE2_UCHAR text[120];
        if (pcre2_get_error_message(err, text, sizeof text) < 0) snprintf((char *)text, sizeof text, "error %d", err);
        snprintf(msg, cap, "%s", (const char *)text);
        *off = (i64)at;
        return NULL;
    }
    const char *jit = getenv("VELO_REGEX_JIT");
    if (!jit || strcmp(jit, "0") != 0) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* failing, the interpreter runs it */
    return code;
}

int vf_regex_check(const char *p, i64 n, char *msg, vsize cap, i64 *off)
{
    pcre2_code *code = vf_re_compile(p, n, msg, cap, off);
    pcre2_code_free(code);
    return code ? 0 : -1;
}

static vf_re *vf_regex(velo_rt *rt, vstr pattern)
{
    char msg[200], err[120];
    i64 off = 0;

    for (int i = 0; i < VF_RE_CACHE; i++) {
        vf_re *slot = &vf_re_cache[i];
        if (slot->pat && slot->n == pattern.n && memcmp(slot->pat, pattern.p, (vsize)pattern.n) == 0) return slot;
    }
    pcre2_code *code = vf_re_compile(pattern.p, pattern.n, err, sizeof err, &off);
    if (!code) { /* failures are not cached: the next record reports it again */
        snprintf(msg, sizeof msg, "invalid regular expression: %s (at offset %lld)", err, (long long)off);
        velo_fail(rt, msg);
        return NULL;
    }
    vf_re *slot = &vf_re_cache[vf_re_next];
    vf_re_next = (vf_re_next + 1) % VF_RE_CACHE;
    vf_re_clear(slot);
    slot->code = code;
    slot->md = pcre2_match_data_create_from_pattern(code, NULL);
    slot->pat = malloc((vsize)pattern.n + 1);
    if (!slot->md || !slot->pat) vf_re_oom();
    if (pattern.n) memcpy(slot->pat, pattern.p, (vsize)pattern.n);
    slot->n = pattern.n;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &slot->groups);
    return slot;
}

/* Searches s: 1 and the match's offsets in *ov (pairs, group 0 first), 0
 * for no match, -1 for a failed search (velo_fail has been called). */
static int vf_re_match(velo_rt *rt, vf_re *re, vstr s, const PCRE2_SIZE **ov)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)(s.n ? s.p : ""), (PCRE2_SIZE)s.n, 0, 0, re->md, vf_re_context());
    *ov = pcre2_get_ovector_pointer(re->md);
    if (rc >= 0) return 1;
    if (rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR text[120];
        char msg[200];
        if (pcre2_get_error_message(rc, text, sizeof text) < 0) snprintf((char *)text, sizeof text, "error %d", rc);
        snprintf(msg, sizeof msg, "regular expression match failed: %s", (const char *)text);
        velo_fail(rt, msg);
        return -1;
    }
    return 0;
}

int vf_regexp_like(velo_rt *rt, vstr s, vstr pattern)
{
    vf_re *re = vf_regex(rt, pattern);
    const PCRE2_SIZE *ov;

    return re && vf_re_match(rt, re, s, &ov) > 0;
}

/* Expands the replacement text of a match into out (when not NULL) and
 * returns its length: \0..\9 insert groups (a group that took no part in
 * the match, or that the pattern lacks, inserts nothing), \& the whole
 * match, \\ a backslash. */
static i64 vf_re_expand(char *out, vstr repl, vstr s, const PCRE2_SIZE *ov, u32 groups)
{
    i64 n = 0;

    for (i64 i = 0; i < repl.n; i++) {
        char c = repl.p[i], d = i + 1 < repl.n ? repl.p[i + 1] : 0;
        int g = d == '&' ? 0 : (d >= '0' && d <= '9') ? d - '0' : -1;

        if (c == '\\' && g >= 0) {
            i64 k = (u32)g <= groups && ov[2 * g] != PCRE2_UNSET ? (i64)(ov[2 * g + 1] - ov[2 * g]) : 0;
            if (out && k) memcpy(out + n, s.p + ov[2 * g], (vsize)k);
            n += k;
            i++;
            continue;
        }
        if (c == '\\' && d == '\\') i++;
        if (out) out[n] = c;
        n++;
    }
    return n;
}

/* Replaces the first match, as PostgreSQL's REGEXP_REPLACE without the 'g'
 * flag. */
vstr vf_regexp_replace(velo_rt *rt, vstr s, vstr pattern, vstr repl)
{
    vf_re *re = vf_regex(rt, pattern);
    const PCRE2_SIZE *ov;
    int rc = re ? vf_re_match(rt, re, s, &ov) : -1;

    if (rc <= 0) return rc ? (vstr){s.p, 0} : s;
    i64 so = (i64)ov[0], eo = (i64)ov[1];
    i64 mid = vf_re_expand(NULL, repl, s, ov, re->groups);
    i64 n = so + mid + (s.n - eo);
    if (n > VF_RE_MAX) {
        velo_fail(rt, "REGEXP_REPLACE result too large");
        return (vstr){s.p, 0};
    }
    char *p = va_alloc(&rt->tmp, (vsize)n + 1);
    if (so) memcpy(p, s.p, (vsize)so);
    vf_re_expand(p + so, repl, s, ov, re->groups);
    if (s.n - eo) memcpy(p + so + mid, s.p + eo, (vsize)(s.n - eo));
    p[n] = '\0';
    return (vstr){p, n};
}

/* Group `group` (0: the whole match) of the first match. No match, or a
 * group that took no part in it, returns {NULL, 0}: codegen turns that
 * into SQL NULL. The span points into s, which lives as long as the
 * record. */
vstr vf_regexp_extract(velo_rt *rt, vstr s, vstr pattern, i64 group)
{
    vf_re *re = vf_regex(rt, pattern);

    if (!re) return (vstr){NULL, 0};
    if (group < 0 || group > (i64)re->groups) {
        velo_fail(rt, "REGEXP_EXTRACT group index out of range");
        return (vstr){NULL, 0};
    }
    const PCRE2_SIZE *ov;
    if (vf_re_match(rt, re, s, &ov) <= 0 || ov[2 * group] == PCRE2_UNSET) return (vstr){NULL, 0};
    i64 so = (i64)ov[2 * group];
    return (vstr){s.n ? s.p + so : "", (i64)ov[2 * group + 1] - so};
}
