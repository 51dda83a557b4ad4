#  socval: one non-recursive Makefile for the common library, the services,
#  the command and the tests. `make help` lists the targets.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
CC       ?= gcc
CFLAGS   ?= -g -O2
INCLUDES = -Icommon -Iservices/ingest -Iservices/valuation -Iservices/compliance \
           -Iservices/reporting
ALL_CFLAGS = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE $(INCLUDES) $(CFLAGS)
LIBS     = -lczmq -lzmq -lsodium -lxxhash -lroaring -lmsgpackc -lsqlite3 -lcsv -ljansson -lxlsxwriter -lzip -lexpat -lpthread -lm
FUZZ_SECONDS ?= 60
VALGRIND = valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=all \
           --errors-for-leak-kinds=all --child-silent-after-fork=no

COMMON_SRC = $(sort $(wildcard common/*.c))
COMMON_OBJ = $(COMMON_SRC:%.c=$(BUILD)/%.o)
COMMON_LIB = $(BUILD)/libsvcommon.a

#  A service's own classes, all but its main.c, go in a library of their
#  own that its binary and the tests link.
INGEST_SRC = $(sort $(filter-out services/ingest/main.c,$(wildcard services/ingest/*.c)))
INGEST_OBJ = $(INGEST_SRC:%.c=$(BUILD)/%.o)
INGEST_LIB = $(BUILD)/libingest.a
VALUATION_SRC = $(sort $(filter-out services/valuation/main.c,$(wildcard services/valuation/*.c)))
VALUATION_OBJ = $(VALUATION_SRC:%.c=$(BUILD)/%.o)
VALUATION_LIB = $(BUILD)/libvaluation.a
COMPLIANCE_SRC = $(sort $(filter-out services/compliance/main.c,$(wildcard services/compliance/*.c)))
COMPLIANCE_OBJ = $(COMPLIANCE_SRC:%.c=$(BUILD)/%.o)
COMPLIANCE_LIB = $(BUILD)/libcompliance.a
REPORTING_SRC = $(sort $(filter-out services/reporting/main.c,$(wildcard services/reporting/*.c)))
REPORTING_OBJ = $(REPORTING_SRC:%.c=$(BUILD)/%.o)
REPORTING_LIB = $(BUILD)/libreporting.a
#  In link order: reporting uses compliance's RLW scope rule
SERVICE_LIBS = $(REPORTING_LIB) $(VALUATION_LIB) $(COMPLIANCE_LIB) $(INGEST_LIB)

TESTS    = $(BUILD)/selftest $(BUILD)/test_decode_bounds $(BUILD)/test_stream_kill \
           $(BUILD)/test_ingest $(BUILD)/test_valuation $(BUILD)/test_compliance \
           $(BUILD)/test_reporting $(BUILD)/test_fault $(BUILD)/test_config \
           $(BUILD)/proto_peer $(BUILD)/proto_peer_released
BENCHES  = $(BUILD)/bench_stream $(BUILD)/bench_ingest $(BUILD)/bench_valuation \
           $(BUILD)/bench_compliance $(BUILD)/bench_reporting $(BUILD)/bench_chouse \
           $(BUILD)/bench_e2e
FUZZERS  = $(BUILD)/fuzz_proto $(BUILD)/fuzz_money $(BUILD)/fuzz_date $(BUILD)/fuzz_spend \
           $(BUILD)/fuzz_ocds $(BUILD)/fuzz_feed $(BUILD)/fuzz_framework \
           $(BUILD)/fuzz_schedule $(BUILD)/fuzz_chouse $(BUILD)/fuzz_xlsx $(BUILD)/fuzz_explain
PROGRAMS = $(BUILD)/socval $(BUILD)/socval-ingest $(BUILD)/socval-valuation \
           $(BUILD)/socval-compliance $(BUILD)/socval-reporting

.PHONY: all deps check soak memcheck bench fuzz generate check-generated install clean help run

all: $(COMMON_LIB) $(SERVICE_LIBS) $(PROGRAMS) $(TESTS) $(BENCHES)

help:
	@echo "make            build the common library, services and tests"
	@echo "make run        start the stack under ./var with the example feeds"
	@echo "make check      the whole test suite, as CI runs it"
	@echo "make soak       the fault test at scale: 1,000,000 rows, 100 kills or more"
	@echo "make memcheck   the tests under valgrind: zero leaks, zero errors"
	@echo "make bench      throughput figures, each next to its reference"
	@echo "make fuzz       every fuzz target for FUZZ_SECONDS (default $(FUZZ_SECONDS)) each"
	@echo "make generate   regenerate the protocol codec from proto/socval.xml"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"
	@echo "make clean"

#  Debian packages first; tools/deps.sh does nothing when they are present.
deps:
	@sh tools/deps.sh

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(COMMON_LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $^

$(INGEST_LIB): $(INGEST_OBJ)
	rm -f $@
	ar rcs $@ $^
$(VALUATION_LIB): $(VALUATION_OBJ)
	rm -f $@
	ar rcs $@ $^
$(COMPLIANCE_LIB): $(COMPLIANCE_OBJ)
	rm -f $@
	ar rcs $@ $^
$(REPORTING_LIB): $(REPORTING_OBJ)
	rm -f $@
	ar rcs $@ $^

SOCVAL_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard services/socval/*.c)))
$(BUILD)/socval: $(SOCVAL_OBJ) $(COMPLIANCE_LIB) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/socval-compliance: $(BUILD)/services/compliance/main.o $(COMPLIANCE_LIB) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/socval-reporting: $(BUILD)/services/reporting/main.o $(REPORTING_LIB) $(COMPLIANCE_LIB) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/socval-ingest: $(BUILD)/services/ingest/main.o $(INGEST_LIB) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/socval-valuation: $(BUILD)/services/valuation/main.o $(VALUATION_LIB) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

$(BUILD)/selftest: $(BUILD)/tests/selftest.o $(SERVICE_LIBS) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_decode_bounds: $(BUILD)/tests/test_decode_bounds.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_stream_kill: $(BUILD)/tests/test_stream_kill.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_ingest: $(BUILD)/tests/test_ingest.o $(BUILD)/tests/testkit.o $(INGEST_LIB) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_valuation: $(BUILD)/tests/test_valuation.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_compliance: $(BUILD)/tests/test_compliance.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_reporting: $(BUILD)/tests/test_reporting.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_fault: $(BUILD)/tests/test_fault.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
#  A peer of today's protocol, and one of the last released schema's,
#  built from the same source (tests/test_proto_releases.sh)
$(BUILD)/proto_peer: $(BUILD)/tests/proto_peer.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/released/sv_proto.c: proto/generate.py $(wildcard proto/released/*.xml) | deps
	python3 proto/generate.py --released $(BUILD)/released
$(BUILD)/proto_peer_released: tests/proto_peer.c $(BUILD)/released/sv_proto.c common/sv_msgpack.c
	$(CC) -I$(BUILD)/released $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/test_config: $(BUILD)/tests/test_config.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_stream: $(BUILD)/tests/bench_stream.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_chouse: $(BUILD)/tests/bench_chouse.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_e2e: $(BUILD)/tests/bench_e2e.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_ingest: $(BUILD)/tests/bench_ingest.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_valuation: $(BUILD)/tests/bench_valuation.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_compliance: $(BUILD)/tests/bench_compliance.o $(BUILD)/tests/testkit.o $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench_reporting: $(BUILD)/tests/bench_reporting.o $(BUILD)/tests/testkit.o $(SERVICE_LIBS) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

#  The codec in common/sv_proto.[ch] is generated from proto/socval.xml and
#  committed; check-generated fails when it is stale.
generate:
	python3 proto/generate.py
#  It also fails when the schema breaks the last released one
#  (proto/released/); test_proto_compat.sh shows that it does.
check-generated: | deps
	python3 proto/generate.py --check
	sh tests/test_proto_compat.sh

#  The process tests and benches listen on fixed loopback ports; each runs
#  in a network namespace of its own where the system allows, so that two
#  runs at once never meet (tools/isolated.sh)
ISOLATED = sh tools/isolated.sh

check: check-generated all
	@sh tools/deps.sh browser
	$(BUILD)/selftest
	$(BUILD)/test_decode_bounds
	sh tests/test_proto_releases.sh $(BUILD)
	$(ISOLATED) $(BUILD)/test_stream_kill
	$(ISOLATED) $(BUILD)/test_ingest
	$(ISOLATED) $(BUILD)/test_valuation
	$(ISOLATED) $(BUILD)/test_compliance
	$(ISOLATED) $(BUILD)/test_reporting
	$(ISOLATED) $(BUILD)/test_fault
	$(ISOLATED) $(BUILD)/test_config
	BUILD=$(BUILD) sh tests/test_runtime_packages.sh
	sh tests/test_multihost.sh
	python3 tests/test_browser.py --self-test
	@#  What a newcomer runs: the whole stack once, examples in, alerts and
	@#  reports out; then every report as a reader sees it in Chromium
	@tmp=$$(mktemp -d) && if $(BUILD)/socval demo --data $$tmp/demo > $$tmp/demo.log 2>&1; \
	    then tail -2 $$tmp/demo.log | head -1; \
	    else tail -40 $$tmp/demo.log; rm -rf $$tmp; exit 1; fi; \
	    python3 tests/test_browser.py $$tmp/demo/reports annual=3 partnership=1; \
	    rc=$$?; rm -rf $$tmp; exit $$rc

#  The fault test at scale: 1,000,000 spend rows through all four services
#  while each is SIGKILLed at least 25 times (100 kills or more)
soak: all
	$(ISOLATED) $(BUILD)/test_fault 1000000 25

#  The process tests run shorter here. valgrind follows every child (a
#  child's error or leak fails its exit status, which the test checks);
#  for children, blocks the system libraries keep reachable at exit are not
#  leaks, so only definite, indirect and possible leaks count. The system's
#  tools a test or a hook runs (grep, tr, sqlite3, unzip ...) are not
#  followed: socval's programs are what is checked (sh is, since socval's
#  programs run under it).
CHILD_LEAKS = --show-leak-kinds=definite,indirect,possible \
              --errors-for-leak-kinds=definite,indirect,possible \
              --trace-children-skip='*/grep,*/tr,*/sed,*/awk,*/mawk,*/cat,*/cp,*/mv,*/ln,*/wc,*/head,*/tail,*/cut,*/sort,*/uniq,*/diff,*/cmp,*/ls,*/rm,*/mkdir,*/touch,*/chmod,*/test,*/printf,*/echo,*/date,*/sleep,*/mkfifo,*/dd,*/find,*/xargs,*/env,*/true,*/false,*/stat,*/du,*/sqlite3,*/unzip,*/xmllint,*/python3*,*/chromium,*/pdftotext'
memcheck: all
	$(VALGRIND) $(BUILD)/selftest --no-fork
	$(VALGRIND) $(BUILD)/test_decode_bounds
	$(ISOLATED) $(VALGRIND) --trace-children=yes $(BUILD)/test_stream_kill 20000 3
	$(ISOLATED) $(VALGRIND) $(CHILD_LEAKS) --trace-children=yes $(BUILD)/test_ingest --short
	$(ISOLATED) $(VALGRIND) $(CHILD_LEAKS) --trace-children=yes $(BUILD)/test_valuation --short
	$(ISOLATED) $(VALGRIND) $(CHILD_LEAKS) --trace-children=yes $(BUILD)/test_compliance --short
	$(ISOLATED) $(VALGRIND) $(CHILD_LEAKS) --trace-children=yes $(BUILD)/test_reporting --short

#  The stack under ./var with the example feeds; Ctrl-C stops it.
run: all
	$(BUILD)/socval --data ./var up

#  Every bench in turn, its output also in $(BUILD)/bench.log with its exit
#  code; then the one table of their BENCH| and PEAK| lines, also written
#  to $(BUILD)/bench-table.md. A bench that fails fails the target, after
#  the table.
bench: all
	@rm -f $(BUILD)/bench.log
	@for bench in $(BENCHES); do \
	    echo "== $$bench" | tee -a $(BUILD)/bench.log; \
	    { $(ISOLATED) $$bench; echo "STATUS|$$bench|$$?"; } 2>&1 | tee -a $(BUILD)/bench.log; \
	done
	@echo
	@sh tools/bench_table.sh $(BUILD)/bench.log $(BUILD)/bench-table.md

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(COMMON_SRC) $(INGEST_SRC) $(VALUATION_SRC) $(COMPLIANCE_SRC) $(REPORTING_SRC) | deps
	@mkdir -p $(BUILD)/corpus/$*
	clang -std=c11 -D_GNU_SOURCE $(INCLUDES) -g -O1 -fsanitize=fuzzer,address,undefined \
	    $< $(COMMON_SRC) $(INGEST_SRC) $(VALUATION_SRC) $(COMPLIANCE_SRC) $(REPORTING_SRC) $(LIBS) -o $@

fuzz: $(FUZZERS)
	@for fuzzer in $(FUZZERS); do \
	    name=$$(basename $$fuzzer); \
	    echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	    $$fuzzer -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(BUILD)/ $(BUILD)/corpus/$${name#fuzz_} tests/fuzz/seeds/$${name#fuzz_} \
	        || exit 1; \
	done

#  The programs in $(PREFIX)/bin; in $(PREFIX)/share/socval the bundled data
#  socval up looks for there (frameworks, data, examples), the protocol, and
#  the operator's guide with the host configs and systemd units it describes.
#  Only the programs are built for it, not the tests. It ends by printing
#  the apt-get line of the runtime packages (tools/runtime-packages.txt).
install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/socval
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 proto/socval.xml $(DESTDIR)$(PREFIX)/share/socval
	install -m 644 deploy/README.md $(DESTDIR)$(PREFIX)/share/socval/README.md
	install -m 644 tools/runtime-packages.txt $(DESTDIR)$(PREFIX)/share/socval
	@share='$(abspath $(DESTDIR)$(PREFIX))/share/socval'; cd deploy && \
	for path in $$(find frameworks data examples hosts systemd -type f | LC_ALL=C sort); do \
	    install -D -m 644 "$$path" "$$share/$$path" || exit 1; \
	done; \
	echo "installed deploy/{frameworks,data,examples,hosts,systemd} in $$share"
	@echo "on each host that runs socval, install its runtime packages (tools/runtime-packages.txt):"
	@echo "    apt-get install $$(grep -v '^ *#' tools/runtime-packages.txt | tr '\n' ' ')"

clean:
	rm -rf $(BUILD)

-include $(SOCVAL_OBJ:.o=.d) $(COMMON_OBJ:.o=.d) $(INGEST_OBJ:.o=.d) $(VALUATION_OBJ:.o=.d) \
         $(COMPLIANCE_OBJ:.o=.d) $(REPORTING_OBJ:.o=.d) \
         $(wildcard $(BUILD)/tests/*.d)
