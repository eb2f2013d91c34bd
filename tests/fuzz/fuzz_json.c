/*
 * fuzz_json.c -- libFuzzer target for the JSON sources (runtime/json.c,
 * source.c, conv.c): the input read as JSON Lines with keys a, b, c (all
 * columns, then only b), and as one JSON document (array of objects).
 */
#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *path;
    if (!path) path = fz_write("in.jsonl", "", 0);
    free(fz_write("in.jsonl", data, size));
    static const char *const jsonl[] = {"format", "jsonl", NULL};
    static const char *const json[] = {"format", "json", NULL};
    static const u8 mask[3] = {0, 1, 0};
    fz_read_source(path, jsonl, NULL);
    fz_read_source(path, jsonl, mask);
    fz_read_source(path, json, NULL);
    return 0;
}
