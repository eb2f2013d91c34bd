/*
 * retry.c -- retries with exponential backoff and jitter, and the circuit
 * breaker of a sink (see vretry_* in velo_internal.h).
 *
 * Classification of an errno from a sink write (vretry_classify):
 *   transient  EINTR (retried at once, not counted), EAGAIN/EWOULDBLOCK,
 *              ENOSPC, EDQUOT (space may be freed: log rotation, quota),
 *              ENOBUFS, ENOMEM, ETIMEDOUT, ECONNRESET/ECONNREFUSED/EPIPE
 *              (network file systems), EBUSY
 *              -> retried after a backoff; the bytes already written stay.
 *   fatal      everything else (EIO, EBADF, EFBIG, EROFS, EACCES, ...)
 *              -> the job stops at once with the error.
 *   data       a file sink has no per-record data errors (any bytes can be
 *              written); a Kafka sink's per-message errors are reported by
 *              librdkafka's delivery reports (kafka.c).
 *
 * Backoff before attempt k+1 (k >= 1 failures so far): a uniform random
 * delay in [d/2, d] with d = min(retry.max.delay, retry.initial.delay *
 * 2^(k-1)) ("equal jitter": never zero, never in lock step).
 *
 * Circuit breaker: it counts consecutive failed attempts over the whole life
 * of the sink (a successful write, even partial, resets the count). When the
 * count reaches retry.max.attempts the breaker opens: the sink makes no more
 * attempts, the job stops with "circuit breaker open" and exits 1, and the
 * summary says so.
 */
#include "velo_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define VRETRY_US_MS 1000LL

int vretry_classify(int err)
{
    switch (err) {
    case EINTR:
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case ENOSPC:
    case EDQUOT:
    case ENOBUFS:
    case ENOMEM:
    case ETIMEDOUT:
    case ECONNRESET:
    case ECONNREFUSED:
    case EPIPE:
    case EBUSY: return VRETRY_TRANSIENT;
    default: return VRETRY_FATAL;
    }
}

void vretry_init(vretry *r)
{
    memset(r, 0, sizeof *r);
    r->max_attempts = 5;
    r->initial_us = 100 * VRETRY_US_MS;
    r->max_us = 10000 * VRETRY_US_MS;
    r->rng = (u64)getpid() * 0x9e3779b97f4a7c15ULL ^ (u64)time(NULL);
}

/* Duration property: 0 ok (or absent), -1 after a config error. */
static int vretry_dur(velo_rt *rt, const char *name, const char *const *props, const char *key, i64 *out)
{
    const char *v = velo_rt_prop(rt, name, props, key);
    i64 us;
    if (!v) return 0;
    if (vt_parse_duration(v, (i64)strlen(v), &us) || us <= 0 || us > 3600LL * 1000000) {
        char msg[400];
        snprintf(msg, sizeof msg, "sink '%s': invalid %s '%.100s' (expected a duration between 1us and 1h, e.g. 100ms, 10s)", name, key, v);
        velo_config_error(rt, msg);
        return -1;
    }
    *out = us;
    return 0;
}

int vretry_config(vretry *r, velo_rt *rt, const char *name, const char *const *props)
{
    vretry_init(r);
    if (!name) return 0;
    const char *v = velo_rt_prop(rt, name, props, "retry.max.attempts");
    if (v) {
        char *e;
        long n = strtol(v, &e, 10);
        if (e == v || *e || n < 1 || n > 1000) {
            char msg[400];
            snprintf(msg, sizeof msg, "sink '%s': invalid retry.max.attempts '%.100s' (expected an integer from 1 to 1000)", name, v);
            velo_config_error(rt, msg);
            return -1;
        }
        r->max_attempts = (int)n;
    }
    if (vretry_dur(rt, name, props, "retry.initial.delay", &r->initial_us) || vretry_dur(rt, name, props, "retry.max.delay", &r->max_us))
        return -1;
    if (r->max_us < r->initial_us) r->max_us = r->initial_us;
    return 0;
}

i64 vretry_delay_us(vretry *r, int failures)
{
    i64 d = r->initial_us;
    for (int i = 1; i < failures && d < r->max_us; i++) d *= 2;
    if (d > r->max_us) d = r->max_us;
    r->rng ^= r->rng << 13; /* xorshift64 */
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    i64 half = d / 2;
    return half + (i64)(r->rng % (u64)(d - half + 1));
}

static void vretry_sleep(i64 us)
{
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000}, rem;
    while (nanosleep(&ts, &rem) != 0 && errno == EINTR) ts = rem;
}

void vretry_ok(vretry *r)
{
    r->consecutive = 0;
}

int vretry_failed(vretry *r, int err)
{
    r->last_err = err;
    if (err == EINTR) return !r->open;
    if (r->open || vretry_classify(err) != VRETRY_TRANSIENT) return 0;
    if (++r->consecutive >= r->max_attempts) {
        r->open = 1;
        return 0;
    }
    r->retries++;
    vretry_sleep(vretry_delay_us(r, r->consecutive));
    return 1;
}
