/*
 * catalog_proto.c -- format 'protobuf' at compile time (see catalog_proto.h).
 *
 * The .proto is read with libvelo's parser (vpb_schema_load), the same one a
 * job runs at start-up, and columns come from vpb_flatten, so an inferred
 * schema is exactly what the decoder fills. 'proto.file' is relative to the
 * .sql file; it is rewritten to an absolute path in the relation's
 * properties, which codegen hands to vsrc_open/vout_open, so a built job
 * finds its schema from any working directory.
 */
#include "catalog_proto.h"
#include "protobuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const catpb_keys[] = {"proto.file", "proto.message", "proto.decimal.scale", NULL};

int catpb_is_key(const char *key)
{
    return strncasecmp(key, "proto.", 6) == 0;
}

static SrcPos catpb_pos(const Relation *r, const char *key)
{
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (strcasecmp(p->key, key) == 0) return p->pos;
    }
    return r->pos;
}

static void catpb_set_prop(Catalog *c, Relation *r, const char *key, const char *value)
{
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (strcasecmp(p->key, key) == 0) {
            Property *q = ar_alloc(c->a, sizeof *q);
            *q = *p;
            q->value = value;
            r->props.v[i] = q;
        }
    }
}

static int catpb_is_system(const char *name)
{
    static const char *const sys[] = {"_KEY", "_PARTITION", "_OFFSET", "_TIMESTAMP", "_TOPIC", NULL};
    for (int i = 0; sys[i]; i++)
        if (strcasecmp(name, sys[i]) == 0) return 1;
    return strncasecmp(name, "_HEADER:", 8) == 0;
}

/* Rows of a length-delimited file: size / mean frame size of its head. */
static void catpb_estimate_rows(Relation *r)
{
    struct stat st;
    r->rows_source = "default";
    r->est_rows = 1000;
    if (stat(r->path, &st) != 0) return;
    r->file_bytes = (double)st.st_size;
    FILE *f = fopen(r->path, "rb");
    if (!f) return;
    enum { HEAD = 256 * 1024 };
    unsigned char *buf = malloc(HEAD);
    size_t n = buf ? fread(buf, 1, HEAD, f) : 0, pos = 0;
    fclose(f);
    double frames = 0;
    while (pos < n) {
        unsigned long long len = 0;
        int shift = 0;
        while (pos < n && shift < 64) {
            unsigned char b = buf[pos++];
            len |= (unsigned long long)(b & 0x7f) << shift;
            shift += 7;
            if (!(b & 0x80)) break;
        }
        if (len > n - pos) break;
        pos += len;
        frames++;
    }
    free(buf);
    if (frames > 0) {
        r->est_rows = pos >= (size_t)st.st_size ? frames : (double)st.st_size / ((double)pos / frames);
        r->rows_source = "stats";
    } else if (st.st_size == 0) {
        r->est_rows = 1;
        r->rows_source = "stats";
    }
}

int catpb_define(Catalog *c, Relation *r)
{
    int bad = 0, is_pb = r->format && strcasecmp(r->format, "protobuf") == 0;
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (!catpb_is_key(p->key)) continue;
        int known = 0;
        for (int k = 0; catpb_keys[k]; k++) known |= strcasecmp(p->key, catpb_keys[k]) == 0;
        if (!known) {
            diag_error(c->d, p->pos, diag_suggest(p->key, catpb_keys, 3), "unknown property '%s' for '%s'", p->key, r->name);
            bad = 1;
        } else if (!is_pb) {
            diag_error(c->d, p->pos, NULL, "'%s' needs 'format' = 'protobuf'", p->key);
            bad = 1;
        }
    }
    if (bad) return -1;
    if (!is_pb) return 0;
    if (r->kind == REL_STDOUT_SINK) {
        diag_error(c->d, catpb_pos(r, "format"), NULL, "format 'protobuf' is for files and Kafka topics, not stdout");
        return -1;
    }
    const char *file = cat_prop(r, "proto.file");
    if (!file || !*file) {
        diag_error(c->d, catpb_pos(r, "format"), NULL, "format 'protobuf' needs the property 'proto.file' (the .proto schema)");
        return -1;
    }
    if (file[0] != '/' && c->base_dir && c->base_dir[0]) {
        file = ar_printf(c->a, "%s/%s", c->base_dir, file);
        catpb_set_prop(c, r, "proto.file", file);
    }
    int scale = 2;
    const char *sc = cat_prop(r, "proto.decimal.scale");
    if (sc) {
        char *end;
        long v = strtol(sc, &end, 10);
        if (*end || end == sc || v < 0 || v > 18) {
            diag_error(c->d, catpb_pos(r, "proto.decimal.scale"), NULL, "'proto.decimal.scale' must be 0..18, got '%s'", sc);
            return -1;
        }
        scale = (int)v;
    }
    char err[800];
    vpb_schema *S = vpb_schema_load(file, err, sizeof err);
    if (!S) {
        diag_error(c->d, catpb_pos(r, "proto.file"), NULL, "proto.file: %s", err);
        return -1;
    }
    int rc = 1;
    const char *mname = cat_prop(r, "proto.message");
    const vpb_msg *m = vpb_find_msg(S, mname, err, sizeof err);
    if (!m) {
        /* did-you-mean on short names, shown as the full name */
        const char *const *names = vpb_msg_names(S);
        int n = 0;
        while (names[n]) n++;
        const char **shorts = ar_alloc(c->a, sizeof(char *) * (size_t)(n + 1));
        for (int i = 0; i < n; i++) shorts[i] = strrchr(names[i], '.') ? strrchr(names[i], '.') + 1 : names[i];
        const char *m0 = mname ? (strrchr(mname, '.') ? strrchr(mname, '.') + 1 : mname) : NULL;
        const char *hint = m0 ? diag_suggest(m0, shorts, n) : NULL;
        for (int i = 0; hint && i < n; i++)
            if (shorts[i] == hint) hint = names[i];
        diag_error(c->d, catpb_pos(r, mname ? "proto.message" : "proto.file"), hint ? ar_strdup(c->a, hint) : NULL, "proto.message: %s",
                   err);
        rc = -1;
        goto out;
    }
    const vpb_col *flat;
    int nflat = vpb_flatten(S, m, &flat);
    int is_src = r->kind == REL_FILE_SOURCE || r->kind == REL_KAFKA_SOURCE;
    if (r->ncols == 0 && is_src) { /* the message's fields become the columns */
        int n = 0;
        for (int i = 0; i < nflat; i++) n += flat[i].infer;
        if (n == 0) {
            diag_error(c->d, r->pos, NULL, "message '%s' has no fields to read", m->full);
            rc = -1;
            goto out;
        }
        r->cols = ar_alloc(c->a, sizeof(Column) * (size_t)n);
        r->ncols = 0;
        for (int i = 0; i < nflat; i++) {
            if (!flat[i].infer) continue;
            Column *col = &r->cols[r->ncols];
            memset(col, 0, sizeof *col);
            col->name = ar_strdup(c->a, flat[i].name);
            if (cat_column_index(r, col->name) >= 0) {
                diag_error(c->d, r->pos, NULL, "message '%s': column name '%s' occurs twice after flattening; declare the columns", m->full,
                           col->name);
                rc = -1;
                goto out;
            }
            col->type = flat[i].sqltype == VT_DECIMAL ? ty_decimal(18, scale) : ty_make(flat[i].sqltype);
            r->ncols++;
        }
    } else {
        const char **cands = ar_alloc(c->a, sizeof(char *) * (size_t)(nflat + 1));
        for (int i = 0; i < nflat; i++) cands[i] = flat[i].name;
        for (int i = 0; i < r->ncols; i++) {
            const char *name = r->cols[i].name;
            if (r->kind == REL_KAFKA_SOURCE && catpb_is_system(name)) continue;
            if (r->cols[i].hidden) continue;
            const vpb_col *col = vpb_col_find(flat, nflat, name);
            const char *hint = diag_suggest(name, cands, nflat);
            if (!col) {
                diag_error(c->d, r->pos, hint ? ar_strdup(c->a, hint) : NULL, "column '%s' of '%s' is not a field of message '%s'", name,
                           r->name, m->full);
                rc = -1;
            } else if (!is_src && (col->how == VPB_H_JSON || col->how == VPB_H_MAP)) {
                diag_error(c->d, r->pos, NULL, "column '%s' of '%s': writing %s field '%s' is not supported", name, r->name,
                           col->how == VPB_H_MAP ? "map" : "message", col->path[col->depth]->name);
                rc = -1;
            }
        }
    }
    if (rc > 0 && r->kind == REL_FILE_SOURCE) {
        catpb_estimate_rows(r);
        const char *decl = cat_prop(r, "stats.rows");
        if (decl) {
            r->est_rows = atof(decl);
            r->rows_source = "declared";
        }
    }
out:
    vpb_schema_free(S);
    return rc;
}
