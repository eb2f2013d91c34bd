/*
 * fuzz_csv.c -- libFuzzer target for the CSV source (runtime/csv.c,
 * source.c, conv.c): the input is a file, read with a header, without one,
 * with ';' as delimiter and with a projection mask.
 */
#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *path;
    if (!path) path = fz_write("in.csv", "", 0);
    free(fz_write("in.csv", data, size));
    static const char *const hdr[] = {"format", "csv", "has_headers", "true", NULL};
    static const char *const nohdr_semi[] = {"format", "csv", "has_headers", "false", "delimiter", ";", NULL};
    static const char *const nohdr_tab[] = {"format", "csv", "has_headers", "false", "delimiter", "\\t", NULL};
    static const u8 mask[3] = {0, 1, 0};
    fz_read_source(path, hdr, NULL);
    fz_read_source(path, nohdr_semi, NULL);
    fz_read_source(path, nohdr_tab, mask);
    return 0;
}
