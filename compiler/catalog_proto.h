/*
 * catalog_proto.h -- compile-time side of format 'protobuf' (catalog_proto.c,
 * prefix catpb_): the proto.* properties, the user's .proto (parsed by the
 * runtime's own parser, runtime/protobuf.c, so veloc and a job agree on the
 * columns), derived or checked columns, row estimates. docs/PROTOBUF.md.
 */
#ifndef CATALOG_PROTO_H
#define CATALOG_PROTO_H

#include "catalog.h"

/* Called by cat_define for every relation once its columns and path are set.
 * Returns 0 when the relation is not protobuf (after rejecting stray proto.*
 * keys), 1 when it is and all is well ('proto.file' rewritten to an absolute
 * path; columns derived when none were declared; file rows estimated), -1
 * after reporting errors. */
int catpb_define(Catalog *c, Relation *r);
/* Whether key is a property catpb_define checks (proto.*). */
int catpb_is_key(const char *key);

#endif
