/*
 * ijoin.c -- state of stream-stream interval joins: per-input watermarks
 * (vwm_) and the rows each input keeps for the other to find (vij_).
 *
 * Generated code owns the row layout: a vij_row header followed by a struct
 * of the columns the query reads and then the bytes of its strings, all in
 * one allocation. The runtime indexes rows two ways: a chained hash table
 * on the equi-join key hash (probing) and a binary min-heap on the row's
 * time (eviction). A row leaves once the other input's watermark has passed
 * the last time a partner could still have; vij_expired hands it back so
 * that an outer join can pad it first. Each input's final and peak row
 * counts go to the end-of-run summary, which is how tests see that state
 * stays bounded.
 */
#include "velo_internal.h"

#include <stdlib.h>

/* ---- watermarks ----------------------------------------------------------- */

void vwm_init(velo_wm *w, i64 ooo, i64 idle)
{
    memset(w, 0, sizeof *w);
    w->wm = w->max = VELO_I64_MIN;
    w->ooo = ooo;
    w->idle = idle;
}

/* Minimum over the partitions heard from within the idle timeout of their
 * max event time; assigned partitions not heard from yet hold it back for
 * at most that timeout (the same rule as window watermarks, codegen.c). */
static int vwm_partitions_low(const velo_wm *w, i64 *low)
{
    int hold = 0;
    *low = VELO_I64_MAX;
    for (int q = 0; q < VWM_NP; q++) {
        if (!w->pseen[q]) {
            if (w->asg[q] && w->now - w->t0 <= w->idle) hold = 1;
            continue;
        }
        if (w->now - w->pseen[q] <= w->idle && w->pmax[q] < *low) *low = w->pmax[q];
    }
    return !hold && *low != VELO_I64_MAX;
}

int vwm_observe(velo_wm *w, velo_src *src, i64 et, i64 partition)
{
    if (partition < 0) {
        if (et <= w->max) return 0;
        w->max = et;
        if (et - w->ooo <= w->wm) return 0;
        w->wm = et - w->ooo;
        return 1;
    }
    if ((w->tick++ & 255) == 0) {
        w->now = vt_now();
        if (!w->t0) w->t0 = w->now;
        vsrc_partitions(src, w->asg, VWM_NP);
    }
    i64 pt = partition >= VWM_NP ? VWM_NP - 1 : partition; /* partitions past the table share its last slot */
    w->pseen[pt] = w->now;
    if (!(et > w->pmax[pt] || w->pmax[pt] == 0)) return 0;
    w->pmax[pt] = et;
    if (et > w->max) w->max = et;
    i64 low;
    if (!vwm_partitions_low(w, &low) || low - w->ooo <= w->wm) return 0;
    w->wm = low - w->ooo;
    return 1;
}

void vwm_end(velo_wm *w)
{
    w->wm = VELO_I64_MAX;
}

/* ---- rows kept by one input ----------------------------------------------- */

struct vij_side {
    velo_rt *rt;
    int op_id;
    const char *name; /* "left" or "right", for the summary */
    vij_row **slot;   /* hash chains, by h & (cap - 1) */
    i64 cap, n;
    vij_row **heap; /* min-heap on (ts, seq) */
    i64 hcap;
    i64 seq, peak, evicted, bytes;
};

vij_side *vij_open(velo_rt *rt, int op_id, int right)
{
    vij_side *s = calloc(1, sizeof *s);
    if (!s) velo_mem_exceeded(op_id + 1);
    s->rt = rt;
    s->op_id = op_id;
    s->name = right ? "right" : "left"; /* the summary outlives JIT code and its strings */
    return s;
}

static void vij_grow(vij_side *s)
{
    i64 cap = s->cap ? s->cap * 2 : 1024;
    vij_row **slot = calloc((size_t)cap, sizeof *slot);
    if (!slot) velo_mem_exceeded(s->op_id + 1);
    for (i64 i = 0; i < s->n; i++) {
        vij_row *r = s->heap[i];
        if (!r->keyed) continue;
        i64 b = (i64)(r->h & (u64)(cap - 1));
        r->hprev = NULL;
        r->hnext = slot[b];
        if (slot[b]) slot[b]->hprev = r;
        slot[b] = r;
    }
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
    s->hcap = cap / 2;
    vij_row **heap = realloc(s->heap, (size_t)s->hcap * sizeof *heap);
    if (!heap) velo_mem_exceeded(s->op_id + 1);
    s->heap = heap;
}

static int vij_before(const vij_row *a, const vij_row *b)
{
    return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void vij_heap_up(vij_side *s, i64 i)
{
    vij_row *r = s->heap[i];
    while (i > 0) {
        i64 p = (i - 1) / 2;
        if (!vij_before(r, s->heap[p])) break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = r;
}

static void vij_heap_down(vij_side *s, i64 i)
{
    vij_row *r = s->heap[i];
    for (;;) {
        i64 c = 2 * i + 1;
        if (c >= s->n) break;
        if (c + 1 < s->n && vij_before(s->heap[c + 1], s->heap[c])) c++;
        if (!vij_before(s->heap[c], r)) break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    s->heap[i] = r;
}

vij_row *vij_add(vij_side *s, u64 h, int keyed, i64 ts, vsize size)
{
    if (s->n * 2 >= s->cap) vij_grow(s); /* before linking, so a rehash never sees the row */
    vsize all = sizeof(vij_row) + size;
    vij_row *r = calloc(1, all);
    if (!r) velo_mem_exceeded(s->op_id + 1);
    r->h = h;
    r->ts = ts;
    r->seq = s->seq++;
    r->keyed = (u8)keyed;
    r->size = (i64)all;
    if (keyed) {
        i64 b = (i64)(h & (u64)(s->cap - 1));
        r->hnext = s->slot[b];
        if (s->slot[b]) s->slot[b]->hprev = r;
        s->slot[b] = r;
    }
    s->heap[s->n++] = r;
    vij_heap_up(s, s->n - 1);
    if (s->n > s->peak) s->peak = s->n;
    s->bytes += (i64)all;
    velo_mem_account((i64)all, s->op_id + 1);
    return r;
}

vij_row *vij_chain(vij_side *s, u64 h)
{
    return s->cap ? s->slot[h & (u64)(s->cap - 1)] : NULL;
}

vij_row *vij_expired(vij_side *s, i64 bound)
{
    if (s->n == 0 || s->heap[0]->ts >= bound) return NULL;
    vij_row *r = s->heap[0];
    s->heap[0] = s->heap[--s->n];
    if (s->n) vij_heap_down(s, 0);
    if (r->keyed) {
        if (r->hprev) r->hprev->hnext = r->hnext;
        else s->slot[r->h & (u64)(s->cap - 1)] = r->hnext;
        if (r->hnext) r->hnext->hprev = r->hprev;
    }
    s->evicted++;
    return r;
}

void vij_drop(vij_side *s, vij_row *r)
{
    s->bytes -= r->size;
    velo_mem_account(-r->size, s->op_id + 1);
    free(r);
}

vstr vij_keep(char **area, vstr v)
{
    vstr out = {*area, v.n};
    if (v.n) memcpy(*area, v.p, (size_t)v.n);
    *area += v.n;
    return out;
}

i64 vij_rows(const vij_side *s)
{
    return s ? s->n : 0;
}

i64 vij_min_ts(const vij_side *s)
{
    return s->n ? s->heap[0]->ts : VELO_I64_MAX;
}

void vij_close(vij_side *s)
{
    if (!s) return;
    struct velo_rt_priv *p = s->rt->priv;
    velo_ijstat *st = va_alloc(&s->rt->perm, sizeof *st);
    st->op_id = s->op_id;
    st->name = s->name;
    st->rows = s->n;
    st->peak = s->peak;
    st->evicted = s->evicted;
    st->next = NULL;
    *p->ijstats_tail = st;
    p->ijstats_tail = &st->next;
    for (i64 i = 0; i < s->n; i++) {
        velo_mem_account(-s->heap[i]->size, s->op_id + 1);
        free(s->heap[i]);
    }
    free(s->heap);
    free(s->slot);
    free(s);
}

void vij_summary(velo_rt *rt, velo_buf *b, int *parts)
{
    char tmp[160];
    for (velo_ijstat *st = rt->priv->ijstats; st; st = st->next) {
        vbuf_puts(b, (*parts)++ ? ", " : "");
        vbuf_put(b, tmp,
                 (size_t)snprintf(tmp, sizeof tmp, "interval join [%d] %s state: %lld row%s at the end (peak %lld), %lld evicted",
                                  st->op_id, st->name, st->rows, st->rows == 1 ? "" : "s", st->peak, st->evicted));
    }
}
