# mlsync: keep PostgreSQL in sync with real-estate MLS feeds (RETS, RESO Web API)

EXTENSION = mlsync
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

MODULE_big = mlsync
# Sources live in folders by concern (docs/architecture.md has the map);
# includes name the folder ("transport/http.h"), relative to src/.
SRCS = $(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c))
HEADERS = $(wildcard src/*.h src/*/*.h src/*/*/*.h)
OBJS = $(patsubst %.c,%.o,$(SRCS))

# The install script is assembled from sql/src/*.sql in name order, so each
# concern (schema, mapping, sync, events, statistics) keeps its own file.
SQL_PARTS = $(sort $(wildcard sql/src/*.sql))
DATA = $(wildcard sql/$(EXTENSION)--*--*.sql)
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DOCS = $(wildcard docs/*.md)

TESTS = $(sort $(wildcard test/sql/*.sql))
REGRESS = $(patsubst test/sql/%.sql,%,$(TESTS))
# TAP tests (restart, crash, dump/restore) run after the regression suite.
TAP_TESTS = 1
PROVE_TESTS = $(sort $(wildcard test/t/*.pl))
PROVE_FLAGS = --timer

# Every test file runs with its own sample MLS server (test/with-mls-server
# starts it on a free port and gives its URL in MLS_SERVER_URL).
REGRESS_OPTS = --inputdir=test --temp-instance=./tmp_check \
	--temp-config=test/mlsync.conf --encoding=UTF8 \
	--load-extension=pgtap --load-extension=mlsync \
	--launcher=$(CURDIR)/test/with-mls-server

PKG_CONFIG ?= pkg-config
PG_CONFIG ?= pg_config

PG_CPPFLAGS += -Isrc $(shell $(PKG_CONFIG) --cflags libcurl libxml-2.0 libcrypto) \
	-DMLSYNC_VERSION=\"$(EXTVERSION)\"
SHLIB_LINK += $(shell $(PKG_CONFIG) --libs libcurl libxml-2.0 libcrypto)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

ifeq ($(filter 15,$(MAJORVERSION)),)
$(warning mlsync is developed and tested on PostgreSQL 15; $(MAJORVERSION) is untested)
endif

# The test configuration (test/mlsync.conf) points pg_cron and mlsync here
# (set after PGXS, which sets its own default).
CONTRIB_TESTDB = mlsync_regression

sql/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	cat $(SQL_PARTS) > $@

# Object files depend on every header: the headers are few and small.
$(OBJS): $(HEADERS)

.PHONY: dist
dist:
	mkdir -p dist
	git archive --format zip --prefix=$(EXTENSION)-$(EXTVERSION)/ \
		--output dist/$(EXTENSION)-$(EXTVERSION).zip HEAD

# Fuzzing of the parsers (fuzz/Makefile, docs/security.md): `make fuzz
# [FUZZ_SECONDS=60]` builds the libFuzzer harnesses and runs each in turn.
# The suite checks that src/rets/parse/ includes no fmgr, SPI or jsonb header.
FUZZ_SECONDS ?= 60
.PHONY: fuzz check-parsers
fuzz:
	$(MAKE) -C fuzz fuzz PG_CONFIG=$(PG_CONFIG) FUZZ_SECONDS=$(FUZZ_SECONDS)
check-parsers:
	@$(MAKE) -s -C fuzz check-parsers PG_CONFIG=$(PG_CONFIG)
installcheck: check-parsers
