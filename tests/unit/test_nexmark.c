/*
 * test_nexmark.c -- the NEXMark event model (runtime/nexmark.c): the 1:3:46
 * mix, ids and event times, determinism per event, the recorded field spans
 * against a split of the same CSV record, and records in the three formats
 * carrying the same values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nexmark.h"

static vnx_gen *gen_new(int fmt, int64_t rate)
{
    vnx_gen *g = malloc(sizeof *g);
    assert_non_null(g);
    vnx_init(g, fmt, rate, VNX_BASE_MS, 1, 0);
    return g;
}

/* Field i (0-based) of a CSV record without quotes, as a new string. */
static char *csv_field(const char *rec, int i)
{
    const char *p = rec;
    for (; i > 0; i--) p = strchr(p, ',') + 1;
    size_t n = strcspn(p, ",\n");
    char *out = malloc(n + 1);
    memcpy(out, p, n);
    out[n] = 0;
    return out;
}

static void test_mix_and_ids(void **state)
{
    (void)state;
    int count[VNX_NKINDS] = {0};
    for (int64_t n = 0; n < 5000; n++) count[vnx_kind(n)]++;
    assert_int_equal(count[VNX_PERSON], 100);
    assert_int_equal(count[VNX_AUCTION], 300);
    assert_int_equal(count[VNX_BID], 4600);
    assert_int_equal(vnx_kind(0), VNX_PERSON);
    assert_int_equal(vnx_kind(1), VNX_AUCTION);
    assert_int_equal(vnx_kind(3), VNX_AUCTION);
    assert_int_equal(vnx_kind(4), VNX_BID);
    assert_int_equal(vnx_kind(50), VNX_PERSON);

    vnx_gen *g = gen_new(VNX_CSV, 1000);
    char rec[VNX_RECORD_MAX];
    rec[vnx_write(g, 100, rec)] = 0; /* the third person */
    char *id = csv_field(rec, 0);
    assert_string_equal(id, "1002");
    free(id);
    rec[vnx_write(g, 52, rec)] = 0; /* epoch 1, second auction: 3 * 1 + 1 + 1000 */
    id = csv_field(rec, 0);
    assert_string_equal(id, "1004");
    free(id);
    /* event time: base + n / rate seconds */
    assert_int_equal(vnx_event_ms(g, 0), VNX_BASE_MS);
    assert_int_equal(vnx_event_ms(g, 1500), VNX_BASE_MS + 1500);
    free(g);
}

/* The same event written twice, or by another generator, is the same record. */
static void test_deterministic(void **state)
{
    (void)state;
    vnx_gen *a = gen_new(VNX_CSV, 10000), *b = gen_new(VNX_CSV, 10000);
    char ra[VNX_RECORD_MAX], rb[VNX_RECORD_MAX];
    size_t na = vnx_write(a, 123456, ra);
    for (int64_t n = 0; n < 100; n++) vnx_write(b, n, rb); /* other events first */
    size_t nb = vnx_write(b, 123456, rb);
    assert_int_equal(na, nb);
    assert_memory_equal(ra, rb, na);
    assert_int_equal(ra[na - 1], '\n');
    free(a);
    free(b);
}

/* VNX_FIELDS writes the CSV record and records where each field ends. */
static void test_field_spans(void **state)
{
    (void)state;
    vnx_gen *csv = gen_new(VNX_CSV, 10000), *spans = gen_new(VNX_FIELDS, 10000);
    static const int nfields[VNX_NKINDS] = {8, 10, 7};
    char rc[VNX_RECORD_MAX + 1], rs[VNX_RECORD_MAX + 1];
    for (int64_t n = 0; n < 2000; n++) {
        size_t nc = vnx_write(csv, n, rc), ns = vnx_write(spans, n, rs);
        rc[nc] = rs[ns] = 0;
        assert_string_equal(rc, rs);
        assert_int_equal(spans->nf, nfields[vnx_kind(n)]);
        const char *start = rs;
        for (int i = 0; i < spans->nf; i++) {
            char *want = csv_field(rc, i);
            assert_int_equal((size_t)(spans->fend[i] - start), strlen(want));
            assert_memory_equal(start, want, strlen(want));
            free(want);
            start = spans->fend[i] + 1;
        }
        assert_int_equal(*spans->fend[spans->nf - 1], '\n');
    }
    free(csv);
    free(spans);
}

/* A bid in JSON Lines carries the CSV record's values under its keys. */
static void test_jsonl_matches_csv(void **state)
{
    (void)state;
    vnx_gen *csv = gen_new(VNX_CSV, 10000), *js = gen_new(VNX_JSONL, 10000);
    char rc[VNX_RECORD_MAX + 1], rj[VNX_RECORD_MAX + 1];
    rc[vnx_write(csv, 7, rc)] = 0;
    rj[vnx_write(js, 7, rj)] = 0;
    char *auction = csv_field(rc, 0), *channel = csv_field(rc, 3), *when = csv_field(rc, 5);
    char want[256];
    snprintf(want, sizeof want, "{\"auction\":%s,", auction);
    assert_memory_equal(rj, want, strlen(want));
    snprintf(want, sizeof want, "\"channel\":\"%s\"", channel);
    assert_non_null(strstr(rj, want));
    snprintf(want, sizeof want, "\"date_time\":\"%s\"", when);
    assert_non_null(strstr(rj, want));
    free(auction);
    free(channel);
    free(when);
    free(csv);
    free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mix_and_ids),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_field_spans),
        cmocka_unit_test(test_jsonl_matches_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
