/*
 * vtime.c -- TIMESTAMP (µs since the Unix epoch, UTC) and INTERVAL support.
 *
 * There is no time zone database: input offsets are folded into UTC at parse
 * time and everything else is proleptic Gregorian arithmetic on day numbers
 * (the civil-from-days / days-from-civil algorithms published by Howard
 * Hinnant), which are exact for negative timestamps as well.
 */
#include "velo.h"

#include <stdio.h>
#include <time.h>

#define VT_US_SEC  1000000LL
#define VT_US_MIN  (60 * VT_US_SEC)
#define VT_US_HOUR (60 * VT_US_MIN)
#define VT_US_DAY  (24 * VT_US_HOUR)

typedef struct vt_civil {
    i64 y;
    int m, d;      /* 1-based */
    i64 us_of_day; /* 0 .. VT_US_DAY-1 */
} vt_civil;

/* Floor division and modulo: timestamps before 1970 are negative. */
static i64 vt_fdiv(i64 a, i64 b)
{
    i64 q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static i64 vt_fmod(i64 a, i64 b)
{
    return a - vt_fdiv(a, b) * b;
}

static i64 vt_days_from_civil(i64 y, int m, int d)
{
    i64 era, yoe, doy, doe;

    y -= m <= 2;
    era = vt_fdiv(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void vt_civil_from_days(i64 z, i64 *y, int *m, int *d)
{
    i64 era, doe, yoe, doy, mp;

    z += 719468;
    era = vt_fdiv(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int vt_is_leap(i64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int vt_month_days(i64 y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && vt_is_leap(y) ? 29 : days[m - 1];
}

static void vt_split(i64 ts, vt_civil *c)
{
    i64 days = vt_fdiv(ts, VT_US_DAY);
    i64 r = ts % VT_US_DAY;

    /* floor modulo without forming days * VT_US_DAY, which overflows for
     * the first (partial) day of the i64 range */
    c->us_of_day = r < 0 ? r + VT_US_DAY : r;
    vt_civil_from_days(days, &c->y, &c->m, &c->d);
}

void vt_civil_of(i64 ts, i64 *y, int *m, int *d, i64 *us_of_day)
{
    vt_civil c;

    vt_split(ts, &c);
    *y = c.y, *m = c.m, *d = c.d, *us_of_day = c.us_of_day;
}

/* ---- parsing ------------------------------------------------------------ */

/* Reads exactly `width` digits. */
static int vt_digits(const char **pp, const char *end, int width, int *out)
{
    const char *p = *pp;
    int v = 0, i;

    if (end - p < width) return 1;
    for (i = 0; i < width; i++) {
        if (p[i] < '0' || p[i] > '9') return 1;
        v = v * 10 + (p[i] - '0');
    }
    *pp = p + width;
    *out = v;
    return 0;
}

static int vt_expect(const char **pp, const char *end, char c)
{
    if (*pp >= end || **pp != c) return 1;
    (*pp)++;
    return 0;
}

/* ".f{1,9}" (or ",f"), rounded to microseconds. */
static int vt_fraction(const char **pp, const char *end, i64 *us)
{
    const char *p = *pp + 1;
    i64 v = 0;
    int nd = 0, round = 0;

    for (; p < end && *p >= '0' && *p <= '9'; p++, nd++) {
        if (nd < 6) v = v * 10 + (*p - '0');
        else if (nd == 6) round = *p >= '5';
    }
    if (nd == 0 || nd > 9) return 1;
    for (; nd < 6; nd++) v *= 10;
    *us = v + round;
    *pp = p;
    return 0;
}

/* "Z", "+HH", "+HH:MM" or "+HHMM"; sets the offset east of UTC in µs. */
static int vt_offset(const char **pp, const char *end, i64 *off)
{
    const char *p = *pp;
    int sign, hh, mm = 0;

    if (*p == 'Z' || *p == 'z') {
        *pp = p + 1;
        *off = 0;
        return 0;
    }
    if (*p != '+' && *p != '-') return 1;
    sign = *p++ == '-' ? -1 : 1;
    if (vt_digits(&p, end, 2, &hh) || hh > 23) return 1;
    if (p < end) {
        if (*p == ':') p++;
        if (vt_digits(&p, end, 2, &mm) || mm > 59) return 1;
    }
    *off = sign * (hh * VT_US_HOUR + mm * VT_US_MIN);
    *pp = p;
    return 0;
}

/* "HH:MM[:SS[.f]]" after the date. */
static int vt_parse_clock(const char **pp, const char *end, i64 *us)
{
    const char *p = *pp;
    int hh, mi, ss = 0;
    i64 frac = 0;

    if (vt_digits(&p, end, 2, &hh) || vt_expect(&p, end, ':') || vt_digits(&p, end, 2, &mi) || hh > 23 || mi > 59) return 1;
    if (p < end && *p == ':') {
        p++;
        if (vt_digits(&p, end, 2, &ss) || ss > 59) return 1;
        if (p < end && (*p == '.' || *p == ',') && vt_fraction(&p, end, &frac)) return 1;
    }
    *us = hh * VT_US_HOUR + mi * VT_US_MIN + ss * VT_US_SEC + frac;
    *pp = p;
    return 0;
}

/* Digits p[i..i+w) as a number, or -1 if one is not a digit. */
static inline int vt_num(const char *p, int i, int w)
{
    int v = 0;
    for (int k = i; k < i + w; k++) {
        unsigned d = (unsigned)(p[k] - '0');
        if (d > 9) return -1;
        v = v * 10 + (int)d;
    }
    return v;
}

/* The two forms files nearly always hold, "YYYY-MM-DD" and "YYYY-MM-DD
 * HH:MM:SS" (or with a T), without the general parser's steps. 1 for
 * anything else, which vt_parse then reads (or rejects) the general way. */
static int vt_parse_fixed(const char *p, i64 n, i64 *out)
{
    if ((n != 10 && n != 19) || p[4] != '-' || p[7] != '-') return 1;
    int y = vt_num(p, 0, 4), m = vt_num(p, 5, 2), d = vt_num(p, 8, 2), hh = 0, mi = 0, ss = 0;
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > vt_month_days(y, m)) return 1;
    if (n == 19) {
        if ((p[10] != ' ' && p[10] != 'T' && p[10] != 't') || p[13] != ':' || p[16] != ':') return 1;
        hh = vt_num(p, 11, 2), mi = vt_num(p, 14, 2), ss = vt_num(p, 17, 2);
        if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return 1;
    }
    *out = vt_days_from_civil(y, m, d) * VT_US_DAY + hh * VT_US_HOUR + mi * VT_US_MIN + ss * VT_US_SEC;
    return 0;
}

int vt_parse(const char *p, i64 n, i64 *out)
{
    if (vt_parse_fixed(p, n, out) == 0) return 0;
    const char *end = p + n;
    int y, m, d;
    i64 us = 0, off = 0;

    if (vt_digits(&p, end, 4, &y) || vt_expect(&p, end, '-') || vt_digits(&p, end, 2, &m) || vt_expect(&p, end, '-') ||
        vt_digits(&p, end, 2, &d))
        return 1;
    if (m < 1 || m > 12 || d < 1 || d > vt_month_days(y, m)) return 1;
    if (p < end) {
        if (*p != 'T' && *p != 't' && *p != ' ') return 1;
        p++;
        if (vt_parse_clock(&p, end, &us)) return 1;
        if (p < end && vt_offset(&p, end, &off)) return 1;
        if (p != end) return 1;
    }
    *out = vt_days_from_civil(y, m, d) * VT_US_DAY + us - off;
    return 0;
}

/* ---- formatting --------------------------------------------------------- */

static int vt_format_sep(char *buf, i64 ts, char sep, const char *suffix)
{
    vt_civil c;
    i64 secs, us;
    int len, nd = 6;

    vt_split(ts, &c);
    secs = c.us_of_day / VT_US_SEC;
    us = c.us_of_day % VT_US_SEC;
    len = snprintf(buf, 40, "%04lld-%02d-%02d%c%02lld:%02lld:%02lld", c.y, c.m, c.d, sep, secs / 3600, secs / 60 % 60, secs % 60);
    if (us) {
        while (us % 10 == 0) {
            us /= 10;
            nd--;
        }
        len += snprintf(buf + len, 40 - (vsize)len, ".%0*lld", nd, us);
    }
    len += snprintf(buf + len, 40 - (vsize)len, "%s", suffix);
    return len;
}

int vt_format(char *buf, i64 ts)
{
    return vt_format_sep(buf, ts, ' ', "");
}

int vt_format_iso(char *buf, i64 ts)
{
    return vt_format_sep(buf, ts, 'T', "Z");
}

/* ---- fields ------------------------------------------------------------- */

/* ISO 8601 day of week, Monday = 1 .. Sunday = 7; day 0 was a Thursday. */
static int vt_iso_wday(i64 days)
{
    return (int)vt_fmod(days + 3, 7) + 1;
}

/* ISO week: the week belongs to the year of its Thursday. */
static int vt_iso_week(i64 days)
{
    i64 thu = days - vt_iso_wday(days) + 4, y;
    int m, d;

    vt_civil_from_days(thu, &y, &m, &d);
    return (int)((thu - vt_days_from_civil(y, 1, 1)) / 7 + 1);
}

i64 vt_extract(int field, i64 ts)
{
    vt_civil c;
    i64 days = vt_fdiv(ts, VT_US_DAY), sec_us;

    vt_split(ts, &c);
    sec_us = c.us_of_day % VT_US_MIN;
    switch (field) {
    case VT_F_YEAR: return c.y;
    case VT_F_QUARTER: return (c.m - 1) / 3 + 1;
    case VT_F_MONTH: return c.m;
    case VT_F_WEEK: return vt_iso_week(days);
    case VT_F_DAY: return c.d;
    case VT_F_DOW: return vt_iso_wday(days) % 7;
    case VT_F_DOY: return days - vt_days_from_civil(c.y, 1, 1) + 1;
    case VT_F_HOUR: return c.us_of_day / VT_US_HOUR;
    case VT_F_MINUTE: return c.us_of_day / VT_US_MIN % 60;
    case VT_F_SECOND: return sec_us / VT_US_SEC;
    case VT_F_MILLISECOND: return sec_us / 1000;
    case VT_F_MICROSECOND: return sec_us;
    case VT_F_EPOCH: return vt_fdiv(ts, VT_US_SEC);
    default: return 0;
    }
}

static i64 vt_from_civil(i64 y, int m, int d)
{
    return vt_days_from_civil(y, m, d) * VT_US_DAY;
}

static i64 vt_floor_to(i64 ts, i64 unit)
{
    return vt_fdiv(ts, unit) * unit;
}

i64 vt_trunc(velo_rt *rt, int field, i64 ts)
{
    vt_civil c;
    /* truncation moves toward -infinity: keep a margin (about 146 000 years)
     * so the calendar arithmetic below cannot overflow */
    if (ts < VELO_I64_MIN / 2) return velo_fail(rt, "timestamp out of range for DATE_TRUNC");
    i64 days = vt_fdiv(ts, VT_US_DAY);

    vt_split(ts, &c);
    switch (field) {
    case VT_F_YEAR: return vt_from_civil(c.y, 1, 1);
    case VT_F_QUARTER: return vt_from_civil(c.y, (c.m - 1) / 3 * 3 + 1, 1);
    case VT_F_MONTH: return vt_from_civil(c.y, c.m, 1);
    case VT_F_WEEK: return (days - vt_iso_wday(days) + 1) * VT_US_DAY;
    case VT_F_DAY: return days * VT_US_DAY;
    case VT_F_HOUR: return vt_floor_to(ts, VT_US_HOUR);
    case VT_F_MINUTE: return vt_floor_to(ts, VT_US_MIN);
    case VT_F_SECOND: return vt_floor_to(ts, VT_US_SEC);
    case VT_F_MILLISECOND: return vt_floor_to(ts, 1000);
    case VT_F_MICROSECOND: return ts;
    default: return velo_fail(rt, "unsupported unit for DATE_TRUNC");
    }
}

/* Timestamps must stay within years 0..9999 after calendar arithmetic so
 * that the output formats and the day arithmetic stay meaningful. */
i64 vt_add_months(velo_rt *rt, i64 ts, i64 months)
{
    vt_civil c;
    i64 mi, y;
    int m, d;

    vt_split(ts, &c);
    if (months > 12 * 20000 || months < -12 * 20000) return velo_fail(rt, "timestamp out of range");
    mi = c.y * 12 + (c.m - 1) + months;
    y = vt_fdiv(mi, 12);
    m = (int)(mi - y * 12) + 1;
    if (y < 0 || y > 9999) return velo_fail(rt, "timestamp out of range");
    d = c.d > vt_month_days(y, m) ? vt_month_days(y, m) : c.d;
    return vt_from_civil(y, m, d) + c.us_of_day;
}

i64 vt_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (i64)t.tv_sec * VT_US_SEC + t.tv_nsec / 1000;
}

int vt_parse_duration(const char *p, i64 n, i64 *out)
{
    static const struct {
        const char *name;
        i64 us;
    } units[] = {
        {"us", 1}, {"ms", 1000}, {"s", VT_US_SEC}, {"m", VT_US_MIN}, {"h", VT_US_HOUR}, {"d", VT_US_DAY},
    };
    const char *end = p + n;
    i64 v = 0;
    int nd = 0;
    vsize i, ulen;

    for (; p < end && *p >= '0' && *p <= '9'; p++, nd++)
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v)) return 1;
    if (nd == 0) return 1;
    ulen = (vsize)(end - p);
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        const char *u = units[i].name;
        vsize k = 0;

        while (u[k] && k < ulen && (p[k] | 0x20) == u[k]) k++;
        if (!u[k] && k == ulen) return __builtin_mul_overflow(v, units[i].us, out);
    }
    return 1;
}
