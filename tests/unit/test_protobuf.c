/*
 * test_protobuf.c -- the protobuf format (runtime/protobuf.c) against
 * protobuf-c, an independent implementation: random shop.Order messages
 * packed by protoc-c generated code (tests/proto/gen, from
 * tests/proto/orders.proto) must decode to the same values; rows encoded
 * as shop.Summary must unpack in protobuf-c to what was put in; mutated
 * messages never crash the decoder; .proto parse errors carry a position.
 * Links -lprotobuf-c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protobuf.h"

#include "../proto/gen/google/protobuf/timestamp.pb-c.c"
#include "../proto/gen/orders.pb-c.c"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static int64_t rin(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static const char *const words[] = {"", "a", "b\"q", "caf\xc3\xa9", "delta", "x y"};
static const char *const stn[] = {"STATUS_UNKNOWN", "NEW", "PAID", "SHIPPED"};

static velo_rt *new_rt(void)
{
    velo_opts o = {.format = "jsonl", .quiet = 1};
    return velo_rt_new(&o);
}

static vpb_schema *load(const char *path)
{
    char err[500];
    vpb_schema *s = vpb_schema_load(path, err, sizeof err);
    if (!s) fail_msg("%s", err);
    return s;
}

static void eq(const vfield *f, const char *want, const char *what, int i)
{
    if (!want) {
        if (f->kind != VF_NULL) fail_msg("message %d, %s: want NULL, got '%.*s'", i, what, (int)f->n, f->p);
        return;
    }
    if (f->kind == VF_NULL || (size_t)f->n != strlen(want) || memcmp(f->p, want, (size_t)f->n))
        fail_msg("message %d, %s: want '%s', got %s'%.*s'", i, what, want, f->kind == VF_NULL ? "NULL " : "", (int)f->n, f->p ? f->p : "");
}

/* Random messages packed by protobuf-c decode to the same values. */
static void test_decode_vs_protobuf_c(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    vpb_schema *S = load("tests/proto/orders.proto");
    char err[300];
    const vpb_msg *m = vpb_find_msg(S, "shop.Order", err, sizeof err);
    assert_non_null(m);
    const char *cols[] = {"id",   "customer", "status", "amount", "ts",   "ship_city", "ship.zip", "tags", "qty", "card",
                          "iban", "priority", "attrs",  "weight", "gift", "delta",     "blob",     "big",  "f32", "sf64"};
    enum { NC = sizeof cols / sizeof cols[0] };
    vpb_dec *d = vpb_dec_new(S, m, NC, cols, NULL, err, sizeof err);
    assert_non_null(d);
    vfield f[NC];
    for (int i = 0; i < 3000; i++) {
        Shop__Order o = SHOP__ORDER__INIT;
        Shop__Decimal amt = SHOP__DECIMAL__INIT;
        Google__Protobuf__Timestamp ts = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
        Shop__Address ad = SHOP__ADDRESS__INIT;
        char *tags[3];
        int32_t qty[4];
        Shop__Order__AttrsEntry ents[2], *pents[2];
        o.id = (int64_t)(rnd() >> rin(0, 63)) * (rnd() % 2 ? 1 : -1);
        o.customer = (char *)words[rnd() % 6];
        o.status = (Shop__Status)(rnd() % 4);
        if (rnd() % 4) {
            amt.units = (int64_t)(rnd() >> rin(1, 63)) * (rnd() % 2 ? 1 : -1);
            amt.scale = (int32_t)rin(0, 18);
            o.amount = &amt;
        }
        if (rnd() % 4) {
            ts.seconds = rin(-2000000000LL, 4000000000LL);
            ts.nanos = (int32_t)(rin(0, 999999) * 1000);
            o.ts = &ts;
        }
        if (rnd() % 3) {
            ad.city = (char *)words[rnd() % 6];
            ad.zip = (char *)words[rnd() % 6];
            o.ship = &ad;
        }
        o.n_tags = (size_t)rin(0, 3);
        for (size_t k = 0; k < o.n_tags; k++) tags[k] = (char *)words[1 + rnd() % 5];
        o.tags = tags;
        o.n_qty = (size_t)rin(0, 4);
        for (size_t k = 0; k < o.n_qty; k++) qty[k] = (int32_t)(rnd() >> 32);
        o.qty = qty;
        int pay = (int)(rnd() % 3);
        if (pay == 1) {
            o.payment_case = SHOP__ORDER__PAYMENT_CARD;
            o.card = (char *)words[rnd() % 6];
        } else if (pay == 2) {
            o.payment_case = SHOP__ORDER__PAYMENT_IBAN;
            o.iban = (char *)words[rnd() % 6];
        }
        if (rnd() % 2) {
            o.opt_priority_case = SHOP__ORDER__OPT_PRIORITY_PRIORITY;
            o.priority = (int32_t)(rnd() >> 32);
        }
        o.n_attrs = (size_t)rin(0, 2);
        for (size_t k = 0; k < o.n_attrs; k++) {
            Shop__Order__AttrsEntry e = SHOP__ORDER__ATTRS_ENTRY__INIT;
            e.key = k ? "k1" : "k0";
            e.value = (int64_t)rnd();
            ents[k] = e;
            pents[k] = &ents[k];
        }
        o.attrs = pents;
        o.weight = (float)(rnd() % 1000) / 8;
        o.gift = rnd() % 2;
        o.delta = (int64_t)rnd();
        o.blob.data = (uint8_t *)"\x00\x01\xff";
        o.blob.len = rnd() % 4;
        o.big = rnd();
        o.f32 = (uint32_t)rnd();
        o.sf64 = (int64_t)rnd();
        size_t len = shop__order__get_packed_size(&o);
        uint8_t *buf = malloc(len + 1);
        shop__order__pack(&o, buf);
        va_reset(&rt->tmp);
        if (vpb_decode(d, rt, buf, len, f, err, sizeof err)) fail_msg("message %d: %s", i, err);
        char w[400], *p;
        snprintf(w, sizeof w, "%" PRId64, o.id);
        eq(&f[0], w, "id", i);
        eq(&f[1], o.customer, "customer", i);
        eq(&f[2], stn[o.status], "status", i);
        if (o.amount) { /* exact: units * 10^-scale */
            char dig[32];
            uint64_t mag = amt.units < 0 ? 0 - (uint64_t)amt.units : (uint64_t)amt.units;
            int nd = snprintf(dig, sizeof dig, "%" PRIu64, mag), s = amt.scale;
            p = w + sprintf(w, "%s", amt.units < 0 ? "-" : "");
            if (s == 0) sprintf(p, "%s", dig);
            else if (nd <= s) sprintf(p, "0.%.*s%s", s - nd, "000000000000000000", dig);
            else sprintf(p, "%.*s.%s", nd - s, dig, dig + nd - s);
            eq(&f[3], w, "amount", i);
        } else {
            eq(&f[3], NULL, "amount", i);
        }
        if (o.ts) {
            i64 us;
            assert_int_equal(vt_parse(f[4].p, f[4].n, &us), 0);
            assert_true(us == ts.seconds * 1000000 + ts.nanos / 1000);
        } else {
            eq(&f[4], NULL, "ts", i);
        }
        eq(&f[5], o.ship ? ad.city : NULL, "ship_city", i);
        eq(&f[6], o.ship ? ad.zip : NULL, "ship.zip", i);
        velo_buf jb = {0};
        vbuf_putc(&jb, '[');
        for (size_t k = 0; k < o.n_tags; k++) {
            if (k) vbuf_putc(&jb, ',');
            vjson_put_str(&jb, tags[k], (i64)strlen(tags[k]));
        }
        vbuf_puts(&jb, "]");
        vbuf_putc(&jb, 0);
        eq(&f[7], jb.p, "tags", i);
        jb.n = 0;
        vbuf_putc(&jb, '[');
        for (size_t k = 0; k < o.n_qty; k++) {
            snprintf(w, sizeof w, "%s%d", k ? "," : "", qty[k]);
            vbuf_puts(&jb, w);
        }
        vbuf_puts(&jb, "]");
        vbuf_putc(&jb, 0);
        eq(&f[8], jb.p, "qty", i);
        eq(&f[9], pay == 1 ? o.card : NULL, "card", i);
        eq(&f[10], pay == 2 ? o.iban : NULL, "iban", i);
        snprintf(w, sizeof w, "%d", o.priority);
        eq(&f[11], o.opt_priority_case ? w : NULL, "priority", i);
        jb.n = 0;
        vbuf_putc(&jb, '{');
        for (size_t k = 0; k < o.n_attrs; k++) {
            snprintf(w, sizeof w, "%s\"%s\":%" PRId64, k ? "," : "", ents[k].key, ents[k].value);
            vbuf_puts(&jb, w);
        }
        vbuf_puts(&jb, "}");
        vbuf_putc(&jb, 0);
        eq(&f[12], jb.p, "attrs", i);
        vbuf_free(&jb);
        double wd;
        assert_int_equal(vconv_f64(rt, &f[13], "weight", &wd), 0);
        assert_true(wd == (double)o.weight);
        eq(&f[14], o.gift ? "true" : "false", "gift", i);
        snprintf(w, sizeof w, "%" PRId64, o.delta);
        eq(&f[15], w, "delta", i);
        assert_int_equal(f[16].n, (i64)o.blob.len);
        assert_memory_equal(f[16].p, o.blob.data, o.blob.len);
        snprintf(w, sizeof w, "%" PRIu64, o.big);
        eq(&f[17], w, "big", i);
        snprintf(w, sizeof w, "%u", o.f32);
        eq(&f[18], w, "f32", i);
        snprintf(w, sizeof w, "%" PRId64, o.sf64);
        eq(&f[19], w, "sf64", i);

        /* mutations: any answer is fine, a crash or an overread is not (ASan) */
        for (int k = 0; k < 8 && len; k++) {
            uint8_t *mut = malloc(len);
            memcpy(mut, buf, len);
            mut[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
            size_t cut = k & 1 ? (size_t)(rnd() % len) : len;
            va_reset(&rt->tmp);
            int r = vpb_decode(d, rt, mut, cut, f, err, sizeof err);
            assert_true(r == 0 || r == -1);
            free(mut);
        }
        free(buf);
    }
    vpb_dec_free(d);
    vpb_schema_free(S);
    velo_rt_finish(rt, 0);
}

/* Rows encoded by vpb_enc unpack in protobuf-c to the values put in. */
static void test_encode_vs_protobuf_c(void **state)
{
    (void)state;
    vpb_schema *S = load("tests/proto/orders.proto");
    char err[300];
    const vpb_msg *m = vpb_find_msg(S, "Summary", err, sizeof err);
    assert_non_null(m);
    const char *names[] = {"customer", "n", "total", "last_status", "first_ts", "qty", "ship_city", "avg_weight"};
    vpb_enc *x = vpb_enc_new(S, m, 8, names, err, sizeof err);
    assert_non_null(x);
    velo_buf out = {0};
    for (int i = 0; i < 3000; i++) {
        const char *cust = words[rnd() % 6];
        i64 n = (i64)rnd() * (rnd() % 2 ? 1 : -1), total = (i64)(rnd() >> 2) * (rnd() % 2 ? 1 : -1);
        int scale = (int)rin(0, 18), st = (int)(rnd() % 4), nulls = (int)rnd();
        i64 ts = rin(-4000000000000000LL, 4000000000000000LL);
        int32_t q[3] = {(int32_t)(rnd() >> 32), -1, (int32_t)rin(0, 9)};
        char qj[80];
        snprintf(qj, sizeof qj, " [%d, %d,%d ]", q[0], q[1], q[2]);
        double aw = (double)(i64)(rnd() >> 11) / 1024;
        vpb_enc_str(x, 0, (vstr){cust, (i64)strlen(cust)});
        vpb_enc_i64(x, 1, n);
        if (nulls & 1) vpb_enc_null(x, 2);
        else vpb_enc_dec(x, 2, total, scale);
        vpb_enc_str(x, 3, (vstr){stn[st], (i64)strlen(stn[st])});
        if (nulls & 2) vpb_enc_null(x, 4);
        else vpb_enc_ts(x, 4, ts);
        vpb_enc_str(x, 5, (vstr){qj, (i64)strlen(qj)});
        if (nulls & 4) vpb_enc_null(x, 6);
        else vpb_enc_str(x, 6, (vstr){"x", 1});
        if (nulls & 8) vpb_enc_null(x, 7);
        else vpb_enc_f64(x, 7, aw);
        out.n = 0;
        if (vpb_enc_row(x, &out, err, sizeof err)) fail_msg("row %d: %s", i, err);
        Shop__Summary *s = shop__summary__unpack(NULL, out.n, (const uint8_t *)out.p);
        assert_non_null(s);
        assert_string_equal(s->customer, cust);
        assert_true(s->n == n);
        if (nulls & 1) {
            assert_null(s->total);
        } else {
            assert_non_null(s->total);
            assert_true(s->total->units == total && s->total->scale == scale);
        }
        assert_int_equal((int)s->last_status, st);
        if (nulls & 2) {
            assert_null(s->first_ts);
        } else {
            assert_non_null(s->first_ts);
            assert_true(s->first_ts->seconds * 1000000 + s->first_ts->nanos / 1000 == ts);
            assert_true(s->first_ts->nanos >= 0 && s->first_ts->nanos < 1000000000);
        }
        assert_int_equal(s->n_qty, 3);
        assert_memory_equal(s->qty, q, sizeof q);
        if (nulls & 4) assert_null(s->ship);
        else assert_string_equal(s->ship->city, "x");
        assert_int_equal(s->opt_avg_case != 0, !(nulls & 8));
        if (!(nulls & 8)) assert_true(s->avg_weight == aw);
        shop__summary__free_unpacked(s, NULL);
    }
    /* values that do not fit are errors, not silent data */
    vpb_enc_str(x, 3, (vstr){"LOST", 4});
    assert_int_equal(vpb_enc_row(x, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a value of enum shop.Status"));
    vpb_enc_str(x, 5, (vstr){"[1,", 3});
    assert_int_equal(vpb_enc_row(x, &out, err, sizeof err), -1);
    vbuf_free(&out);
    vpb_enc_free(x);
    /* output columns must name fields */
    const char *bad[] = {"customer", "nope"};
    assert_null(vpb_enc_new(S, m, 2, bad, err, sizeof err));
    assert_non_null(strstr(err, "'nope' is not a field"));
    vpb_schema_free(S);
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[8][256];
    static int k;
    char *p = path[k++ & 7];
    snprintf(p, 256, "/tmp/velo_pb_%d_%s", (int)getpid(), name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

/* The parser: proto2, nested types, imports, maps, options; errors with positions. */
static void test_parser(void **state)
{
    (void)state;
    char err[500];
    write_tmp("dep.proto", "syntax = \"proto2\"; package dep; enum Color { RED = 1; BLUE = 2; }\n"
                           "message Money { required int64 units = 1; required int32 scale = 2; }\n");
    const char *p = write_tmp(
        "main.proto",
        "// comment\nsyntax = \"proto2\";\npackage a.b;\nimport \"velo_pb_DEP\";\noption java_package = \"x\";\n"
        "message Outer {\n  message Inner { optional sint32 v = 1 [default = -3]; }\n  optional Inner in = 1;\n"
        "  repeated Inner many = 2;\n  optional .dep.Color c = 3 [default = BLUE];\n  map<int32, string> m = 4;\n"
        "  repeated int64 r = 5 [packed = true];\n  extensions 100 to 200;\n  reserved 6, 7; reserved \"z\";\n"
        "  oneof pick { string s = 8; Inner i = 9; }\n}\nservice S { rpc F (Outer) returns (Outer) { option deprecated = true; } }\n");
    char dep[300];
    snprintf(dep, sizeof dep, "velo_pb_%d_dep.proto", (int)getpid());
    /* fix up the import name now that the pid is known */
    char text[2000];
    FILE *f = fopen(p, "r");
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    char *at = strstr(text, "velo_pb_DEP");
    char fixed[2200];
    snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)(at - text), text, dep, at + 11);
    p = write_tmp("main.proto", fixed);
    vpb_schema *S = vpb_schema_load(p, err, sizeof err);
    if (!S) fail_msg("%s", err);
    const vpb_msg *m = vpb_find_msg(S, "Outer", err, sizeof err);
    assert_non_null(m);
    assert_string_equal(m->full, "a.b.Outer");
    const vpb_col *cols;
    int nc = vpb_flatten(S, m, &cols);
    const vpb_col *c = vpb_col_find(cols, nc, "IN.V");
    assert_non_null(c);
    assert_int_equal(c->sqltype, VT_INT);
    assert_int_equal(vpb_col_find(cols, nc, "c")->how, VPB_H_ENUM);
    assert_int_equal(vpb_col_find(cols, nc, "m")->how, VPB_H_MAP);
    assert_int_equal(vpb_col_find(cols, nc, "many")->how, VPB_H_REPEATED);
    assert_non_null(vpb_col_find(cols, nc, "i_v"));
    assert_null(vpb_find_msg(S, "Nope", err, sizeof err));
    vpb_schema_free(S);

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"syntax = \"proto3\";\nmessage A { int32 x = 1 }", ":2:25: expected ';'"},
        {"message A { Missing x = 1; }", "unknown type 'Missing'"},
        {"message A { int32 x = 1; int64 y = 1; }", "share a number"},
        {"message A { int32 x = 0; }", "out of range"},
        {"message A { optional group G = 1 { } }", "groups are not supported"},
        {"import \"no/such.proto\";", "cannot find import"},
        {"message A { string s = 1; \"", "unterminated string"},
        {"message A {", "end of file"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vpb_schema *s = vpb_schema_load(write_tmp("bad.proto", bad[i].text), err, sizeof err);
        if (s || !strstr(err, bad[i].want)) fail_msg("case %zu: want '%s', got '%s'", i, bad[i].want, s ? "(loaded)" : err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_vs_protobuf_c),
        cmocka_unit_test(test_encode_vs_protobuf_c),
        cmocka_unit_test(test_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
