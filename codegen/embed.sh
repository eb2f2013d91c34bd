#!/bin/sh
# embed.sh NAME FILE -- print a C file defining `const char NAME[]` holding
# FILE's bytes (used to embed the generated-code prelude runtime/velo.h).
name=$1
file=$2
echo "/* generated from $file by codegen/embed.sh; do not edit */"
echo "const char ${name}[] = {"
od -An -v -tu1 "$file" | awk '{ for (i = 1; i <= NF; i++) printf "%s,", $i; printf "\n" }'
echo "0};"
echo "const unsigned long ${name}_len = sizeof ${name} - 1;"
