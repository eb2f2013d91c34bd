/*
 * config_yaml.c -- 'config_file' = 'x.yaml': properties of a source or sink
 * read from a YAML file at compile time (libyaml: a YAML parser is not
 * something to hand-write -- quoting styles, block and flow collections,
 * anchors, multi-line scalars and the error positions all come with it).
 *
 *   bootstrap.servers: ${KAFKA_BROKERS:-localhost:9092}   # plain keys:
 *   scan.bounded.mode: latest-offset                     #   properties
 *   consumer_config:                                     # kafka_source:
 *     fetch.min.bytes: 65536                             #   'kafka.<key>'
 *     security: {protocol: PLAINTEXT}                    # nested maps: dotted keys
 *   producer_config:                                     # kafka_sink:
 *     linger.ms: 20                                      #   'kafka.<key>'
 *
 * ${VAR} and ${VAR:-default} are replaced from the environment (an unset
 * ${VAR} without a default is an error). A sequence of scalars becomes a
 * comma-separated value. Properties written in the WITH clause win over the
 * file's. The properties from the file are then validated like the others;
 * Property.origin ("x.yaml:LINE:COL") lets the errors say where they came from.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

typedef struct Cy {
    Catalog *c;
    SrcPos pos;       /* of the 'config_file' property */
    const char *path; /* as written, for messages */
    yaml_document_t doc;
    PtrVec *out;       /* Property* from the file */
    const PtrVec *own; /* the relation's WITH properties (they win) */
    int errors;
} Cy;

static void cy_err(Cy *y, const yaml_node_t *n, const char *msg)
{
    if (n) diag_error(y->c->d, y->pos, NULL, "%s:%d:%d: %s", y->path, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, msg);
    else diag_error(y->c->d, y->pos, NULL, "%s: %s", y->path, msg);
    y->errors++;
}

/* ${VAR} and ${VAR:-default}; NULL after an error. */
static const char *cy_subst(Cy *y, const yaml_node_t *n, const char *s)
{
    if (!strstr(s, "${")) return s;
    StrBuf b;
    sb_init(&b);
    const char *p = s;
    while (*p) {
        if (p[0] != '$' || p[1] != '{') {
            sb_add(&b, p++, 1);
            continue;
        }
        const char *e = strchr(p + 2, '}');
        if (!e) {
            cy_err(y, n, ar_printf(y->c->a, "unterminated '${' in '%s'", s));
            sb_free(&b);
            return NULL;
        }
        const char *name = p + 2, *dflt = NULL;
        const char *colon = memchr(name, ':', (size_t)(e - name));
        size_t nl = (size_t)((colon ? colon : e) - name);
        if (colon) {
            if (colon[1] != '-') {
                cy_err(y, n, ar_printf(y->c->a, "expected ${VAR} or ${VAR:-default} in '%s'", s));
                sb_free(&b);
                return NULL;
            }
            dflt = colon + 2;
        }
        char *var = ar_strndup(y->c->a, name, nl);
        const char *v = getenv(var);
        if (v && *v) sb_puts(&b, v);
        else if (dflt) sb_add(&b, dflt, (size_t)(e - dflt));
        else if (v)
            ; /* set and empty, no default: empty */
        else {
            cy_err(y, n, ar_printf(y->c->a, "environment variable '%s' is not set (write ${%s:-default} for a default)", var, var));
            sb_free(&b);
            return NULL;
        }
        p = e + 1;
    }
    const char *r = ar_strdup(y->c->a, b.p ? b.p : "");
    sb_free(&b);
    return r;
}

static int cy_own(const PtrVec *own, const char *key)
{
    for (int i = 0; i < own->n; i++)
        if (strcasecmp(((Property *)own->v[i])->key, key) == 0) return 1;
    return 0;
}

static void cy_add(Cy *y, const yaml_node_t *kn, const char *key, const char *value)
{
    if (cy_own(y->own, key)) return; /* the WITH clause wins */
    if (!strcasecmp(key, "type")) {
        cy_err(y, kn, "'type' must be written in the WITH clause, not in a config_file");
        return;
    }
    for (int i = 0; i < y->out->n; i++)
        if (strcasecmp(((Property *)y->out->v[i])->key, key) == 0) {
            cy_err(y, kn, ar_printf(y->c->a, "'%s' is set twice", key));
            return;
        }
    Property *p = ar_alloc(y->c->a, sizeof *p);
    p->key = ar_strdup(y->c->a, key); /* the YAML document is freed after loading */
    p->value = ar_strdup(y->c->a, value);
    p->pos = y->pos;
    p->origin = ar_printf(y->c->a, "%s:%d:%d", y->path, (int)kn->start_mark.line + 1, (int)kn->start_mark.column + 1);
    pv_push(y->c->a, y->out, p);
}

static const char *cy_scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* key (already prefixed) = node: scalars, sequences of scalars, nested maps */
static void cy_value(Cy *y, const yaml_node_t *kn, const char *key, yaml_node_t *v)
{
    if (!v) return;
    if (v->type == YAML_SCALAR_NODE) {
        const char *s = cy_subst(y, v, cy_scalar(v));
        if (s) cy_add(y, kn, key, s);
        return;
    }
    if (v->type == YAML_SEQUENCE_NODE) {
        StrBuf b;
        sb_init(&b);
        int i = 0;
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++, i++) {
            yaml_node_t *e = yaml_document_get_node(&y->doc, *it);
            if (!e || e->type != YAML_SCALAR_NODE) {
                cy_err(y, e ? e : v, ar_printf(y->c->a, "'%s': a list may hold only plain values", key));
                sb_free(&b);
                return;
            }
            const char *s = cy_subst(y, e, cy_scalar(e));
            if (!s) {
                sb_free(&b);
                return;
            }
            sb_printf(&b, "%s%s", i ? "," : "", s);
        }
        cy_add(y, kn, key, ar_strdup(y->c->a, b.p ? b.p : ""));
        sb_free(&b);
        return;
    }
    /* mapping: nested keys joined with dots */
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
        if (!k || k->type != YAML_SCALAR_NODE) {
            cy_err(y, k ? k : v, "a key must be a plain value");
            continue;
        }
        cy_value(y, k, ar_printf(y->c->a, "%s.%s", key, cy_scalar(k)), yaml_document_get_node(&y->doc, pr->value));
    }
}

int cat_config_file(Catalog *c, RelKind kind, const char *rel, Property *cfg, const char *abs_path, PtrVec *own, PtrVec *out)
{
    Cy y;
    memset(&y, 0, sizeof y);
    y.c = c;
    y.pos = cfg->pos;
    y.path = cfg->value;
    y.out = out;
    y.own = own;
    FILE *f = fopen(abs_path, "rb");
    if (!f) {
        diag_error(c->d, cfg->pos, NULL, "cannot read config_file '%s' of '%s'", abs_path, rel);
        return -1;
    }
    yaml_parser_t ps;
    yaml_parser_initialize(&ps);
    yaml_parser_set_input_file(&ps, f);
    if (!yaml_parser_load(&ps, &y.doc)) {
        diag_error(c->d, cfg->pos, NULL, "%s:%d:%d: invalid YAML: %s%s%s", cfg->value, (int)ps.problem_mark.line + 1,
                   (int)ps.problem_mark.column + 1, ps.problem ? ps.problem : "parse error", ps.context ? " " : "",
                   ps.context ? ps.context : "");
        yaml_parser_delete(&ps);
        fclose(f);
        return -1;
    }
    yaml_parser_delete(&ps);
    fclose(f);
    yaml_node_t *root = yaml_document_get_root_node(&y.doc);
    int is_kafka = kind == REL_KAFKA_SOURCE || kind == REL_KAFKA_SINK;
    if (root && !(root->type == YAML_SCALAR_NODE && !*cy_scalar(root))) {
        if (root->type != YAML_MAPPING_NODE) {
            cy_err(&y, root, "expected a mapping of property names to values");
        } else {
            for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
                yaml_node_t *k = yaml_document_get_node(&y.doc, pr->key);
                yaml_node_t *v = yaml_document_get_node(&y.doc, pr->value);
                if (!k || k->type != YAML_SCALAR_NODE) {
                    cy_err(&y, k ? k : root, "a key must be a plain value");
                    continue;
                }
                const char *key = cy_scalar(k);
                int consumer = !strcmp(key, "consumer_config"), producer = !strcmp(key, "producer_config");
                if (consumer || producer) {
                    if (!is_kafka) {
                        cy_err(&y, k, ar_printf(c->a, "'%s' applies to Kafka sources and sinks only; '%s' is not one", key, rel));
                        continue;
                    }
                    if (consumer != (kind == REL_KAFKA_SOURCE)) continue; /* the other side's section */
                    if (!v || v->type != YAML_MAPPING_NODE) {
                        cy_err(&y, v ? v : k, ar_printf(c->a, "'%s' must be a mapping of librdkafka properties", key));
                        continue;
                    }
                    for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
                        yaml_node_t *k2 = yaml_document_get_node(&y.doc, q->key);
                        if (!k2 || k2->type != YAML_SCALAR_NODE) {
                            cy_err(&y, k2 ? k2 : v, "a key must be a plain value");
                            continue;
                        }
                        cy_value(&y, k2, ar_printf(c->a, "kafka.%s", cy_scalar(k2)), yaml_document_get_node(&y.doc, q->value));
                    }
                    continue;
                }
                if (!strcasecmp(key, "config_file")) {
                    cy_err(&y, k, "a config_file cannot name another config_file");
                    continue;
                }
                cy_value(&y, k, key, v);
            }
        }
    }
    yaml_document_delete(&y.doc);
    return y.errors ? -1 : 0;
}
