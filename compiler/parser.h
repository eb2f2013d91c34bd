/*
 * parser.h -- recursive-descent parser for VeloStream SQL: script text in,
 * syntax tree (ast.h) out. Syntax errors are reported through Diag; after an
 * error the parser skips to the next ';' so every bad statement of a file is
 * reported in one run.
 */
#ifndef PARSER_H
#define PARSER_H

#include "arena.h"
#include "ast.h"
#include "diag.h"

/* Parse out->text[0..out->len) into out->stmts (allocated in a).
 * Returns the number of errors reported (lexical, syntax and literal checks). */
int ps_parse_script(Arena *a, Diag *d, Script *out);

#endif
