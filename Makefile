# VeloStream top-level build: veloc, libvelo.a, tests, demo, bench.
#   make            build ./veloc and build/libvelo.a
#   make demo       install deps if missing, run the file demo
#   make test       install deps if missing, run every suite
#   make asan       the unit and SQL suites under ASan+UBSan
#   make bench      run the benchmarks, rewrite bench/RESULTS.md

CC       ?= cc
OPT      ?= -O2
SAN      ?=
CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fno-strict-aliasing $(SAN)
CPPFLAGS += -Iruntime -Icompiler -Ioptimizer -Icodegen
LDLIBS   += -ltcc -lrdkafka -lpcre2-8 -lyaml -lz -lm -ldl -lpthread
B        ?= build
BIN      ?= veloc

RT_SRC   := $(filter-out runtime/jobmain.c,$(wildcard runtime/*.c))
RT_OBJ   := $(RT_SRC:%.c=$(B)/%.o)
CC_SRC   := $(filter-out compiler/main.c,$(wildcard compiler/*.c optimizer/*.c codegen/*.c))
CC_OBJ   := $(CC_SRC:%.c=$(B)/%.o) $(B)/codegen/prelude_gen.o $(B)/codegen/symbols_gen.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(BIN) $(B)/libvelo.a $(B)/velo_main.o

$(B)/%.o: %.c $(wildcard runtime/*.h compiler/*.h optimizer/*.h codegen/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -c $< -o $@

# The prelude of every generated C file is runtime/velo.h, embedded as a string.
$(B)/codegen/prelude_gen.c: runtime/velo.h codegen/embed.sh
	@mkdir -p $(dir $@)
	sh codegen/embed.sh velo_prelude $< > $@

$(B)/codegen/prelude_gen.o: $(B)/codegen/prelude_gen.c
	$(CC) $(CFLAGS) -c $< -o $@

# The JIT hands libtcc the address of every function the prelude declares.
$(B)/codegen/symbols_gen.c: runtime/velo.h codegen/symbols.sh
	@mkdir -p $(dir $@)
	sh codegen/symbols.sh $< > $@

$(B)/codegen/symbols_gen.o: $(B)/codegen/symbols_gen.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -fno-builtin -c $< -o $@

$(B)/libvelo.a: $(RT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/velo_main.o: runtime/jobmain.c runtime/velo.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# veloc exports libvelo's symbols so that libtcc-compiled queries bind to them.
$(BIN): $(B)/compiler/main.o $(CC_OBJ) $(B)/libvelo.a
	$(CC) $(CFLAGS) -rdynamic -o $@ $(B)/compiler/main.o $(CC_OBJ) \
	    -Wl,--whole-archive $(B)/libvelo.a -Wl,--no-whole-archive $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(CC_OBJ) $(B)/libvelo.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -rdynamic -o $@ $< $(CC_OBJ) \
	    -Wl,--whole-archive $(B)/libvelo.a -Wl,--no-whole-archive -lcmocka $(LDLIBS)

# test_protobuf checks our decoder against protobuf-c's generated code.
$(B)/tests/test_protobuf: CPPFLAGS += -Itests/proto/gen
$(B)/tests/test_protobuf: LDLIBS += -lprotobuf-c

deps:
	@sh tests/deps.sh

unit: all
	$(MAKE) unit-run

sql: all
	python3 tests/sql/run_golden.py --veloc ./veloc
	python3 tests/sql/explain_analyze.py --veloc ./veloc

conformance: all
	python3 tests/conformance.py

difftest: all
	python3 tests/sql/difftest.py --veloc ./veloc

test: deps
	$(MAKE) format-check
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) sql
	$(MAKE) difftest
	$(MAKE) conformance
	$(MAKE) oracles
	$(MAKE) streaming
	$(MAKE) kafka-test
	$(MAKE) proto-test
	$(MAKE) faults
	$(MAKE) fuzz-regress
	$(MAKE) valgrind
	$(MAKE) asan

# House style: .clang-format over every hand-written C file (protoc-c output excluded).
FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null | grep -v 'pb-c\.')
format:
	clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "format-check: $(words $(FORMAT_SRC)) files follow .clang-format"

# Multi-join (TPC-H-shaped) and NEXMark queries checked against DuckDB.
oracles: all
	python3 tests/tpch/run.py
	python3 bench/nexmark/check.py

# Window results against DuckDB, and files followed while they grow.
streaming: all
	python3 tests/windows_oracle.py --veloc ./veloc
	bash tests/streaming/watch.sh ./veloc
	bash tests/streaming/ttl.sh ./veloc
	bash tests/streaming/analytic.sh ./veloc
	python3 tests/streaming/interval_join.py --veloc ./veloc

# Protobuf on files and Kafka, checked against protobuf-c.
proto-test: all
	bash tests/proto/run.sh --veloc ./veloc

# Bad input, full disks, signals, kill -9, broker outages, failing allocations,
# checkpoints of file and Kafka sources (the Kafka one starts a broker when
# none runs).
faults: all
	bash tests/faults/run.sh --veloc ./veloc
	bash tests/faults/alloc_fail.sh
	bash tests/faults/checkpoint.sh ./veloc
	bash tests/faults/kafka_checkpoint.sh ./veloc

# A subset of the golden cases under valgrind, JIT and AOT, zero errors.
valgrind: all
	bash tests/valgrind.sh ./veloc

# Replay every committed fuzz corpus once (libFuzzer builds with clang).
fuzz-regress:
	$(MAKE) -C tests/fuzz regress

# A real Apache Kafka broker (KRaft, 3.9.x from Maven Central) on 127.0.0.1:9092.
kafka-up:
	bash tests/kafka/kafka-up.sh

kafka-down:
	bash tests/kafka/kafka-down.sh

kafka-test: all
	bash tests/kafka/run.sh --veloc ./veloc
	bash tests/kafka/kafka-up.sh
	rc=0; bash tests/kafka/watermark.sh ./veloc || rc=1; bash tests/kafka/interval_join.sh ./veloc || rc=1; \
	    bash tests/kafka/kafka-down.sh; exit $$rc

# The unit tests and the SQL suite (JIT: generated code calls the
# instrumented runtime inside the instrumented veloc) under ASan+UBSan.
ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	$(MAKE) B=build-asan BIN=build-asan/veloc OPT=-O1 SAN="$(ASAN_FLAGS)" all unit-run
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    python3 tests/sql/run_golden.py --veloc build-asan/veloc --jit-only

unit-run: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

demo: deps
	$(MAKE) all
	$(MAKE) -C demos/file run

bench: deps all
	sh bench/run.sh all

# Fuzz every target for FUZZ_SECONDS each (libFuzzer, clang).
FUZZ_SECONDS ?= 30
fuzz: deps
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

clean:
	rm -rf build build-asan veloc

.PHONY: all deps unit unit-run sql conformance difftest test asan demo bench fuzz fuzz-regress valgrind faults streaming oracles proto-test kafka-up kafka-down kafka-test format format-check clean
