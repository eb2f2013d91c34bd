/*
 * protobuf.h -- Protobuf as a record format (runtime/protobuf.c, prefix vpb_):
 * a parser for the user's .proto files (proto2/proto3), the mapping of a
 * message to relation columns (shared by veloc's catalog and the runtime, so
 * both derive the same schema), a decoder that fills vfield spans of the
 * columns a query reads, and an encoder for sinks. See docs/PROTOBUF.md.
 *
 * Internal to libvelo and veloc (not part of velo.h).
 */
#ifndef VELO_PROTOBUF_H
#define VELO_PROTOBUF_H

#include "velo_internal.h"

/* Field types, numbered as in google/protobuf/descriptor.proto. */
enum {
    VPB_DOUBLE = 1,
    VPB_FLOAT,
    VPB_INT64,
    VPB_UINT64,
    VPB_INT32,
    VPB_FIXED64,
    VPB_FIXED32,
    VPB_BOOL,
    VPB_STRING,
    VPB_GROUP,
    VPB_MESSAGE,
    VPB_BYTES,
    VPB_UINT32,
    VPB_ENUM,
    VPB_SFIXED32,
    VPB_SFIXED64,
    VPB_SINT32,
    VPB_SINT64
};
/* Messages with a meaning of their own. */
enum { VPB_SP_NONE, VPB_SP_DECIMAL, VPB_SP_TIMESTAMP };

typedef struct vpb_enum {
    const char *full; /* package.Outer.Name */
    int n;
    const char **names;
    int *nums;
} vpb_enum;

typedef struct vpb_msg vpb_msg;

typedef struct vpb_field {
    const char *name;
    int num;
    u8 type; /* VPB_* */
    u8 repeated;
    u8 presence;               /* explicit presence: absent means NULL */
    u8 packed;                 /* encode repeated scalars packed */
    int oneof;                 /* index into the message's oneofs, or -1 */
    const char *tname, *scope; /* type name as written; scope for resolution */
    vpb_msg *msg;              /* resolved message (VPB_MESSAGE) */
    vpb_enum *en;              /* resolved enum (VPB_ENUM) */
} vpb_field;

struct vpb_msg {
    const char *full, *name;
    vpb_field *f;
    int nf, cap;
    int noneofs;
    u8 special;               /* VPB_SP_* */
    u8 map_entry;             /* synthesized for map<K,V>: key = 1, value = 2 */
    u8 top;                   /* top-level message of the main file */
    int dec_units, dec_scale; /* Decimal: field indices of units and scale */
};

typedef struct vpb_schema vpb_schema;

/* Parses path and its imports. NULL with a "file:line:col: message" in err. */
vpb_schema *vpb_schema_load(const char *path, char *err, size_t errn);
void vpb_schema_free(vpb_schema *s);
/* A message by full name (leading '.' allowed) or unique short name; name
 * NULL: the only top-level message of the main file. NULL with err set. */
const vpb_msg *vpb_find_msg(const vpb_schema *s, const char *name, char *err, size_t errn);
/* Names of all messages (for did-you-mean), NULL-terminated, in the schema. */
const char *const *vpb_msg_names(const vpb_schema *s);

/* ---- message -> columns ------------------------------------------------- */
enum { VPB_H_SCALAR, VPB_H_ENUM, VPB_H_DECIMAL, VPB_H_TIMESTAMP, VPB_H_JSON, VPB_H_REPEATED, VPB_H_MAP };
enum { VPB_MAXDEPTH = 3 };

typedef struct vpb_col {
    const char *name; /* field names joined by '_' */
    int depth;        /* path[0..depth] */
    const vpb_field *path[VPB_MAXDEPTH];
    u8 how;     /* VPB_H_* */
    u8 sqltype; /* VT_* */
    u8 infer;   /* part of the schema inferred when no columns are declared */
} vpb_col;

/* Every addressable column of m (up to VPB_MAXDEPTH levels); the array lives
 * in the schema. Returns the count. */
int vpb_flatten(vpb_schema *s, const vpb_msg *m, const vpb_col **out);
/* Column for a declared name (case-insensitive, '.' same as '_'), or NULL. */
const vpb_col *vpb_col_find(const vpb_col *cols, int n, const char *name);

/* ---- decoder -------------------------------------------------------------- */
typedef struct vpb_dec vpb_dec;
/* cols[i] with needed[i] (NULL: all) are decoded; names not in the message
 * and not in skip_sys (Kafka system columns, already removed by kafka.c) are
 * an error. */
vpb_dec *vpb_dec_new(vpb_schema *s, const vpb_msg *m, int ncols, const char *const *cols, const u8 *needed, char *err, size_t errn);
/* One message p[0..n) into f[0..ncols). 0 ok; -1 malformed, why set. Strings
 * point into p; other text into rt->tmp and buffers of d (valid until the
 * next call). */
int vpb_decode(vpb_dec *d, velo_rt *rt, const u8 *p, size_t n, vfield *f, char *why, size_t whyn);
void vpb_dec_free(vpb_dec *d);

/* Source glue (source.c, kafka.c): framed = varint length-delimited file;
 * otherwise buf[pos..end) is one message (a Kafka value). */
int vpb_src_open(velo_src *s, const char *name, const char *const *props, int framed);
int vpb_src_next(velo_src *s, vfield *f);
void vpb_src_close(velo_src *s);

/* ---- encoder -------------------------------------------------------------- */
typedef struct vpb_enc vpb_enc;
vpb_enc *vpb_enc_new(vpb_schema *s, const vpb_msg *m, int ncols, const char *const *names, char *err, size_t errn);
void vpb_enc_null(vpb_enc *e, int col);
void vpb_enc_bool(vpb_enc *e, int col, int v);
void vpb_enc_i64(vpb_enc *e, int col, i64 v);
void vpb_enc_f64(vpb_enc *e, int col, double v);
void vpb_enc_dec(vpb_enc *e, int col, i64 v, int scale);
void vpb_enc_str(vpb_enc *e, int col, vstr v);
void vpb_enc_ts(vpb_enc *e, int col, i64 v);
/* Encodes the row set so far (unset columns are NULL) and clears it. The
 * message is out->p[start..out->n). 0 ok, -1 with why (value does not fit). */
int vpb_enc_row(vpb_enc *e, velo_buf *out, char *why, size_t whyn);
void vpb_enc_free(vpb_enc *e);

/* Sink glue (sink.c): one per protobuf sink. kafka: rows go to this producer. */
typedef struct vpb_out vpb_out;
struct vkafka_out;
vpb_out *vpb_out_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *names);
vpb_enc *vpb_out_enc(vpb_out *o);
/* Ends a row: file sinks get varint length + message appended to file_buf;
 * Kafka sinks produce it (key from 'key.columns'). A row that cannot be
 * encoded is a bad record. */
int vpb_out_row(vpb_out *o, struct vkafka_out *k, velo_buf *file_buf); /* 0 ok, -1 bad row */
void vpb_out_free(vpb_out *o);

/* Wire helpers (tests, producers). */
void vpb_put_varint(velo_buf *b, u64 v);

#endif
