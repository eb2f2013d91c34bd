/*
 * protobuf.c -- Protobuf as a record format: a .proto parser, the mapping of
 * a message to columns, a decoder and an encoder (see protobuf.h and
 * docs/PROTOBUF.md).
 *
 * The parser is ours rather than protoc's so that veloc and built jobs need
 * no schema compiler at run time: a job re-parses the .proto at start-up.
 * It reads the proto2/proto3 subset schemas use (package, import, message,
 * enum, nested types, repeated/optional/required, oneof, map<>, options) and
 * skips what does not shape the wire format of fields (services, extend,
 * reserved, options). Well-known types are built in when not found on disk.
 *
 * The decoder walks the wire format once per record with a field-number
 * table per message level built from the columns the query reads; any other
 * field is skipped by wire type. It never trusts a length: every read is
 * bounds-checked, so a malformed message is a bad record, never a crash.
 */
#include "protobuf.h"
#include "kafka.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

static void vpb_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

static void *vpb_calloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) vpb_oom();
    return p;
}

typedef struct vpb_flat {
    const vpb_msg *m;
    vpb_col *cols;
    int n;
} vpb_flat;

struct vpb_schema {
    velo_arena a;
    vpb_msg **msgs;
    int nmsgs, capm;
    vpb_enum **enums;
    int nenums, cape;
    const char **files;
    int nfiles, capf;
    const char *root_dir;
    const char **names;
    vpb_flat *flat;
    int nflat, capflat;
};

static char *vpb_strndup(velo_arena *a, const char *p, size_t n)
{
    char *s = va_alloc(a, (vsize)n + 1);
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static char *vpb_join(velo_arena *a, const char *x, const char *sep, const char *y)
{
    size_t nx = strlen(x), ns = strlen(sep), ny = strlen(y);
    char *s = va_alloc(a, (vsize)(nx + ns + ny + 1));
    memcpy(s, x, nx);
    memcpy(s + nx, sep, ns);
    memcpy(s + nx + ns, y, ny + 1);
    return s;
}

/* Grows an array of pointers kept in malloc'ed memory. */
static void vpb_push(void ***arr, int *n, int *cap, void *v)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        void **p = realloc(*arr, sizeof(void *) * (size_t)*cap);
        if (!p) vpb_oom();
        *arr = p;
    }
    (*arr)[(*n)++] = v;
}

/* ---- built-in well-known types ------------------------------------------------ */

static const struct {
    const char *path, *text;
} vpb_builtin[] = {
    {"google/protobuf/timestamp.proto", "syntax = \"proto3\"; package google.protobuf;"
                                        "message Timestamp { int64 seconds = 1; int32 nanos = 2; }"},
    {"google/protobuf/duration.proto", "syntax = \"proto3\"; package google.protobuf;"
                                       "message Duration { int64 seconds = 1; int32 nanos = 2; }"},
    {"google/protobuf/empty.proto", "syntax = \"proto3\"; package google.protobuf; message Empty {}"},
    {"google/protobuf/wrappers.proto", "syntax = \"proto3\"; package google.protobuf;"
                                       "message DoubleValue { double value = 1; } message FloatValue { float value = 1; }"
                                       "message Int64Value { int64 value = 1; } message UInt64Value { uint64 value = 1; }"
                                       "message Int32Value { int32 value = 1; } message UInt32Value { uint32 value = 1; }"
                                       "message BoolValue { bool value = 1; } message StringValue { string value = 1; }"
                                       "message BytesValue { bytes value = 1; }"},
};

/* ---- tokenizer ------------------------------------------------------------------ */

enum { TK_EOF, TK_ID, TK_INT, TK_NUM, TK_STR, TK_SYM };

typedef struct vpb_parser {
    vpb_schema *S;
    const char *file; /* for messages */
    const char *dir;  /* of this file, for imports */
    const char *src;
    size_t pos, n;
    int line, col;
    int tk;   /* current token */
    char *tv; /* its text (strings unescaped) */
    int tline, tcol;
    const char *pkg;
    int proto3;
    char *err;
    size_t errn;
    int failed;
    int depth;
    int main_file;
} vpb_parser;

static void vpb_perr(vpb_parser *P, const char *fmt, ...)
{
    if (P->failed) return;
    P->failed = 1;
    int k = snprintf(P->err, P->errn, "%s:%d:%d: ", P->file, P->tline, P->tcol);
    if (k < 0 || (size_t)k >= P->errn) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->err + k, P->errn - (size_t)k, fmt, ap);
    va_end(ap);
}

static int vpb_getc(vpb_parser *P)
{
    if (P->pos >= P->n) return -1;
    int c = (unsigned char)P->src[P->pos++];
    if (c == '\n') {
        P->line++;
        P->col = 1;
    } else {
        P->col++;
    }
    return c;
}

static int vpb_peekc(vpb_parser *P, size_t k)
{
    return P->pos + k < P->n ? (unsigned char)P->src[P->pos + k] : -1;
}

static void vpb_skip_space(vpb_parser *P)
{
    for (;;) {
        int c = vpb_peekc(P, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            vpb_getc(P);
        } else if (c == '/' && vpb_peekc(P, 1) == '/') {
            while ((c = vpb_getc(P)) >= 0 && c != '\n')
                ;
        } else if (c == '/' && vpb_peekc(P, 1) == '*') {
            vpb_getc(P);
            vpb_getc(P);
            while ((c = vpb_getc(P)) >= 0 && !(c == '*' && vpb_peekc(P, 0) == '/'))
                ;
            vpb_getc(P);
        } else {
            return;
        }
    }
}

static void vpb_next(vpb_parser *P)
{
    vpb_skip_space(P);
    P->tline = P->line;
    P->tcol = P->col;
    int c = vpb_peekc(P, 0);
    size_t start = P->pos;
    if (c < 0) {
        P->tk = TK_EOF;
        P->tv = "";
        return;
    }
    if (isalpha(c) || c == '_' || (c == '.' && (isalpha(vpb_peekc(P, 1)) || vpb_peekc(P, 1) == '_'))) {
        while ((c = vpb_peekc(P, 0)) >= 0 && (isalnum(c) || c == '_' || c == '.')) vpb_getc(P);
        P->tk = TK_ID;
        P->tv = vpb_strndup(&P->S->a, P->src + start, P->pos - start);
        return;
    }
    if (isdigit(c) || (c == '.' && isdigit(vpb_peekc(P, 1)))) {
        int isnum = 0;
        while ((c = vpb_peekc(P, 0)) >= 0 && (isalnum(c) || c == '.' || ((c == '-' || c == '+') && (P->src[P->pos - 1] | 32) == 'e'))) {
            if (c == '.' || ((c | 32) == 'e' && !(P->pos > start + 1 && (P->src[start + 1] | 32) == 'x'))) isnum = 1;
            vpb_getc(P);
        }
        P->tk = isnum ? TK_NUM : TK_INT;
        P->tv = vpb_strndup(&P->S->a, P->src + start, P->pos - start);
        return;
    }
    if (c == '"' || c == '\'') {
        int q = vpb_getc(P);
        velo_buf b = {0};
        for (;;) {
            c = vpb_getc(P);
            if (c < 0 || c == '\n') {
                vbuf_free(&b);
                vpb_perr(P, "unterminated string");
                P->tk = TK_EOF;
                P->tv = "";
                return;
            }
            if (c == q) break;
            if (c == '\\') {
                c = vpb_getc(P);
                switch (c) {
                case 'n': c = '\n'; break;
                case 't': c = '\t'; break;
                case 'r': c = '\r'; break;
                case '0': c = 0; break;
                default: break;
                }
            }
            vbuf_putc(&b, (char)c);
        }
        P->tk = TK_STR;
        P->tv = vpb_strndup(&P->S->a, b.p ? b.p : "", b.n);
        vbuf_free(&b);
        return;
    }
    vpb_getc(P);
    P->tk = TK_SYM;
    P->tv = vpb_strndup(&P->S->a, P->src + start, 1);
}

static int vpb_is(vpb_parser *P, const char *s)
{
    return (P->tk == TK_ID || P->tk == TK_SYM) && !strcmp(P->tv, s);
}

static int vpb_accept(vpb_parser *P, const char *s)
{
    if (!vpb_is(P, s)) return 0;
    vpb_next(P);
    return 1;
}

static void vpb_expect(vpb_parser *P, const char *s)
{
    if (!vpb_accept(P, s)) vpb_perr(P, "expected '%s', found '%s'", s, P->tk == TK_EOF ? "end of file" : P->tv);
}

static char *vpb_ident(vpb_parser *P, const char *what)
{
    if (P->tk != TK_ID) {
        vpb_perr(P, "expected %s, found '%s'", what, P->tk == TK_EOF ? "end of file" : P->tv);
        return "";
    }
    char *s = P->tv;
    vpb_next(P);
    return s;
}

static long long vpb_int(vpb_parser *P, const char *what)
{
    int neg = vpb_accept(P, "-");
    if (P->tk != TK_INT) {
        vpb_perr(P, "expected %s, found '%s'", what, P->tk == TK_EOF ? "end of file" : P->tv);
        return 0;
    }
    errno = 0;
    char *end;
    long long v = strtoll(P->tv, &end, 0);
    if (*end || errno) vpb_perr(P, "invalid number '%s'", P->tv);
    vpb_next(P);
    return neg ? -v : v;
}

/* Skips a statement up to its ';' (or a { } block that ends it). */
static void vpb_skip_stmt(vpb_parser *P)
{
    int depth = 0;
    while (!P->failed) {
        if (P->tk == TK_EOF) {
            vpb_perr(P, "unexpected end of file");
            return;
        }
        if (vpb_is(P, "{")) depth++;
        else if (vpb_is(P, "}")) {
            if (--depth <= 0) {
                vpb_next(P);
                if (depth == 0) return;
                vpb_perr(P, "unbalanced '}'");
                return;
            }
        } else if (vpb_is(P, ";") && depth == 0) {
            vpb_next(P);
            return;
        }
        vpb_next(P);
    }
}

/* ---- declarations -------------------------------------------------------------- */

static const struct {
    const char *name;
    u8 type;
} vpb_scalars[] = {
    {"double", VPB_DOUBLE},   {"float", VPB_FLOAT},       {"int64", VPB_INT64},       {"uint64", VPB_UINT64}, {"int32", VPB_INT32},
    {"fixed64", VPB_FIXED64}, {"fixed32", VPB_FIXED32},   {"bool", VPB_BOOL},         {"string", VPB_STRING}, {"bytes", VPB_BYTES},
    {"uint32", VPB_UINT32},   {"sfixed32", VPB_SFIXED32}, {"sfixed64", VPB_SFIXED64}, {"sint32", VPB_SINT32}, {"sint64", VPB_SINT64},
};

static vpb_msg *vpb_new_msg(vpb_parser *P, const char *scope, const char *name)
{
    vpb_schema *S = P->S;
    vpb_msg *m = va_alloc(&S->a, sizeof *m);
    memset(m, 0, sizeof *m);
    m->name = name;
    m->full = scope && *scope ? vpb_join(&S->a, scope, ".", name) : name;
    m->dec_units = m->dec_scale = -1;
    m->top = P->main_file && scope == P->pkg;
    vpb_push((void ***)&S->msgs, &S->nmsgs, &S->capm, m);
    return m;
}

static vpb_field *vpb_add_field(vpb_parser *P, vpb_msg *m)
{
    if (m->nf == m->cap) {
        int cap = m->cap ? m->cap * 2 : 8;
        vpb_field *f = va_alloc(&P->S->a, sizeof *f * (vsize)cap);
        if (m->nf) memcpy(f, m->f, sizeof *f * (size_t)m->nf);
        m->f = f;
        m->cap = cap;
    }
    vpb_field *f = &m->f[m->nf++];
    memset(f, 0, sizeof *f);
    f->oneof = -1;
    return f;
}

static void vpb_set_type(vpb_parser *P, vpb_field *f, const char *tname, const char *scope)
{
    for (size_t i = 0; i < sizeof vpb_scalars / sizeof vpb_scalars[0]; i++)
        if (!strcmp(tname, vpb_scalars[i].name)) {
            f->type = vpb_scalars[i].type;
            return;
        }
    f->tname = tname;
    f->scope = scope;
    (void)P;
}

/* [ packed = true, default = 1, (ext).x = { ... } ] */
static void vpb_field_options(vpb_parser *P, vpb_field *f)
{
    if (!vpb_accept(P, "[")) return;
    while (!P->failed && !vpb_is(P, "]")) {
        if (P->tk == TK_EOF) {
            vpb_perr(P, "unexpected end of file in field options");
            return;
        }
        if (vpb_is(P, "packed")) {
            vpb_next(P);
            vpb_expect(P, "=");
            f->packed = vpb_is(P, "true");
            vpb_next(P);
            continue;
        }
        if (vpb_is(P, "{")) { /* aggregate value */
            int d = 0;
            do {
                if (vpb_is(P, "{")) d++;
                else if (vpb_is(P, "}")) d--;
                vpb_next(P);
            } while (d > 0 && !P->failed && P->tk != TK_EOF);
            continue;
        }
        vpb_next(P);
    }
    vpb_expect(P, "]");
}

static int vpb_packable(u8 t)
{
    return t != VPB_STRING && t != VPB_BYTES && t != VPB_MESSAGE && t != VPB_GROUP && t;
}

static void vpb_parse_field(vpb_parser *P, vpb_msg *m, const char *scope, int oneof)
{
    int label = 0; /* 1 optional, 2 required, 3 repeated */
    if (oneof < 0) {
        if (vpb_accept(P, "optional")) label = 1;
        else if (vpb_accept(P, "required")) label = 2;
        else if (vpb_accept(P, "repeated")) label = 3;
    }
    if (vpb_is(P, "group")) {
        vpb_perr(P, "proto2 groups are not supported");
        return;
    }
    char *tname = vpb_ident(P, "a field type");
    vpb_field *f = vpb_add_field(P, m);
    f->name = vpb_ident(P, "a field name");
    vpb_expect(P, "=");
    long long num = vpb_int(P, "a field number");
    if (!P->failed && (num < 1 || num > 536870911)) vpb_perr(P, "field number %lld of '%s' out of range", num, f->name);
    f->num = (int)num;
    f->oneof = oneof;
    f->repeated = label == 3;
    vpb_set_type(P, f, tname, scope);
    f->packed = f->repeated && P->proto3; /* proto3 packs by default */
    vpb_field_options(P, f);
    if (!vpb_packable(f->type)) f->packed = 0;
    /* presence: proto2 labels and oneofs are explicit; a proto3 field is
     * explicit when 'optional' (message fields are resolved later) */
    f->presence = !f->repeated && (oneof >= 0 || !P->proto3 || label == 1);
    vpb_expect(P, ";");
}

static void vpb_parse_enum(vpb_parser *P, const char *scope)
{
    vpb_schema *S = P->S;
    char *name = vpb_ident(P, "an enum name");
    vpb_enum *e = va_alloc(&S->a, sizeof *e);
    memset(e, 0, sizeof *e);
    e->full = scope && *scope ? vpb_join(&S->a, scope, ".", name) : name;
    int cap = 0;
    vpb_expect(P, "{");
    while (!P->failed && !vpb_accept(P, "}")) {
        if (vpb_accept(P, ";")) continue;
        if (vpb_is(P, "option") || vpb_is(P, "reserved")) {
            vpb_skip_stmt(P);
            continue;
        }
        char *vn = vpb_ident(P, "an enum value name");
        vpb_expect(P, "=");
        long long v = vpb_int(P, "an enum value");
        vpb_field dummy;
        vpb_field_options(P, &dummy);
        vpb_expect(P, ";");
        if (e->n == cap) {
            cap = cap ? cap * 2 : 8;
            const char **nn = va_alloc(&S->a, sizeof(char *) * (vsize)cap);
            int *nv = va_alloc(&S->a, sizeof(int) * (vsize)cap);
            if (e->n) {
                memcpy(nn, e->names, sizeof(char *) * (size_t)e->n);
                memcpy(nv, e->nums, sizeof(int) * (size_t)e->n);
            }
            e->names = nn;
            e->nums = nv;
        }
        e->names[e->n] = vn;
        e->nums[e->n++] = (int)v;
    }
    vpb_push((void ***)&S->enums, &S->nenums, &S->cape, e);
}

static vpb_msg *vpb_parse_message(vpb_parser *P, const char *scope);

/* map<K, V> name = N;  ->  repeated NameEntry { K key = 1; V value = 2; } */
static void vpb_parse_map(vpb_parser *P, vpb_msg *m)
{
    vpb_expect(P, "<");
    char *kt = vpb_ident(P, "a map key type");
    vpb_expect(P, ",");
    char *vt = vpb_ident(P, "a map value type");
    vpb_expect(P, ">");
    char *name = vpb_ident(P, "a field name");
    if (P->failed) return;
    char ent[300];
    snprintf(ent, sizeof ent, "%c%sEntry", toupper((unsigned char)name[0]), name + 1);
    for (char *p = ent; *p; p++) /* foo_bar -> FooBarEntry */
        if (*p == '_' && p[1]) {
            memmove(p, p + 1, strlen(p));
            *p = (char)toupper((unsigned char)*p);
        }
    vpb_msg *e = vpb_new_msg(P, m->full, vpb_strndup(&P->S->a, ent, strlen(ent)));
    e->map_entry = 1;
    vpb_field *k = vpb_add_field(P, e);
    k->name = "key";
    k->num = 1;
    vpb_set_type(P, k, kt, m->full);
    vpb_field *v = vpb_add_field(P, e);
    v->name = "value";
    v->num = 2;
    vpb_set_type(P, v, vt, m->full);
    vpb_field *f = vpb_add_field(P, m);
    f->name = name;
    vpb_expect(P, "=");
    f->num = (int)vpb_int(P, "a field number");
    f->repeated = 1;
    f->type = VPB_MESSAGE;
    f->tname = e->full;
    f->scope = "";
    f->msg = e;
    vpb_field_options(P, f);
    f->packed = 0;
    vpb_expect(P, ";");
}

static vpb_msg *vpb_parse_message(vpb_parser *P, const char *scope)
{
    if (++P->depth > 64) {
        vpb_perr(P, "messages nested too deeply");
        return NULL;
    }
    char *name = vpb_ident(P, "a message name");
    vpb_msg *m = vpb_new_msg(P, scope, name);
    vpb_expect(P, "{");
    while (!P->failed && !vpb_accept(P, "}")) {
        if (P->tk == TK_EOF) {
            vpb_perr(P, "unexpected end of file in message '%s'", m->name);
            break;
        }
        if (vpb_accept(P, ";")) continue;
        if (vpb_accept(P, "message")) {
            vpb_parse_message(P, m->full);
        } else if (vpb_accept(P, "enum")) {
            vpb_parse_enum(P, m->full);
        } else if (vpb_is(P, "option") || vpb_is(P, "reserved") || vpb_is(P, "extensions") || vpb_is(P, "extend")) {
            vpb_skip_stmt(P);
        } else if (vpb_accept(P, "oneof")) {
            vpb_ident(P, "a oneof name");
            int idx = m->noneofs++;
            vpb_expect(P, "{");
            while (!P->failed && !vpb_accept(P, "}")) {
                if (P->tk == TK_EOF) {
                    vpb_perr(P, "unexpected end of file in oneof");
                    break;
                }
                if (vpb_accept(P, ";")) continue;
                if (vpb_is(P, "option")) vpb_skip_stmt(P);
                else vpb_parse_field(P, m, m->full, idx);
            }
        } else if (vpb_is(P, "map") && (vpb_skip_space(P), vpb_peekc(P, 0) == '<')) {
            vpb_next(P);
            vpb_parse_map(P, m);
        } else {
            vpb_parse_field(P, m, m->full, -1);
        }
    }
    P->depth--;
    return m;
}

static int vpb_load_file(vpb_schema *S, const char *path, const char *shown, const char *text, int main_file, char *err, size_t errn);

static char *vpb_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    velo_buf b = {0};
    char tmp[8192];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) vbuf_put(&b, tmp, k);
    fclose(f);
    vbuf_putc(&b, 0);
    *n = b.n - 1;
    return b.p;
}

static void vpb_import(vpb_parser *P, const char *name)
{
    vpb_schema *S = P->S;
    const char *dirs[] = {P->dir, S->root_dir, "/usr/include", "/usr/local/include", NULL};
    for (int i = 0; i < S->nfiles; i++)
        if (!strcmp(S->files[i], name)) return; /* already loaded (by its import name) */
    vpb_push((void ***)&S->files, &S->nfiles, &S->capf, vpb_strndup(&S->a, name, strlen(name)));
    for (int i = 0; dirs[i]; i++) {
        char *full = name[0] == '/' ? (char *)name : vpb_join(&S->a, dirs[i], "/", name);
        if (access(full, R_OK) == 0) {
            if (vpb_load_file(S, full, full, NULL, 0, P->err, P->errn)) P->failed = 1;
            return;
        }
        if (name[0] == '/') break;
    }
    for (size_t i = 0; i < sizeof vpb_builtin / sizeof vpb_builtin[0]; i++)
        if (!strcmp(name, vpb_builtin[i].path)) {
            if (vpb_load_file(S, name, name, vpb_builtin[i].text, 0, P->err, P->errn)) P->failed = 1;
            return;
        }
    vpb_perr(P, "cannot find import '%s'", name);
}

static int vpb_load_file(vpb_schema *S, const char *path, const char *shown, const char *text, int main_file, char *err, size_t errn)
{
    size_t n = 0;
    char *own = NULL;
    if (!text) {
        own = vpb_slurp(path, &n);
        if (!own) {
            snprintf(err, errn, "cannot read '%s': %s", path, strerror(errno));
            return -1;
        }
        text = own;
    } else {
        n = strlen(text);
    }
    vpb_parser P = {0};
    P.S = S;
    P.file = shown;
    const char *slash = strrchr(path, '/');
    P.dir = slash ? vpb_strndup(&S->a, path, (size_t)(slash - path)) : ".";
    P.src = text;
    P.n = n;
    P.line = P.col = 1;
    P.err = err;
    P.errn = errn;
    P.pkg = "";
    P.main_file = main_file;
    vpb_next(&P);
    while (!P.failed && P.tk != TK_EOF) {
        if (vpb_accept(&P, ";")) continue;
        if (vpb_accept(&P, "syntax")) {
            vpb_expect(&P, "=");
            if (P.tk == TK_STR) P.proto3 = !strcmp(P.tv, "proto3");
            vpb_next(&P);
            vpb_expect(&P, ";");
        } else if (vpb_accept(&P, "edition")) {
            vpb_skip_stmt(&P); /* editions: explicit presence, like proto2 */
        } else if (vpb_accept(&P, "package")) {
            P.pkg = vpb_ident(&P, "a package name");
            vpb_expect(&P, ";");
        } else if (vpb_accept(&P, "import")) {
            if (!vpb_accept(&P, "public")) vpb_accept(&P, "weak");
            if (P.tk != TK_STR) {
                vpb_perr(&P, "expected a file name after 'import'");
                break;
            }
            char *name = P.tv;
            vpb_next(&P);
            vpb_expect(&P, ";");
            if (!P.failed) vpb_import(&P, name);
        } else if (vpb_accept(&P, "message")) {
            vpb_parse_message(&P, P.pkg);
        } else if (vpb_accept(&P, "enum")) {
            vpb_parse_enum(&P, P.pkg);
        } else if (vpb_is(&P, "option") || vpb_is(&P, "service") || vpb_is(&P, "extend")) {
            vpb_skip_stmt(&P);
        } else {
            vpb_perr(&P, "unexpected '%s'", P.tv);
        }
    }
    /* fields resolve once every file is read; resolution also makes the
     * presence of message fields explicit */
    free(own);
    return P.failed ? -1 : 0;
}

static void *vpb_lookup(vpb_schema *S, const char *full, int *is_enum)
{
    for (int i = 0; i < S->nmsgs; i++)
        if (!strcmp(S->msgs[i]->full, full)) {
            *is_enum = 0;
            return S->msgs[i];
        }
    for (int i = 0; i < S->nenums; i++)
        if (!strcmp(S->enums[i]->full, full)) {
            *is_enum = 1;
            return S->enums[i];
        }
    return NULL;
}

/* Protobuf scoping: innermost scope outwards, then the root. */
static int vpb_resolve(vpb_schema *S, vpb_msg *m, vpb_field *f, char *err, size_t errn)
{
    int is_enum = 0;
    void *t = NULL;
    if (f->tname[0] == '.') {
        t = vpb_lookup(S, f->tname + 1, &is_enum);
    } else {
        char scope[1024];
        snprintf(scope, sizeof scope, "%s", f->scope ? f->scope : "");
        for (;;) {
            char full[2048];
            snprintf(full, sizeof full, "%s%s%s", scope, *scope ? "." : "", f->tname);
            if ((t = vpb_lookup(S, full, &is_enum))) break;
            if (!*scope) break;
            char *dot = strrchr(scope, '.');
            if (dot) *dot = 0;
            else scope[0] = 0;
        }
    }
    if (!t) {
        snprintf(err, errn, "message '%s': unknown type '%s' of field '%s'", m->full, f->tname, f->name);
        return -1;
    }
    if (is_enum) {
        f->type = VPB_ENUM;
        f->en = t;
    } else {
        f->type = VPB_MESSAGE;
        f->msg = t;
        f->presence = !f->repeated; /* message fields always have presence */
        f->packed = 0;
    }
    return 0;
}

static void vpb_mark_special(vpb_msg *m)
{
    if (!strcmp(m->full, "google.protobuf.Timestamp")) { /* dec_units/dec_scale: seconds, nanos */
        for (int i = 0; i < m->nf; i++) {
            if (!strcmp(m->f[i].name, "seconds") && m->f[i].type == VPB_INT64 && !m->f[i].repeated) m->dec_units = i;
            if (!strcmp(m->f[i].name, "nanos") && m->f[i].type == VPB_INT32 && !m->f[i].repeated) m->dec_scale = i;
        }
        if (m->dec_units >= 0 && m->dec_scale >= 0) m->special = VPB_SP_TIMESTAMP;
        return;
    }
    if (strcmp(m->name, "Decimal")) return;
    for (int i = 0; i < m->nf; i++) {
        if (!strcmp(m->f[i].name, "units") && !m->f[i].repeated &&
            (m->f[i].type == VPB_INT64 || m->f[i].type == VPB_SINT64 || m->f[i].type == VPB_SFIXED64))
            m->dec_units = i;
        if (!strcmp(m->f[i].name, "scale") && !m->f[i].repeated &&
            (m->f[i].type == VPB_INT32 || m->f[i].type == VPB_SINT32 || m->f[i].type == VPB_SFIXED32))
            m->dec_scale = i;
    }
    if (m->dec_units >= 0 && m->dec_scale >= 0) m->special = VPB_SP_DECIMAL;
}

vpb_schema *vpb_schema_load(const char *path, char *err, size_t errn)
{
    vpb_schema *S = vpb_calloc(1, sizeof *S);
    const char *slash = strrchr(path, '/');
    S->root_dir = slash ? vpb_strndup(&S->a, path, (size_t)(slash - path)) : ".";
    int rc = vpb_load_file(S, path, path, NULL, 1, err, errn);
    for (int i = 0; i < S->nmsgs && rc == 0; i++)
        for (int k = 0; k < S->msgs[i]->nf && rc == 0; k++)
            if (S->msgs[i]->f[k].tname && !S->msgs[i]->f[k].msg) rc = vpb_resolve(S, S->msgs[i], &S->msgs[i]->f[k], err, errn);
    for (int i = 0; i < S->nmsgs && rc == 0; i++) {
        vpb_msg *m = S->msgs[i];
        vpb_mark_special(m);
        for (int a = 0; a < m->nf && rc == 0; a++)
            for (int b = a + 1; b < m->nf; b++)
                if (m->f[a].num == m->f[b].num || !strcmp(m->f[a].name, m->f[b].name)) {
                    snprintf(err, errn, "message '%s': fields '%s' and '%s' share a %s", m->full, m->f[a].name, m->f[b].name,
                             m->f[a].num == m->f[b].num ? "number" : "name");
                    rc = -1;
                    break;
                }
    }
    if (rc) {
        vpb_schema_free(S);
        return NULL;
    }
    return S;
}

void vpb_schema_free(vpb_schema *S)
{
    if (!S) return;
    free(S->msgs);
    free(S->enums);
    free(S->files);
    free(S->names);
    free(S->flat);
    va_free(&S->a);
    free(S);
}

const vpb_msg *vpb_find_msg(const vpb_schema *S, const char *name, char *err, size_t errn)
{
    const vpb_msg *hit = NULL;
    int nhit = 0;
    if (!name || !*name) {
        for (int i = 0; i < S->nmsgs; i++)
            if (S->msgs[i]->top) {
                hit = S->msgs[i];
                nhit++;
            }
        if (nhit == 1) return hit;
        snprintf(err, errn, "%s; set 'proto.message'", nhit ? "the file defines several messages" : "the file defines no message");
        return NULL;
    }
    if (name[0] == '.') name++;
    for (int i = 0; i < S->nmsgs; i++)
        if (!strcmp(S->msgs[i]->full, name)) return S->msgs[i];
    size_t n = strlen(name);
    for (int i = 0; i < S->nmsgs; i++) {
        const char *f = S->msgs[i]->full;
        size_t fn = strlen(f);
        if (fn > n && f[fn - n - 1] == '.' && !strcmp(f + fn - n, name) && !S->msgs[i]->map_entry) {
            if (nhit++ == 0) hit = S->msgs[i];
        }
    }
    if (nhit == 1) return hit;
    if (nhit > 1) snprintf(err, errn, "message name '%s' is ambiguous (%s, ...); use the full name", name, hit->full);
    else snprintf(err, errn, "no message '%s' in the schema", name);
    return NULL;
}

const char *const *vpb_msg_names(const vpb_schema *cs)
{
    vpb_schema *S = (vpb_schema *)cs;
    if (!S->names) {
        S->names = vpb_calloc((size_t)S->nmsgs + 1, sizeof(char *));
        int k = 0;
        for (int i = 0; i < S->nmsgs; i++)
            if (!S->msgs[i]->map_entry) S->names[k++] = S->msgs[i]->full;
    }
    return S->names;
}

/* ---- message -> columns ------------------------------------------------------------- */

static u8 vpb_sqltype(const vpb_field *f, u8 *how)
{
    if (f->repeated) {
        *how = f->type == VPB_MESSAGE && f->msg->map_entry ? VPB_H_MAP : VPB_H_REPEATED;
        return VT_STRING;
    }
    *how = VPB_H_SCALAR;
    switch (f->type) {
    case VPB_MESSAGE:
        *how = f->msg->special == VPB_SP_DECIMAL ? VPB_H_DECIMAL : f->msg->special == VPB_SP_TIMESTAMP ? VPB_H_TIMESTAMP : VPB_H_JSON;
        return *how == VPB_H_DECIMAL ? VT_DECIMAL : *how == VPB_H_TIMESTAMP ? VT_TIMESTAMP : VT_STRING;
    case VPB_ENUM: *how = VPB_H_ENUM; return VT_STRING;
    case VPB_BOOL: return VT_BOOL;
    case VPB_INT32:
    case VPB_SINT32:
    case VPB_SFIXED32: return VT_INT;
    case VPB_FLOAT:
    case VPB_DOUBLE: return VT_DOUBLE;
    case VPB_STRING:
    case VPB_BYTES: return VT_STRING;
    default: return VT_BIGINT;
    }
}

static void vpb_flat_walk(vpb_schema *S, vpb_flat *fl, int *cap, const vpb_msg *m, const char *prefix, const vpb_field **path, int depth)
{
    for (int i = 0; i < m->nf; i++) {
        const vpb_field *f = &m->f[i];
        if (fl->n == *cap) {
            *cap = *cap ? *cap * 2 : 32;
            vpb_col *nc = va_alloc(&S->a, sizeof *nc * (vsize)*cap);
            if (fl->n) memcpy(nc, fl->cols, sizeof *nc * (size_t)fl->n);
            fl->cols = nc;
        }
        vpb_col *c = &fl->cols[fl->n++];
        memset(c, 0, sizeof *c);
        c->name = prefix ? vpb_join(&S->a, prefix, "_", f->name) : f->name;
        c->depth = depth;
        for (int d = 0; d < depth; d++) c->path[d] = path[d];
        c->path[depth] = f;
        c->sqltype = vpb_sqltype(f, &c->how);
        int nest = c->how == VPB_H_JSON && depth + 1 < VPB_MAXDEPTH;
        /* inferred schema: one level of flattening, deeper messages as JSON */
        c->infer = depth <= 1 && !(c->how == VPB_H_JSON && depth == 0);
        if (nest) {
            const vpb_field *p2[VPB_MAXDEPTH];
            for (int d = 0; d <= depth; d++) p2[d] = c->path[d];
            const char *name = c->name;
            vpb_flat_walk(S, fl, cap, f->msg, name, p2, depth + 1);
        }
    }
}

int vpb_flatten(vpb_schema *S, const vpb_msg *m, const vpb_col **out)
{
    for (int i = 0; i < S->nflat; i++)
        if (S->flat[i].m == m) {
            *out = S->flat[i].cols;
            return S->flat[i].n;
        }
    if (S->nflat == S->capflat) {
        S->capflat = S->capflat ? S->capflat * 2 : 4;
        vpb_flat *p = realloc(S->flat, sizeof *p * (size_t)S->capflat);
        if (!p) vpb_oom();
        S->flat = p;
    }
    vpb_flat *fl = &S->flat[S->nflat++];
    memset(fl, 0, sizeof *fl);
    fl->m = m;
    int cap = 0;
    const vpb_field *path[VPB_MAXDEPTH];
    vpb_flat_walk(S, fl, &cap, m, NULL, path, 0);
    *out = fl->cols;
    return fl->n;
}

static int vpb_name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = *a == '.' ? '_' : tolower((unsigned char)*a);
        int y = *b == '.' ? '_' : tolower((unsigned char)*b);
        if (x != y) return 0;
        if (!x) return 1;
    }
}

const vpb_col *vpb_col_find(const vpb_col *cols, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (vpb_name_eq(cols[i].name, name)) return &cols[i];
    return NULL;
}

/* ---- wire format ------------------------------------------------------------------ */

static int vpb_wiretype(u8 t)
{
    switch (t) {
    case VPB_DOUBLE:
    case VPB_FIXED64:
    case VPB_SFIXED64: return 1;
    case VPB_FLOAT:
    case VPB_FIXED32:
    case VPB_SFIXED32: return 5;
    case VPB_STRING:
    case VPB_BYTES:
    case VPB_MESSAGE: return 2;
    case VPB_GROUP: return 3;
    default: return 0;
    }
}

static const u8 *vpb_varint(const u8 *p, const u8 *e, u64 *out)
{
    u64 v = 0;
    for (int s = 0; s < 70 && p < e; s += 7) {
        u8 b = *p++;
        v |= (u64)(b & 0x7f) << s;
        if (!(b & 0x80)) {
            if (s == 63 && b > 1) return NULL; /* more than 64 bits */
            *out = v;
            return p;
        }
    }
    return NULL;
}

static u64 vpb_le(const u8 *p, int n)
{
    u64 v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* Signed value of an integer-typed raw wire value. */
static i64 vpb_num_i64(u8 t, u64 raw)
{
    switch (t) {
    case VPB_INT32:
    case VPB_ENUM: return (i64)(i32)(u32)raw;
    case VPB_SFIXED32: return (i64)(i32)(u32)raw;
    case VPB_UINT32:
    case VPB_FIXED32: return (i64)(u32)raw;
    case VPB_SINT32: return (i64)(i32)(((u32)raw >> 1) ^ (0u - ((u32)raw & 1)));
    case VPB_SINT64: return (i64)((raw >> 1) ^ (0ull - (raw & 1)));
    case VPB_BOOL: return raw != 0;
    default: return (i64)raw;
    }
}

static int vpb_utoa(char *buf, u64 v)
{
    char tmp[24];
    int n = 0, len = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) buf[len++] = tmp[--n];
    buf[len] = 0;
    return len;
}

static int vpb_itoa(char *buf, i64 v)
{
    if (v < 0) {
        buf[0] = '-';
        return 1 + vpb_utoa(buf + 1, 0 - (u64)v);
    }
    return vpb_utoa(buf, (u64)v);
}

/* Shortest text of a float that reads back as the same float. */
static int vpb_fmt_float(char *buf, float x)
{
    int n = 0;
    for (int prec = 6; prec <= 9; prec++) {
        n = snprintf(buf, 40, "%.*g", prec, (double)x);
        if (strtof(buf, NULL) == x || isnan(x)) break;
    }
    return n;
}

/* Text of a numeric, bool or enum-number wire value; buf >= 40. */
static int vpb_fmt_num(u8 t, u64 raw, char *buf)
{
    switch (t) {
    case VPB_BOOL: return (int)strlen(strcpy(buf, raw ? "true" : "false"));
    case VPB_UINT64:
    case VPB_FIXED64: return vpb_utoa(buf, raw);
    case VPB_DOUBLE: {
        double d;
        memcpy(&d, &raw, 8);
        return vout_fmt_f64(buf, d);
    }
    case VPB_FLOAT: {
        float x;
        u32 r = (u32)raw;
        memcpy(&x, &r, 4);
        return vpb_fmt_float(buf, x);
    }
    default: return vpb_itoa(buf, vpb_num_i64(t, raw));
    }
}

/* Exact text of units * 10^-scale; buf >= 100. -1 when |scale| > 60. */
static int vpb_fmt_units(char *buf, i64 units, i64 scale)
{
    if (scale > 60 || scale < -60) return -1;
    char dig[24];
    int nd = vpb_utoa(dig, units < 0 ? 0 - (u64)units : (u64)units), n = 0;
    if (units < 0) buf[n++] = '-';
    if (scale <= 0) {
        memcpy(buf + n, dig, (size_t)nd);
        n += nd;
        for (i64 i = 0; i < -scale && units != 0; i++) buf[n++] = '0';
    } else if (nd <= scale) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (i64 i = 0; i < scale - nd; i++) buf[n++] = '0';
        memcpy(buf + n, dig, (size_t)nd);
        n += nd;
    } else {
        memcpy(buf + n, dig, (size_t)(nd - scale));
        n += nd - (int)scale;
        buf[n++] = '.';
        memcpy(buf + n, dig + nd - scale, (size_t)scale);
        n += (int)scale;
    }
    buf[n] = 0;
    return n;
}

/* ---- decoder ---------------------------------------------------------------------- */

typedef struct vpb_plan vpb_plan;

typedef struct vpb_ent {
    int num;
    const vpb_field *f;
    int col;       /* column fed by this field, or -1 */
    vpb_plan *sub; /* or the columns inside this message field */
    int *rivals;   /* oneof: columns cleared when this member arrives */
    int nrivals;
} vpb_ent;

struct vpb_plan {
    vpb_ent *e;
    int ne, cap;
    int *dense; /* field number -> first entry + 1 (0: not read) */
    int ndense;
    int *defaults; /* columns that get their default when this message is present */
    int ndefaults;
};

typedef struct vpb_dcol {
    const vpb_col *c;
    const vpb_field *f; /* leaf field */
    u8 how;
    vfield dflt;  /* VF_NULL for explicit presence */
    velo_buf acc; /* REPEATED, MAP, JSON text */
    int nacc;
} vpb_dcol;

struct vpb_dec {
    vpb_schema *S;
    int owns_schema;
    int ncols;
    vpb_dcol *cols;
    vpb_plan *root;
    velo_arena a;
    int *accs; /* REPEATED and MAP columns, closed at the end of a message */
    int naccs;
    velo_rt *rt;
    char *why;
    size_t whyn;
    int framed;
    i64 nmsg;
};

typedef struct vpb_it {
    const u8 *p, *e;
    u32 num;
    int wt;
    u64 v;
    const u8 *vp;
    size_t len;
} vpb_it;

static int vpb_fail(vpb_dec *d, const char *fmt, ...)
{
    if (d->why && d->whyn) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->why, d->whyn, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const u8 *vpb_skip_group(const u8 *p, const u8 *e, u32 num, int depth)
{
    while (p < e) {
        u64 tag, v;
        if (!(p = vpb_varint(p, e, &tag)) || (tag >> 3) == 0) return NULL;
        switch (tag & 7) {
        case 0:
            if (!(p = vpb_varint(p, e, &v))) return NULL;
            break;
        case 1:
            if (e - p < 8) return NULL;
            p += 8;
            break;
        case 5:
            if (e - p < 4) return NULL;
            p += 4;
            break;
        case 2:
            if (!(p = vpb_varint(p, e, &v)) || v > (u64)(e - p)) return NULL;
            p += v;
            break;
        case 3:
            if (depth > 32 || !(p = vpb_skip_group(p, e, (u32)(tag >> 3), depth + 1))) return NULL;
            break;
        case 4: return (tag >> 3) == num ? p : NULL;
        default: return NULL;
        }
    }
    return NULL;
}

/* Next field of a message: 1, 0 at its end, -1 malformed. */
static int vpb_it_next(vpb_dec *d, vpb_it *it)
{
    if (it->p >= it->e) return 0;
    u64 tag;
    const u8 *p = vpb_varint(it->p, it->e, &tag);
    if (!p) return vpb_fail(d, "malformed varint in a field tag");
    if ((tag >> 3) == 0 || (tag >> 3) > 536870911) return vpb_fail(d, "invalid field number %llu", tag >> 3);
    it->num = (u32)(tag >> 3);
    it->wt = (int)(tag & 7);
    it->vp = NULL;
    it->len = 0;
    switch (it->wt) {
    case 0:
        if (!(p = vpb_varint(p, it->e, &it->v))) return vpb_fail(d, "field %u: malformed varint", it->num);
        break;
    case 1:
        if (it->e - p < 8) return vpb_fail(d, "field %u: truncated fixed64", it->num);
        it->v = vpb_le(p, 8);
        p += 8;
        break;
    case 5:
        if (it->e - p < 4) return vpb_fail(d, "field %u: truncated fixed32", it->num);
        it->v = vpb_le(p, 4);
        p += 4;
        break;
    case 2: {
        u64 n;
        if (!(p = vpb_varint(p, it->e, &n))) return vpb_fail(d, "field %u: malformed length", it->num);
        if (n > (u64)(it->e - p)) return vpb_fail(d, "field %u: length %llu past the end of the message", it->num, n);
        it->vp = p;
        it->len = (size_t)n;
        p += n;
        break;
    }
    case 3:
        if (!(p = vpb_skip_group(p, it->e, it->num, 0))) return vpb_fail(d, "field %u: malformed group", it->num);
        break;
    default: return vpb_fail(d, "field %u: invalid wire type %d", it->num, it->wt);
    }
    it->p = p;
    return 1;
}

static int vpb_check_wt(vpb_dec *d, const vpb_field *f, int wt)
{
    int want = vpb_wiretype(f->type);
    if (wt == want || (wt == 2 && f->repeated && vpb_packable(f->type))) return 0;
    return vpb_fail(d, "field '%s' (%d): wire type %d, expected %d", f->name, f->num, wt, want);
}

/* Decimal {units, scale} or Timestamp {seconds, nanos}: the two numbers. */
static int vpb_pair(vpb_dec *d, const vpb_msg *m, const u8 *p, size_t n, i64 *a, i64 *b)
{
    const vpb_field *fa = &m->f[m->dec_units], *fb = &m->f[m->dec_scale];
    vpb_it it = {p, p + n, 0, 0, 0, NULL, 0};
    int r;
    *a = *b = 0;
    while ((r = vpb_it_next(d, &it)) > 0) {
        const vpb_field *f = it.num == (u32)fa->num ? fa : it.num == (u32)fb->num ? fb : NULL;
        if (!f) continue;
        if (it.wt != vpb_wiretype(f->type))
            return vpb_fail(d, "%s.%s: wire type %d, expected %d", m->name, f->name, it.wt, vpb_wiretype(f->type));
        *(f == fa ? a : b) = vpb_num_i64(f->type, it.v);
    }
    return r;
}

static int vpb_timestamp_us(vpb_dec *d, const vpb_msg *m, const u8 *p, size_t n, i64 *us)
{
    i64 secs, nanos;
    if (vpb_pair(d, m, p, n, &secs, &nanos)) return -1;
    if (secs > 9000000000000LL || secs < -9000000000000LL || nanos <= -1000000000 || nanos >= 1000000000)
        return vpb_fail(d, "Timestamp out of range (seconds %lld, nanos %lld)", secs, nanos);
    i64 sub = nanos >= 0 ? nanos / 1000 : -((-nanos + 999) / 1000);
    *us = secs * 1000000 + sub;
    return 0;
}

static int vpb_json_msg(vpb_dec *d, const vpb_msg *m, const u8 *p, size_t n, velo_buf *b, int depth);
static vfield vpb_default(const vpb_field *f, u8 how);

static const char *vpb_enum_name(const vpb_enum *en, i64 v)
{
    for (int i = 0; i < en->n; i++)
        if (en->nums[i] == v) return en->names[i];
    return NULL;
}

/* One value as JSON. */
static int vpb_json_val(vpb_dec *d, const vpb_field *f, const vpb_it *it, velo_buf *b, int depth)
{
    char buf[100];
    switch (f->type) {
    case VPB_STRING:
    case VPB_BYTES: vjson_put_str(b, (const char *)it->vp, (i64)it->len); return 0;
    case VPB_MESSAGE:
        if (f->msg->special == VPB_SP_DECIMAL) {
            i64 u, s;
            int k;
            if (vpb_pair(d, f->msg, it->vp, it->len, &u, &s)) return -1;
            if ((k = vpb_fmt_units(buf, u, s)) < 0) return vpb_fail(d, "field '%s': Decimal scale %lld out of range", f->name, s);
            vbuf_put(b, buf, (size_t)k);
            return 0;
        }
        if (f->msg->special == VPB_SP_TIMESTAMP) {
            i64 us;
            if (vpb_timestamp_us(d, f->msg, it->vp, it->len, &us)) return -1;
            vbuf_putc(b, '"');
            vbuf_put(b, buf, (size_t)vt_format_iso(buf, us));
            vbuf_putc(b, '"');
            return 0;
        }
        return vpb_json_msg(d, f->msg, it->vp, it->len, b, depth + 1);
    case VPB_ENUM: {
        const char *nm = vpb_enum_name(f->en, vpb_num_i64(f->type, it->v));
        if (nm) vjson_put_str(b, nm, (i64)strlen(nm));
        else vbuf_put(b, buf, (size_t)vpb_fmt_num(f->type, it->v, buf));
        return 0;
    }
    case VPB_FLOAT:
    case VPB_DOUBLE: {
        int k = vpb_fmt_num(f->type, it->v, buf);
        if (!isdigit((unsigned char)buf[k - 1])) { /* nan, inf */
            vbuf_putc(b, '"');
            vbuf_puts(b, strstr(buf, "nan") ? "NaN" : buf[0] == '-' ? "-Infinity" : "Infinity");
            vbuf_putc(b, '"');
            return 0;
        }
        vbuf_put(b, buf, (size_t)k);
        return 0;
    }
    default: vbuf_put(b, buf, (size_t)vpb_fmt_num(f->type, it->v, buf)); return 0;
    }
}

/* One occurrence of a repeated field (packed or not) as array elements. */
static int vpb_json_rep(vpb_dec *d, const vpb_field *f, const vpb_it *it, velo_buf *b, int *count, int depth)
{
    if (it->wt == 2 && vpb_packable(f->type)) {
        int wt = vpb_wiretype(f->type);
        const u8 *p = it->vp, *e = it->vp + it->len;
        while (p < e) {
            vpb_it el = *it;
            el.wt = wt;
            if (wt == 0) {
                if (!(p = vpb_varint(p, e, &el.v))) return vpb_fail(d, "field '%s': malformed packed varint", f->name);
            } else {
                int w = wt == 1 ? 8 : 4;
                if (e - p < w) return vpb_fail(d, "field '%s': truncated packed value", f->name);
                el.v = vpb_le(p, w);
                p += w;
            }
            if ((*count)++) vbuf_putc(b, ',');
            if (vpb_json_val(d, f, &el, b, depth)) return -1;
        }
        return 0;
    }
    if ((*count)++) vbuf_putc(b, ',');
    return vpb_json_val(d, f, it, b, depth);
}

/* One map entry as "key":value. */
static int vpb_json_entry(vpb_dec *d, const vpb_msg *em, const u8 *p, size_t n, velo_buf *b, int *count, int depth)
{
    vpb_it it = {p, p + n, 0, 0, 0, NULL, 0}, key = {0}, val = {0};
    int r, hk = 0, hv = 0;
    while ((r = vpb_it_next(d, &it)) > 0) {
        if (it.num == 1 || it.num == 2) {
            if (vpb_check_wt(d, &em->f[it.num - 1], it.wt)) return -1;
            if (it.num == 1) {
                key = it;
                hk = 1;
            } else {
                val = it;
                hv = 1;
            }
        }
    }
    if (r < 0) return -1;
    if ((*count)++) vbuf_putc(b, ',');
    const vpb_field *kf = &em->f[0];
    if (!hk) {
        vbuf_puts(b, kf->type == VPB_STRING ? "\"\"" : kf->type == VPB_BOOL ? "\"false\"" : "\"0\"");
    } else if (kf->type == VPB_STRING || kf->type == VPB_BYTES) {
        vjson_put_str(b, (const char *)key.vp, (i64)key.len);
    } else {
        char buf[40];
        vbuf_putc(b, '"');
        vbuf_put(b, buf, (size_t)vpb_fmt_num(kf->type, key.v, buf));
        vbuf_putc(b, '"');
    }
    vbuf_putc(b, ':');
    if (hv) return vpb_json_val(d, &em->f[1], &val, b, depth);
    const vpb_field *vf = &em->f[1]; /* an absent value is its type's default */
    if (vf->type == VPB_MESSAGE) {
        vbuf_puts(b, vf->msg->special == VPB_SP_DECIMAL ? "0" : vf->msg->special == VPB_SP_TIMESTAMP ? "\"1970-01-01T00:00:00Z\"" : "{}");
    } else if (vf->type == VPB_STRING || vf->type == VPB_BYTES) {
        vbuf_puts(b, "\"\"");
    } else if (vf->type == VPB_ENUM) {
        vfield dv = vpb_default(vf, VPB_H_ENUM);
        vjson_put_str(b, dv.p, dv.n);
    } else {
        vbuf_puts(b, vf->type == VPB_BOOL ? "false" : "0");
    }
    return 0;
}

/* A message as a JSON object: its present fields in declaration order. */
static int vpb_json_msg(vpb_dec *d, const vpb_msg *m, const u8 *p, size_t n, velo_buf *b, int depth)
{
    if (depth > 64) return vpb_fail(d, "messages nested too deeply");
    vbuf_putc(b, '{');
    int first = 1;
    for (int i = 0; i < m->nf; i++) {
        const vpb_field *f = &m->f[i];
        vpb_it it = {p, p + n, 0, 0, 0, NULL, 0}, last = {0};
        int r, count = 0, seen = 0;
        size_t mark = b->n;
        while ((r = vpb_it_next(d, &it)) > 0) {
            if (it.num != (u32)f->num) continue;
            if (vpb_check_wt(d, f, it.wt)) return -1;
            if (!f->repeated) {
                last = it;
                seen = 1;
                continue;
            }
            if (!count) {
                if (!first) vbuf_putc(b, ',');
                vjson_put_str(b, f->name, (i64)strlen(f->name));
                vbuf_puts(b, f->msg && f->msg->map_entry ? ":{" : ":[");
            }
            int before = count;
            if (f->msg && f->msg->map_entry ? vpb_json_entry(d, f->msg, it.vp, it.len, b, &count, depth)
                                            : vpb_json_rep(d, f, &it, b, &count, depth))
                return -1;
            if (before == 0 && count == 0) /* an empty packed run */
                b->n = mark;
        }
        if (r < 0) return -1;
        if (count) {
            vbuf_putc(b, f->msg && f->msg->map_entry ? '}' : ']');
            first = 0;
        } else if (seen) {
            if (!first) vbuf_putc(b, ',');
            vjson_put_str(b, f->name, (i64)strlen(f->name));
            vbuf_putc(b, ':');
            if (vpb_json_val(d, f, &last, b, depth)) return -1;
            first = 0;
        }
    }
    vbuf_putc(b, '}');
    return 0;
}

/* ---- decode plan ---- */

static vpb_plan *vpb_plan_new(vpb_dec *d)
{
    vpb_plan *p = va_alloc(&d->a, sizeof *p);
    memset(p, 0, sizeof *p);
    return p;
}

static vpb_ent *vpb_plan_add(vpb_dec *d, vpb_plan *p, const vpb_field *f)
{
    if (p->ne == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        vpb_ent *e = va_alloc(&d->a, sizeof *e * (vsize)p->cap);
        if (p->ne) memcpy(e, p->e, sizeof *e * (size_t)p->ne);
        p->e = e;
    }
    vpb_ent *e = &p->e[p->ne++];
    memset(e, 0, sizeof *e);
    e->num = f->num;
    e->f = f;
    e->col = -1;
    return e;
}

static int vpb_ent_cmp(const void *a, const void *b)
{
    const vpb_ent *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

/* Every column read under entry e (for oneof clearing). */
static void vpb_cols_under(vpb_dec *d, const vpb_ent *e, velo_buf *out)
{
    if (e->col >= 0) vbuf_put(out, &e->col, sizeof(int));
    if (e->sub)
        for (int i = 0; i < e->sub->ne; i++) vpb_cols_under(d, &e->sub->e[i], out);
}

static void vpb_plan_finish(vpb_dec *d, vpb_plan *p)
{
    qsort(p->e, (size_t)p->ne, sizeof *p->e, vpb_ent_cmp);
    int maxnum = p->ne ? p->e[p->ne - 1].num : 0;
    if (maxnum <= 4096) {
        p->ndense = maxnum + 1;
        p->dense = va_alloc(&d->a, sizeof(int) * (vsize)p->ndense);
        memset(p->dense, 0, sizeof(int) * (size_t)p->ndense);
        for (int i = p->ne - 1; i >= 0; i--) p->dense[p->e[i].num] = i + 1;
    }
    velo_buf def = {0};
    for (int i = 0; i < p->ne; i++) {
        vpb_ent *e = &p->e[i];
        if (e->col >= 0 && d->cols[e->col].dflt.kind != VF_NULL) vbuf_put(&def, &e->col, sizeof(int));
        if (e->sub) vpb_plan_finish(d, e->sub);
    }
    p->ndefaults = (int)(def.n / sizeof(int));
    p->defaults = va_alloc(&d->a, def.n + 1);
    if (def.n) memcpy(p->defaults, def.p, def.n);
    vbuf_free(&def);
    for (int i = 0; i < p->ne; i++) {
        vpb_ent *e = &p->e[i];
        if (e->f->oneof < 0) continue;
        velo_buf r = {0};
        for (int k = 0; k < p->ne; k++)
            if (p->e[k].f->oneof == e->f->oneof && p->e[k].num != e->num) vpb_cols_under(d, &p->e[k], &r);
        e->nrivals = (int)(r.n / sizeof(int));
        e->rivals = va_alloc(&d->a, r.n + 1);
        if (r.n) memcpy(e->rivals, r.p, r.n);
        vbuf_free(&r);
    }
}

static int vpb_plan_find(const vpb_plan *p, u32 num)
{
    if (p->dense) return num < (u32)p->ndense ? p->dense[num] - 1 : -1;
    int lo = 0, hi = p->ne;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if ((u32)p->e[mid].num < num) lo = mid + 1;
        else hi = mid;
    }
    return lo < p->ne && (u32)p->e[lo].num == num ? lo : -1;
}

static vfield vpb_default(const vpb_field *f, u8 how)
{
    vfield v = {NULL, 0, VF_NULL};
    if (how == VPB_H_REPEATED || how == VPB_H_MAP) {
        v.p = how == VPB_H_MAP ? "{}" : "[]";
        v.n = 2;
        v.kind = VF_TEXT;
        return v;
    }
    if (f->presence || (how != VPB_H_SCALAR && how != VPB_H_ENUM)) return v;
    switch (f->type) {
    case VPB_BOOL:
        v.p = "false";
        v.n = 5;
        v.kind = VF_BOOL;
        break;
    case VPB_STRING:
    case VPB_BYTES:
        v.p = "";
        v.n = 0;
        v.kind = VF_TEXT;
        break;
    case VPB_ENUM: {
        const char *nm = vpb_enum_name(f->en, 0);
        if (!nm) nm = f->en->n ? f->en->names[0] : "0";
        v.p = nm;
        v.n = (i64)strlen(nm);
        v.kind = VF_TEXT;
        break;
    }
    default:
        v.p = "0";
        v.n = 1;
        v.kind = VF_NUM;
        break;
    }
    return v;
}

vpb_dec *vpb_dec_new(vpb_schema *S, const vpb_msg *m, int ncols, const char *const *cols, const u8 *needed, char *err, size_t errn)
{
    const vpb_col *flat;
    int nflat = vpb_flatten(S, m, &flat);
    vpb_dec *d = vpb_calloc(1, sizeof *d);
    d->S = S;
    d->ncols = ncols;
    d->cols = vpb_calloc((size_t)ncols + 1, sizeof *d->cols);
    d->accs = vpb_calloc((size_t)ncols + 1, sizeof(int));
    d->root = vpb_plan_new(d);
    for (int i = 0; i < ncols; i++) {
        if (needed && !needed[i]) continue;
        const vpb_col *c = vpb_col_find(flat, nflat, cols[i]);
        if (!c) {
            snprintf(err, errn, "column '%s' is not a field of message '%s'", cols[i], m->full);
            vpb_dec_free(d);
            return NULL;
        }
        vpb_dcol *dc = &d->cols[i];
        dc->c = c;
        dc->f = c->path[c->depth];
        dc->how = c->how;
        dc->dflt = vpb_default(dc->f, c->how);
        if (c->how == VPB_H_REPEATED || c->how == VPB_H_MAP) d->accs[d->naccs++] = i;
        vpb_plan *p = d->root;
        for (int k = 0; k < c->depth; k++) { /* the message fields on the way */
            vpb_ent *e = NULL;
            for (int j = 0; j < p->ne && !e; j++)
                if (p->e[j].f == c->path[k] && p->e[j].sub) e = &p->e[j];
            if (!e) {
                e = vpb_plan_add(d, p, c->path[k]);
                e->sub = vpb_plan_new(d);
            }
            p = e->sub;
        }
        vpb_plan_add(d, p, dc->f)->col = i;
    }
    vpb_plan_finish(d, d->root);
    return d;
}

void vpb_dec_free(vpb_dec *d)
{
    if (!d) return;
    for (int i = 0; i < d->ncols; i++) vbuf_free(&d->cols[i].acc);
    free(d->cols);
    free(d->accs);
    va_free(&d->a);
    if (d->owns_schema) vpb_schema_free(d->S);
    free(d);
}

static void vpb_set_text(vpb_dec *d, vfield *out, const char *p, int n, u8 kind)
{
    char *s = va_alloc(&d->rt->tmp, (vsize)n + 1);
    memcpy(s, p, (size_t)n);
    s[n] = 0;
    out->p = s;
    out->n = n;
    out->kind = kind;
}

static int vpb_walk(vpb_dec *d, const vpb_plan *pl, const u8 *p, size_t n, vfield *f, int depth);

/* One occurrence of the field of entry e. */
static int vpb_apply(vpb_dec *d, const vpb_ent *e, const vpb_it *it, vfield *f, int depth)
{
    const vpb_field *fd = e->f;
    if (vpb_check_wt(d, fd, it->wt)) return -1;
    for (int i = 0; i < e->nrivals; i++) { /* a later oneof member wins */
        vpb_dcol *r = &d->cols[e->rivals[i]];
        f[e->rivals[i]].kind = VF_NULL;
        r->nacc = 0;
        r->acc.n = 0;
    }
    if (e->sub) {
        for (int i = 0; i < e->sub->ndefaults; i++) {
            int c = e->sub->defaults[i];
            if (f[c].kind == VF_NULL) f[c] = d->cols[c].dflt;
        }
        if (depth > 64) return vpb_fail(d, "messages nested too deeply");
        if (vpb_walk(d, e->sub, it->vp, it->len, f, depth + 1)) return -1;
    }
    if (e->col < 0) return 0;
    vpb_dcol *dc = &d->cols[e->col];
    vfield *out = &f[e->col];
    char buf[100];
    switch (dc->how) {
    case VPB_H_SCALAR:
        if (fd->type == VPB_STRING || fd->type == VPB_BYTES) {
            out->p = (const char *)it->vp;
            out->n = (i64)it->len;
            out->kind = VF_TEXT;
        } else if (fd->type == VPB_BOOL) {
            out->p = it->v ? "true" : "false";
            out->n = it->v ? 4 : 5;
            out->kind = VF_BOOL;
        } else {
            vpb_set_text(d, out, buf, vpb_fmt_num(fd->type, it->v, buf), VF_NUM);
        }
        return 0;
    case VPB_H_ENUM: {
        const char *nm = vpb_enum_name(fd->en, vpb_num_i64(fd->type, it->v));
        if (nm) {
            out->p = nm;
            out->n = (i64)strlen(nm);
            out->kind = VF_TEXT;
        } else {
            vpb_set_text(d, out, buf, vpb_fmt_num(fd->type, it->v, buf), VF_TEXT);
        }
        return 0;
    }
    case VPB_H_DECIMAL: {
        i64 u, s;
        int k;
        if (vpb_pair(d, fd->msg, it->vp, it->len, &u, &s)) return -1;
        if ((k = vpb_fmt_units(buf, u, s)) < 0) return vpb_fail(d, "field '%s': Decimal scale %lld out of range", fd->name, s);
        vpb_set_text(d, out, buf, k, VF_NUM);
        return 0;
    }
    case VPB_H_TIMESTAMP: {
        i64 us;
        if (vpb_timestamp_us(d, fd->msg, it->vp, it->len, &us)) return -1;
        vpb_set_text(d, out, buf, vt_format_iso(buf, us), VF_TEXT);
        return 0;
    }
    case VPB_H_JSON:
        dc->acc.n = 0;
        if (vpb_json_msg(d, fd->msg, it->vp, it->len, &dc->acc, depth + 1)) return -1;
        out->p = dc->acc.p;
        out->n = (i64)dc->acc.n;
        out->kind = VF_TEXT;
        return 0;
    case VPB_H_MAP:
        if (!dc->nacc) vbuf_putc(&dc->acc, '{');
        return vpb_json_entry(d, fd->msg, it->vp, it->len, &dc->acc, &dc->nacc, depth);
    default: /* VPB_H_REPEATED */
        if (!dc->nacc && !dc->acc.n) vbuf_putc(&dc->acc, '[');
        return vpb_json_rep(d, fd, it, &dc->acc, &dc->nacc, depth);
    }
}

static int vpb_walk(vpb_dec *d, const vpb_plan *pl, const u8 *p, size_t n, vfield *f, int depth)
{
    vpb_it it = {p, p + n, 0, 0, 0, NULL, 0};
    int r;
    while ((r = vpb_it_next(d, &it)) > 0) {
        int k = vpb_plan_find(pl, it.num);
        if (k < 0) continue; /* not read by the query: skipped by wire type */
        for (; k < pl->ne && (u32)pl->e[k].num == it.num; k++)
            if (vpb_apply(d, &pl->e[k], &it, f, depth)) return -1;
    }
    return r;
}

int vpb_decode(vpb_dec *d, velo_rt *rt, const u8 *p, size_t n, vfield *f, char *why, size_t whyn)
{
    d->rt = rt;
    d->why = why;
    d->whyn = whyn;
    for (int i = 0; i < d->ncols; i++) f[i].kind = VF_NULL;
    for (int i = 0; i < d->root->ndefaults; i++) f[d->root->defaults[i]] = d->cols[d->root->defaults[i]].dflt;
    for (int i = 0; i < d->naccs; i++) {
        d->cols[d->accs[i]].nacc = 0;
        d->cols[d->accs[i]].acc.n = 0;
    }
    if (vpb_walk(d, d->root, p, n, f, 0)) return -1;
    for (int i = 0; i < d->naccs; i++) {
        vpb_dcol *dc = &d->cols[d->accs[i]];
        if (!dc->acc.n) continue;
        vbuf_putc(&dc->acc, dc->how == VPB_H_MAP ? '}' : ']');
        if (!dc->nacc) { /* only empty packed runs */
            dc->acc.n = 0;
            vbuf_puts(&dc->acc, dc->how == VPB_H_MAP ? "{}" : "[]");
        }
        f[d->accs[i]].p = dc->acc.p;
        f[d->accs[i]].n = (i64)dc->acc.n;
        f[d->accs[i]].kind = VF_TEXT;
    }
    return 0;
}

/* ---- source glue ---- */

static vpb_schema *vpb_load_props(velo_rt *rt, const char *what, const char *name, const char *const *props, const vpb_msg **m)
{
    char msg[1200], err[800];
    const char *file = velo_rt_prop(rt, name, props, "proto.file");
    if (!file || !*file) {
        snprintf(msg, sizeof msg, "%s '%s': format 'protobuf' needs the property 'proto.file'", what, name);
        velo_config_error(rt, msg);
        return NULL;
    }
    vpb_schema *S = vpb_schema_load(file, err, sizeof err);
    if (!S || !(*m = vpb_find_msg(S, velo_rt_prop(rt, name, props, "proto.message"), err, sizeof err))) {
        snprintf(msg, sizeof msg, "%s '%s': proto.file: %s", what, name, err);
        velo_config_error(rt, msg);
        vpb_schema_free(S);
        return NULL;
    }
    return S;
}

int vpb_src_open(velo_src *s, const char *name, const char *const *props, int framed)
{
    char msg[1200], err[600];
    const vpb_msg *m;
    vpb_schema *S = vpb_load_props(s->rt, "source", name, props, &m);
    if (!S) return -1;
    vpb_dec *d = vpb_dec_new(S, m, s->ncols, s->cols, s->needed, err, sizeof err);
    if (!d) {
        snprintf(msg, sizeof msg, "source '%s': %s", name, err);
        velo_config_error(s->rt, msg);
        vpb_schema_free(S);
        return -1;
    }
    d->owns_schema = 1;
    d->framed = framed;
    s->pb = d;
    return 0;
}

static int vpb_src_bad(velo_src *s, const char *why)
{
    velo_bad_record(s->rt, s->op_id, why);
    return !velo_stopped(s->rt);
}

int vpb_src_next(velo_src *s, vfield *f)
{
    vpb_dec *d = s->pb;
    char why[300];
    if (!d->framed) { /* one message: buf[pos..end) */
        if (s->doc_state) return 0;
        s->doc_state = 1;
        const char *p = s->buf + s->pos;
        size_t n = s->end - s->pos;
        s->pos = s->end;
        s->st->n++;
        vsrc_set_record(s, p, (i64)n, 0);
        if (vpb_decode(d, s->rt, (const u8 *)p, n, f, why, sizeof why) == 0) return 1;
        vpb_src_bad(s, why);
        return 0;
    }
    for (;;) {
        /* frame: varint length, then the message */
        u64 len = 0;
        const u8 *p = (const u8 *)s->buf + s->pos, *e = (const u8 *)s->buf + s->end, *q = NULL;
        if (p < e) q = vpb_varint(p, e, &len);
        int need_more = p == e || (!q && e - p < 10) || (q && len <= (1u << 30) && (u64)(e - q) < len);
        if (need_more && !s->eof) {
            long r = vsrc_fill(s);
            if (r < 0 || (r == 0 && !s->eof)) return 0; /* vsrc_poll: no whole message yet */
            continue;
        }
        if (p == e) return 0;
        d->nmsg++;
        if (!q || len > (1u << 30) || (u64)(e - q) < len) {
            /* the framing is broken: nothing after this point can be found again */
            vsrc_set_record(s, (const char *)p, (i64)(e - p), d->nmsg);
            s->st->n++;
            if (!q || len > (1u << 30)) snprintf(why, sizeof why, "invalid length prefix of message %lld", (long long)d->nmsg);
            else
                snprintf(why, sizeof why, "truncated message at end of input (%lld of %llu bytes)", (long long)(e - q),
                         (unsigned long long)len);
            s->pos = s->end;
            s->eof = 1;
            vpb_src_bad(s, why);
            return 0;
        }
        s->pos = (size_t)((const char *)q - s->buf) + (size_t)len;
        s->st->n++;
        vsrc_set_record(s, (const char *)q, (i64)len, d->nmsg);
        if (vpb_decode(d, s->rt, q, (size_t)len, f, why, sizeof why) == 0) return 1;
        if (!vpb_src_bad(s, why)) return 0;
    }
}

void vpb_src_close(velo_src *s)
{
    vpb_dec_free(s->pb);
    s->pb = NULL;
}

/* ---- encoder ----------------------------------------------------------------------- */

enum { VS_NULL, VS_BOOL, VS_I64, VS_F64, VS_DEC, VS_STR, VS_TS };

typedef struct vpb_slot {
    u8 k; /* VS_* */
    int scale;
    i64 i;
    double d;
    vstr s;
} vpb_slot;

typedef struct vpb_enode vpb_enode;
typedef struct vpb_eent {
    const vpb_field *f;
    int col;        /* leaf column, or -1 */
    vpb_enode *sub; /* or the columns inside this message field */
} vpb_eent;

struct vpb_enode {
    vpb_eent *e;
    int ne, cap;
};

struct vpb_enc {
    vpb_schema *S;
    int owns_schema;
    int ncols;
    vpb_slot *slots;
    vpb_enode *root;
    velo_arena a;
    velo_buf lvl[VPB_MAXDEPTH + 2]; /* sub-messages being built, per depth */
    velo_buf packed, str;
    char *why;
    size_t whyn;
};

static int vpb_efail(vpb_enc *x, const char *fmt, ...)
{
    if (x->why && x->whyn) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->why, x->whyn, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void vpb_put_varint(velo_buf *b, u64 v)
{
    char tmp[10];
    int n = 0;
    while (v >= 0x80) {
        tmp[n++] = (char)(v | 0x80);
        v >>= 7;
    }
    tmp[n++] = (char)v;
    vbuf_put(b, tmp, (size_t)n);
}

static void vpb_put_tag(velo_buf *b, int num, int wt)
{
    vpb_put_varint(b, (u64)num << 3 | (u64)wt);
}

static void vpb_put_fixed(velo_buf *b, u64 v, int n)
{
    char tmp[8];
    for (int i = 0; i < n; i++) tmp[i] = (char)(v >> (8 * i));
    vbuf_put(b, tmp, (size_t)n);
}

static vpb_enode *vpb_enode_new(vpb_enc *x)
{
    vpb_enode *n = va_alloc(&x->a, sizeof *n);
    memset(n, 0, sizeof *n);
    return n;
}

static vpb_eent *vpb_enode_add(vpb_enc *x, vpb_enode *n, const vpb_field *f)
{
    if (n->ne == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 8;
        vpb_eent *e = va_alloc(&x->a, sizeof *e * (vsize)n->cap);
        if (n->ne) memcpy(e, n->e, sizeof *e * (size_t)n->ne);
        n->e = e;
    }
    vpb_eent *e = &n->e[n->ne++];
    e->f = f;
    e->col = -1;
    e->sub = NULL;
    return e;
}

static int vpb_eent_cmp(const void *a, const void *b)
{
    const vpb_eent *x = a, *y = b;
    return x->f->num < y->f->num ? -1 : x->f->num > y->f->num;
}

static void vpb_enode_sort(vpb_enode *n)
{
    qsort(n->e, (size_t)n->ne, sizeof *n->e, vpb_eent_cmp); /* canonical field order */
    for (int i = 0; i < n->ne; i++)
        if (n->e[i].sub) vpb_enode_sort(n->e[i].sub);
}

vpb_enc *vpb_enc_new(vpb_schema *S, const vpb_msg *m, int ncols, const char *const *names, char *err, size_t errn)
{
    const vpb_col *flat;
    int nflat = vpb_flatten(S, m, &flat);
    vpb_enc *x = vpb_calloc(1, sizeof *x);
    x->S = S;
    x->ncols = ncols;
    x->slots = vpb_calloc((size_t)ncols + 1, sizeof *x->slots);
    x->root = vpb_enode_new(x);
    for (int i = 0; i < ncols; i++) {
        const vpb_col *c = vpb_col_find(flat, nflat, names[i]);
        const vpb_field *f = c ? c->path[c->depth] : NULL;
        if (!c) {
            snprintf(err, errn, "output column '%s' is not a field of message '%s'", names[i], m->full);
            goto fail;
        }
        if (c->how == VPB_H_JSON || c->how == VPB_H_MAP ||
            (c->how == VPB_H_REPEATED && !vpb_packable(f->type) && f->type != VPB_STRING && f->type != VPB_BYTES)) {
            snprintf(err, errn, "output column '%s': writing field '%s' (%s) is not supported", names[i], f->name,
                     c->how == VPB_H_MAP    ? "map"
                     : c->how == VPB_H_JSON ? "message"
                                            : "repeated message");
            goto fail;
        }
        vpb_enode *n = x->root;
        for (int k = 0; k < c->depth; k++) {
            vpb_eent *e = NULL;
            for (int j = 0; j < n->ne && !e; j++)
                if (n->e[j].f == c->path[k]) e = &n->e[j];
            if (!e) {
                e = vpb_enode_add(x, n, c->path[k]);
                e->sub = vpb_enode_new(x);
            }
            n = e->sub;
        }
        for (int j = 0; j < n->ne; j++)
            if (n->e[j].f == f) {
                snprintf(err, errn, "output columns '%s' and '%s' both map to field '%s'", names[n->e[j].col], names[i], f->name);
                goto fail;
            }
        vpb_enode_add(x, n, f)->col = i;
    }
    vpb_enode_sort(x->root);
    return x;
fail:
    vpb_enc_free(x);
    return NULL;
}

void vpb_enc_free(vpb_enc *x)
{
    if (!x) return;
    for (int i = 0; i < VPB_MAXDEPTH + 2; i++) vbuf_free(&x->lvl[i]);
    vbuf_free(&x->packed);
    vbuf_free(&x->str);
    free(x->slots);
    va_free(&x->a);
    if (x->owns_schema) vpb_schema_free(x->S);
    free(x);
}

void vpb_enc_null(vpb_enc *x, int c)
{
    if (c < x->ncols) x->slots[c].k = VS_NULL;
}
void vpb_enc_bool(vpb_enc *x, int c, int v)
{
    if (c < x->ncols) {
        x->slots[c].k = VS_BOOL;
        x->slots[c].i = v != 0;
    }
}
void vpb_enc_i64(vpb_enc *x, int c, i64 v)
{
    if (c < x->ncols) {
        x->slots[c].k = VS_I64;
        x->slots[c].i = v;
    }
}
void vpb_enc_f64(vpb_enc *x, int c, double v)
{
    if (c < x->ncols) {
        x->slots[c].k = VS_F64;
        x->slots[c].d = v;
    }
}
void vpb_enc_ts(vpb_enc *x, int c, i64 v)
{
    if (c < x->ncols) {
        x->slots[c].k = VS_TS;
        x->slots[c].i = v;
    }
}
void vpb_enc_str(vpb_enc *x, int c, vstr v)
{
    if (c < x->ncols) {
        x->slots[c].k = VS_STR;
        x->slots[c].s = v;
    }
}
void vpb_enc_dec(vpb_enc *x, int c, i64 v, int scale)
{
    if (c < x->ncols) {
        x->slots[c].k = VS_DEC;
        x->slots[c].i = v;
        x->slots[c].scale = scale;
    }
}

/* Text of a value (string fields, Kafka keys); buf >= 100. */
static void vpb_slot_text(const vpb_slot *s, const char **p, size_t *n, char *buf)
{
    int k = 0;
    switch (s->k) {
    case VS_STR:
        *p = s->s.p;
        *n = (size_t)s->s.n;
        return;
    case VS_BOOL:
        *p = s->i ? "true" : "false";
        *n = s->i ? 4 : 5;
        return;
    case VS_I64: k = vpb_itoa(buf, s->i); break;
    case VS_F64: k = vout_fmt_f64(buf, s->d); break;
    case VS_DEC: k = vd_format(buf, s->i, s->scale); break;
    case VS_TS: k = vt_format_iso(buf, s->i); break;
    default: break;
    }
    *p = buf;
    *n = (size_t)k;
}

/* Exact decimal text -> units, scale. */
static int vpb_parse_units(const char *p, size_t n, i64 *units, int *scale)
{
    size_t i = 0;
    int neg = 0, sc = -1, nd = 0;
    u64 v = 0;
    if (i < n && (p[i] == '-' || p[i] == '+')) neg = p[i++] == '-';
    for (; i < n; i++) {
        if (p[i] == '.' && sc < 0) {
            sc = 0;
            continue;
        }
        if (p[i] < '0' || p[i] > '9') return -1;
        if (v > (VELO_I64_MAX - 9) / 10) return -1;
        v = v * 10 + (u64)(p[i] - '0');
        nd++;
        if (sc >= 0) sc++;
    }
    if (!nd) return -1;
    *units = neg ? -(i64)v : (i64)v;
    *scale = sc < 0 ? 0 : sc;
    return 0;
}

static int vpb_text_i64(const char *p, size_t n, i64 *out, int is_unsigned)
{
    char buf[64];
    if (!n || n >= sizeof buf || isspace((unsigned char)p[0])) return -1;
    memcpy(buf, p, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    if (is_unsigned && buf[0] != '-') *out = (i64)strtoull(buf, &end, 10);
    else *out = strtoll(buf, &end, 10);
    return *end || errno ? -1 : 0;
}

/* The raw wire value of a numeric, bool or enum field. */
static int vpb_slot_raw(vpb_enc *x, const vpb_field *f, const vpb_slot *s, u64 *raw)
{
    char tmp[100];
    const char *tp;
    size_t tn;
    if (f->type == VPB_FLOAT || f->type == VPB_DOUBLE) {
        double v;
        switch (s->k) {
        case VS_F64: v = s->d; break;
        case VS_I64:
        case VS_BOOL: v = (double)s->i; break;
        case VS_DEC: v = vd_to_f64(s->i, s->scale); break;
        case VS_STR: {
            char buf[64], *end;
            if (!s->s.n || s->s.n >= (i64)sizeof buf) return vpb_efail(x, "field '%s': invalid number '%.40s'", f->name, s->s.p);
            memcpy(buf, s->s.p, (size_t)s->s.n);
            buf[s->s.n] = 0;
            v = strtod(buf, &end);
            if (*end) return vpb_efail(x, "field '%s': invalid number '%s'", f->name, buf);
            break;
        }
        default: return vpb_efail(x, "field '%s': a TIMESTAMP does not fit a %s", f->name, f->type == VPB_FLOAT ? "float" : "double");
        }
        if (f->type == VPB_DOUBLE) {
            memcpy(raw, &v, 8);
        } else {
            float fv = (float)v;
            u32 r;
            memcpy(&r, &fv, 4);
            *raw = r;
        }
        return 0;
    }
    if (f->type == VPB_BOOL) {
        switch (s->k) {
        case VS_BOOL:
        case VS_I64:
        case VS_DEC: *raw = s->i != 0; return 0;
        case VS_F64: *raw = s->d != 0; return 0;
        case VS_STR:
            if ((s->s.n == 4 && !strncasecmp(s->s.p, "true", 4)) || (s->s.n == 1 && s->s.p[0] == '1')) *raw = 1;
            else if ((s->s.n == 5 && !strncasecmp(s->s.p, "false", 5)) || (s->s.n == 1 && s->s.p[0] == '0')) *raw = 0;
            else return vpb_efail(x, "field '%s': invalid bool '%.*s'", f->name, (int)(s->s.n > 40 ? 40 : s->s.n), s->s.p);
            return 0;
        default: return vpb_efail(x, "field '%s': a TIMESTAMP does not fit a bool", f->name);
        }
    }
    i64 v = 0;
    int uns = f->type == VPB_UINT64 || f->type == VPB_FIXED64;
    switch (s->k) {
    case VS_BOOL:
    case VS_I64: v = s->i; break;
    case VS_TS: v = s->i / 1000 - (s->i % 1000 < 0); break; /* epoch milliseconds */
    case VS_DEC:
        if (s->i % vd_pow10[s->scale]) goto bad;
        v = s->i / vd_pow10[s->scale];
        break;
    case VS_F64:
        if (!(s->d >= -9223372036854775808.0 && s->d < 9223372036854775808.0) || s->d != floor(s->d)) goto bad;
        v = (i64)s->d;
        break;
    case VS_STR:
        if (f->type == VPB_ENUM) {
            for (int i = 0; i < f->en->n; i++)
                if ((i64)strlen(f->en->names[i]) == s->s.n && !memcmp(f->en->names[i], s->s.p, (size_t)s->s.n)) {
                    v = f->en->nums[i];
                    goto ranged;
                }
        }
        if (vpb_text_i64(s->s.p, (size_t)s->s.n, &v, uns)) goto bad;
        if (uns) goto encode;
        break;
    default: goto bad;
    }
ranged:
    switch (f->type) {
    case VPB_INT32:
    case VPB_SINT32:
    case VPB_SFIXED32:
    case VPB_ENUM:
        if (v < -2147483648LL || v > 2147483647LL) return vpb_efail(x, "field '%s': %lld out of range", f->name, v);
        break;
    case VPB_UINT32:
    case VPB_FIXED32:
        if (v < 0 || v > 4294967295LL) return vpb_efail(x, "field '%s': %lld out of range", f->name, v);
        break;
    case VPB_UINT64:
    case VPB_FIXED64:
        if (v < 0) return vpb_efail(x, "field '%s': %lld out of range", f->name, v);
        break;
    default: break;
    }
encode:
    switch (f->type) {
    case VPB_SINT32: *raw = (u32)(((u32)v << 1) ^ (u32)((i32)v >> 31)); break;
    case VPB_SINT64: *raw = ((u64)v << 1) ^ (u64)(v >> 63); break;
    case VPB_FIXED32:
    case VPB_SFIXED32: *raw = (u32)v; break;
    default: *raw = (u64)v; break; /* int32/enum negatives: 10-byte varint, as protobuf does */
    }
    return 0;
bad:
    vpb_slot_text(s, &tp, &tn, tmp);
    if (f->type == VPB_ENUM && s->k == VS_STR)
        return vpb_efail(x, "field '%s': '%.*s' is not a value of enum %s", f->name, (int)(tn > 40 ? 40 : tn), tp, f->en->full);
    return vpb_efail(x, "field '%s': '%.*s' is not an integer", f->name, (int)(tn > 40 ? 40 : tn), tp);
}

static void vpb_put_raw(velo_buf *b, u8 type, u64 raw)
{
    int wt = vpb_wiretype(type);
    if (wt == 0) vpb_put_varint(b, raw);
    else vpb_put_fixed(b, raw, wt == 1 ? 8 : 4);
}

/* Two-field message (Decimal, Timestamp) as the value of field f. */
static void vpb_put_pair(velo_buf *b, const vpb_field *f, i64 a, i64 c)
{
    const vpb_msg *m = f->msg;
    const vpb_field *fa = &m->f[m->dec_units], *fc = &m->f[m->dec_scale];
    char tmp[48];
    velo_buf in = {tmp, 0, sizeof tmp}; /* fits: two tags and two varints */
    i64 vals[2] = {a, c};
    const vpb_field *fs[2] = {fa, fc};
    if (fc->num < fa->num) {
        vals[0] = c, vals[1] = a;
        fs[0] = fc, fs[1] = fa;
    }
    for (int i = 0; i < 2; i++) {
        if (!vals[i] && !fs[i]->presence) continue;
        u64 raw = (u64)vals[i];
        if (fs[i]->type == VPB_SINT64) raw = ((u64)vals[i] << 1) ^ (u64)(vals[i] >> 63);
        else if (fs[i]->type == VPB_SINT32) raw = (u32)(((u32)vals[i] << 1) ^ (u32)((i32)vals[i] >> 31));
        else if (fs[i]->type == VPB_SFIXED32) raw = (u32)vals[i];
        vpb_put_tag(&in, fs[i]->num, vpb_wiretype(fs[i]->type));
        vpb_put_raw(&in, fs[i]->type, raw);
    }
    vpb_put_tag(b, f->num, 2);
    vpb_put_varint(b, in.n);
    vbuf_put(b, in.p, in.n);
}

/* One singular value of field f (force: write even a default). */
static int vpb_put_value(vpb_enc *x, const vpb_field *f, const vpb_slot *s, velo_buf *b, int force)
{
    char buf[100];
    if (f->type == VPB_MESSAGE && f->msg->special == VPB_SP_DECIMAL) {
        i64 u;
        int sc;
        const char *tp;
        size_t tn;
        switch (s->k) {
        case VS_DEC:
            u = s->i;
            sc = s->scale;
            break;
        case VS_I64:
            u = s->i;
            sc = 0;
            break;
        case VS_F64:
        case VS_STR:
            vpb_slot_text(s, &tp, &tn, buf);
            if (vpb_parse_units(tp, tn, &u, &sc))
                return vpb_efail(x, "field '%s': '%.*s' is not a decimal", f->name, (int)(tn > 40 ? 40 : tn), tp);
            break;
        default: return vpb_efail(x, "field '%s': not a decimal value", f->name);
        }
        vpb_put_pair(b, f, u, sc);
        return 0;
    }
    if (f->type == VPB_MESSAGE && f->msg->special == VPB_SP_TIMESTAMP) {
        i64 us;
        switch (s->k) {
        case VS_TS: us = s->i; break;
        case VS_I64:
            if (s->i > VELO_I64_MAX / 1000 || s->i < VELO_I64_MIN / 1000)
                return vpb_efail(x, "field '%s': timestamp out of range", f->name);
            us = s->i * 1000; /* epoch milliseconds */
            break;
        case VS_STR:
            if (vt_parse(s->s.p, s->s.n, &us))
                return vpb_efail(x, "field '%s': invalid timestamp '%.*s'", f->name, (int)(s->s.n > 40 ? 40 : s->s.n), s->s.p);
            break;
        default: return vpb_efail(x, "field '%s': not a timestamp", f->name);
        }
        i64 secs = us / 1000000 - (us % 1000000 < 0);
        vpb_put_pair(b, f, secs, (us - secs * 1000000) * 1000);
        return 0;
    }
    if (f->type == VPB_STRING || f->type == VPB_BYTES) {
        const char *p;
        size_t n;
        vpb_slot_text(s, &p, &n, buf);
        if (!n && !force) return 0;
        vpb_put_tag(b, f->num, 2);
        vpb_put_varint(b, n);
        vbuf_put(b, p, n);
        return 0;
    }
    u64 raw;
    if (vpb_slot_raw(x, f, s, &raw)) return -1;
    if (!raw && !force) return 0;
    vpb_put_tag(b, f->num, vpb_wiretype(f->type));
    vpb_put_raw(b, f->type, raw);
    return 0;
}

static int vpb_hex(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

static void vpb_put_utf8(velo_buf *b, u32 cp)
{
    if (cp < 0x80) {
        vbuf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        vbuf_putc(b, (char)(0xc0 | cp >> 6));
        vbuf_putc(b, (char)(0x80 | (cp & 63)));
    } else if (cp < 0x10000) {
        vbuf_putc(b, (char)(0xe0 | cp >> 12));
        vbuf_putc(b, (char)(0x80 | (cp >> 6 & 63)));
        vbuf_putc(b, (char)(0x80 | (cp & 63)));
    } else {
        vbuf_putc(b, (char)(0xf0 | cp >> 18));
        vbuf_putc(b, (char)(0x80 | (cp >> 12 & 63)));
        vbuf_putc(b, (char)(0x80 | (cp >> 6 & 63)));
        vbuf_putc(b, (char)(0x80 | (cp & 63)));
    }
}

/* Next element of a JSON array text: 1, 0 at ']', -1 bad. Strings are
 * unescaped into x->str. */
static int vpb_arr_next(vpb_enc *x, const char **pp, const char *e, vpb_slot *el)
{
    const char *p = *pp;
    while (p < e && isspace((unsigned char)*p)) p++;
    if (p < e && *p == ']') {
        *pp = p + 1;
        return 0;
    }
    if (p < e && *p == ',')
        for (p++; p < e && isspace((unsigned char)*p); p++)
            ;
    if (p >= e) return -1;
    if (*p == '"') {
        x->str.n = 0;
        for (p++; p < e && *p != '"'; p++) {
            if (*p != '\\') {
                vbuf_putc(&x->str, *p);
                continue;
            }
            if (++p >= e) return -1;
            switch (*p) {
            case 'n': vbuf_putc(&x->str, '\n'); break;
            case 't': vbuf_putc(&x->str, '\t'); break;
            case 'r': vbuf_putc(&x->str, '\r'); break;
            case 'b': vbuf_putc(&x->str, '\b'); break;
            case 'f': vbuf_putc(&x->str, '\f'); break;
            case 'u': {
                u32 cp = 0;
                for (int i = 1; i <= 4; i++) {
                    int h = p + i < e ? vpb_hex(p[i]) : -1;
                    if (h < 0) return -1;
                    cp = cp * 16 + (u32)h;
                }
                p += 4;
                if (cp >= 0xd800 && cp < 0xdc00 && e - p > 6 && p[1] == '\\' && p[2] == 'u') {
                    u32 lo = 0;
                    for (int i = 3; i <= 6; i++) lo = lo * 16 + (u32)(vpb_hex(p[i]) < 0 ? 0 : vpb_hex(p[i]));
                    if (lo >= 0xdc00 && lo < 0xe000) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        p += 6;
                    }
                }
                vpb_put_utf8(&x->str, cp);
                break;
            }
            default: vbuf_putc(&x->str, *p); break;
            }
        }
        if (p >= e) return -1;
        el->k = VS_STR;
        el->s.p = x->str.p ? x->str.p : "";
        el->s.n = (i64)x->str.n;
        *pp = p + 1;
        return 1;
    }
    const char *s = p;
    while (p < e && *p != ',' && *p != ']' && !isspace((unsigned char)*p)) p++;
    if (p == s) return -1;
    *pp = p;
    if ((p - s == 4 && !memcmp(s, "true", 4)) || (p - s == 5 && !memcmp(s, "false", 5))) {
        el->k = VS_BOOL;
        el->i = *s == 't';
        return 1;
    }
    if (p - s == 4 && !memcmp(s, "null", 4)) {
        el->k = VS_NULL;
        return 1;
    }
    el->k = VS_STR;
    el->s.p = s;
    el->s.n = p - s;
    return 1;
}

/* A repeated field from the JSON array text of its column. */
static int vpb_put_repeated(vpb_enc *x, const vpb_field *f, const vpb_slot *s, velo_buf *b)
{
    if (s->k != VS_STR) return vpb_efail(x, "field '%s' is repeated: its column must hold a JSON array", f->name);
    const char *p = s->s.p, *e = s->s.p + s->s.n;
    while (p < e && isspace((unsigned char)*p)) p++;
    if (p >= e || *p != '[')
        return vpb_efail(x, "field '%s' is repeated: '%.*s' is not a JSON array", f->name, (int)(s->s.n > 40 ? 40 : s->s.n), s->s.p);
    p++;
    vpb_slot el;
    int r;
    x->packed.n = 0;
    while ((r = vpb_arr_next(x, &p, e, &el)) > 0) {
        if (el.k == VS_NULL) return vpb_efail(x, "field '%s': null in a repeated field", f->name);
        if (f->packed) {
            u64 raw;
            if (vpb_slot_raw(x, f, &el, &raw)) return -1;
            vpb_put_raw(&x->packed, f->type, raw);
        } else if (vpb_put_value(x, f, &el, b, 1)) {
            return -1;
        }
    }
    if (r < 0) return vpb_efail(x, "field '%s' is repeated: '%.*s' is not a JSON array", f->name, (int)(s->s.n > 40 ? 40 : s->s.n), s->s.p);
    if (f->packed && x->packed.n) {
        vpb_put_tag(b, f->num, 2);
        vpb_put_varint(b, x->packed.n);
        vbuf_put(b, x->packed.p, x->packed.n);
    }
    return 0;
}

/* Fields of one message level; returns how many were written, -1 on error. */
static int vpb_enc_node(vpb_enc *x, const vpb_enode *n, velo_buf *b, int lv)
{
    int any = 0;
    for (int i = 0; i < n->ne; i++) {
        const vpb_eent *e = &n->e[i];
        if (e->col >= 0) {
            const vpb_slot *s = &x->slots[e->col];
            if (s->k == VS_NULL) continue;
            any++;
            if (e->f->repeated ? vpb_put_repeated(x, e->f, s, b) : vpb_put_value(x, e->f, s, b, e->f->presence)) return -1;
            continue;
        }
        velo_buf *t = &x->lvl[lv + 1];
        t->n = 0;
        int r = vpb_enc_node(x, e->sub, t, lv + 1);
        if (r < 0) return -1;
        if (r > 0) { /* a sub-message exists when any of its columns is not NULL */
            vpb_put_tag(b, e->f->num, 2);
            vpb_put_varint(b, t->n);
            vbuf_put(b, t->p, t->n);
            any++;
        }
    }
    return any;
}

int vpb_enc_row(vpb_enc *x, velo_buf *out, char *why, size_t whyn)
{
    x->why = why;
    x->whyn = whyn;
    size_t start = out->n;
    int r = vpb_enc_node(x, x->root, out, 0);
    for (int i = 0; i < x->ncols; i++) x->slots[i].k = VS_NULL;
    if (r < 0) {
        out->n = start;
        return -1;
    }
    return 0;
}

/* ---- sink glue ---- */

struct vpb_out {
    velo_rt *rt;
    int op_id;
    vpb_enc *enc;
    velo_buf msg, key;
};

vpb_out *vpb_out_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *names)
{
    char msg[1200], err[600];
    const vpb_msg *m;
    vpb_schema *S = vpb_load_props(rt, "sink", name, props, &m);
    if (!S) return NULL;
    vpb_enc *x = vpb_enc_new(S, m, ncols, names, err, sizeof err);
    if (!x) {
        snprintf(msg, sizeof msg, "sink '%s': %s", name, err);
        velo_config_error(rt, msg);
        vpb_schema_free(S);
        return NULL;
    }
    x->owns_schema = 1;
    vpb_out *o = vpb_calloc(1, sizeof *o);
    o->rt = rt;
    o->op_id = op_id;
    o->enc = x;
    return o;
}

vpb_enc *vpb_out_enc(vpb_out *o)
{
    return o->enc;
}

int vpb_out_row(vpb_out *o, struct vkafka_out *k, velo_buf *file_buf)
{
    char why[300], buf[100];
    const char *key = NULL;
    size_t kn = 0;
    int nkeys = 0;
    const u8 *iskey = k ? vkafka_out_keys(k, &nkeys) : NULL;
    if (nkeys) { /* the key text, as for JSON rows: values joined by '|' */
        o->key.n = 0;
        int null_key = 0;
        for (int i = 1; i <= nkeys; i++)
            for (int c = 0; c < o->enc->ncols; c++) {
                if (iskey[c] != i) continue;
                if (i > 1) vbuf_putc(&o->key, '|');
                const vpb_slot *s = &o->enc->slots[c];
                null_key = nkeys == 1 && s->k == VS_NULL;
                if (s->k != VS_NULL) {
                    const char *p;
                    size_t n;
                    vpb_slot_text(s, &p, &n, buf);
                    vbuf_put(&o->key, p, n);
                }
            }
        if (!null_key) {
            key = o->key.n ? o->key.p : "";
            kn = o->key.n;
        }
    }
    o->msg.n = 0;
    if (vpb_enc_row(o->enc, &o->msg, why, sizeof why)) {
        velo_bad_record(o->rt, o->op_id, why);
        return -1;
    }
    if (k) {
        vkafka_out_msg(k, o->msg.n ? o->msg.p : "", o->msg.n, key, kn);
    } else {
        vpb_put_varint(file_buf, o->msg.n);
        vbuf_put(file_buf, o->msg.p, o->msg.n);
    }
    return 0;
}

void vpb_out_free(vpb_out *o)
{
    if (!o) return;
    vpb_enc_free(o->enc);
    vbuf_free(&o->msg);
    vbuf_free(&o->key);
    free(o);
}
