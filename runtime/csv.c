/*
 * csv.c -- RFC 4180 decoder for file sources.
 *
 * One pass splits a record into field spans without copying: unquoted fields
 * are scanned with a per-delimiter stop table, quoted ones with memchr for
 * the next quote. Only the fields the query needs are handed out, and only a
 * quoted field that contains "" is rewritten (into rt->tmp, so the record's
 * raw text stays intact for the dead-letter sink).
 *
 * Conventions (DESIGN §2): an unquoted empty field is NULL, a quoted "" is the
 * empty string; CRLF, LF (and lone CR) end records; blank lines are skipped;
 * a record with a different field count than the header (or the schema when
 * there is no header) is a bad record.
 */
#include "velo_internal.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

enum { VCSV_OK, VCSV_MORE, VCSV_BAD };

static void vcsv_pick_fast(velo_src *s);

static void vcsv_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

static __attribute__((noinline)) void vcsv_grow(velo_src *s)
{
    int cap = s->fcap ? s->fcap * 2 : 16;
    const char **fp = realloc(s->fp, sizeof *fp * (size_t)cap);
    if (fp) s->fp = fp;
    i64 *fn = realloc(s->fn, sizeof *fn * (size_t)cap);
    if (fn) s->fn = fn;
    u8 *fq = realloc(s->fq, (size_t)cap);
    if (fq) s->fq = fq;
    if (!fp || !fn || !fq) vcsv_oom();
    s->fcap = cap;
}

static inline void vcsv_push(velo_src *s, int nf, const char *p, i64 n, u8 q)
{
    if (nf == s->fcap) vcsv_grow(s);
    s->fp[nf] = p;
    s->fn[nf] = n;
    s->fq[nf] = q;
}

/*
 * End of an unquoted field: the first delimiter, CR or LF in [p, e). Eight
 * bytes at a time (the lowest flagged byte of vswar_has is exact), then
 * byte by byte.
 */
static inline const char *vcsv_field_end(const velo_src *s, const char *p, const char *e)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (e - p >= 8) {
        u64 w;
        memcpy(&w, p, 8);
        u64 hit = vswar_has(w, (u8)s->delim) | vswar_has(w, '\n') | vswar_has(w, '\r');
        if (hit) return p + (__builtin_ctzll(hit) >> 3);
        p += 8;
    }
#endif
    const u8 *stop = s->stop;
    while (p < e && !stop[(u8)*p]) p++;
    return p;
}

/* vcsv_fields for a record of the fast path, which has no quoted field:
 * the spans of the nneed columns in need, from the record's split fields
 * fp/fn (colmap: column -> field). A column past the record's nrec fields,
 * under a header shorter than the schema, is NULL. */
static inline __attribute__((always_inline)) void vcsv_fields_plain(const int *need, int nneed, const int *colmap, const char *const *fp,
                                                                    const i64 *fn, int nrec, vfield *f)
{
    for (int k = 0; k < nneed; k++) {
        int c = need[k], i = colmap[c], in = i < nrec;
        i64 n = in ? fn[i] : 0;
        f[c].p = in ? fp[i] : NULL;
        f[c].n = n;
        f[c].kind = n ? VF_TEXT : VF_NULL;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* vcsv_fields_plain for the batch splitter, whose end[i] is where field i
 * of the record at rec ends (vcsv_push_mask's ends form); every needed
 * column is one of the record's fields (vcsv_batch_with checks). */
static inline __attribute__((always_inline)) void vcsv_fields_ends(const int *need, int nneed, const int *colmap, const char *rec,
                                                                   const char *const *end, vfield *f)
{
    for (int k = 0; k < nneed; k++) {
        int c = need[k], i = colmap[c];
        const char *p = i ? end[i - 1] + 1 : rec;
        i64 n = end[i] - p;
        f[c].p = p;
        f[c].n = n;
        f[c].kind = n ? VF_TEXT : VF_NULL;
    }
}

/*
 * The fast path splits a record from bit masks of 64 bytes at a time: its
 * quotes, line ends (CR or LF) and delimiters, bit i for byte i. The block
 * a record ends in is kept (mbuf, mblk, mq/mnl/md): the next record starts
 * inside it, as 64 bytes hold the end of one record and the start of the
 * next. It is used only while the next record starts exactly where the fast
 * path left (mnext): anything else that moves pos (a fill that compacts, a
 * Kafka message, a watched file starting over, the general path) resets it.
 * It is inlined into vcsv_next_with, which is built three times: with
 * SSE2 (every x86-64), with AVX2 and POPCNT, and with AVX-512BW, chosen at
 * open.
 */
typedef void vcsv_masks_fn(const char *p, char delim, u64 *q, u64 *nl, u64 *d);

/*
 * Each block asks for the cache line VCSV_AHEAD bytes on. The hardware
 * prefetchers stop at 4 KB page boundaries, so without this every page of a
 * large file starts with a wait for memory: a count of the 950 MB lineitem
 * file took 0.31 s, 0.22 s with it (1 to 8 KB ahead are all within noise of
 * each other). A prefetch past the data or the mapping is dropped, not a
 * fault.
 */
#define VCSV_AHEAD 2048

/* The masks of the 64 bytes at p. Written out, not as a loop over the
 * vectors: GCC kept the loop, and shifted by its counter. */
static inline __attribute__((always_inline)) void vcsv_masks_sse2(const char *p, char delim, u64 *q, u64 *nl, u64 *d)
{
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'), vq = _mm_set1_epi8('"');
    _mm_prefetch(p + VCSV_AHEAD, _MM_HINT_T0);
    __m128i x0 = _mm_loadu_si128((const __m128i *)p), x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32)), x3 = _mm_loadu_si128((const __m128i *)(p + 48));
#define VCSV_M16(x, v) ((u64)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v)))
#define VCSV_N16(x)    ((u64)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr))))
    *q = VCSV_M16(x0, vq) | VCSV_M16(x1, vq) << 16 | VCSV_M16(x2, vq) << 32 | VCSV_M16(x3, vq) << 48;
    *nl = VCSV_N16(x0) | VCSV_N16(x1) << 16 | VCSV_N16(x2) << 32 | VCSV_N16(x3) << 48;
    *d = VCSV_M16(x0, vd) | VCSV_M16(x1, vd) << 16 | VCSV_M16(x2, vd) << 32 | VCSV_M16(x3, vd) << 48;
#undef VCSV_M16
#undef VCSV_N16
}

__attribute__((target("avx2"), always_inline)) static inline void vcsv_masks_avx2(const char *p, char delim, u64 *q, u64 *nl, u64 *d)
{
    const __m256i vd = _mm256_set1_epi8(delim), vn = _mm256_set1_epi8('\n'), vr = _mm256_set1_epi8('\r'), vq = _mm256_set1_epi8('"');
    _mm_prefetch(p + VCSV_AHEAD, _MM_HINT_T0);
    __m256i x0 = _mm256_loadu_si256((const __m256i *)p), x1 = _mm256_loadu_si256((const __m256i *)(p + 32));
#define VCSV_M32(x, v) ((u64)(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, v)))
#define VCSV_N32(x)    ((u64)(unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(x, vn), _mm256_cmpeq_epi8(x, vr))))
    *q = VCSV_M32(x0, vq) | VCSV_M32(x1, vq) << 32;
    *nl = VCSV_N32(x0) | VCSV_N32(x1) << 32;
    *d = VCSV_M32(x0, vd) | VCSV_M32(x1, vd) << 32;
#undef VCSV_M32
#undef VCSV_N32
}

/* AVX-512BW compares 64 bytes into a mask register at once: no movemask,
 * shift and or per half. */
__attribute__((target("avx512f,avx512bw"), always_inline)) static inline void vcsv_masks_avx512(const char *p, char delim, u64 *q, u64 *nl,
                                                                                                u64 *d)
{
    const __m512i vd = _mm512_set1_epi8(delim), vn = _mm512_set1_epi8('\n'), vr = _mm512_set1_epi8('\r'), vq = _mm512_set1_epi8('"');
    _mm_prefetch(p + VCSV_AHEAD, _MM_HINT_T0);
    __m512i x = _mm512_loadu_si512((const void *)p);
    *q = _mm512_cmpeq_epi8_mask(x, vq);
    *nl = _mm512_cmpeq_epi8_mask(x, vn) | _mm512_cmpeq_epi8_mask(x, vr);
    *d = _mm512_cmpeq_epi8_mask(x, vd);
}

/* The field arrays in locals for the fast path: a store through fq (bytes)
 * may alias any member of s, and GCC reloaded s->fp, s->fn and s->nkeep
 * after each field. vcsv_keep grows the arrays to nkeep fields first. */
typedef struct vcsv_out {
    const char **fp;
    i64 *fn;
    u8 *fq;
    int keep;
} vcsv_out;

/* Records field nf, from f to x (its delimiter or line end). With ends (a
 * constant: the batch splitter's form) only fp[nf] = x: the next field
 * starts one byte on, so the spans of the few fields a query reads are
 * worked out from the ends alone. One store a field instead of three: a
 * record whose sixteenth field was read took 15 ns more to split than a
 * COUNT(*)'s, 8 with it. */
static inline __attribute__((always_inline)) void vcsv_put(const vcsv_out *o, int nf, const char *f, const char *x, int ends)
{
    if (ends) o->fp[nf] = x;
    else o->fp[nf] = f, o->fn[nf] = x - f, o->fq[nf] = 0;
}

/* Pushes the fields whose delimiters are the bits of d (positions from c),
 * starting with the one at *f, up to o->keep (vcsv_put); counts the rest.
 * When a query reads only the first few fields (keep <= VCSV_FEW), the
 * batch splitter's form (ends) writes keep - nf ends whether or not d has
 * that many delimiters: those it has not are written again, by the next
 * block or the line end, before anything reads them (a record with fewer
 * fields than keep is not taken). Its loop then runs the same number of
 * times for most records, where stopping at d's last delimiter
 * mispredicted about once a record: COUNT(*) of lineitem WHERE l_partkey =
 * 5 (keep 2) 237 -> 216 ms. Past a few fields the extra writes cost more
 * than the mispredict (keep 16: 255 -> 354 ms). */
#define VCSV_FEW 4
static inline __attribute__((always_inline)) int vcsv_push_mask(const vcsv_out *o, int nf, const char **f, const char *c, u64 d, int ends)
{
    if (ends && o->keep <= VCSV_FEW) {
        u64 left = d;
        for (int i = nf; i < o->keep; i++) {
            o->fp[i] = c + __builtin_ctzll(left | 1ull << 63); /* 63 for none: a defined count */
            left &= left - 1;
        }
        return nf + __builtin_popcountll(d);
    }
    for (; d && nf < o->keep; d &= d - 1) {
        const char *x = c + __builtin_ctzll(d);
        vcsv_put(o, nf++, *f, x, ends);
        *f = x + 1;
    }
    return nf + __builtin_popcountll(d);
}

/* A record being split by the fast path: the 64-byte block at c and its
 * masks (the bits of bytes split already cleared), the field that starts
 * at f, and the fields so far. */
typedef struct vcsv_blk {
    const char *c, *f;
    u64 q, nl, d;
    int nf;
} vcsv_blk;

/*
 * Splits the record that starts at k->f up to its line end, with the next
 * blocks' masks as needed: the kept fields' spans go to o, the others are
 * only counted, and k->nf ends as the record's field count. Returns its
 * line end, or NULL for a record left to vcsv_split: a quote before the
 * line end, a line end not in a block with 64 readable bytes before e, a
 * CR at the end of the data.
 */
static inline __attribute__((always_inline)) const char *vcsv_line(vcsv_blk *k, const vcsv_out *o, const char *e, char delim,
                                                                   vcsv_masks_fn *masks, int ends)
{
    while (!k->nl) {
        if (k->q) return NULL;
        k->nf = vcsv_push_mask(o, k->nf, &k->f, k->c, k->d, ends);
        k->c += 64;
        if (e - k->c < 64) return NULL;
        masks(k->c, delim, &k->q, &k->nl, &k->d);
    }
    u64 before = (k->nl & -k->nl) - 1;
    if (k->q & before) return NULL;
    k->nf = vcsv_push_mask(o, k->nf, &k->f, k->c, k->d & before, ends);
    const char *x = k->c + __builtin_ctzll(k->nl);
    if (*x == '\r' && x + 1 == e) return NULL;
    if (k->nf < o->keep) vcsv_put(o, k->nf, k->f, x, ends);
    k->nf++;
    return x;
}

/*
 * The common record: no quote before its line end, which is in the buffer
 * with 64 readable bytes from the block it is found in. Returns VCSV_OK as
 * vcsv_split would, or VCSV_MORE to leave the record to vcsv_split (quotes,
 * a CR at the end of the data, the last bytes of the buffer), which then
 * starts it over: both split an unquoted record the same way.
 */
static inline __attribute__((always_inline)) int vcsv_fast(velo_src *s, int *nfp, size_t *rec_end, size_t *next, vcsv_masks_fn *masks)
{
    const char *b = s->buf, *e = b + s->end;
    const vcsv_out o = {s->fp, s->fn, s->fq, s->nkeep};
    vcsv_blk k = {b + s->pos, b + s->pos, 0, 0, 0, 0};
    if (o.keep > s->fcap) goto more; /* a header: every field, vcsv_split's way */
    if (s->mbuf == b && s->mnext == s->pos) {
        u64 from = ~0ull << (s->pos - s->mblk); /* the previous record's bytes are not this one's */
        k.c = b + s->mblk;
        k.q = s->mq & from, k.nl = s->mnl & from, k.d = s->md & from;
    } else {
        if (e - k.c < 64) goto more;
        masks(k.c, s->delim, &k.q, &k.nl, &k.d);
    }
    const char *x = vcsv_line(&k, &o, e, s->delim, masks, 0);
    if (!x) goto more;
    *nfp = k.nf;
    *rec_end = (size_t)(x - b);
    *next = *rec_end + 1 + (*x == '\r' && x[1] == '\n');
    s->mbuf = b, s->mblk = (size_t)(k.c - b), s->mq = k.q, s->mnl = k.nl, s->md = k.d;
    s->mnext = *next < s->mblk + 64 ? *next : SIZE_MAX;
    return VCSV_OK;
more:
    s->mnext = SIZE_MAX;
    return VCSV_MORE;
}

/*
 * vcsv_fast over as many as VBATCH_MAX records in one call, for vsrc_batch:
 * the block masks stay in registers from one record to the next instead of
 * going through s, and each record's needed fields go straight to its
 * slot of the batch. Stops before the first record vcsv_fast would not
 * take, or that has another field count than expected (a bad record or a
 * blank line): vsrc_batch leaves that one to vcsv_next. Returns the count
 * and moves pos past them; line and the statistics are vsrc_batch's.
 */
static inline __attribute__((always_inline)) int vcsv_batch_with(velo_src *s, vbatch *vb, vcsv_masks_fn *masks)
{
    const char *b = s->buf, *e = b + s->end, *rs = b + s->pos;
    const vcsv_out o = {s->fp, s->fn, s->fq, s->nkeep};
    const int nexpect = s->nexpect, nneed = s->nneed, stride = s->ncols + 1;
    const int *need = s->needlist, *colmap = s->colmap;
    vcsv_blk k = {rs, rs, 0, 0, 0, 0};
    int r = 0;
    s->mnext = SIZE_MAX; /* vcsv_fast's block is not where pos will be */
    /* keep > nexpect: a needed column past the header's fields, NULL in every
       record; vcsv_next hands those out, and this skips the check per field */
    if (o.keep > s->fcap || o.keep > nexpect || nexpect < 2 || e - rs < 64) return 0;
    masks(k.c, s->delim, &k.q, &k.nl, &k.d);
    while (r < VBATCH_MAX) {
        k.nf = 0;
        const char *x = vcsv_line(&k, &o, e, s->delim, masks, 1);
        if (!x || k.nf != nexpect) break;
        vcsv_fields_ends(need, nneed, colmap, rs, o.fp, vb->f + (i64)r * stride);
        vb->raw[r] = rs;
        vb->rawn[r] = x - rs;
        r++;
        rs = k.f = x + 1 + (*x == '\r' && x[1] == '\n');
        if (rs - k.c < 64) {
            u64 from = ~0ull << (rs - k.c);
            k.q &= from, k.nl &= from, k.d &= from;
        } else {
            k.c = rs;
            if (e - k.c < 64) break;
            masks(k.c, s->delim, &k.q, &k.nl, &k.d);
        }
    }
    s->pos = (size_t)(rs - b);
    return r;
}

#else
typedef void vcsv_masks_fn(const char *p, char delim, u64 *q, u64 *nl, u64 *d);
#define vcsv_masks_sse2 NULL
/* No fast path: vcsv_split takes every record. */
static inline int vcsv_fast(velo_src *s, int *nfp, size_t *rec_end, size_t *next, vcsv_masks_fn *masks)
{
    (void)s, (void)nfp, (void)rec_end, (void)next, (void)masks;
    return VCSV_MORE;
}

static inline int vcsv_batch_with(velo_src *s, vbatch *vb, vcsv_masks_fn *masks)
{
    (void)s, (void)vb, (void)masks;
    return 0;
}
#endif

/*
 * Splits the record at buf[pos]. On VCSV_OK and VCSV_BAD, *rec_end is the end
 * of its text (before the line terminator) and *next the start of the next
 * record; VCSV_MORE means the record continues past the buffered data.
 */
static int vcsv_split(velo_src *s, int *nfp, size_t *rec_end, size_t *next, int *quoted, const char **err)
{
    const char *b = s->buf, *p = b + s->pos, *e = b + s->end;
    const char d = s->delim;
    const int eof = s->eof;
    int nf = 0;
    *quoted = 0;
    for (;;) {
        if (p < e && *p == '"') {
            const char *q = p + 1;
            u8 kind = 1;
            *quoted = 1;
            for (;;) {
                q = memchr(q, '"', (size_t)(e - q));
                if (!q) {
                    if (!eof) return VCSV_MORE;
                    *err = "unterminated quoted field";
                    *rec_end = *next = s->end;
                    return VCSV_BAD;
                }
                if (q + 1 == e && !eof) return VCSV_MORE; /* the next byte may be a second quote */
                if (q + 1 < e && q[1] == '"') {
                    kind = 2;
                    q += 2;
                    continue;
                }
                break;
            }
            vcsv_push(s, nf++, p + 1, q - p - 1, kind);
            p = q + 1;
        } else {
            const char *f = p;
            p = vcsv_field_end(s, p, e);
            vcsv_push(s, nf++, f, p - f, 0);
        }
        if (p == e) {
            if (!eof) return VCSV_MORE;
            *rec_end = *next = s->end;
            break;
        }
        if (*p == d) {
            p++;
            continue;
        }
        if (*p == '\n' || *p == '\r') {
            if (*p == '\r' && p + 1 == e && !eof) return VCSV_MORE;
            *rec_end = (size_t)(p - b);
            *next = (size_t)(p - b) + 1 + (*p == '\r' && p + 1 < e && p[1] == '\n');
            break;
        }
        /* Text after a closing quote: skip to the end of the line. */
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl && !eof) return VCSV_MORE;
        *err = "unexpected character after a closing quote";
        *rec_end = nl ? (size_t)(nl - b) : s->end;
        *next = nl ? *rec_end + 1 : s->end;
        if (*rec_end > s->pos && b[*rec_end - 1] == '\r') (*rec_end)--;
        return VCSV_BAD;
    }
    *nfp = nf;
    return VCSV_OK;
}

/* Quoted field with "" inside: the unescaped copy goes to rt->tmp. */
static void vcsv_unescape(velo_src *s, const char *p, i64 n, vfield *f)
{
    char *o = va_alloc(&s->rt->tmp, (vsize)n + 1), *w = o;
    for (i64 i = 0; i < n; i++) {
        *w++ = p[i];
        if (p[i] == '"') i++;
    }
    f->p = o;
    f->n = w - o;
    f->kind = VF_TEXT;
}

static i64 vcsv_count_nl(const char *p, const char *e)
{
    i64 n = 0;
    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* Splits the next non-blank record, reading more input as needed. Returns 1
 * with *nf fields, 0 at end of input, 2 when a watched file started over
 * (truncated or replaced: its header comes again); *err is set for a
 * malformed record, whose context is already recorded. */
static inline __attribute__((always_inline)) int vcsv_record(velo_src *s, int *nf, const char **err, vcsv_masks_fn *masks)
{
    for (;;) {
        size_t rec_end = 0, next = 0;
        int quoted = 0;
        *err = NULL;
        if (s->pos == s->end) {
            long r = vsrc_fill(s);
            if (!s->header_done) return 2;
            if (r <= 0) return 0;
        }
        int fast = vcsv_fast(s, nf, &rec_end, &next, masks), rc = fast;
        if (rc == VCSV_MORE) rc = vcsv_split(s, nf, &rec_end, &next, &quoted, err);
        if (rc == VCSV_MORE) {
            long r = vsrc_fill(s);
            if (!s->header_done) return 2;
            if (r < 0 || (r == 0 && !s->eof)) return 0; /* vsrc_poll: the rest is not written yet */
            continue;
        }
        const char *raw = s->buf + s->pos;
        i64 line = s->line;
        s->line += 1 + (quoted ? vcsv_count_nl(raw, s->buf + rec_end) : 0);
        s->pos = next;
        if (rc == VCSV_OK && *nf == 1 && rec_end == (size_t)(raw - s->buf) && !quoted) continue; /* blank line */
        vsrc_set_record(s, raw, (i64)(s->buf + rec_end - raw), line);
        /* the fast path splits nkeep fields, vcsv_split all of them */
        s->nsplit = fast == VCSV_OK && *nf > s->nkeep ? s->nkeep : *nf;
        s->nrec = *nf;
        s->rec_start = raw;
        s->rec_end = s->buf + rec_end;
        return 1;
    }
}

static int vcsv_name_eq(const char *a, size_t an, const char *b, i64 bn)
{
    return (i64)an == bn && !strncasecmp(a, b, an);
}

/* The fields a record needs split: up to the last one a needed column
 * maps to (all of them while a header is read); the late columns' fields
 * only when vcsv_late asks. */
static void vcsv_keep(velo_src *s)
{
    s->nkeep = s->nneed = s->nlate = s->nkeep_late = 0;
    for (int c = 0; c < s->ncols; c++) {
        if (!s->needed[c]) continue;
        int k = s->colmap[c] + 1;
        if (s->late && s->late[c]) {
            s->latelist[s->nlate++] = c;
            if (k > s->nkeep_late) s->nkeep_late = k;
            continue;
        }
        s->needlist[s->nneed++] = c;
        if (k > s->nkeep) s->nkeep = k;
    }
    if (s->nkeep > s->nkeep_late) s->nkeep_late = s->nkeep;
    while (s->fcap < s->nkeep_late) vcsv_grow(s); /* vcsv_fast does not grow them */
}

/* Maps declared columns to header fields by name when every one is found. */
static void vcsv_header(velo_src *s, int nf)
{
    int *map = malloc(sizeof(int) * (size_t)(s->ncols + 1));
    if (!map) vcsv_oom();
    int all = 1;
    for (int c = 0; c < s->ncols && all; c++) {
        map[c] = -1;
        for (int i = 0; i < nf && map[c] < 0; i++) {
            vfield f = {s->fp[i], s->fn[i], VF_TEXT};
            if (s->fq[i] == 2) vcsv_unescape(s, s->fp[i], s->fn[i], &f);
            if (vcsv_name_eq(s->cols[c], s->colen[c], f.p, f.n)) map[c] = i;
        }
        all = map[c] >= 0;
    }
    if (all) memcpy(s->colmap, map, sizeof(int) * (size_t)s->ncols);
    free(map);
    s->nexpect = nf;
}

int vcsv_open(velo_src *s, const char *name, const char *const *props)
{
    char msg[300];
    const char *d = velo_rt_prop(s->rt, name, props, "delimiter");
    const char *h = velo_rt_prop(s->rt, name, props, "has_headers");
    s->delim = ',';
    if (d) {
        if (!strcmp(d, "\\t") || !strcasecmp(d, "tab")) s->delim = '\t';
        else if (strlen(d) == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r') s->delim = d[0];
        else {
            snprintf(msg, sizeof msg, "source '%s': delimiter must be one character, got '%.50s'", name, d);
            velo_config_error(s->rt, msg);
            return -1;
        }
    }
    s->has_headers = 1;
    if (h) {
        if (!strcasecmp(h, "false")) s->has_headers = 0;
        else if (strcasecmp(h, "true")) {
            snprintf(msg, sizeof msg, "source '%s': has_headers must be true or false, got '%.50s'", name, h);
            velo_config_error(s->rt, msg);
            return -1;
        }
    }
    s->colmap = malloc(sizeof(int) * (size_t)(s->ncols + 1));
    s->needlist = malloc(sizeof(int) * (size_t)(s->ncols + 1));
    s->latelist = malloc(sizeof(int) * (size_t)(s->ncols + 1));
    if (!s->colmap || !s->needlist || !s->latelist) vcsv_oom();
    for (int i = 0; i < s->ncols; i++) s->colmap[i] = i;
    s->nexpect = s->ncols;
    vcsv_keep(s);
    vcsv_pick_fast(s);
    memset(s->stop, 0, sizeof s->stop);
    s->stop[(u8)s->delim] = s->stop['\n'] = s->stop['\r'] = 1;
    return 0;
}

void vcsv_close(velo_src *s)
{
    free(s->colmap);
    free(s->needlist);
    free(s->latelist);
    free(s->fp);
    free(s->fn);
    free(s->fq);
}

/* f[c] for the n columns in list, from the current record's split fields. */
static inline __attribute__((always_inline)) void vcsv_fields(velo_src *s, const int *list, int n, vfield *f)
{
    for (int k = 0; k < n; k++) {
        int c = list[k], i = s->colmap[c];
        if (i >= s->nrec) { /* a header shorter than the schema: no such field */
            f[c].p = NULL;
            f[c].n = 0;
            f[c].kind = VF_NULL;
        } else if (s->fq[i] == 2) {
            vcsv_unescape(s, s->fp[i], s->fn[i], &f[c]);
        } else {
            f[c].p = s->fp[i];
            f[c].n = s->fn[i];
            f[c].kind = (s->fn[i] == 0 && s->fq[i] == 0) ? VF_NULL : VF_TEXT;
        }
    }
}

/* The next good record's needed fields; bad ones go to the dead-letter
 * sink. Built once per instruction set (below) with the splitter inlined:
 * a call through a pointer per record cost 5 % of COUNT(*) of lineitem. */
static inline __attribute__((always_inline)) int vcsv_next_with(velo_src *s, vfield *f, vcsv_masks_fn *masks)
{
    int nf, rc;
    const char *err;
    /* The common record first: past the header, split by the fast path,
     * with the expected number of fields, more than one (so not a blank
     * line): none of the cases of the loop below (a header, a refill, a bad
     * or blank record, quotes) applies, and its bookkeeping is skipped.
     * COUNT of 400k lineitem rows: 161.2 -> 152.1 M instructions. */
    if (s->header_done && s->pos != s->end) {
        size_t rec_end, next;
        if (vcsv_fast(s, &nf, &rec_end, &next, masks) == VCSV_OK && nf == s->nexpect && nf > 1) {
            const char *raw = s->buf + s->pos;
            vsrc_set_record(s, raw, (i64)(rec_end - s->pos), s->line++);
            s->pos = next;
            s->nsplit = nf > s->nkeep ? s->nkeep : nf;
            s->nrec = nf;
            s->rec_start = raw;
            s->rec_end = s->buf + rec_end;
            s->st->n++;
            vcsv_fields_plain(s->needlist, s->nneed, s->colmap, s->fp, s->fn, nf, f);
            return 1;
        }
    }
    for (;;) {
        if (!s->header_done) { /* the start of the file (again, for a watched one) */
            s->header_done = 1;
            if (s->pos == s->end) vsrc_fill(s);
            if (!s->header_done) continue;
            /* A UTF-8 byte order mark is not part of the first column's name. */
            if (s->end - s->pos >= 3 && !memcmp(s->buf + s->pos, "\xef\xbb\xbf", 3)) s->pos += 3;
            if (s->has_headers) {
                s->nkeep = INT_MAX;
                rc = vcsv_record(s, &nf, &err, masks);
                if (rc == 2) continue;
                if (!rc && !s->eof) { /* vsrc_poll: no whole header line yet */
                    s->header_done = 0;
                    return 0;
                }
                if (rc && !err) vcsv_header(s, nf);
                vcsv_keep(s);
            }
        }
        rc = vcsv_record(s, &nf, &err, masks);
        if (rc == 2) continue;
        if (!rc) return 0;
        s->st->n++;
        if (!err && nf != s->nexpect) {
            char msg[80];
            snprintf(msg, sizeof msg, "expected %d fields, found %d", s->nexpect, nf);
            velo_bad_record(s->rt, s->op_id, msg);
        } else if (err) {
            velo_bad_record(s->rt, s->op_id, err);
        } else {
            break;
        }
        if (velo_stopped(s->rt)) return 0;
    }
    vcsv_fields(s, s->needlist, s->nneed, f);
    return 1;
}

static int vcsv_next_sse2(velo_src *s, vfield *f)
{
    return vcsv_next_with(s, f, vcsv_masks_sse2);
}

static int vcsv_batch_sse2(velo_src *s, vbatch *vb)
{
    return vcsv_batch_with(s, vb, vcsv_masks_sse2);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2,popcnt,bmi"))) static int vcsv_next_avx2(velo_src *s, vfield *f)
{
    return vcsv_next_with(s, f, vcsv_masks_avx2);
}

__attribute__((target("avx2,popcnt,bmi"))) static int vcsv_batch_avx2(velo_src *s, vbatch *vb)
{
    return vcsv_batch_with(s, vb, vcsv_masks_avx2);
}

__attribute__((target("avx512f,avx512bw,avx2,popcnt,bmi"))) static int vcsv_next_avx512(velo_src *s, vfield *f)
{
    return vcsv_next_with(s, f, vcsv_masks_avx512);
}

__attribute__((target("avx512f,avx512bw,avx2,popcnt,bmi"))) static int vcsv_batch_avx512(velo_src *s, vbatch *vb)
{
    return vcsv_batch_with(s, vb, vcsv_masks_avx512);
}

/* The widest build the CPU runs; VELO_NO_AVX512 and VELO_NO_AVX2 pick a
 * narrower one (the tests run each). */
static void vcsv_pick_fast(velo_src *s)
{
    __builtin_cpu_init();
    int avx2 =
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi") && !getenv("VELO_NO_AVX2");
    int avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && !getenv("VELO_NO_AVX512");
    s->csv_next = avx512 ? vcsv_next_avx512 : avx2 ? vcsv_next_avx2 : vcsv_next_sse2;
    s->csv_batch = avx512 ? vcsv_batch_avx512 : avx2 ? vcsv_batch_avx2 : vcsv_batch_sse2;
    s->mnext = SIZE_MAX;
}
#else
static void vcsv_pick_fast(velo_src *s)
{
    s->csv_next = vcsv_next_sse2;
    s->csv_batch = vcsv_batch_sse2;
}
#endif

int vcsv_next(velo_src *s, vfield *f)
{
    return s->csv_next(s, f);
}

/*
 * The first `want` fields of a record of vsrc_batch, which holds no quote
 * and no line end: only its delimiters end fields, found 16 bytes at a
 * time (SSE2, in every x86-64) up to the record's last 16 bytes, whose
 * delimiters the general loop after this finds. vcsv_late on q22's
 * lineitem records (fields 4 to 8): 613 -> 355 instructions a call.
 * Returns the fields split.
 */
static int vcsv_split_plain(velo_src *s, int want)
{
    int nf = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    const char *c = s->rec_start, *e = s->rec_end, *f = c;
    const __m128i vd = _mm_set1_epi8(s->delim);
    for (; nf < want && e - c >= 16; c += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)c), vd));
        for (; m && nf < want; m &= m - 1) {
            const char *x = c + __builtin_ctz(m);
            s->fp[nf] = f, s->fn[nf] = x - f, s->fq[nf] = 0;
            nf++;
            f = x + 1;
        }
    }
#else
    (void)s, (void)want;
#endif
    return nf;
}

/* Splits the fields of the current record up to the late columns' that
 * the fast path only counted (its records have no quote: vcsv_split takes
 * those, and splits every field), then hands the late columns out. */
void vcsv_late(velo_src *s, vfield *f)
{
    if (s->batching) { /* a record of vsrc_batch: none of its fields is split in s */
        s->rec_start = s->vb.raw[s->vb.i];
        s->rec_end = s->rec_start + s->vb.rawn[s->vb.i];
        s->nrec = s->nexpect;
        s->nsplit = vcsv_split_plain(s, s->nkeep_late < s->nrec ? s->nkeep_late : s->nrec);
    }
    int want = s->nkeep_late < s->nrec ? s->nkeep_late : s->nrec;
    const char *p = s->nsplit ? s->fp[s->nsplit - 1] + s->fn[s->nsplit - 1] + 1 : s->rec_start;
    for (int k = s->nsplit; k < want; k++) {
        const char *x = vcsv_field_end(s, p, s->rec_end);
        vcsv_push(s, k, p, x - p, 0);
        p = x + 1;
    }
    if (want > s->nsplit) s->nsplit = want;
    vcsv_fields(s, s->latelist, s->nlate, f);
}
