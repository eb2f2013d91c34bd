#!/bin/sh
# symbols.sh FILE -- print a C table of every function declared in the
# prelude FILE (runtime/velo.h), so the JIT backend can hand their addresses
# to libtcc with tcc_add_symbol: generated code binds to exactly the API the
# prelude declares, and nothing else in the veloc process.
echo "/* generated from $1 by codegen/symbols.sh; do not edit */"
echo '#include "velo.h"'
echo 'typedef struct VeloSym { const char *name; void *addr; } VeloSym;'
echo 'const VeloSym velo_symbols[] = {'
# declarations: "type name(args);" at column 0, not static inline helpers
grep -E '^[a-z][a-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)\(' "$1" | grep -v '^static' | grep -v 'velo_query_main' |
    sed -E 's/^[a-z][a-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' | sort -u |
    awk '{ printf "    {\"%s\", (void *)%s},\n", $1, $1 }'
grep -E '^extern const' "$1" | sed -E 's/.* ([a-z_][a-z0-9_]*)\[.*/\1/' | awk '{ printf "    {\"%s\", (void *)%s},\n", $1, $1 }'
echo '    {0, 0}};'
