/*
 * catalog.h -- the names a script defines: sources and sinks with their
 * schemas and properties. Schemas are declared (CREATE STREAM t (...)) or
 * inferred at compile time by sampling the file (VeloStream CREATE ... AS
 * SELECT form). Each connector's properties are validated here, with a
 * did-you-mean suggestion for a misspelled key.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include "ast.h"
#include "diag.h"
#include "types.h"

typedef struct Column {
    const char *name;
    TypeSpec type;
    int primary_key;
    int hidden; /* a system column (_KEY, _OFFSET, ...): readable by name, not in SELECT * */
} Column;

typedef enum RelKind {
    REL_FILE_SOURCE,
    REL_FILE_SINK,
    REL_STDOUT_SINK,
    REL_KAFKA_SOURCE,
    REL_KAFKA_SINK,
    REL_NEXMARK_SOURCE /* the NEXMark generator in the job (runtime/nexmark.c) */
} RelKind;

typedef struct Relation {
    const char *name;
    SrcPos pos;
    int is_table;
    RelKind kind;
    int ncols;
    Column *cols;
    PtrVec props;       /* Property*, keys without the name prefix */
    const char *path;   /* absolute path for file connectors */
    const char *format; /* csv | jsonl | json */
    /* statistics for the optimizer */
    double est_rows; /* estimated records; < 0 unknown */
    double file_bytes;
    const char *rows_source; /* "stats" (sampled), "declared" or "default" */
    double *ndv;             /* per column distinct values; < 0 unknown */
    const char **ndv_source; /* per column: "stats", "declared" or "default" */
    /* per column: the least and greatest value of a number or timestamp
     * column, as ty_text_value gives them (DECIMAL in units, TIMESTAMP in
     * microseconds); range_source NULL when unknown, else "stats" (the
     * sample's extremes) or "declared" ('stats.min.<col>', 'stats.max.<col>') */
    double *lo, *hi;
    const char **range_source;
    double *avg_len; /* per column: mean length of its sampled non-empty text; < 0 unknown */
    /* the sampled CSV or JSON Lines records, row by row:
     * sample[row * sample_cols + col] is the field's text, NULL for an
     * empty unquoted CSV field or a JSON null (columns added later, hidden
     * ones, have none); see optimizer/sample.c */
    const char **sample;
    int nsample, sample_cols;
} Relation;

typedef struct Catalog {
    Arena *a;
    Diag *d;
    const char *base_dir; /* directory of the .sql file: relative paths resolve here */
    PtrVec rels;          /* Relation* */
    PtrVec failed;        /* names whose definition already reported an error */
} Catalog;

void cat_init(Catalog *c, Arena *a, Diag *d, const char *base_dir);
Relation *cat_find(Catalog *c, const char *name);
/* Whether defining name failed (its uses then report nothing more). */
int cat_failed(Catalog *c, const char *name);
const char *cat_suggest(Catalog *c, const char *name);
/* Build a relation from a name, declared columns (may be empty: infer) and
 * its own properties; validates properties, resolves the path, samples the
 * file for the schema and statistics. NULL after reporting errors. */
Relation *cat_define(Catalog *c, const char *name, SrcPos pos, int is_table, PtrVec *columns, PtrVec *props, int want_sink);
const char *cat_prop(const Relation *r, const char *key);  /* NULL if absent */
int cat_column_index(const Relation *r, const char *name); /* case-insensitive, -1 */
/* Append a hidden column (e.g. a Kafka header `_HEADER:x`) unless it exists;
 * returns its index. */
int cat_add_hidden(Catalog *c, Relation *r, const char *name, TypeSpec type);
/* Whether a source never ends: a Kafka topic without 'scan.bounded.mode',
 * a file with 'watching' = 'true', a NEXMark source without 'nexmark.events'. */
int cat_unbounded(const Relation *r);
/* Whether r is read by the job (a file, Kafka or NEXMark source). */
int cat_is_source(const Relation *r);
/* config_yaml.c: the properties of 'config_file' (abs_path) for relation rel
 * of kind kind, appended to *out as Property* with origin set; keys present
 * in *own are skipped. 0, or -1 after reporting errors. */
int cat_config_file(Catalog *c, RelKind kind, const char *rel, Property *cfg, const char *abs_path, PtrVec *own, PtrVec *out);
/* A note saying where property p came from, if from a config file. */
void cat_origin_note(Catalog *c, const Property *p);

#endif
