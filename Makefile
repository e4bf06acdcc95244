# One non-recursive Makefile. Output in build/, binaries in build/bin/.
#   make            build everything          make SAN=1   with ASan+UBSan
#   make test       deps + build + unit + integration tests (SAN=1 in CI)
#   make demo       local broker + database under ./var/, migrated, configured
#   make chaos      the chaos suite, short form   make soak   its long form
#   make bench      benchmarks that print figures (never fail on a number)
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each (default 60)
#   make lint       clang-format check, file sizes, headers compile alone
SAN ?= 0
CC ?= cc
# `make` alone builds everything (the per-service rules below come first).
.DEFAULT_GOAL := all
BUILD := build
SERVICES := ingestd alertd schedd dispatchd fmctl fmsim

PQ_INC := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -g -O2 -Wall -Wextra -Wshadow \
  -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Werror \
  -Icommon -Iservices $(PQ_INC) -MMD -MP
LDLIBS := -lpaho-mqtt3cs -lpq -lyaml -ljansson -lpthread -lm
ifeq ($(SAN),1)
  CFLAGS_BASE += -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address,undefined
endif
CFLAGS := $(CFLAGS_BASE) $(EXTRA_CFLAGS)

# Rebuild everything when the flags change (SAN=0 <-> SAN=1).
FLAGS_FILE := $(BUILD)/.cflags
$(shell mkdir -p $(BUILD); echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $(FLAGS_FILE) || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $(FLAGS_FILE))

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
LIBFM := $(BUILD)/lib/libfm.a

# Each service: main.c is the wiring; everything else also goes into
# build/lib/lib<svc>.a so that unit tests can link the pure modules.
define service_rules
$(1)_SRC := $$(wildcard services/$(1)/*.c)
$(1)_OBJ := $$($(1)_SRC:%.c=$(BUILD)/obj/%.o)
$(1)_LIBOBJ := $$(filter-out %/main.o,$$($(1)_OBJ))
$(BUILD)/lib/lib$(1).a: $$($(1)_LIBOBJ)
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
$(BUILD)/bin/$(1): $$($(1)_OBJ) $(LIBFM)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$($(1)_OBJ) $(LIBFM) $$(LDLIBS)
endef
$(foreach s,$(SERVICES),$(eval $(call service_rules,$(s))))

BINS := $(SERVICES:%=$(BUILD)/bin/%)
SVC_LIBS := $(SERVICES:%=$(BUILD)/lib/lib%.a)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
IT_SRC := $(wildcard tests/it/it_*.c)
IT_BIN := $(IT_SRC:tests/it/%.c=$(BUILD)/tests/it/%)
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/tests/bench/%)
TEST_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRC) $(IT_SRC) $(BENCH_SRC))

.PHONY: all bins deps test unit it chaos soak bench fuzz lint clean demo demo-stop format install
bins: $(BINS)
all: $(BINS) $(UNIT_BIN) $(IT_BIN) $(BENCH_BIN)

$(BUILD)/obj/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIBFM): $(COMMON_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(SVC_LIBS) $(LIBFM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(SVC_LIBS) $(LIBFM) -lcmocka $(LDLIBS)

deps:
	@deploy/deps.sh

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) it

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

it: $(BINS) $(IT_BIN)
	@tests/it/run.sh

# The chaos suite (tests/chaos/): short in CI, long for a soak.
chaos: $(BINS)
	@CHAOS_SCALE=short FM_BIN=$(CURDIR)/$(BUILD)/bin tests/chaos/run.sh

soak: $(BINS)
	@CHAOS_SCALE=long FM_BIN=$(CURDIR)/$(BUILD)/bin tests/chaos/run.sh

bench: deps
	$(MAKE) all
	@tests/bench/run.sh

fuzz: deps
	@tests/fuzz/run.sh

lint:
	@tests/lint.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

demo: deps
	$(MAKE) all
	@deploy/demo.sh start

demo-stop:
	@deploy/demo.sh stop

# make install [PREFIX=/usr/local] [DESTDIR=...]: binaries, configuration,
# migrations, deploy scripts and systemd units (deploy/install.sh).
install: $(BINS)
	@DESTDIR="$(DESTDIR)" PREFIX="$(or $(PREFIX),/usr/local)" FM_BIN="$(CURDIR)/$(BUILD)/bin" deploy/install.sh

clean:
	rm -rf $(BUILD)

-include $(COMMON_OBJ:.o=.d) $(foreach s,$(SERVICES),$($(s)_OBJ:.o=.d)) $(TEST_OBJ:.o=.d)
