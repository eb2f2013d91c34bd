/*
 * catalog.c -- sources and sinks of a script (see catalog.h): property
 * validation per connector, path resolution, schema inference and row
 * estimates by sampling the head of the file.
 */
#include "catalog.h"
#include "catalog_proto.h"
#include "nexmark.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Properties each connector accepts. Streaming and Kafka keys are listed
 * where the engine reads them; anything else is a misspelling. */
static const char *const file_source_keys[] = {"type",
                                               "path",
                                               "format",
                                               "has_headers",
                                               "delimiter",
                                               "compression",
                                               "event.time.field",
                                               "event.time.format",
                                               "watermark.max_out_of_orderness",
                                               "watermark.idle.timeout", /* interval joins of watched files */
                                               "allowed.lateness",
                                               "late.data.strategy",
                                               "watching",
                                               "dead_letter.path",
                                               "error.policy",
                                               "stats.rows",
                                               "decimal.as.string",
                                               "max.memory.mb",
                                               "checkpoint.interval",
                                               "checkpoint.dir",
                                               "state.ttl",
                                               NULL};
static const char *const file_sink_keys[] = {"type",
                                             "path",
                                             "format",
                                             "delimiter",
                                             "decimal.as.string",
                                             "has_headers",
                                             "retry.max.attempts",
                                             "retry.initial.delay",
                                             "retry.max.delay",
                                             "max.memory.mb",
                                             NULL};
static const char *const stdout_sink_keys[] = {"type", "format", "decimal.as.string", NULL};
/* Kafka connectors also take any 'kafka.<librdkafka property>', checked
 * against librdkafka itself (catalog_kafka.c). */
static const char *const kafka_source_keys[] = {"type",
                                                "topic",
                                                "bootstrap.servers",
                                                "group.id",
                                                "auto.offset.reset",
                                                "format",
                                                "key.format",
                                                "scan.bounded.mode",
                                                "has_headers",
                                                "delimiter",
                                                "event.time.field",
                                                "event.time.format",
                                                "watermark.max_out_of_orderness",
                                                "allowed.lateness",
                                                "late.data.strategy",
                                                "dead_letter.path",
                                                "dead_letter.topic",
                                                "error.policy",
                                                "stats.rows",
                                                "decimal.as.string",
                                                "commit.interval.messages",
                                                "commit.interval.ms",
                                                "max.memory.mb",
                                                "state.ttl",
                                                "watermark.idle.timeout",
                                                "checkpoint.interval",
                                                "checkpoint.dir",
                                                NULL};
/* The NEXMark generator as a source: events are generated in the job. */
static const char *const nexmark_source_keys[] = {"type",
                                                  "nexmark.table",
                                                  "nexmark.events",
                                                  "nexmark.rate",
                                                  "nexmark.base.ms",
                                                  "nexmark.extra",
                                                  "event.time.field",
                                                  "event.time.format",
                                                  "watermark.max_out_of_orderness",
                                                  "allowed.lateness",
                                                  "late.data.strategy",
                                                  "dead_letter.path",
                                                  "error.policy",
                                                  "stats.rows",
                                                  "max.memory.mb",
                                                  "state.ttl",
                                                  NULL};
static const char *const kafka_sink_keys[] = {"type",
                                              "topic",
                                              "bootstrap.servers",
                                              "format",
                                              "key.columns",
                                              "key.format",
                                              "decimal.as.string",
                                              "exactly.once",
                                              "retry.max.attempts",
                                              "retry.initial.delay",
                                              "retry.max.delay",
                                              "max.memory.mb",
                                              NULL};

/* catalog_kafka.c: property values checked with librdkafka, and the first
 * messages of a topic (joined by newlines) for schema inference. */
int cat_kafka_check(Catalog *c, Relation *r);
char *cat_kafka_sample(Catalog *c, Relation *r, size_t *len, size_t max, int max_msgs);

static const char *const *cat_allowed_keys(RelKind k)
{
    switch (k) {
    case REL_FILE_SOURCE: return file_source_keys;
    case REL_FILE_SINK: return file_sink_keys;
    case REL_KAFKA_SOURCE: return kafka_source_keys;
    case REL_KAFKA_SINK: return kafka_sink_keys;
    case REL_NEXMARK_SOURCE: return nexmark_source_keys;
    default: return stdout_sink_keys;
    }
}

void cat_origin_note(Catalog *c, const Property *p)
{
    if (p->origin) diag_note(c->d, p->pos, "'%s' comes from %s", p->key, p->origin);
}

static int cat_is_kafka(const Relation *r)
{
    return r->kind == REL_KAFKA_SOURCE || r->kind == REL_KAFKA_SINK;
}

void cat_init(Catalog *c, Arena *a, Diag *d, const char *base_dir)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->d = d;
    c->base_dir = base_dir;
}

int cat_failed(Catalog *c, const char *name)
{
    for (int i = 0; i < c->failed.n; i++)
        if (strcasecmp(c->failed.v[i], name) == 0) return 1;
    return 0;
}

Relation *cat_find(Catalog *c, const char *name)
{
    for (int i = 0; i < c->rels.n; i++) {
        Relation *r = c->rels.v[i];
        if (strcasecmp(r->name, name) == 0) return r;
    }
    return NULL;
}

const char *cat_suggest(Catalog *c, const char *name)
{
    const char **cands = ar_alloc(c->a, sizeof(char *) * (size_t)(c->rels.n + 1));
    for (int i = 0; i < c->rels.n; i++) cands[i] = ((Relation *)c->rels.v[i])->name;
    return diag_suggest(name, cands, c->rels.n);
}

const char *cat_prop(const Relation *r, const char *key)
{
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (strcasecmp(p->key, key) == 0) return p->value;
    }
    return NULL;
}

int cat_unbounded(const Relation *r)
{
    const char *v;
    if (r->kind == REL_KAFKA_SOURCE) return !((v = cat_prop(r, "scan.bounded.mode")) && strcasecmp(v, "latest-offset") == 0);
    if (r->kind == REL_NEXMARK_SOURCE) return !cat_prop(r, "nexmark.events");
    return r->kind == REL_FILE_SOURCE && (v = cat_prop(r, "watching")) && strcasecmp(v, "true") == 0;
}

int cat_is_source(const Relation *r)
{
    return r->kind == REL_FILE_SOURCE || r->kind == REL_KAFKA_SOURCE || r->kind == REL_NEXMARK_SOURCE;
}

/* Kafka records carry metadata the query may read by name; the source
 * fills these columns from the message instead of the payload. */
static void cat_system_columns(Catalog *c, Relation *r)
{
    static const struct {
        const char *name;
        int tag;
    } sys[] = {{"_KEY", VT_STRING}, {"_PARTITION", VT_INT}, {"_OFFSET", VT_BIGINT}, {"_TIMESTAMP", VT_TIMESTAMP}, {"_TOPIC", VT_STRING}};
    int add = 0;
    for (int i = 0; i < 5; i++) add += cat_column_index(r, sys[i].name) < 0;
    if (!add) return;
    Column *cols = ar_alloc(c->a, sizeof(Column) * (size_t)(r->ncols + add));
    memcpy(cols, r->cols, sizeof(Column) * (size_t)r->ncols);
    int n = r->ncols;
    for (int i = 0; i < 5; i++) {
        if (cat_column_index(r, sys[i].name) >= 0) continue;
        cols[n].name = sys[i].name;
        cols[n].type = ty_make(sys[i].tag);
        cols[n].hidden = 1;
        n++;
    }
    r->cols = cols;
    r->ncols = n;
}

int cat_add_hidden(Catalog *c, Relation *r, const char *name, TypeSpec type)
{
    int i = cat_column_index(r, name);
    if (i >= 0) return i;
    Column *cols = ar_alloc(c->a, sizeof(Column) * (size_t)(r->ncols + 1));
    memcpy(cols, r->cols, sizeof(Column) * (size_t)r->ncols);
    cols[r->ncols].name = ar_strdup(c->a, name);
    cols[r->ncols].type = type;
    cols[r->ncols].hidden = 1;
    if (r->ndv) {
        double *ndv = ar_alloc(c->a, sizeof(double) * (size_t)(r->ncols + 1));
        const char **src = ar_alloc(c->a, sizeof(char *) * (size_t)(r->ncols + 1));
        memcpy(ndv, r->ndv, sizeof(double) * (size_t)r->ncols);
        memcpy(src, r->ndv_source, sizeof(char *) * (size_t)r->ncols);
        ndv[r->ncols] = -1;
        src[r->ncols] = "default";
        r->ndv = ndv;
        r->ndv_source = src;
    }
    r->cols = cols;
    return r->ncols++;
}

int cat_column_index(const Relation *r, const char *name)
{
    for (int i = 0; i < r->ncols; i++)
        if (strcasecmp(r->cols[i].name, name) == 0) return i;
    return -1;
}

/* User text for a message: control bytes shown as \n, \t or \xNN so a
 * property value cannot break the one-line error format. */
static const char *cat_q(Catalog *c, const char *s)
{
    StrBuf b;
    sb_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') sb_puts(&b, "\\n");
        else if (*p == '\t') sb_puts(&b, "\\t");
        else if (*p < 32 || *p == 127) sb_printf(&b, "\\x%02x", *p);
        else sb_add(&b, (const char *)p, 1);
    }
    const char *r = ar_strdup(c->a, b.p ? b.p : "");
    sb_free(&b);
    return r;
}

static SrcPos cat_prop_pos(PtrVec *props, const char *key, SrcPos dflt)
{
    for (int i = 0; i < props->n; i++) {
        Property *p = props->v[i];
        if (strcasecmp(p->key, key) == 0) return p->pos;
    }
    return dflt;
}

static int cat_kind_of(Catalog *c, const char *type, SrcPos pos, int want_sink, RelKind *out)
{
    static const char *const types[] = {"file_source", "file_sink", "stdout_sink", "kafka_source", "kafka_sink", "nexmark_source"};
    for (int i = 0; i < 6; i++)
        if (strcasecmp(type, types[i]) == 0) {
            *out = (RelKind)i;
            int is_sink = *out == REL_FILE_SINK || *out == REL_STDOUT_SINK || *out == REL_KAFKA_SINK;
            if (want_sink >= 0 && is_sink != want_sink) {
                diag_error(c->d, pos, NULL, "'%s' cannot be used as a %s", types[i], want_sink ? "sink" : "source");
                return -1;
            }
            return 0;
        }
    diag_error(c->d, pos, diag_suggest(type, types, 6), "unknown connector type '%s'", cat_q(c, type));
    return -1;
}

/* Per-column statistics properties: the column's name after the prefix,
 * and which statistic it declares (*kind, when not NULL). */
enum { CAT_STAT_NDV, CAT_STAT_MIN, CAT_STAT_MAX };

static const char *cat_column_stat_key(const char *key, int *kind)
{
    static const char *const prefix[] = {[CAT_STAT_NDV] = "stats.ndv.", [CAT_STAT_MIN] = "stats.min.", [CAT_STAT_MAX] = "stats.max."};
    for (int i = 0; i < 3; i++)
        if (strncasecmp(key, prefix[i], 10) == 0) {
            if (kind) *kind = i;
            return key + 10;
        }
    return NULL;
}

static int cat_check_keys(Catalog *c, Relation *r)
{
    const char *const *allowed = cat_allowed_keys(r->kind);
    int n = 0, bad = 0;
    while (allowed[n]) n++;
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        int ok = 0;
        for (int k = 0; k < n && !ok; k++) ok = strcasecmp(p->key, allowed[k]) == 0;
        if ((r->kind == REL_FILE_SOURCE || r->kind == REL_NEXMARK_SOURCE || r->kind == REL_KAFKA_SOURCE) &&
            cat_column_stat_key(p->key, NULL))
            ok = 1;                                                           /* cat_declared_stats */
        if (cat_is_kafka(r) && strncasecmp(p->key, "kafka.", 6) == 0) ok = 1; /* cat_kafka_check */
        if (catpb_is_key(p->key)) ok = 1;                                     /* proto.*: checked by catpb_define */
        if (strcasecmp(p->key, "config_file") == 0) ok = 1;                   /* expanded by cat_define */
        if (!ok) {
            diag_error(c->d, p->pos, diag_suggest(p->key, allowed, n), "unknown property '%s' for '%s'", p->key, r->name);
            cat_origin_note(c, p);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static int cat_check_enum(Catalog *c, Relation *r, const char *key, const char *const *vals)
{
    const char *v = cat_prop(r, key);
    if (!v) return 0;
    int n = 0;
    for (; vals[n]; n++)
        if (strcasecmp(v, vals[n]) == 0) return 0;
    diag_error(c->d, cat_prop_pos(&r->props, key, r->pos), diag_suggest(v, vals, n), "invalid value '%s' for '%s'", cat_q(c, v), key);
    for (int i = 0; i < r->props.n; i++)
        if (strcasecmp(((Property *)r->props.v[i])->key, key) == 0) {
            cat_origin_note(c, r->props.v[i]);
            break;
        }
    return -1;
}

static int cat_check_values(Catalog *c, Relation *r)
{
    static const char *const src_formats[] = {"csv", "jsonl", "json", "protobuf", NULL};
    static const char *const sink_formats[] = {"csv", "jsonl", "protobuf", NULL};
    static const char *const bools[] = {"true", "false", NULL};
    static const char *const comp[] = {"gzip", "none", NULL};
    static const char *const policy[] = {"dead_letter", "skip", "fail", NULL};
    static const char *const late[] = {"dead_letter", "drop", NULL};
    int rc = 0;
    static const char *const kafka_formats[] = {"json", "jsonl", "csv", "protobuf", NULL};
    static const char *const nexmark_tables[] = {"person", "auction", "bid", NULL};
    rc |= cat_check_enum(c, r, "format", cat_is_kafka(r) ? kafka_formats : r->kind == REL_FILE_SOURCE ? src_formats : sink_formats);
    rc |= cat_check_enum(c, r, "nexmark.table", nexmark_tables);
    rc |= cat_check_enum(c, r, "nexmark.extra", bools);
    if (cat_is_kafka(r)) rc |= cat_kafka_check(c, r);
    rc |= cat_check_enum(c, r, "has_headers", bools);
    rc |= cat_check_enum(c, r, "watching", bools);
    rc |= cat_check_enum(c, r, "exactly.once", bools);
    rc |= cat_check_enum(c, r, "decimal.as.string", bools);
    rc |= cat_check_enum(c, r, "compression", comp);
    rc |= cat_check_enum(c, r, "error.policy", policy);
    rc |= cat_check_enum(c, r, "late.data.strategy", late);
    /* retries (runtime/retry.c) and the state memory limit */
    struct {
        const char *key;
        long long lo, hi;
    } ints[] = {{"retry.max.attempts", 1, 1000},
                {"max.memory.mb", 1, 1LL << 30},
                {"nexmark.events", 0, 9000000000000000000LL},
                {"nexmark.rate", 1, 1000000000},
                {"nexmark.base.ms", 0, 253402300799999LL}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        const char *v = cat_prop(r, ints[i].key);
        char *e;
        double n = v ? strtod(v, &e) : 0; /* counts may be written 1e7 */
        if (v && (e == v || *e || n != floor(n) || n < (double)ints[i].lo || n > (double)ints[i].hi)) {
            diag_error(c->d, cat_prop_pos(&r->props, ints[i].key, r->pos), NULL, "'%s' must be an integer from %lld to %lld, got '%s'",
                       ints[i].key, ints[i].lo, ints[i].hi, v);
            rc = -1;
        }
    }
    i64 delay[2] = {0, 0};
    static const char *const durs[] = {"retry.initial.delay", "retry.max.delay"};
    for (int i = 0; i < 2; i++) {
        const char *v = cat_prop(r, durs[i]);
        if (v && (vt_parse_duration(v, (i64)strlen(v), &delay[i]) || delay[i] <= 0 || delay[i] > 3600LL * 1000000)) {
            diag_error(c->d, cat_prop_pos(&r->props, durs[i], r->pos), NULL,
                       "'%s' must be a duration from 1us to 1h (e.g. '100ms', '10s'), got '%s'", durs[i], v);
            rc = -1;
        }
    }
    if (delay[0] > 0 && delay[1] > 0 && delay[1] < delay[0]) {
        diag_error(c->d, cat_prop_pos(&r->props, "retry.max.delay", r->pos), NULL,
                   "'retry.max.delay' (%s) is shorter than 'retry.initial.delay' (%s)", cat_prop(r, "retry.max.delay"),
                   cat_prop(r, "retry.initial.delay"));
        rc = -1;
    }
    const char *d = cat_prop(r, "delimiter");
    if (d && strlen(d) != 1) {
        diag_error(c->d, cat_prop_pos(&r->props, "delimiter", r->pos), NULL, "'delimiter' must be one character, got '%s'", d);
        rc = -1;
    }
    return rc;
}

static const char *cat_abs_path(Catalog *c, const char *p)
{
    if (p[0] == '/' || !c->base_dir || !c->base_dir[0]) return p;
    return ar_printf(c->a, "%s/%s", c->base_dir, p);
}

/* ---- sampling ---------------------------------------------------------- */

enum { SAMPLE_BYTES = 256 * 1024, SAMPLE_ROWS = 1000, SAMPLE_PIECES = 16 };

/* What was read of a file for its estimates: the whole file, its head
 * (compressed: no seeking), or SAMPLE_PIECES runs of whole lines from
 * evenly spaced offsets, so that a file sorted or clustered on a column
 * (a log by time) is seen from end to end, not only its first values.
 * piece[k] is where run k starts in buf. */
typedef struct Sample {
    char *buf;
    size_t len;
    int whole;
    int npieces;
    size_t piece[SAMPLE_PIECES];
} Sample;

static int cat_read_head(Catalog *c, const char *path, Sample *sm)
{
    gzFile f = gzopen(path, "rb"); /* reads plain files too */
    if (!f) return -1;
    char *buf = ar_alloc(c->a, SAMPLE_BYTES + 1);
    int n = gzread(f, buf, SAMPLE_BYTES);
    gzclose(f);
    if (n < 0) return -1;
    buf[n] = 0;
    sm->buf = buf;
    sm->len = (size_t)n;
    sm->whole = n < SAMPLE_BYTES;
    sm->npieces = 1;
    sm->piece[0] = 0;
    return 0;
}

/* Whether a run of lines may have started inside a quoted CSV field that
 * spans lines: some line has an odd number of quotes. Such a run is left
 * out rather than misread. */
static int cat_odd_quotes(const char *p, const char *end)
{
    int q = 0;
    for (; p < end; p++) {
        if (*p == '"') q ^= 1;
        else if (*p == '\n' && q) return 1;
    }
    return q;
}

/* Appends to sm the whole lines of the `want` bytes at `off` (after the
 * first line end unless off is 0), at most `lines` of them. */
static void cat_add_piece(int fd, off_t off, size_t want, int lines, int csv, Sample *sm)
{
    char *dst = sm->buf + sm->len;
    ssize_t n = pread(fd, dst, want, off);
    if (n <= 0) return;
    char *p = dst, *end = dst + n;
    if (off > 0) { /* the first line is cut: skip it */
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return;
        p = nl + 1;
    }
    char *q = p;
    for (int k = 0; k < lines; k++) {
        char *nl = memchr(q, '\n', (size_t)(end - q));
        if (!nl) break;
        q = nl + 1;
    }
    if (q == p || (csv && off > 0 && cat_odd_quotes(p, q))) return;
    memmove(dst, p, (size_t)(q - p));
    sm->piece[sm->npieces++] = sm->len;
    sm->len += (size_t)(q - p);
}

/* The sample of a file (see Sample): pieces for a plain file larger than
 * SAMPLE_BYTES, its head otherwise. Each piece keeps its share of the
 * SAMPLE_ROWS records the estimates look at; the first one holds the header. */
static int cat_read_sample(Catalog *c, const char *path, int csv, Sample *sm)
{
    memset(sm, 0, sizeof *sm);
    int fd = strstr(path, ".gz") ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= SAMPLE_BYTES) {
        if (fd >= 0) close(fd);
        return cat_read_head(c, path, sm);
    }
    size_t each = SAMPLE_BYTES / SAMPLE_PIECES;
    int lines = SAMPLE_ROWS / SAMPLE_PIECES; /* the first piece also holds the header */
    sm->buf = ar_alloc(c->a, SAMPLE_BYTES + 1);
    for (int k = 0; k < SAMPLE_PIECES && (k == 0 || sm->npieces > 0); k++) {
        off_t off = (off_t)((double)(st.st_size - (off_t)each) * k / (SAMPLE_PIECES - 1));
        cat_add_piece(fd, off, each, lines + (k == 0), csv, sm);
    }
    close(fd);
    sm->buf[sm->len] = 0;
    if (sm->npieces == 0) return cat_read_head(c, path, sm); /* no whole line in the first piece: the head it is */
    return 0;
}

/* Split one CSV record starting at *pp into fields (in place, quotes
 * removed). Returns the field count, or -1 at end of buffer. */
static int cat_csv_record(char **pp, char *end, char delim, char **fields, int *quoted, int max)
{
    char *p = *pp;
    if (p >= end) return -1;
    int n = 0;
    for (;;) {
        char *out = p, *start = p;
        int q = 0;
        if (p < end && *p == '"') {
            q = 1;
            p++;
            while (p < end) {
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *out++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *out++ = *p++;
            }
            while (p < end && *p != delim && *p != '\n') p++;
        } else {
            while (p < end && *p != delim && *p != '\n') p++;
            out = p;
            if (out > start && out[-1] == '\r') out--;
        }
        char term = p < end ? *p : '\n';
        *out = 0;
        if (n < max) {
            fields[n] = start;
            quoted[n] = q;
        }
        n++;
        if (p < end) p++;
        if (term == '\n') break;
    }
    *pp = p;
    return n;
}

/* JSON text from p (a value, not a string) to just after it: a number or
 * word up to the next delimiter, an object or array to its closing
 * bracket. NULL when the line ends first. */
static char *cat_json_skip(char *p, char *e)
{
    if (*p != '{' && *p != '[') {
        while (p < e && !strchr(",}] \t\r", *p)) p++;
        return p;
    }
    int depth = 0;
    for (; p < e; p++) {
        if (*p == '"')
            for (p++; p < e && *p != '"'; p++) p += *p == '\\';
        else if (*p == '{' || *p == '[') depth++;
        else if ((*p == '}' || *p == ']') && --depth == 0) return p + 1;
    }
    return NULL;
}

/* The string whose opening quote is at p, unescaped in place and ended
 * by a 0; returns just after its closing quote, NULL when the line ends
 * first. \uXXXX outside ASCII becomes '?': the text is for estimates. */
static char *cat_json_string(char *p, char *e, char **out)
{
    char *w = ++p;
    *out = w;
    for (; p < e && *p != '"'; p++) {
        if (*p != '\\') {
            *w++ = *p;
            continue;
        }
        if (++p >= e) return NULL;
        switch (*p) {
        case 'n': *w++ = '\n'; break;
        case 't': *w++ = '\t'; break;
        case 'r': *w++ = '\r'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'u': {
            unsigned cp = 0;
            int k = 1;
            for (; k <= 4 && p + k < e; k++)
                cp = cp * 16 + (unsigned)(isdigit((unsigned char)p[k]) ? p[k] - '0' : (tolower((unsigned char)p[k]) - 'a' + 10) & 15);
            *w++ = cp < 128 ? (char)cp : '?';
            p += k - 1; /* the hex digits there are, never past e */
            break;
        }
        default: *w++ = *p; break; /* \" \\ \/ */
        }
    }
    if (p >= e) return NULL;
    *w = 0;
    return p + 1;
}

/* One JSON Lines record of the sample (in place): each top-level key that
 * names a column (case-insensitively, as the decoder matches them) gives
 * vals[column] its text: a string unescaped (in place), a number or
 * true/false as written, an object or array as its JSON (copies in a);
 * null and missing keys NULL.
 * Returns 1 for a record, 0 for a line that is not one object, -1 at
 * the end of the buffer. */
static int cat_json_record(Arena *a, char **pp, char *end, const Relation *r, char **vals)
{
    char *p = *pp;
    if (p >= end) return -1;
    char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e) e = end;
    *pp = e < end ? e + 1 : end;
    for (int i = 0; i < r->ncols; i++) vals[i] = NULL;
    while (p < e && isspace((unsigned char)*p)) p++;
    if (p >= e || *p++ != '{') return 0;
    for (;;) {
        while (p < e && isspace((unsigned char)*p)) p++;
        if (p < e && *p == '}') return 1;
        char *key, *v;
        if (p >= e || *p != '"' || !(p = cat_json_string(p, e, &key))) return 0;
        while (p < e && isspace((unsigned char)*p)) p++;
        if (p >= e || *p++ != ':') return 0;
        while (p < e && isspace((unsigned char)*p)) p++;
        if (p >= e) return 0;
        if (*p == '"') {
            if (!(p = cat_json_string(p, e, &v))) return 0;
        } else {
            char *q = cat_json_skip(p, e);
            if (!q || q == p) return 0;
            v = q - p == 4 && !memcmp(p, "null", 4) ? NULL : ar_strndup(a, p, (size_t)(q - p));
            p = q;
        }
        int i = cat_column_index(r, key);
        if (i >= 0) vals[i] = v;
        while (p < e && isspace((unsigned char)*p)) p++;
        if (p < e && *p == ',') p++;
        else if (p < e && *p == '}') return 1;
        else return 0;
    }
}

/* Narrowest type that every sampled value of a column fits. */
typedef struct Guess {
    int seen, is_int, is_dec, is_double, is_bool, is_ts, max_scale, max_int_digits;
    int int_fits; /* every integer value fits in BIGINT (19-digit ones are checked) */
} Guess;

static void guess_init(Guess *g)
{
    memset(g, 0, sizeof *g);
    g->is_int = g->is_dec = g->is_double = g->is_bool = g->is_ts = g->int_fits = 1;
}

static int looks_ts(const char *s)
{
    return strlen(s) >= 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) && s[4] == '-' && s[7] == '-' &&
           isdigit((unsigned char)s[9]) && (s[10] == 0 || s[10] == 'T' || s[10] == ' ');
}

static void guess_add(Guess *g, const char *s)
{
    if (!*s) return; /* NULL fits every type */
    g->seen = 1;
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    int digits = 0, frac = -1, other = 0;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            digits++;
            if (frac >= 0) frac++;
        } else if (*p == '.' && frac < 0) frac = 0;
        else other = 1;
    }
    if (other || digits == 0 || frac >= 0) g->is_int = 0;
    if (g->is_int && digits > 18) {
        errno = 0;
        strtoll(s, NULL, 10);
        if (errno == ERANGE) g->int_fits = 0;
    }
    if (other || digits == 0) g->is_dec = 0;
    if (g->is_dec && frac > g->max_scale) g->max_scale = frac;
    if (g->is_dec && digits - (frac > 0 ? frac : 0) > g->max_int_digits) g->max_int_digits = digits - (frac > 0 ? frac : 0);
    char *e;
    strtod(s, &e);
    if (*e) g->is_double = 0;
    if (strcasecmp(s, "true") && strcasecmp(s, "false")) g->is_bool = 0;
    if (!looks_ts(s)) g->is_ts = 0;
}

static TypeSpec guess_type(const Guess *g)
{
    if (!g->seen) return ty_make(VT_STRING);
    if (g->is_bool) return ty_make(VT_BOOL);
    if (g->is_int && g->int_fits) return ty_make(VT_BIGINT);
    if (g->is_dec && g->max_int_digits + g->max_scale <= 18) {
        int intd = g->max_int_digits + 2 > 18 - g->max_scale ? 18 - g->max_scale : g->max_int_digits + 2;
        if (intd < 1) intd = 1;
        return ty_decimal(intd + g->max_scale, g->max_scale);
    }
    if (g->is_double) return ty_make(VT_DOUBLE);
    if (g->is_ts) return ty_make(VT_TIMESTAMP);
    return ty_make(VT_STRING);
}

enum { MAX_INFER_COLS = 4096 };

static int cat_infer_csv(Catalog *c, Relation *r, char *buf, size_t len, int has_header, char delim)
{
    char *p = buf, *end = buf + len;
    /* drop a possibly partial last line unless the whole file was read */
    if (len == SAMPLE_BYTES) {
        while (end > buf && end[-1] != '\n') end--;
    }
    char **fields = ar_alloc(c->a, sizeof(char *) * MAX_INFER_COLS);
    int *quoted = ar_alloc(c->a, sizeof(int) * MAX_INFER_COLS);
    int n = cat_csv_record(&p, end, delim, fields, quoted, MAX_INFER_COLS);
    if (n <= 0 || n > MAX_INFER_COLS) return -1;
    r->ncols = n;
    r->cols = ar_alloc(c->a, sizeof(Column) * (size_t)n);
    Guess *g = ar_alloc(c->a, sizeof(Guess) * (size_t)n);
    for (int i = 0; i < n; i++) {
        r->cols[i].name = has_header ? ar_strdup(c->a, fields[i]) : ar_printf(c->a, "c%d", i + 1);
        guess_init(&g[i]);
        if (!has_header) guess_add(&g[i], fields[i]);
    }
    for (int rows = 0; rows < SAMPLE_ROWS; rows++) {
        int m = cat_csv_record(&p, end, delim, fields, quoted, MAX_INFER_COLS);
        if (m < 0) break;
        if (m != n) continue;
        for (int i = 0; i < n; i++)
            if (!quoted[i]) guess_add(&g[i], fields[i]);
            else {
                g[i].seen = 1;
                g[i].is_int = g[i].is_dec = g[i].is_double = g[i].is_bool = 0;
                if (!looks_ts(fields[i])) g[i].is_ts = 0;
            }
    }
    for (int i = 0; i < n; i++) r->cols[i].type = guess_type(&g[i]);
    return 0;
}

/* JSON Lines: the keys of the first objects, in order of first appearance;
 * value types from the JSON token kinds. */
static int cat_infer_jsonl(Catalog *c, Relation *r, const char *buf, size_t len)
{
    PtrVec names = {0};
    int kinds[MAX_INFER_COLS];
    Guess g[256];
    const char *p = buf, *end = buf + len;
    for (int rows = 0; rows < SAMPLE_ROWS && p < end; rows++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) {
            if (len == SAMPLE_BYTES) break;
            eol = end;
        }
        const char *q = p;
        int depth = 0;
        while (q < eol) {
            if (*q == '{' || *q == '[') {
                depth++;
                q++;
                continue;
            }
            if (*q == '}' || *q == ']') {
                depth--;
                q++;
                continue;
            }
            if (*q == '"' && depth == 1) {
                const char *ks = ++q;
                while (q < eol && *q != '"') q += (*q == '\\') ? 2 : 1;
                const char *ke = q++;
                while (q < eol && (*q == ' ' || *q == '\t')) q++;
                if (q >= eol || *q != ':') continue;
                q++;
                while (q < eol && (*q == ' ' || *q == '\t')) q++;
                char *key = ar_strndup(c->a, ks, (size_t)(ke - ks));
                int idx = -1;
                for (int i = 0; i < names.n; i++)
                    if (strcmp(names.v[i], key) == 0) idx = i;
                if (idx < 0 && names.n < 256) {
                    idx = names.n;
                    pv_push(c->a, &names, key);
                    kinds[idx] = 0;
                    guess_init(&g[idx]);
                }
                /* value */
                const char *vs = q;
                if (q < eol && *q == '"') {
                    q++;
                    while (q < eol && *q != '"') q += (*q == '\\') ? 2 : 1;
                    if (idx >= 0) {
                        char *v = ar_strndup(c->a, vs + 1, (size_t)(q - vs - 1));
                        if (looks_ts(v)) {
                            if (kinds[idx] == 0) kinds[idx] = 't';
                            else if (kinds[idx] != 't') kinds[idx] = 's';
                        } else kinds[idx] = 's';
                    }
                    q++;
                } else if (q < eol && (*q == '{' || *q == '[')) {
                    if (idx >= 0) kinds[idx] = 's';
                    int d2 = 0;
                    do {
                        if (*q == '{' || *q == '[') d2++;
                        else if (*q == '}' || *q == ']') d2--;
                        else if (*q == '"') {
                            q++;
                            while (q < eol && *q != '"') q += (*q == '\\') ? 2 : 1;
                        }
                        q++;
                    } while (q < eol && d2 > 0);
                } else {
                    while (q < eol && *q != ',' && *q != '}') q++;
                    char *v = ar_strndup(c->a, vs, (size_t)(q - vs));
                    while (*v && isspace((unsigned char)v[strlen(v) - 1])) v[strlen(v) - 1] = 0;
                    if (idx >= 0 && strcmp(v, "null") != 0) {
                        if (!strcmp(v, "true") || !strcmp(v, "false")) {
                            if (kinds[idx] == 0) kinds[idx] = 'b';
                            else if (kinds[idx] != 'b') kinds[idx] = 's';
                        } else {
                            if (kinds[idx] == 0 || kinds[idx] == 'n') kinds[idx] = 'n';
                            else kinds[idx] = 's';
                            guess_add(&g[idx], v);
                        }
                    }
                }
                continue;
            }
            q++;
        }
        p = eol + 1;
    }
    if (names.n == 0) return -1;
    r->ncols = names.n;
    r->cols = ar_alloc(c->a, sizeof(Column) * (size_t)names.n);
    for (int i = 0; i < names.n; i++) {
        r->cols[i].name = names.v[i];
        switch (kinds[i]) {
        case 'n': r->cols[i].type = guess_type(&g[i]); break;
        case 'b': r->cols[i].type = ty_make(VT_BOOL); break;
        case 't': r->cols[i].type = ty_make(VT_TIMESTAMP); break;
        default: r->cols[i].type = ty_make(VT_STRING); break;
        }
    }
    return 0;
}

/* Rows ≈ file size / mean record size of the sample. */
static void cat_estimate_rows(Relation *r, const Sample *sm)
{
    const char *buf = sm->buf;
    size_t len = sm->len;
    struct stat st;
    r->rows_source = "default";
    r->est_rows = 1000;
    if (stat(r->path, &st) != 0) return;
    r->file_bytes = (double)st.st_size;
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += buf[i] == '\n';
    if (len && buf[len - 1] != '\n' && sm->whole) lines++; /* last line without a newline */
    if (lines == 0) {
        r->est_rows = 1;
        r->rows_source = "stats";
        return;
    }
    int gz = len && r->file_bytes > 0 && strstr(r->path, ".gz") != NULL;
    double per = (double)len / (double)lines;
    r->est_rows = gz ? (double)lines : r->file_bytes / per;
    if (sm->whole) r->est_rows = (double)lines;
    if (r->est_rows < 1) r->est_rows = 1;
    r->rows_source = "stats";
}

/* For a column whose sampled values never decrease (a file sorted on it:
 * partsupp on ps_partkey, lineitem on l_orderkey, a log on its time), the
 * share of rows that start a new value: changes between neighbouring rows
 * of one run of lines, over such neighbours. -1 when not sorted. Numbers
 * compare as numbers. */
static double cat_sample_sorted(char **v, const int *piece, int n, TypeSpec t)
{
    int num = ty_is_numeric(t) || t.tag == VT_TIMESTAMP, pairs = 0, changes = 0;
    for (int k = 1; k < n; k++) {
        if (!v[k - 1][0] || !v[k][0]) return -1; /* NULLs: no order to speak of */
        double cmp = num ? strtod(v[k], NULL) - strtod(v[k - 1], NULL) : strcmp(v[k], v[k - 1]);
        if (cmp < 0) return -1;
        if (piece[k] == piece[k - 1]) {
            pairs++;
            changes += strcmp(v[k], v[k - 1]) != 0;
        }
    }
    return pairs > 0 ? (double)changes / pairs : -1;
}

/* The distinct values among v[0..n) (*d) and those seen once (*f1), in a
 * hash table of cap slots (a power of two, at least 2n) and n counters:
 * a file read whole gives thousands of values per column, and sorting
 * them took 7 ms of a 250 KB file's compile. */
static void cat_count_values(char **v, int n, int *slot, size_t cap, int *cnt, int *d, int *f1, int *f2)
{
    memset(slot, 0, sizeof(int) * cap); /* row + 1 of the value's first occurrence; 0 is empty */
    memset(cnt, 0, sizeof(int) * (size_t)n);
    *d = *f1 = *f2 = 0;
    for (int k = 0; k < n; k++) {
        uint64_t h = 14695981039346656037ull; /* FNV-1a */
        for (const char *p = v[k]; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
        size_t b = (size_t)(h ^ h >> 29) & (cap - 1);
        while (slot[b] && strcmp(v[slot[b] - 1], v[k]) != 0) b = (b + 1) & (cap - 1);
        if (!slot[b]) slot[b] = k + 1, ++*d;
        cnt[slot[b] - 1]++;
    }
    for (int k = 0; k < n; k++) *f1 += cnt[k] == 1, *f2 += cnt[k] == 2;
}

/* Per-column statistics, all unknown. */
static void cat_stats_alloc(Catalog *c, Relation *r)
{
    r->ndv = ar_alloc(c->a, sizeof(double) * (size_t)(r->ncols + 1));
    r->ndv_source = ar_alloc(c->a, sizeof(char *) * (size_t)(r->ncols + 1));
    r->lo = ar_alloc(c->a, sizeof(double) * (size_t)(r->ncols + 1));
    r->hi = ar_alloc(c->a, sizeof(double) * (size_t)(r->ncols + 1));
    r->range_source = ar_alloc(c->a, sizeof(char *) * (size_t)(r->ncols + 1));
    r->avg_len = ar_alloc(c->a, sizeof(double) * (size_t)(r->ncols + 1));
    for (int i = 0; i < r->ncols; i++) {
        r->ndv[i] = -1;
        r->ndv_source[i] = "default";
        r->lo[i] = r->hi[i] = NAN;
        r->avg_len[i] = -1;
    }
}

/* Whether both 'stats.min.<col>' and 'stats.max.<col>' are declared. */
static int cat_declared_both(const Relation *r, const char *col)
{
    char lo[300], hi[300];
    snprintf(lo, sizeof lo, "stats.min.%s", col);
    snprintf(hi, sizeof hi, "stats.max.%s", col);
    return cat_prop(r, lo) && cat_prop(r, hi);
}

/* 'stats.ndv.<col>', 'stats.min.<col>' and 'stats.max.<col>' override what
 * the sample says. A declared range needs both ends, from the properties
 * or one of them from the sample. */
static int cat_declared_stats(Catalog *c, Relation *r)
{
    if (!r->ndv) cat_stats_alloc(c, r);
    Property **decl = ar_alloc(c->a, sizeof(Property *) * (size_t)(r->ncols + 1)); /* the last min/max of each column */
    const char **names = ar_alloc(c->a, sizeof(char *) * (size_t)(r->ncols + 1));
    for (int i = 0; i < r->ncols; i++) names[i] = r->cols[i].name;
    int rc = 0;
    for (int k = 0; k < r->props.n; k++) {
        Property *p = r->props.v[k];
        int kind;
        const char *col = cat_column_stat_key(p->key, &kind);
        if (!col) continue;
        int i = cat_column_index(r, col);
        if (i < 0) {
            diag_error(c->d, p->pos, diag_suggest(col, names, r->ncols), "'%s' has no column '%s'", r->name, col);
            rc = -1;
            continue;
        }
        TypeSpec t = r->cols[i].type;
        char *end;
        double x = 0;
        if (kind == CAT_STAT_NDV) {
            x = strtod(p->value, &end);
            if (end == p->value || *end || !(x >= 1)) {
                diag_error(c->d, p->pos, NULL, "'%s' must be a count of distinct values (1 or more), not '%s'", p->key, p->value);
                rc = -1;
                continue;
            }
            r->ndv[i] = x;
            r->ndv_source[i] = "declared";
        } else if (!ty_is_numeric(t) && t.tag != VT_TIMESTAMP) {
            diag_error(c->d, p->pos, NULL, "'%s': only number and timestamp columns have a range, '%s' is %s", p->key, col,
                       ty_name(c->a, t));
            rc = -1;
        } else if (ty_text_value(t, p->value, strlen(p->value), &x) != 0) {
            diag_error(c->d, p->pos, NULL, "'%s' must be a value of column '%s' (%s), not '%s'", p->key, col, ty_name(c->a, t), p->value);
            rc = -1;
        } else {
            if (kind == CAT_STAT_MIN) r->lo[i] = x;
            else r->hi[i] = x;
            r->range_source[i] = isnan(r->lo[i]) || isnan(r->hi[i]) ? NULL : "declared";
            decl[i] = p;
        }
    }
    for (int i = 0; i < r->ncols; i++) /* after every property: both ends may be declared */
        if (decl[i] && r->range_source[i] && r->lo[i] > r->hi[i]) {
            diag_error(c->d, decl[i]->pos, NULL, "'%s': the least value of '%s' is above its greatest%s", decl[i]->key, r->cols[i].name,
                       cat_declared_both(r, r->cols[i].name) ? "" : " (the other end is the sample's; declare both)");
            rc = -1;
        }
    return rc;
}

/* The step between neighbouring values of column type t that the parsed
 * sample values x[0..n) suggest: 1 for integers, a cent for DECIMAL(_, 2),
 * for timestamps the longest of a day, a second, a millisecond and a
 * microsecond that divides every one (dates are midnights); 0 for other
 * types. */
static double cat_value_step(TypeSpec t, const double *x, int n)
{
    if (ty_is_int(t)) return 1;
    if (t.tag == VT_DECIMAL) return pow(10, -t.scale);
    if (t.tag != VT_TIMESTAMP) return 0;
    static const double step[] = {86400e6, 1e6, 1e3};
    for (int s = 0; s < 3; s++) {
        int all = 1;
        for (int k = 0; k < n && all; k++) all = fmod(x[k], step[s]) == 0;
        if (all) return step[s];
    }
    return 1;
}

/* Column i's least and greatest sampled values (r->lo, r->hi: "stats"),
 * for numbers and timestamps. Returns how many values of the column's step
 * fit between them, an upper bound on its distinct values (0: none):
 * extrapolations from a sample can overshoot it (GEE, the estimator used
 * before Chao1 below, put 24 000 order dates where 2 254 days fit). A
 * sampled file's range can exceed its sample's: by the mean gap between
 * sampled values at each end. Each value is parsed once. */
static double cat_column_range(Relation *r, int i, char **v, int n, int exact)
{
    TypeSpec t = r->cols[i].type;
    double *x = malloc(sizeof(double) * (size_t)(n + 1)), lo = INFINITY, hi = -INFINITY;
    int seen = 0;
    for (int k = 0; x && k < n; k++)
        if (v[k][0] && ty_text_value(t, v[k], strlen(v[k]), &x[seen]) == 0) {
            lo = x[seen] < lo ? x[seen] : lo;
            hi = x[seen] > hi ? x[seen] : hi;
            seen++;
        }
    double step = seen ? cat_value_step(t, x, seen) : 0, span = hi - lo;
    free(x);
    if (!seen) return 0;
    r->lo[i] = lo;
    r->hi[i] = hi;
    r->range_source[i] = "stats";
    if (step <= 0) return 0;
    if (!exact) span += seen > 1 ? 2 * span / (seen - 1) : 0;
    return floor(span / step) + 1;
}

/* Distinct values per column from the sampled CSV rows. A file read whole
 * (SAMPLE_BYTES or less) is counted exactly: every record is in the sample,
 * which the filter estimates (optimizer/sample.c) then see whole too;
 * unless 'stats.rows' says the file stands for a larger input. Otherwise, a
 * column whose sample has no repeats is taken as a key (ndv = rows); a
 * column the file is sorted on starts a new value as often further on as in
 * the sampled runs of lines (rows times that share, at least the d values
 * seen: an estimator from repeats, which sees no value once there, would
 * say d); otherwise Chao1, bias-corrected: d + f1 (f1 - 1) / (2 (f2 + 1)),
 * where f1 and f2 count the values seen once and twice. It replaced GEE
 * (Charikar et al., sqrt(N/n) f1 + d - f1), whose fixed sqrt(N/n) scales
 * badly both ways: at SF 1 it put o_custkey at 28 762 of 99 743 (a quarter
 * of orders go to 16 hot customers, whose repeats Chao1 ignores; it says
 * 55 000), l_partkey at 76 898 of 200 000 (Chao1 163 516) and o_clerk at
 * 13 764 of 1 000 (Chao1 926). 'stats.ndv.<col>' overrides. */
static void cat_column_stats(Catalog *c, Relation *r, const Sample *sm, int has_header, char delim)
{
    const char *buf = sm->buf;
    size_t len = sm->len;
    cat_stats_alloc(c, r);
    int is_csv = strcasecmp(r->format, "csv") == 0, is_jsonl = strcasecmp(r->format, "jsonl") == 0;
    int exact = sm->whole && strcmp(r->rows_source, "declared") != 0, cap = SAMPLE_ROWS;
    if (exact)
        for (size_t i = cap = 1; i < len; i++) cap += buf[i] == '\n';
    if ((is_csv || is_jsonl) && r->ncols <= MAX_INFER_COLS) {
        char *copy = ar_strndup(c->a, buf, len), *p = copy, *end = copy + len;
        if (!sm->whole)
            while (end > copy && end[-1] != '\n') end--;
        char **fields = ar_alloc(c->a, sizeof(char *) * MAX_INFER_COLS);
        int *quoted = ar_alloc(c->a, sizeof(int) * MAX_INFER_COLS);
        if (is_csv && has_header) cat_csv_record(&p, end, delim, fields, quoted, MAX_INFER_COLS);
        /* per column: values of the sample, sorted later to count repeats */
        char ***vals = ar_alloc(c->a, sizeof(char **) * (size_t)r->ncols);
        for (int i = 0; i < r->ncols; i++) vals[i] = ar_alloc(c->a, sizeof(char *) * (size_t)cap);
        const char **rows = ar_alloc(c->a, sizeof(char *) * (size_t)r->ncols * (size_t)cap);
        int *piece = ar_alloc(c->a, sizeof(int) * (size_t)cap); /* the run of lines each row is from */
        int n = 0, k = 0;
        while (n < cap) {
            while (k + 1 < sm->npieces && (size_t)(p - copy) >= sm->piece[k + 1]) k++;
            if (is_jsonl) { /* a NULL counts as "" among the values, as CSV's empty field */
                int m = cat_json_record(c->a, &p, end, r, fields);
                if (m < 0) break;
                if (m == 0) continue;
                for (int i = 0; i < r->ncols; i++) {
                    vals[i][n] = fields[i] ? fields[i] : "";
                    rows[n * r->ncols + i] = fields[i];
                }
                piece[n++] = k;
                continue;
            }
            int m = cat_csv_record(&p, end, delim, fields, quoted, MAX_INFER_COLS);
            if (m < 0) break;
            if (m != r->ncols) continue;
            for (int i = 0; i < r->ncols; i++) {
                vals[i][n] = fields[i];
                rows[n * r->ncols + i] = fields[i][0] || quoted[i] ? fields[i] : NULL;
            }
            piece[n++] = k;
        }
        r->sample = rows;
        r->nsample = n;
        r->sample_cols = r->ncols;
        size_t cap = 16;
        while (cap < (size_t)n * 2) cap *= 2;
        int *slot = ar_alloc(c->a, sizeof(int) * cap), *cnt = ar_alloc(c->a, sizeof(int) * (size_t)(n + 1));
        for (int i = 0; i < r->ncols && n > 0; i++) {
            double sorted = exact ? -1 : cat_sample_sorted(vals[i], piece, n, r->cols[i].type);
            int d, f1, f2;
            cat_count_values(vals[i], n, slot, cap, cnt, &d, &f1, &f2);
            double rows = r->est_rows > n ? r->est_rows : n;
            r->ndv[i] = exact ? d : d == n ? rows : sorted >= 0 ? fmax(d, sorted * rows) : d + (double)f1 * (f1 - 1) / (2.0 * (f2 + 1));
            double len = 0;
            int texts = 0;
            for (int k = 0; k < n; k++)
                if (vals[i][k][0]) len += (double)strlen(vals[i][k]), texts++;
            r->avg_len[i] = texts ? len / texts : 0; /* what a join's build row copies of a string */
            /* the range bounds the extrapolations from repeats; a key stays
               at the rows, and declared rows stand for an input whose range
               the file may not show */
            double dom = cat_column_range(r, i, vals[i], n, exact);
            if (dom > 0 && d < n && r->ndv[i] > dom && !strcmp(r->rows_source, "stats")) r->ndv[i] = dom;
            if (r->ndv[i] > rows) r->ndv[i] = rows;
            r->ndv_source[i] = "stats";
        }
    }
}

static int cat_sample(Catalog *c, Relation *r, int infer)
{
    Sample sm;
    int is_csv = strcasecmp(r->format, "csv") == 0;
    if (cat_read_sample(c, r->path, is_csv, &sm) != 0) {
        diag_error(c->d, cat_prop_pos(&r->props, "path", r->pos), NULL, "cannot read '%s' for source '%s'", cat_q(c, r->path), r->name);
        return -1;
    }
    char *buf = sm.buf;
    size_t len = sm.len;
    cat_estimate_rows(r, &sm);
    const char *hdr = cat_prop(r, "has_headers");
    if (is_csv && (!hdr || strcasecmp(hdr, "true") == 0) && r->est_rows > 1) r->est_rows -= 1;
    const char *decl = cat_prop(r, "stats.rows");
    if (decl) {
        r->est_rows = atof(decl);
        r->rows_source = "declared";
    }
    const char *delim = cat_prop(r, "delimiter");
    int has_header = !hdr || strcasecmp(hdr, "true") == 0;
    int rc = 0;
    if (infer) {
        /* inference tokenizes in place: give it its own copy of the sample */
        char *copy = ar_strndup(c->a, buf, len);
        rc = is_csv ? cat_infer_csv(c, r, copy, len, has_header, delim ? delim[0] : ',') : cat_infer_jsonl(c, r, copy, len);
    }
    if (rc == 0) cat_column_stats(c, r, &sm, has_header, delim ? delim[0] : ',');
    if (rc != 0)
        diag_error(c->d, r->pos, NULL, "cannot infer the schema of '%s' from '%s' (empty or unreadable); declare its columns", r->name,
                   r->path);
    return rc;
}

/* Kafka source: 'stats.rows' and, without declared columns, a schema
 * inferred from the first messages of the topic (read at compile time). */
static int cat_kafka_source(Catalog *c, Relation *r)
{
    const char *decl = cat_prop(r, "stats.rows");
    if (decl) {
        r->est_rows = atof(decl);
        r->rows_source = "declared";
    }
    if (r->ncols) return 0;
    size_t len = 0;
    char *buf = cat_kafka_sample(c, r, &len, SAMPLE_BYTES, SAMPLE_ROWS);
    if (!buf) return -1; /* reported */
    const char *delim = cat_prop(r, "delimiter");
    int rc = len == 0                            ? -1
             : strcasecmp(r->format, "csv") == 0 ? cat_infer_csv(c, r, buf, len, 0, delim ? delim[0] : ',')
                                                 : cat_infer_jsonl(c, r, buf, len);
    if (rc != 0)
        diag_error(c->d, r->pos, NULL, "cannot infer the schema of '%s' from topic '%s' (no readable messages); declare its columns",
                   r->name, cat_prop(r, "topic"));
    return rc;
}

/* Events of kind k among the first n of the 1:3:46 mix (nexmark.c). */
static double cat_nexmark_count(int k, double n)
{
    static const int first[VNX_NKINDS] = {0, 1, 4}, share[VNX_NKINDS] = {1, 3, 46};
    double full = floor(n / 50), rem = n - full * 50 - first[k];
    return full * share[k] + (rem <= 0 ? 0 : rem < share[k] ? rem : share[k]);
}

/* NEXMark source: the compiler runs the generator itself for a sample (the
 * first SAMPLE_ROWS events of the table's kind as CSV, at most SAMPLE_BYTES), which gives the
 * schema when none is declared and the column statistics; the row count
 * follows from 'nexmark.events' and the mix. Declared columns must be
 * generator columns (they are matched by name, any subset, any order). */
static int cat_nexmark_source(Catalog *c, Relation *r, PtrVec *columns)
{
    const char *table = cat_prop(r, "nexmark.table"), *ev = cat_prop(r, "nexmark.events");
    const char *rate = cat_prop(r, "nexmark.rate"), *base = cat_prop(r, "nexmark.base.ms");
    int k = -1;
    for (int i = 0; i < VNX_NKINDS && table; i++)
        if (strcasecmp(table, vnx_kind_name(i)) == 0) k = i;
    if (k < 0) {
        diag_error(c->d, r->pos, NULL, "'%s' needs 'nexmark.table' = 'person', 'auction' or 'bid'", r->name);
        return -1;
    }
    vnx_gen *g = ar_alloc(c->a, sizeof *g);
    const char *extra = cat_prop(r, "nexmark.extra");
    vnx_init(g, VNX_CSV, rate ? (int64_t)atof(rate) : 10000, base ? (int64_t)atof(base) : VNX_BASE_MS,
             !(extra && strcasecmp(extra, "false") == 0), 0);
    double events = ev ? atof(ev) : -1;
    size_t len = strlen(vnx_csv_header(k));
    char *buf = ar_alloc(c->a, SAMPLE_BYTES + 1);
    memcpy(buf, vnx_csv_header(k), len);
    for (int64_t n = 0, rows = 0; rows < SAMPLE_ROWS && len + VNX_RECORD_MAX < SAMPLE_BYTES && (events < 0 || n < events); n++)
        if (vnx_kind(n) == k) {
            len += vnx_write(g, n, buf + len);
            rows++;
        }
    buf[len] = 0;
    Relation all = *r; /* every generator column, inferred from the sample */
    all.ncols = 0;
    all.format = "csv";
    all.est_rows = events < 0 ? -1 : cat_nexmark_count(k, events);
    all.rows_source = events < 0 ? "default" : "stats";
    const char *decl = cat_prop(r, "stats.rows");
    if (decl) {
        all.est_rows = atof(decl);
        all.rows_source = "declared";
    }
    if (cat_infer_csv(c, &all, ar_strndup(c->a, buf, len), len, 1, ',') != 0) return -1;
    Sample sm = {.buf = buf, .len = len, .whole = 0, .npieces = 1}; /* the first events, not all of them */
    cat_column_stats(c, &all, &sm, 1, ',');
    r->est_rows = all.est_rows;
    r->rows_source = all.rows_source;
    if (!r->ncols) {
        r->ncols = all.ncols;
        r->cols = all.cols;
        r->ndv = all.ndv;
        r->ndv_source = all.ndv_source;
        r->lo = all.lo;
        r->hi = all.hi;
        r->range_source = all.range_source;
        r->avg_len = all.avg_len;
        return 0;
    }
    const char **names = ar_alloc(c->a, sizeof(char *) * (size_t)all.ncols);
    for (int i = 0; i < all.ncols; i++) names[i] = all.cols[i].name;
    cat_stats_alloc(c, r);
    int rc = 0;
    for (int i = 0; i < r->ncols; i++) {
        int j = cat_column_index(&all, r->cols[i].name);
        if (j >= 0) {
            r->ndv[i] = all.ndv[j];
            r->ndv_source[i] = all.ndv_source[j];
            r->lo[i] = all.lo[j];
            r->hi[i] = all.hi[j];
            r->range_source[i] = all.range_source[j];
            r->avg_len[i] = all.avg_len[j];
        }
        if (j < 0) {
            SrcPos at = columns && i < columns->n ? ((ColumnDef *)columns->v[i])->pos : r->pos;
            diag_error(c->d, at, diag_suggest(r->cols[i].name, names, all.ncols), "NEXMark table '%s' has no column '%s'", vnx_kind_name(k),
                       r->cols[i].name);
            rc = -1;
        }
    }
    return rc;
}

Relation *cat_define(Catalog *c, const char *name, SrcPos pos, int is_table, PtrVec *columns, PtrVec *props, int want_sink)
{
    Relation *r = ar_alloc(c->a, sizeof *r);
    r->name = name;
    r->pos = pos;
    r->is_table = is_table;
    r->props = *props;
    r->est_rows = -1;
    r->rows_source = "default";
    const char *type = cat_prop(r, "type");
    if (!type) type = want_sink == 1 ? (cat_prop(r, "path") ? "file_sink" : "stdout_sink") : "file_source";
    if (cat_kind_of(c, type, cat_prop_pos(props, "type", pos), want_sink, &r->kind) != 0) return NULL;
    /* 'config_file': the YAML's properties after the WITH clause's (which win) */
    for (int i = 0; i < props->n; i++) {
        Property *cfg = props->v[i];
        if (strcasecmp(cfg->key, "config_file") != 0) continue;
        PtrVec all = {0}, more = {0};
        if (cat_config_file(c, r->kind, name, cfg, cat_abs_path(c, cfg->value), props, &more) != 0) return NULL;
        for (int k = 0; k < props->n; k++) pv_push(c->a, &all, props->v[k]);
        for (int k = 0; k < more.n; k++) pv_push(c->a, &all, more.v[k]);
        r->props = all;
        break;
    }
    if (cat_check_keys(c, r) != 0 || cat_check_values(c, r) != 0) return NULL;
    r->format = cat_prop(r, "format");
    if (!r->format && cat_is_kafka(r)) r->format = r->kind == REL_KAFKA_SOURCE ? "json" : "jsonl";
    if (r->kind == REL_NEXMARK_SOURCE) r->format = "generated"; /* fields straight from the generator */
    if (!r->format) {
        const char *p = cat_prop(r, "path");
        r->format = (p && (strstr(p, ".jsonl") || strstr(p, ".json"))) ? "jsonl" : r->kind == REL_STDOUT_SINK ? NULL : "csv";
    }
    if (columns && columns->n) {
        r->ncols = columns->n;
        r->cols = ar_alloc(c->a, sizeof(Column) * (size_t)columns->n);
        for (int i = 0; i < columns->n; i++) {
            ColumnDef *cd = columns->v[i];
            for (int k = 0; k < i; k++)
                if (strcasecmp(r->cols[k].name, cd->name) == 0) diag_error(c->d, cd->pos, NULL, "column '%s' is declared twice", cd->name);
            r->cols[i].name = cd->name;
            r->cols[i].type = cd->type;
            r->cols[i].primary_key = cd->primary_key;
        }
    }
    if (r->kind == REL_FILE_SOURCE || r->kind == REL_FILE_SINK) {
        const char *p = cat_prop(r, "path");
        if (!p) {
            diag_error(c->d, pos, NULL, "'%s' needs a 'path' property", name);
            return NULL;
        }
        r->path = cat_abs_path(c, p);
    }
    /* every other *path property (dead_letter.path, ...) is relative to the .sql file too */
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        size_t n = strlen(p->key);
        if (n > 5 && strcasecmp(p->key + n - 5, ".path") == 0) {
            Property *q = ar_alloc(c->a, sizeof *q);
            *q = *p;
            q->value = cat_abs_path(c, p->value);
            r->props.v[i] = q;
        }
    }
    /* format protobuf (catalog_proto.c): schema from the .proto, not sampled */
    int pb = catpb_define(c, r);
    if (pb < 0) return NULL;
    if (r->kind == REL_FILE_SOURCE && !pb && cat_sample(c, r, r->ncols == 0) != 0) return NULL;
    if (r->kind == REL_KAFKA_SOURCE && cat_kafka_source(c, r) != 0) return NULL;
    if (r->kind == REL_KAFKA_SOURCE && r->ncols) cat_system_columns(c, r);
    if (r->kind == REL_NEXMARK_SOURCE && cat_nexmark_source(c, r, columns) != 0) return NULL;
    if ((r->kind == REL_FILE_SOURCE || r->kind == REL_NEXMARK_SOURCE || r->kind == REL_KAFKA_SOURCE) && cat_declared_stats(c, r) != 0)
        return NULL;
    pv_push(c->a, &c->rels, r);
    return r;
}
