/*
 * json.c -- JSON decoding for file sources (JSON Lines, or one document
 * holding an array of objects or a single object) and JSON string escaping
 * for the writers.
 *
 * No tree is built. The decoder walks the top-level object of a record,
 * matches each key against the declared columns (case-insensitively, as SQL
 * names are) and records the span of the value; values of other keys, nested
 * objects and arrays included, are skipped by a scanner that only tracks
 * depth and strings. A string is unescaped (into rt->tmp) only when it holds
 * a backslash; otherwise the field points into the read buffer.
 */
#include "velo_internal.h"

#include <stdlib.h>
#include <strings.h>

typedef struct vjson_ctx {
    velo_src *s;
    const char *e;    /* end of the parsable text */
    const char *err;  /* first error, NULL when fine */
    const char *errp; /* where */
} vjson_ctx;

static const char *vjson_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static const char *vjson_fail(vjson_ctx *c, const char *p, const char *msg)
{
    if (!c->err) {
        c->err = msg;
        c->errp = p;
    }
    return NULL;
}

/* p at the opening quote; returns the closing quote. */
static const char *vjson_str_end(vjson_ctx *c, const char *p, int *esc)
{
    const char *e = c->e;
    *esc = 0;
    for (p++; p < e; p++) {
        if (*p == '"') return p;
        if (*p == '\\') {
            *esc = 1;
            p++;
        }
    }
    return vjson_fail(c, e, "unterminated string");
}

static int vjson_hex4(const char *p, const char *e, unsigned *out)
{
    unsigned v = 0;
    if (e - p < 4) return -1;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9') v |= (unsigned)(ch - '0');
        else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f') v |= (unsigned)((ch | 0x20) - 'a' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static char *vjson_utf8(char *w, unsigned cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xc0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xe0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *w++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *w++ = (char)(0xf0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *w++ = (char)(0x80 | (cp & 0x3f));
    }
    return w;
}

/* Unescapes the string body p[0..n) into rt->tmp; escapes never grow text. */
static int vjson_unescape(vjson_ctx *c, const char *p, i64 n, vfield *f)
{
    const char *e = p + n;
    char *o = va_alloc(&c->s->rt->tmp, (vsize)n + 1), *w = o;
    while (p < e) {
        if (*p != '\\') {
            *w++ = *p++;
            continue;
        }
        const char *at = p++;
        unsigned cp, lo;
        switch (*p++) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
            if (vjson_hex4(p, e, &cp)) return vjson_fail(c, at, "invalid \\u escape"), -1;
            p += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || vjson_hex4(p + 2, e, &lo) || lo < 0xdc00 || lo > 0xdfff)
                    return vjson_fail(c, at, "unpaired surrogate in \\u escape"), -1;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                return vjson_fail(c, at, "unpaired surrogate in \\u escape"), -1;
            }
            w = vjson_utf8(w, cp);
            break;
        default: return vjson_fail(c, at, "invalid escape"), -1;
        }
    }
    f->p = o;
    f->n = w - o;
    f->kind = VF_TEXT;
    return 0;
}

static const char *vjson_number(vjson_ctx *c, const char *p)
{
    const char *e = c->e, *s = p;
    if (p < e && *p == '-') p++;
    if (p < e && *p == '0') p++;
    else if (p < e && *p >= '1' && *p <= '9')
        while (p < e && *p >= '0' && *p <= '9') p++;
    else return vjson_fail(c, s, "invalid number");
    if (p < e && *p == '.') {
        const char *d = ++p;
        while (p < e && *p >= '0' && *p <= '9') p++;
        if (p == d) return vjson_fail(c, s, "invalid number");
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-')) p++;
        const char *d = p;
        while (p < e && *p >= '0' && *p <= '9') p++;
        if (p == d) return vjson_fail(c, s, "invalid number");
    }
    return p;
}

static const char *vjson_word(vjson_ctx *c, const char *p, const char *w, size_t n)
{
    if ((size_t)(c->e - p) < n || memcmp(p, w, n)) return vjson_fail(c, p, "invalid literal");
    return p + n;
}

/* Skips a nested object or array; strings are honoured, structure is only
 * checked for balance (the value is handed out as raw text). */
static const char *vjson_skip_nested(vjson_ctx *c, const char *p)
{
    char stack[256];
    int depth = 0;
    int esc;
    for (const char *e = c->e; p < e; p++) {
        switch (*p) {
        case '"':
            if (!(p = vjson_str_end(c, p, &esc))) return NULL;
            break;
        case '{':
        case '[':
            if (depth == (int)sizeof stack) return vjson_fail(c, p, "nesting too deep");
            stack[depth++] = *p == '{' ? '}' : ']';
            break;
        case '}':
        case ']':
            if (!depth || stack[--depth] != *p) return vjson_fail(c, p, "mismatched bracket");
            if (!depth) return p + 1;
            break;
        default: break;
        }
    }
    return vjson_fail(c, c->e, "unterminated object or array");
}

/* Parses one value at p; when f is not NULL describes it there. */
static const char *vjson_value(vjson_ctx *c, const char *p, vfield *f)
{
    const char *q;
    int esc;
    if (p >= c->e) return vjson_fail(c, p, "expected a value");
    switch (*p) {
    case '"':
        if (!(q = vjson_str_end(c, p, &esc))) return NULL;
        if (f) {
            if (esc) {
                if (vjson_unescape(c, p + 1, q - p - 1, f)) return NULL;
            } else {
                f->p = p + 1;
                f->n = q - p - 1;
                f->kind = VF_TEXT;
            }
        }
        return q + 1;
    case '{':
    case '[':
        q = vjson_skip_nested(c, p);
        if (q && f) {
            f->p = p;
            f->n = q - p;
            f->kind = VF_RAW;
        }
        return q;
    case 't':
    case 'f':
        q = *p == 't' ? vjson_word(c, p, "true", 4) : vjson_word(c, p, "false", 5);
        if (q && f) {
            f->p = p;
            f->n = q - p;
            f->kind = VF_BOOL;
        }
        return q;
    case 'n':
        q = vjson_word(c, p, "null", 4);
        if (q && f) f->kind = VF_NULL;
        return q;
    default:
        q = vjson_number(c, p);
        if (q && f) {
            f->p = p;
            f->n = q - p;
            f->kind = VF_NUM;
        }
        return q;
    }
}

/* ASCII case-insensitive equality of a[0..n) and b[0..n) (what strncasecmp
 * does in the C locale when neither holds a NUL). */
static int vjson_ieq(const char *a, const char *b, i64 n)
{
    i64 i = 0;
    while (i < n && a[i] == b[i]) i++;
    for (; i < n; i++) {
        unsigned x = (u8)a[i], y = (u8)b[i];
        x += (x - 'A' < 26u) << 5;
        y += (y - 'A' < 26u) << 5;
        if (x != y) return 0;
    }
    return 1;
}

/*
 * Key lookup cache. The keys of JSON records nearly always come in the same
 * order, so the column the k-th key named last time is tried first. JSON
 * sources have no use for the CSV column map, so s->colmap holds the guesses:
 * colmap[k] >= 0 a needed column, -2 - j the unneeded column j, -1 unknown;
 * colmap[ncols] is 1 when the cache is usable (no two declared names are
 * equal ignoring case, so a name matches one column at most).
 */
static void vjson_cache_init(velo_src *s)
{
    s->colmap = malloc(sizeof(int) * (size_t)(s->ncols + 1));
    if (!s->colmap) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    int ok = 1;
    for (int i = 0; i < s->ncols; i++) {
        s->colmap[i] = -1;
        for (int j = 0; j < i && ok; j++)
            ok = !((i64)s->colen[i] == (i64)s->colen[j] && vjson_ieq(s->cols[i], s->cols[j], (i64)s->colen[i]));
    }
    s->colmap[s->ncols] = ok;
}

/* Index of the needed column named by key p[0..n), or -1; k is the key's
 * position in its object. */
static int vjson_column(vjson_ctx *c, int k, const char *p, i64 n)
{
    velo_src *s = c->s;
    int cache = s->colmap[s->ncols] && k < s->ncols;
    if (cache && s->colmap[k] != -1) {
        int g = s->colmap[k] >= 0 ? s->colmap[k] : -2 - s->colmap[k];
        if ((i64)s->colen[g] == n && vjson_ieq(s->cols[g], p, n)) return s->colmap[k] >= 0 ? g : -1;
    }
    int found = -1, any = -1;
    for (int i = 0; i < s->ncols && found < 0; i++)
        if ((i64)s->colen[i] == n && vjson_ieq(s->cols[i], p, n)) {
            if (any < 0) any = i;
            if (s->needed[i]) found = i;
        }
    if (cache) s->colmap[k] = found >= 0 ? found : any >= 0 ? -2 - any : -1;
    return found;
}

/* Parses the object at p into f (needed columns only); returns its end. */
static const char *vjson_object(vjson_ctx *c, const char *p, vfield *f)
{
    velo_src *s = c->s;
    if (!s->colmap) vjson_cache_init(s);
    for (int i = 0; i < s->ncols; i++) f[i].kind = VF_NULL;
    if (p >= c->e || *p != '{') return vjson_fail(c, p, "expected '{'");
    p = vjson_ws(p + 1, c->e);
    if (p < c->e && *p == '}') return p + 1;
    for (int k = 0;; k++) {
        int esc, col;
        if (p >= c->e || *p != '"') return vjson_fail(c, p, "expected a key string");
        const char *q = vjson_str_end(c, p, &esc);
        if (!q) return NULL;
        if (esc) {
            vfield key;
            if (vjson_unescape(c, p + 1, q - p - 1, &key)) return NULL;
            col = vjson_column(c, k, key.p, key.n);
        } else {
            col = vjson_column(c, k, p + 1, q - p - 1);
        }
        p = vjson_ws(q + 1, c->e);
        if (p >= c->e || *p != ':') return vjson_fail(c, p, "expected ':' after a key");
        p = vjson_ws(p + 1, c->e);
        if (!(p = vjson_value(c, p, col >= 0 ? &f[col] : NULL))) return NULL;
        p = vjson_ws(p, c->e);
        if (p < c->e && *p == '}') return p + 1;
        if (p >= c->e || *p != ',') return vjson_fail(c, p, "expected ',' or '}'");
        p = vjson_ws(p + 1, c->e);
    }
}

/* Sends the record that failed to parse to the dead-letter sink. */
static void vjson_bad(vjson_ctx *c, const char *line_start)
{
    char msg[160];
    const char *ls = c->errp;
    while (ls > line_start && ls[-1] != '\n') ls--;
    snprintf(msg, sizeof msg, "invalid JSON at column %lld: %s", (i64)(c->errp - ls) + 1, c->err);
    velo_bad_record(c->s->rt, c->s->op_id, msg);
}

int vjson_next(velo_src *s, vfield *f)
{
    for (;;) {
        const char *nl = NULL;
        size_t from = s->pos;
        while (s->pos == s->end || !(nl = memchr(s->buf + from, '\n', s->end - from))) {
            if (s->eof) break;
            from = s->end - s->pos; /* only new bytes need a look */
            int gen = s->wgen;
            long r = vsrc_fill(s);
            if (r < 0 || (r == 0 && !s->eof)) return 0;     /* vsrc_poll: no whole line yet */
            from = gen != s->wgen ? s->pos : from + s->pos; /* a watched file started over */
        }
        if (s->pos == s->end) return 0;
        const char *ls = s->buf + s->pos, *le = nl ? nl : s->buf + s->end;
        s->pos = nl ? (size_t)(nl - s->buf) + 1 : s->end;
        i64 line = s->line++;
        while (le > ls && (le[-1] == '\r' || le[-1] == ' ' || le[-1] == '\t')) le--;
        vjson_ctx c = {s, le, NULL, NULL};
        const char *p = vjson_ws(ls, le);
        if (p == le) continue; /* blank line */
        s->st->n++;
        vsrc_set_record(s, ls, le - ls, line);
        p = vjson_object(&c, p, f);
        if (p && vjson_ws(p, le) != le) vjson_fail(&c, vjson_ws(p, le), "unexpected text after the object");
        if (!c.err) return 1;
        vjson_bad(&c, ls);
        if (velo_stopped(s->rt)) return 0;
    }
}

static void vjson_advance_lines(velo_src *s, const char *to)
{
    const char *p = s->buf + s->pos;
    while ((p = memchr(p, '\n', (size_t)(to - p))) != NULL) {
        s->line++;
        p++;
    }
    s->pos = (size_t)(to - s->buf);
}

/* After an element at q: ',' (another follows), ']' or the document end. */
static void vjson_doc_sep(velo_src *s, vjson_ctx *c, const char *q)
{
    const char *e = c->e, *r = vjson_ws(q, e);
    if (s->doc_state == 2) {
        s->doc_state = 3;
        if (r != e) vjson_fail(c, r, "unexpected text after the document");
        return;
    }
    if (r < e && *r == ',') {
        vjson_advance_lines(s, vjson_ws(r + 1, e));
    } else if (r < e && *r == ']') {
        vjson_advance_lines(s, r);
    } else {
        vjson_fail(c, r, "expected ',' or ']'");
        s->doc_state = 3;
    }
}

/* JSON document: the whole file is read, then its array is walked one
 * object per call. A syntax error outside an element ends the source. */
int vjson_doc_next(velo_src *s, vfield *f)
{
    if (s->doc_state == 0) {
        while (!s->eof)
            if (vsrc_fill(s) < 0) return 0;
        const char *p = vjson_ws(s->buf + s->pos, s->buf + s->end);
        vjson_advance_lines(s, p);
        if (p == s->buf + s->end) {
            s->doc_state = 3;
        } else if (*p == '[') {
            s->doc_state = 1;
            vjson_advance_lines(s, vjson_ws(p + 1, s->buf + s->end));
        } else {
            s->doc_state = 2;
        }
    }
    const char *e = s->buf + s->end;
    while (s->doc_state == 1 || s->doc_state == 2) {
        vjson_ctx c = {s, e, NULL, NULL};
        const char *p = s->buf + s->pos;
        if (s->doc_state == 1 && p < e && *p == ']') {
            s->doc_state = 3;
            break;
        }
        i64 line = s->line;
        int is_obj = p < e && *p == '{';
        const char *q = is_obj ? vjson_object(&c, p, f) : vjson_value(&c, p, NULL);
        const char *raw_end = q;
        if (!q) { /* raw text up to the end of the failing line */
            raw_end = memchr(c.errp, '\n', (size_t)(e - c.errp));
            raw_end = raw_end ? raw_end : e;
        }
        vsrc_set_record(s, p, raw_end - p, line);
        s->st->n++;
        if (q) vjson_doc_sep(s, &c, q);
        else s->doc_state = 3; /* the next element cannot be found reliably */
        if (q && !is_obj) vjson_fail(&c, p, "expected an object");
        if (!c.err) return 1;
        vjson_bad(&c, s->buf);
        if (velo_stopped(s->rt)) return 0;
    }
    return 0;
}

/* ---- escaping for writers ---------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static int vjson_utf8_len(const u8 *p, const u8 *e)
{
    u8 b = p[0];
    int n;
    unsigned min;
    if (b < 0x80) return 1;
    if ((b & 0xe0) == 0xc0) n = 2, min = 0x80;
    else if ((b & 0xf0) == 0xe0) n = 3, min = 0x800;
    else if ((b & 0xf8) == 0xf0) n = 4, min = 0x10000;
    else return 0;
    if (e - p < n) return 0;
    unsigned cp = b & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return 0;
    return n;
}

void vjson_put_str(velo_buf *b, const char *s, i64 n)
{
    static const char hex[] = "0123456789abcdef";
    const u8 *p = (const u8 *)s, *e = p + n;
    vbuf_putc(b, '"');
    while (p < e) {
        const u8 *run = p;
        while (p < e && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') p++;
        vbuf_put(b, run, (size_t)(p - run));
        if (p == e) break;
        u8 ch = *p;
        int len;
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            vbuf_put(b, esc, 2);
            p++;
        } else if (ch == '\n' || ch == '\t' || ch == '\r') {
            char esc[2] = {'\\', ch == '\n' ? 'n' : ch == '\t' ? 't' : 'r'};
            vbuf_put(b, esc, 2);
            p++;
        } else if (ch >= 0x80 && (len = vjson_utf8_len(p, e)) > 0) {
            vbuf_put(b, p, (size_t)len);
            p += len;
        } else {
            /* control character, or a byte that is not UTF-8 */
            char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            vbuf_put(b, esc, 6);
            p++;
        }
    }
    vbuf_putc(b, '"');
}
