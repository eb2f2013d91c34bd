/*
 * velo.h -- the libvelo API as seen by generated query code.
 *
 * codegen copies this file verbatim to the top of every generated C file (the
 * "prelude"), so it must stay free of system headers: libtcc compiles a query
 * in about a millisecond only because it never parses <stdio.h> and friends.
 * Everything a query needs from the outside world goes through these calls.
 *
 * Conventions:
 *   - SQL values are plain C scalars plus a separate null flag (u8, 1 = NULL):
 *     BOOLEAN int, INTEGER/BIGINT i64, DOUBLE double, DECIMAL(p,s) i64 scaled by
 *     10^s ("ScaledInteger"), STRING vstr, TIMESTAMP i64 microseconds since the
 *     Unix epoch (UTC), INTERVAL i64 microseconds.
 *   - An operation that fails for one record (overflow, division by zero, bad
 *     conversion) calls velo_fail(); generated code tests rt->err right after
 *     and routes the record to the dead-letter sink with velo_bad_record().
 *   - Strings produced while processing a record live in rt->tmp, which the
 *     scan resets before each record; state that outlives a record copies them
 *     into an arena of its own (va_strdup).
 */
#ifndef VELO_H
#define VELO_H

typedef signed char i8;
typedef unsigned char u8;
typedef int i32;
typedef unsigned int u32;
typedef long long i64;
typedef unsigned long long u64;
typedef unsigned long vsize;

#define VELO_I64_MAX 9223372036854775807LL
#define VELO_I64_MIN (-VELO_I64_MAX - 1LL)

/* SQL type tags, shared by the compiler, the runtime and generated code. */
enum { VT_NULL = 0, VT_BOOL, VT_INT, VT_BIGINT, VT_DOUBLE, VT_DECIMAL, VT_STRING, VT_TIMESTAMP, VT_INTERVAL, VT__COUNT };

typedef struct vstr {
    const char *p;
    i64 n;
} vstr;

/* The few libc entry points generated code may call (resolved at link time). */
int memcmp(const void *a, const void *b, vsize n);
void *memcpy(void *d, const void *s, vsize n);
void *memset(void *d, int c, vsize n);
void *memmove(void *d, const void *s, vsize n); /* libtcc emits it for struct copies */
void qsort(void *base, vsize n, vsize sz, int (*cmp)(const void *, const void *));
void *malloc(vsize n);
void *realloc(void *p, vsize n);
void *calloc(vsize n, vsize sz);
void free(void *p);

/* ---- arena: bump allocator for lifetimes that end together ---------------- */
typedef struct velo_arena {
    struct va_chunk *head;
    char *cur, *end;
    i64 used;  /* bytes handed out since the last reset */
    int owner; /* memory accounting: operator id + 1 whose state this is, 0 unknown,
                  -1 not state (per-record scratch) */
} velo_arena;

void *va_alloc(velo_arena *a, vsize n); /* 8-byte aligned; aborts cleanly on OOM */
vstr va_strdup(velo_arena *a, vstr s);
void va_reset(velo_arena *a); /* keeps the first chunk for reuse */
void va_free(velo_arena *a);

/* ---- job context -------------------------------------------------------- */
typedef struct velo_rt {
    int err;            /* nonzero: the current record failed */
    const char *errmsg; /* why (valid until the next record) */
    velo_arena tmp;     /* per-record scratch */
    velo_arena perm;    /* whole-job lifetime */
    struct velo_rt_priv *priv;
    i64 prefetch_min; /* hash joins of this many slots or more are probed a batch
                         ahead (codegen.c, cg_scan_prefetch); VELO_PREFETCH_MIN,
                         a test knob, sets it */
} velo_rt;

/* Mark the current record as failed; msg is copied. Returns 0 for convenience. */
i64 velo_fail(velo_rt *rt, const char *msg);
/* Count the current record as bad, send it with rt->errmsg (or msg if not
 * NULL) and its source context to the dead-letter sink, clear rt->err. Under
 * 'error.policy' = 'fail' this stops the job (velo_stopped() turns true). */
void velo_bad_record(velo_rt *rt, int op_id, const char *msg);
/* A record whose windows have all closed (event time ts, watermark wm):
 * counted, and sent to the dead-letter sink unless the strategy is drop. */
void velo_late_record(velo_rt *rt, int op_id, int dead_letter, i64 ts, i64 wm);
int velo_stopped(velo_rt *rt); /* SIGINT/SIGTERM or a fatal error: finish now */
/* Report a fatal runtime failure (I/O error, ...); the job exits with status 1. */
void velo_fatal(velo_rt *rt, const char *fmt_msg);

/* ---- checked integer arithmetic (BIGINT; INTEGER results are range-checked) */
i64 vi_add(velo_rt *rt, i64 a, i64 b);
i64 vi_sub(velo_rt *rt, i64 a, i64 b);
i64 vi_mul(velo_rt *rt, i64 a, i64 b);
i64 vi_div(velo_rt *rt, i64 a, i64 b); /* truncates toward zero; /0 fails */
i64 vi_mod(velo_rt *rt, i64 a, i64 b); /* sign of the dividend; %0 fails */
i64 vi_neg(velo_rt *rt, i64 a);
i64 vi_check_i32(velo_rt *rt, i64 v);             /* INTEGER overflow check */
double vf64_div(velo_rt *rt, double a, double b); /* /0 fails (SQL error, not inf) */
double vf64_mod(velo_rt *rt, double a, double b);

/* ---- DECIMAL: i64 scaled by 10^scale, scale 0..18 ---------------------- */
extern const i64 vd_pow10[19];
i64 vd_rescale(velo_rt *rt, i64 v, int from, int to); /* half away from zero */
i64 vd_add(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr);
i64 vd_sub(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr);
i64 vd_mul(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr); /* 128-bit intermediate */
i64 vd_div(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr);
i64 vd_mod(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr);
i64 vd_check_prec(velo_rt *rt, i64 v, int prec); /* fails if |v| >= 10^prec */
int vd_cmp(i64 a, int sa, i64 b, int sb);        /* exact, -1/0/1 */
/* ROUND(v, digits): result scale is max(0, min(s, digits)); digits < 0 rounds
 * to tens, hundreds, ... at scale 0. */
i64 vd_round(velo_rt *rt, i64 v, int s, int digits);
i64 vd_trunc(velo_rt *rt, i64 v, int s, int digits); /* same scale rule */
i64 vd_floor(velo_rt *rt, i64 v, int s);             /* result scale 0 */
i64 vd_ceil(velo_rt *rt, i64 v, int s);              /* result scale 0 */
double vd_to_f64(i64 v, int s);
i64 vd_from_f64(velo_rt *rt, double d, int s);
i64 vd_from_i64(velo_rt *rt, i64 v, int s);
i64 vd_to_i64(velo_rt *rt, i64 v, int s); /* half away from zero */
/* Parse text ("-12.345", "1e3" is rejected) at scale s, rounding extra
 * digits half away from zero. 0 ok, 1 syntax error, 2 out of range. */
int vd_parse(const char *p, i64 n, int s, i64 *out);
int vd_format(char *buf, i64 v, int s); /* buf >= 32 bytes; returns length */

/* ---- TIMESTAMP (µs since epoch, UTC) and INTERVAL (µs) ------------------ */
enum {
    VT_F_YEAR,
    VT_F_QUARTER,
    VT_F_MONTH,
    VT_F_WEEK,
    VT_F_DAY,
    VT_F_DOW,
    VT_F_DOY,
    VT_F_HOUR,
    VT_F_MINUTE,
    VT_F_SECOND,
    VT_F_MILLISECOND,
    VT_F_MICROSECOND,
    VT_F_EPOCH
};
/* ISO-8601: "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]]" with optional
 * "Z" or "+HH[:MM]"/"-HH[:MM]". 0 ok, nonzero error. */
int vt_parse(const char *p, i64 n, i64 *out);
int vt_format(char *buf, i64 ts);     /* "2026-03-02 09:30:00[.125]" trailing zeros trimmed; buf >= 40 */
int vt_format_iso(char *buf, i64 ts); /* "2026-03-02T09:30:00[.125]Z" */
/* the calendar date of ts and its microseconds since midnight */
void vt_civil_of(i64 ts, i64 *y, int *m, int *d, i64 *us_of_day);
i64 vt_extract(int field, i64 ts);            /* SECOND is whole seconds; EPOCH whole seconds */
i64 vt_trunc(velo_rt *rt, int field, i64 ts); /* DATE_TRUNC; WEEK starts Monday */
i64 vt_add_months(velo_rt *rt, i64 ts, i64 months);
i64 vt_now(void);
int vt_parse_duration(const char *p, i64 n, i64 *out); /* "100ms" "30s" "5m" "1h" "1d" */

/* ---- strings ------------------------------------------------------------ */
int vs_cmp(vstr a, vstr b); /* bytewise, then by length */
static inline int vs_eq(vstr a, vstr b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, (vsize)a.n) == 0);
}
vstr vs_concat(velo_rt *rt, vstr a, vstr b);
int vs_like(vstr s, vstr pat, int esc); /* % and _, esc < 0: none; UTF-8 aware '_' */
int vs_like_segments(vstr s, vstr pat); /* pat is %lit%lit%...%: the literals in order (memmem) */
vstr vs_from_i64(velo_rt *rt, i64 v);
vstr vs_from_f64(velo_rt *rt, double v);
vstr vs_from_dec(velo_rt *rt, i64 v, int s);
vstr vs_from_ts(velo_rt *rt, i64 ts);
vstr vs_from_bool(velo_rt *rt, int b);
/* CAST(string AS ...): fail on bad text */
i64 vs_to_i64(velo_rt *rt, vstr s);
double vs_to_f64(velo_rt *rt, vstr s);
i64 vs_to_dec(velo_rt *rt, vstr s, int prec, int scale);
i64 vs_to_ts(velo_rt *rt, vstr s);
int vs_to_bool(velo_rt *rt, vstr s);
double vs_f64_nan(void);

/* ---- hashing ------------------------------------------------------------ */
u64 vh_bytes(const void *p, vsize n, u64 seed);
static inline u64 vh_mix(u64 h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}
/* Forced inline for the few helpers that run on every probe row: in a large
 * pipeline GCC had left vh_bloom_bits out of line, a call per lineitem row of
 * TPC-H q22. tcc inlines nothing and ignores it. */
#if defined(__GNUC__) && !defined(__TINYC__)
#define VH_HOT __attribute__((always_inline))
#else
#define VH_HOT
#endif
/* A prefetch of the line at p, for hash-join probes fetched a batch ahead
 * (codegen.c, cg_scan_prefetch); tcc has none, and its jobs skip the pass. */
#if defined(__GNUC__) && !defined(__TINYC__)
#define VH_PREFETCH_ON 1
#define VH_PREFETCH(p) __builtin_prefetch(p)
#else
#define VH_PREFETCH_ON 0
#define VH_PREFETCH(p) ((void)(p))
#endif
/* The three bits of hash h in its word of a blocked Bloom filter (hash
 * joins; the word is chosen by bits 40 and up). */
VH_HOT static inline u64 vh_bloom_bits(u64 h)
{
    return (1ULL << ((h >> 20) & 63)) | (1ULL << ((h >> 26) & 63)) | (1ULL << ((h >> 32) & 63));
}
/* 1 when hash h may be in the filter b of mask + 1 words, 0 when it is not. */
VH_HOT static inline int vh_bloom_may(const u64 *b, u64 mask, u64 h)
{
    u64 bits = vh_bloom_bits(h);
    return (b[(h >> 40) & mask] & bits) == bits;
}
/* 1 when integer key k is one of the build keys, whose range from kmin
 * spans krange values, set in the bitmap b; exact, and no hash to compute
 * (cg_join_probe, when the range is small enough). A key below kmin wraps
 * past krange. */
VH_HOT static inline int vh_bits_has(const u64 *b, i64 kmin, u64 krange, i64 k)
{
    u64 o = (u64)k - (u64)kmin;
    return o < krange && (b[o >> 6] >> (o & 63) & 1);
}
static inline u64 vh_i64(i64 v, u64 seed)
{
    return vh_mix((u64)v ^ seed) + seed;
}
static inline u64 vh_str(vstr s, u64 seed)
{
    return vh_bytes(s.p, (vsize)s.n, seed);
}
/* The bits a DOUBLE key is known by, in hashes and COUNT(DISTINCT): -0.0 is
 * 0.0, and every NaN is one value. */
static inline u64 vh_f64_bits(double d)
{
    u64 b;
    if (d == 0) d = 0;
    if (d != d) return 0x7ff8000000000000ULL;
    memcpy(&b, &d, 8);
    return b;
}
u64 vh_f64(double v, u64 seed); /* vh_i64 of vh_f64_bits */

/* ---- scalar functions (runtime/functions.c) ------------------------------
 * Strict: codegen short-circuits NULL arguments, so these never see NULL.
 * Functions returning vstr allocate in rt->tmp. Failing ones call velo_fail. */
double vf_sqrt(velo_rt *rt, double x); /* x < 0 fails */
double vf_ln(velo_rt *rt, double x);   /* x <= 0 fails */
double vf_log10(velo_rt *rt, double x);
double vf_log(velo_rt *rt, double base, double x);
double vf_exp(double x);
double vf_power(velo_rt *rt, double x, double y);
double vf_cbrt(double x);
double vf_sin(double x);
double vf_cos(double x);
double vf_tan(double x);
double vf_asin(velo_rt *rt, double x);
double vf_acos(velo_rt *rt, double x);
double vf_atan(double x);
double vf_atan2(double y, double x);
double vf_degrees(double x);
double vf_radians(double x);
double vf_pi(void);
double vf_random(velo_rt *rt);
double vf_floor(double x);
double vf_ceil(double x);
double vf_round(double x, i64 digits); /* half away from zero */
double vf_trunc(double x, i64 digits);
i64 vf_sign_f64(double x);
i64 vf_char_length(vstr s);         /* UTF-8 code points */
vstr vf_upper(velo_rt *rt, vstr s); /* ASCII letters only */
vstr vf_lower(velo_rt *rt, vstr s);
vstr vf_initcap(velo_rt *rt, vstr s);
vstr vf_trim(vstr s); /* spaces; returns a slice, no copy */
vstr vf_ltrim(vstr s);
vstr vf_rtrim(vstr s);
vstr vf_substr(vstr s, i64 start, i64 len, int has_len); /* 1-based, code points, SQL rules */
vstr vf_left(vstr s, i64 n);                             /* negative n: all but last |n| */
vstr vf_right(vstr s, i64 n);
vstr vf_replace(velo_rt *rt, vstr s, vstr from, vstr to);
i64 vf_position(vstr needle, vstr hay); /* 1-based code point index, 0 if absent */
vstr vf_reverse(velo_rt *rt, vstr s);   /* by code point */
vstr vf_repeat(velo_rt *rt, vstr s, i64 n);
vstr vf_lpad(velo_rt *rt, vstr s, i64 len, vstr fill);
vstr vf_rpad(velo_rt *rt, vstr s, i64 len, vstr fill);
vstr vf_split_part(velo_rt *rt, vstr s, vstr delim, i64 n);
int vf_starts_with(vstr s, vstr prefix);
int vf_ends_with(vstr s, vstr suffix);
/* regular expressions (runtime/regex.c): PCRE2 syntax, UTF-8; a bad pattern fails */
int vf_regexp_like(velo_rt *rt, vstr s, vstr pattern);
vstr vf_regexp_replace(velo_rt *rt, vstr s, vstr pattern, vstr repl);
vstr vf_regexp_extract(velo_rt *rt, vstr s, vstr pattern, i64 group); /* no match: {NULL, 0} */
/* 0 when pattern p compiles; else -1, PCRE2's message in msg and the
 * byte offset of the error in *off (the binder checks constant patterns) */
int vf_regex_check(const char *p, i64 n, char *msg, vsize cap, i64 *off);
vstr vf_json_value(velo_rt *rt, vstr json, vstr path, int *is_null); /* '$.a.b[0]' */
vstr vf_md5(velo_rt *rt, vstr s);                                    /* lowercase hex */
i64 vf_ascii(vstr s);
vstr vf_chr(velo_rt *rt, i64 code);
vstr vf_date_format(velo_rt *rt, i64 ts, vstr fmt); /* strftime subset: %Y %m %d %H %M %S %f %j %a %b %% */
i64 vf_to_timestamp_seconds(velo_rt *rt, double secs);
i64 vf_from_epoch_millis(velo_rt *rt, i64 ms);
i64 vf_datediff(velo_rt *rt, int field, i64 a, i64 b); /* b - a in whole units of field */

/* ---- record sources (runtime/source.c, csv.c, json.c) ---------------------
 * A source is opened with the full declared schema and a mask of the columns
 * the query reads; vsrc_next() splits one record and fills the spans of the
 * needed columns only. Converting a span is a separate call, so generated
 * code converts the columns of a pushed-down filter first and the rest only
 * for records that pass. */
enum { VF_NULL = 0, VF_TEXT, VF_NUM, VF_BOOL, VF_RAW };
typedef struct vfield {
    const char *p; /* unescaped bytes (CSV "" and JSON escapes resolved) */
    i64 n;
    u8 kind; /* VF_NULL: unquoted empty CSV field, JSON null or missing key */
} vfield;

typedef struct velo_src velo_src;
/* props: NULL-terminated key, value, key, value, ... ('path', 'format', ...).
 * cols: the declared column names; needed[i] != 0 for columns to decode.
 * Returns NULL after reporting a fatal error (missing file, ...). */
velo_src *vsrc_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *cols,
                    const u8 *needed);
/* 1: a record is in f[0..ncols) (only needed entries are valid);
 * 0: end of input (or the job is stopping); a malformed record is sent to the
 * dead-letter sink by the source itself and skipped. Resets rt->tmp. */
int vsrc_next(velo_src *s, vfield *f);
/* The columns vsrc_open's needed marked 2, for the record vsrc_next just
 * returned: the query converts them only for a record that finds a join
 * match, so the CSV splitter leaves their fields unsplit until then (other
 * formats decode them with the rest, and this does nothing). */
void vsrc_late(velo_src *s, vfield *f);
/* Records split ahead of their use, so the loop over a file's records
 * makes one call per batch instead of one per record. Record r's fields
 * are f[r * (ncols + 1) + column]. The query sets i to the record it is
 * processing: velo_bad_record and vsrc_late refer to that one. raw, rawn
 * and line0 + r locate record r for them. */
enum { VBATCH_MAX = 64 };
typedef struct vbatch {
    int n, i;
    vfield *f;
    const char **raw;
    i64 *rawn;
    i64 line0;
} vbatch;
/* The next records: their count, 0 at the end of input (or when the job
 * is stopping), with *b the batch that holds them. Up to VBATCH_MAX from a
 * CSV file whose records the fast splitter takes; one at a time otherwise
 * (vsrc_next's way, which also routes bad records to the dead letters).
 * Resets rt->tmp; the query resets rt->err per record. A failure that
 * stops the job sets n to 0, so the query's loop over the batch ends. */
int vsrc_batch(velo_src *s, vbatch **b);
void vsrc_close(velo_src *s);
/* vsrc_next without blocking on an unbounded source: 1 a record, 0 end of
 * input (or stopping), -1 no whole record arrived within wait_ms (0: look
 * once). A bounded file behaves as vsrc_next. */
int vsrc_poll(velo_src *s, vfield *f, int wait_ms);
/* Kafka: assigned[p] = 1 for each partition p < cap assigned to this
 * consumer; the count. 0 for other sources. */
int vsrc_partitions(velo_src *s, u8 *assigned, int cap);

/* Conversions of one field to a column type: 0 value stored, 1 NULL, -1 bad
 * value (rt->err set with a message naming the column and the text). */
int vconv_bool(velo_rt *rt, const vfield *f, const char *col, int *out);
int vconv_i64(velo_rt *rt, const vfield *f, const char *col, int is_int32, i64 *out);
int vconv_f64(velo_rt *rt, const vfield *f, const char *col, double *out);
int vconv_dec(velo_rt *rt, const vfield *f, const char *col, int prec, int scale, i64 *out);
int vconv_str(velo_rt *rt, const vfield *f, const char *col, vstr *out);
int vconv_ts_general(velo_rt *rt, const vfield *f, const char *col, i64 *out); /* every form vconv_ts reads */
#if defined(__x86_64__) || (defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
/* The n (1 to 8) bytes at p as a little-endian word, the rest zero, read
 * without touching a byte past p + n: two overlapping 4-byte loads, or the
 * first, middle and last bytes. */
static inline unsigned vconv_ld32(const char *p)
{
#ifdef __TINYC__
    return *(const unsigned *)p; /* tcc calls memcpy; these CPUs load unaligned */
#else
    unsigned v;
    memcpy(&v, p, 4);
    return v;
#endif
}

static inline u64 vconv_ld(const char *p, i64 n)
{
    if (n >= 4) return vconv_ld32(p) | (u64)vconv_ld32(p + n - 4) << ((n - 4) * 8);
    return (u64)(u8)p[0] | (u64)(u8)p[n >> 1] << ((n >> 1) * 8) | (u64)(u8)p[n - 1] << ((n - 1) * 8);
}

/* 1 to 8 digits at once, without a branch per digit: the field's length
 * decides where the loop above would have stopped, and a random key's
 * length mispredicted it. Leading '0's pad the word to 8 digits, which
 * combine pairwise (d0 is the most significant digit, the lowest byte).
 * Returns -1 when a byte is not a digit. */
static inline i64 vconv_digits8(const char *p, i64 n)
{
    unsigned sh = (unsigned)(8 - n) * 8;
    u64 w = vconv_ld(p, n) << sh | (0x3030303030303030ull & ~(~0ull << sh));
    if ((w & 0xf0f0f0f0f0f0f0f0ull) != 0x3030303030303030ull ||
        ((w + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) != 0x3030303030303030ull)
        return -1;
    w = (w & 0x0f0f0f0f0f0f0f0full) * 2561 >> 8;
    w = (w & 0x00ff00ff00ff00ffull) * 6553601 >> 16;
    return (i64)((w & 0x0000ffff0000ffffull) * 42949672960001ull >> 32);
}
static inline u64 vconv_ld64(const char *p)
{
#ifdef __TINYC__
    return *(const u64 *)p;
#else
    u64 v;
    memcpy(&v, p, 8);
    return v;
#endif
}

/* 1 when the bytes of w under dmask are digits and those under smask are
 * seps (0x06 added to a digit leaves its high nibble 3, to ':' not; a
 * carry out of a byte needs one of 0xfa or more, which fails its own test) */
static inline int vconv_pattern(u64 w, u64 dmask, u64 smask, u64 seps)
{
    u64 hi = 0xf0f0f0f0f0f0f0f0ull & dmask, three = 0x3030303030303030ull & dmask;
    return (w & smask) == seps && (w & hi) == three && ((w + 0x0606060606060606ull) & hi) == three;
}

/* "YYYY-MM-DD HH:MM:SS" (or with T) and "YYYY-MM-DD", years 0001-9999 and
 * days up to the 28th, read as words: 0 and the instant, 1 for anything
 * else (vconv_ts_general reads it, or rejects it). Days since 1970 as
 * vtime.c counts them, with its era arithmetic folded into one year count
 * that cannot be negative here. */
static inline int vconv_ts_fixed(const char *p, i64 n, i64 *out)
{
    u64 a = vconv_ld64(p); /* YYYY-MM- */
    if (!vconv_pattern(a, 0x00ffff00ffffffffull, 0xff0000ff00000000ull, 0x2d00002d00000000ull)) return 1;
    unsigned d0 = (u8)p[8] - '0', d1 = (u8)p[9] - '0';
    if (d0 > 9 || d1 > 9) return 1;
    a &= 0x0f0f0f0f0f0f0f0full;
    unsigned y =
        (unsigned)(a & 0xff) * 1000 + (unsigned)(a >> 8 & 0xff) * 100 + (unsigned)(a >> 16 & 0xff) * 10 + (unsigned)(a >> 24 & 0xff);
    unsigned m = (unsigned)(a >> 40 & 0xff) * 10 + (unsigned)(a >> 48 & 0xff), d = d0 * 10 + d1;
    if (y == 0 || m - 1 > 11 || d == 0 || d > 28) return 1;
    i64 us = 0;
    if (n == 19) {
        u64 c = vconv_ld64(p + 11); /* HH:MM:SS */
        if ((p[10] != ' ' && p[10] != 'T' && p[10] != 't') ||
            !vconv_pattern(c, 0xffff00ffff00ffffull, 0x0000ff0000ff0000ull, 0x00003a00003a0000ull))
            return 1;
        c &= 0x0f0f0f0f0f0f0f0full;
        unsigned hh = (unsigned)(c & 0xff) * 10 + (unsigned)(c >> 8 & 0xff);
        unsigned mi = (unsigned)(c >> 24 & 0xff) * 10 + (unsigned)(c >> 32 & 0xff);
        unsigned ss = (unsigned)(c >> 48 & 0xff) * 10 + (unsigned)(c >> 56 & 0xff);
        if (hh > 23 || mi > 59 || ss > 59) return 1;
        us = ((i64)hh * 3600 + mi * 60 + ss) * 1000000;
    } else if (n != 10) {
        return 1;
    }
    unsigned yy = y - (m <= 2), doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    i64 days = (i64)yy * 365 + yy / 4 - yy / 100 + yy / 400 + doy - 719468;
    *out = days * 86400000000ll + us;
    return 0;
}
#define VCONV_DIGITS8 1
#endif

/* vconv_ts_general with the usual file timestamps read inline. */
static inline int vconv_ts(velo_rt *rt, const vfield *f, const char *col, i64 *out)
{
#ifdef VCONV_DIGITS8
    if (f->kind == VF_TEXT && (f->n == 19 || f->n == 10) && !vconv_ts_fixed(f->p, f->n, out)) return 0;
#endif
    return vconv_ts_general(rt, f, col, out);
}

/* vconv_i64 with its common case inlined into the query: 1 to 8 plain
 * digits (below 2^31, so no range check), a call for anything else. */
static inline int vconv_int(velo_rt *rt, const vfield *f, const char *col, int is_int32, i64 *out)
{
#ifdef VCONV_DIGITS8
    if (f->kind == VF_TEXT && f->n > 0 && f->n <= 8) {
        i64 v = vconv_digits8(f->p, f->n);
        if (v >= 0) {
            *out = v;
            return 0;
        }
    }
#else
    if (f->kind == VF_TEXT && f->n > 0 && f->n <= 9) {
        u64 v = 0;
        for (i64 i = 0; i < f->n; i++) {
            unsigned d = (unsigned)(f->p[i] - '0');
            if (d > 9) return vconv_i64(rt, f, col, is_int32, out);
            v = v * 10 + d;
        }
        *out = (i64)v;
        return 0;
    }
#endif
    return vconv_i64(rt, f, col, is_int32, out);
}

/* ---- sinks (runtime/sink.c): stdout (jsonl|csv|table), file (jsonl|csv) ---
 * name == NULL: stdout in the job's --format. File sinks write PATH.tmp-PID
 * and rename it over PATH on vout_close. Values of a row are written in
 * column order between vout_begin and vout_end. */
typedef struct velo_out velo_out;
velo_out *vout_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *names,
                    const u8 *types, const u8 *scales);
void vout_begin(velo_out *o);
void vout_null(velo_out *o);
void vout_bool(velo_out *o, int v);
void vout_i64(velo_out *o, i64 v);
void vout_f64(velo_out *o, double v);
void vout_dec(velo_out *o, i64 v, int scale);
void vout_str(velo_out *o, vstr v);
void vout_ts(velo_out *o, i64 v);
void vout_end(velo_out *o);
int vout_close(velo_out *o); /* 0 ok */

/* ---- aggregate helpers (runtime/agg.c) ---------------------------------- */
typedef struct vdarr {
    double *v;
    i64 n, cap;
} vdarr; /* MEDIAN input */
void vagg_push_f64(vdarr *a, double v);
double vagg_median(vdarr *a); /* sorts in place */
typedef struct vsbuf {
    char *p;
    i64 n, cap;
} vsbuf; /* STRING_AGG */
void vagg_strcat(vsbuf *b, vstr sep, vstr v, int first);
typedef struct vset {
    u64 *h;
    vstr *k;
    i64 n, cap;
} vset;                                    /* COUNT(DISTINCT) */
int vagg_set_add(vset *s, vstr key_bytes); /* 1 if new; copies the key */
typedef struct viset {
    u64 *v;
    i64 n, cap;
    u8 zero;                        /* the value 0 is in the set */
} viset;                            /* COUNT(DISTINCT) of a fixed-width type: its 64 bits */
int vagg_iset_add(viset *s, u64 v); /* 1 if new */
void vagg_iset_merge(viset *into, const viset *from);
double vagg_percentile(vdarr *a, double p, int disc); /* sorts in place */
typedef struct vhll {
    u8 *reg;
} vhll; /* APPROX_COUNT_DISTINCT */
void vagg_hll_add(vhll *h, u64 hash);
i64 vagg_hll_count(const vhll *h);
void vagg_hll_merge(vhll *into, const vhll *from);
void vagg_hll_free(vhll *h);
void vagg_free_f64(vdarr *a);
void vagg_free_sbuf(vsbuf *b);
void vagg_free_set(vset *s);
void vagg_free_iset(viset *s);

/* ---- stream-stream interval joins (runtime/ijoin.c) ----------------------
 * Each input of an interval join keeps a watermark and the rows the other
 * input may still match. Watermark = max event time - out-of-orderness;
 * with partition >= 0 (Kafka) the minimum over partitions of their max,
 * partitions silent for the idle timeout left out, as for windows. */
enum { VWM_NP = 256 };
typedef struct velo_wm {
    i64 wm, max, ooo, idle;
    i64 now, t0, tick;
    i64 pmax[VWM_NP], pseen[VWM_NP];
    u8 asg[VWM_NP];
} velo_wm;
void vwm_init(velo_wm *w, i64 ooo, i64 idle);
int vwm_observe(velo_wm *w, velo_src *src, i64 et, i64 partition); /* 1: the watermark advanced */
void vwm_end(velo_wm *w);                                          /* end of input: +infinity */
/* A kept row: this header, then the generated struct of its columns, then
 * the bytes of its strings (vij_keep), in one allocation. */
typedef struct vij_row {
    struct vij_row *hnext, *hprev; /* hash chain */
    u64 h;
    i64 ts, seq, size;
    u8 matched; /* outer joins: a row of the other input matched it */
    u8 keyed;   /* 0: a NULL key, in no chain (it never matches) */
} vij_row;
typedef struct vij_side vij_side;
vij_side *vij_open(velo_rt *rt, int op_id, int right);               /* right: 0 the left input, 1 the right */
vij_row *vij_add(vij_side *s, u64 h, int keyed, i64 ts, vsize size); /* size: columns + string bytes; zeroed */
vij_row *vij_chain(vij_side *s, u64 h);                              /* first row of h's chain: compare ->h */
vij_row *vij_expired(vij_side *s, i64 bound); /* unlinks the oldest row with ts < bound, or NULL; free with vij_drop */
void vij_drop(vij_side *s, vij_row *r);
vstr vij_keep(char **area, vstr v); /* copies v to *area and advances it */
i64 vij_rows(const vij_side *s);
i64 vij_min_ts(const vij_side *s); /* the earliest kept time, VELO_I64_MAX when none */
void vij_close(vij_side *s);       /* frees the rows left; records the counts for the summary */

/* ---- checkpoints (runtime/checkpoint.c) ---------------------------------
 * Generated code of a statement with 'checkpoint.interval' and
 * 'checkpoint.dir' saves its operators' state after whole records and
 * reloads it on restart; the runtime handles source, sink and dead-letter
 * positions. Saving and loading use the same calls in the same order. */
typedef struct velo_ckpt velo_ckpt;
int velo_ckpt_setup(velo_rt *rt, const char *source, const char *const *props);                  /* 1 on, 0 off, -1 error */
int velo_ckpt_is_done(velo_rt *rt, u64 job, int stmt);                                           /* finished before a restart */
void velo_ckpt_tidy(velo_rt *rt, u64 job, int stmt, const char *sink, const char *const *props); /* after is_done */
void velo_ckpt_forget(velo_rt *rt, u64 job, int stmt);                                           /* the whole job finished */
int velo_ckpt_job_mark(velo_rt *rt, u64 job, int op); /* the finished-job marker: 0 exists?, 1 write, 2 remove */
int velo_ckpt_exists(velo_rt *rt, u64 job, int stmt); /* a restart will resume from a checkpoint */
int velo_replaying(velo_rt *rt, int on);              /* bad records not reported again; returns the old flag */
int velo_ckpt_due(velo_rt *rt, velo_src *s);
velo_ckpt *velo_ckpt_begin(velo_rt *rt, velo_src *s, u64 job, int stmt);
velo_ckpt *velo_ckpt_load(velo_rt *rt, velo_src *s, u64 job, int stmt); /* NULL: none */
void velo_ckpt_put(velo_ckpt *c, const void *p, vsize n);
int velo_ckpt_get(velo_ckpt *c, void *p, vsize n);
void velo_ckpt_str(velo_ckpt *c, vstr s);
vstr velo_ckpt_getstr(velo_ckpt *c, velo_arena *a);
void velo_ckpt_darr(velo_ckpt *c, vdarr *a, int load);
void velo_ckpt_sbuf(velo_ckpt *c, vsbuf *b, int load);
void velo_ckpt_set(velo_ckpt *c, vset *s, int load);
void velo_ckpt_iset(velo_ckpt *c, viset *s, int load);
void velo_ckpt_hll(velo_ckpt *c, vhll *h, int load);
void velo_ckpt_sink(velo_ckpt *c, velo_out *o);
void velo_ckpt_resume_sink(velo_ckpt *c, velo_out *o);
void velo_ckpt_commit(velo_ckpt *c);
void velo_ckpt_close(velo_ckpt *c);
void velo_ckpt_done(velo_rt *rt, u64 job, int stmt);
/* A Kafka source takes checkpoints between its batches too when records do
 * not trigger them (a slow or idle topic): fn is the statement's ckpt<n>. */
typedef void (*velo_ckpt_fn)(velo_rt *rt, velo_ckpt *c, int load);
void velo_ckpt_hook(velo_rt *rt, velo_src *s, velo_ckpt_fn fn, u64 job, int stmt);

/* ---- the job ----------------------------------------------------------- */
/* Generated code defines:  int velo_query_main(velo_rt *rt);
 * returning 0 on success, 1 on a runtime failure. */
int velo_query_main(velo_rt *rt);

#endif
