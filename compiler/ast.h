/*
 * ast.h -- the syntax tree produced by the parser (parser.c) and read by the
 * binder (binder.c). Every node is allocated in the compile arena and carries
 * the source position of its first token, so later stages can point at it.
 *
 * The tree is syntax only: names are unresolved strings, types are the
 * declared ones. The binder annotates expressions in place (Expr.type etc.).
 */
#ifndef AST_H
#define AST_H

#include <stdint.h>
#include <stddef.h>

#include "arena.h"

typedef struct SrcPos {
    int line, col; /* 1-based */
    int off;       /* byte offset in the source text */
} SrcPos;

/* Declared SQL type (runtime VT_* tags from runtime/velo.h). */
typedef struct TypeSpec {
    int tag;   /* VT_BOOL ... VT_TIMESTAMP */
    int prec;  /* DECIMAL precision (1..18) */
    int scale; /* DECIMAL scale (0..prec) */
} TypeSpec;

/* A growable array of pointers living in the compile arena. */
typedef struct PtrVec {
    void **v;
    int n, cap;
} PtrVec;
void pv_push(Arena *a, PtrVec *pv, void *p);

typedef enum ExprKind {
    E_LIT_NULL,
    E_LIT_BOOL,
    E_LIT_INT,
    E_LIT_DEC,
    E_LIT_DOUBLE,
    E_LIT_STR,
    E_LIT_TS,       /* TIMESTAMP '...' : ival = µs */
    E_LIT_INTERVAL, /* INTERVAL '5' MINUTE or 5m : ival = µs */
    E_COLUMN,       /* [qual.]name */
    E_STAR,         /* * or qual.* (only in select lists and COUNT(*)) */
    E_UNARY,        /* op: '-', '+', 'N' (NOT) */
    E_BINARY,       /* op: see BinOp */
    E_FUNC,         /* name(args) [FILTER..] [OVER ...]; aggregates too */
    E_CASE,         /* CASE [operand] WHEN .. THEN .. [ELSE ..] END */
    E_CAST,         /* CAST(x AS type) or x::type */
    E_BETWEEN,      /* a [NOT] BETWEEN b AND c */
    E_IN_LIST,      /* a [NOT] IN (list) */
    E_LIKE,         /* a [NOT] LIKE b [ESCAPE c] */
    E_IS_NULL,      /* a IS [NOT] NULL */
    E_EXTRACT,      /* EXTRACT(field FROM a): ival = VT_F_*, named in ast_extract_fields */
    E_SUBQUERY,     /* (SELECT ...) scalar, reserved for the optimizer issue */
    E_EXISTS,
    E_IN_SUBQUERY,
} ExprKind;

typedef enum BinOp {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_CONCAT,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_AND,
    OP_OR,
} BinOp;

typedef struct Select Select;
typedef struct Query Query;

/* Frame of an OVER (...) clause. */
typedef enum FrameKind {
    FRAME_NONE,   /* no frame clause */
    FRAME_ROWS,   /* ROWS [BETWEEN] n|UNBOUNDED PRECEDING [AND CURRENT ROW] */
    FRAME_RANGE,  /* RANGE [BETWEEN] interval|UNBOUNDED PRECEDING [AND CURRENT ROW] */
    FRAME_BUFFER, /* VeloStream: ROWS WINDOW BUFFER n ROWS */
} FrameKind;

typedef struct Expr {
    ExprKind kind;
    SrcPos pos;
    int op;           /* BinOp, or unary op char */
    int negated;      /* NOT BETWEEN / NOT IN / NOT LIKE / IS NOT NULL */
    int64_t ival;     /* INT, BOOL, DEC (unscaled), TS, INTERVAL, EXTRACT field */
    int scale;        /* DEC literal scale */
    double dval;      /* DOUBLE literal */
    const char *sval; /* STR literal bytes (may contain NUL: see slen), column name, func name */
    size_t slen;
    const char *qual;                  /* column/star qualifier, or NULL */
    struct Expr *left, *right, *third; /* operands; BETWEEN uses all three; LIKE third = ESCAPE */
    PtrVec args;                       /* FUNC args, IN list, CASE: WHEN,THEN pairs flattened */
    struct Expr *else_;                /* CASE ELSE */
    int distinct;                      /* COUNT(DISTINCT x) */
    TypeSpec cast_to;
    Query *subquery;
    /* OVER (...) for analytic functions (parsed; evaluated by the streaming issue) */
    int has_over;
    PtrVec partition_by; /* Expr* */
    PtrVec over_order;   /* OrderItem* */
    FrameKind frame;
    int64_t frame_n; /* rows (ROWS, BUFFER) or µs (RANGE); -1 UNBOUNDED PRECEDING */

    int depth; /* binary-operator nesting below and including this node (parser) */

    /* -- filled by the binder -- */
    TypeSpec type;
    int nullable;
    int agg_index;  /* aggregate slot, -1 if not an aggregate */
    int col_index;  /* resolved input column */
    int rel_index;  /* resolved relation in FROM */
    const void *fn; /* const FuncDef* */

    /* -- set by the optimizer -- */
    int implied; /* a filter derived from an OR at a join, which stays there (or_implied) */
} Expr;

typedef struct SelectItem {
    Expr *expr;
    const char *alias; /* NULL if none */
    SrcPos pos;
} SelectItem;

typedef struct OrderItem {
    Expr *expr;
    int desc;
    int nulls_first; /* -1 default (NULLS LAST for ASC, FIRST for DESC as PostgreSQL) */
} OrderItem;

/* WINDOW TUMBLING/SLIDING/SESSION (streaming issue) */
typedef enum WindowKind { WIN_NONE, WIN_TUMBLING, WIN_SLIDING, WIN_SESSION } WindowKind;
typedef struct WindowSpec {
    WindowKind kind;
    SrcPos pos;
    Expr *time_col;  /* optional */
    int64_t size_us; /* TUMBLING size, SLIDING size, SESSION gap */
    int64_t advance_us;
} WindowSpec;

typedef struct TableRef {
    SrcPos pos;
    const char *name; /* NULL for a derived table */
    const char *alias;
    Query *subquery; /* derived table */
    /* joins: this ref joined to the previous ones */
    int join_kind; /* 0 none (first or comma), 'I' inner, 'L', 'R', 'F', 'C' cross */
    Expr *on;
    int64_t within_us; /* JOIN ... WITHIN 10s (stream-stream bound), 0 if absent */
} TableRef;

typedef enum EmitMode { EMIT_DEFAULT, EMIT_CHANGES, EMIT_FINAL } EmitMode;

struct Select {
    SrcPos pos;
    int distinct;
    PtrVec items; /* SelectItem* */
    PtrVec from;  /* TableRef* */
    Expr *where;
    PtrVec group_by; /* Expr* */
    Expr *having;
    WindowSpec window;
    EmitMode emit;
    const char *into; /* SELECT ... INTO sink */
    SrcPos into_pos;
};

/* A query expression: one SELECT or a UNION [ALL] chain, with ORDER BY/LIMIT. */
struct Query {
    SrcPos pos;
    PtrVec selects;   /* Select*; >1 means UNION */
    PtrVec union_all; /* per select[1..]: (void*)1 for ALL, 0 for distinct UNION */
    PtrVec order_by;  /* OrderItem* */
    int64_t limit;    /* -1 none */
    PtrVec ctes;      /* Cte* (WITH), optimizer issue */
};

typedef struct Cte {
    const char *name;
    Query *query;
    SrcPos pos;
} Cte;

typedef struct Property {
    const char *key, *value;
    SrcPos pos;
    const char *origin; /* "x.yaml:LINE:COL" for a property read from a 'config_file', else NULL */
} Property;

typedef struct ColumnDef {
    const char *name;
    TypeSpec type;
    int primary_key;
    SrcPos pos;
} ColumnDef;

typedef enum StmtKind {
    S_CREATE_SOURCE, /* CREATE STREAM|TABLE name (cols) WITH (...) */
    S_CREATE_AS,     /* CREATE STREAM|TABLE name [WITH (...)] AS query [WITH (...)] */
    S_INSERT,        /* INSERT INTO name query */
    S_SELECT,        /* query (to stdout, or INTO) */
    S_EXPLAIN,       /* EXPLAIN [ANALYZE] stmt */
    S_SHOW,          /* SHOW FUNCTIONS|STREAMS|TABLES|TOPICS|... */
    S_DESCRIBE,      /* DESCRIBE name */
} StmtKind;

typedef struct Stmt {
    StmtKind kind;
    SrcPos pos;
    int is_table;     /* CREATE TABLE vs STREAM */
    const char *name; /* created / inserted / described name */
    SrcPos name_pos;
    PtrVec columns; /* ColumnDef* */
    PtrVec props;   /* Property* : WITH (...) of the statement, both positions merged */
    Query *query;
    /* EXPLAIN */
    int analyze;
    int costs_off; /* EXPLAIN (COSTS OFF) */
    struct Stmt *inner;
    /* SHOW */
    const char *show_what; /* upper-case word: FUNCTIONS, STREAMS, ... */
    const char *show_like; /* LIKE pattern or NULL */
    int show_with_schemas;
} Stmt;

typedef struct Script {
    const char *path; /* as given on the command line */
    const char *text; /* whole file, NUL-terminated */
    size_t len;
    PtrVec stmts; /* Stmt* */
} Script;

/* A zeroed expression node of kind k at pos, with the binder's indexes at -1. */
Expr *ast_expr_new(Arena *a, ExprKind k, SrcPos pos);
/* SQL spelling of a BinOp ("+", "||", "<=", "AND", ...). */
const char *ast_binop_name(int op);

enum { AST_NEXTRACT = 13 }; /* VT_F_YEAR .. VT_F_EPOCH */
extern const char *const ast_extract_fields[AST_NEXTRACT];

#endif
