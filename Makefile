# mlsync: keep PostgreSQL in sync with real-estate MLS feeds (RETS, RESO Web API)

EXTENSION = mlsync
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

MODULE_big = mlsync
# Sources live in folders by concern (docs/architecture.md has the map);
# includes name the folder ("transport/http.h"), relative to src/.
# The media helper (src/media/helper/) is a program of its own, not part of
# the module: the module never links libvips (see src/media/media_derive.c).
MEDIA_HELPER = src/media/helper/mlsync_media_helper
SRCS = $(filter-out src/media/helper/%,$(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c)))
HEADERS = $(wildcard src/*.h src/*/*.h src/*/*/*.h)
OBJS = $(patsubst %.c,%.o,$(SRCS))

# The install script is assembled from sql/src/*.sql in name order, so each
# concern (schema, mapping, sync, events, statistics) keeps its own file.
SQL_PARTS = $(sort $(wildcard sql/src/*.sql))
# Upgrade scripts, and the install script of 0.1.0 as it was released
# (test/upgrade/), so that a database can be created at 0.1.0 and updated:
# the upgrade test does just that (docs/upgrading.md).
DATA = $(wildcard sql/$(EXTENSION)--*--*.sql) test/upgrade/$(EXTENSION)--0.1.0.sql
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DOCS = $(wildcard docs/*.md)

TESTS = $(sort $(wildcard test/sql/*.sql))

# Material that stays outside the repository, because its licences forbid
# copying it in: the responses recorded from real RETS servers.
# MLSYNC_SHARED_DIR names the directory holding it (default: ../shared beside
# the checkout).  The tests that read it (they include
# test/helpers/rets_fixtures.sql or \getenv MLSYNC_SHARED_DIR) are left out,
# and named, when it is absent; CI always has it.
ifeq ($(MLSYNC_SHARED_DIR),)
MLSYNC_SHARED_DIR := $(abspath $(CURDIR)/../shared)
endif
export MLSYNC_SHARED_DIR
FIXTURE_TESTS = $(patsubst test/sql/%.sql,%,$(shell grep -l -e '^\\i test/helpers/rets_fixtures\.sql' -e '^\\getenv [a-z_]* MLSYNC_SHARED_DIR' $(TESTS)))
ifeq ($(wildcard $(MLSYNC_SHARED_DIR)/fixtures/rets),)
SKIPPED_TESTS = $(FIXTURE_TESTS)
endif
REGRESS = $(filter-out $(SKIPPED_TESTS),$(patsubst test/sql/%.sql,%,$(TESTS)))
# TAP tests (restart, crash, dump/restore, cron) run after the regression
# suite; each starts its own cluster.
TAP_TESTS = 1
PROVE_TESTS = $(sort $(wildcard test/t/*.pl))
PROVE_FLAGS = --timer

# Every test file runs with its own sample MLS server (test/with-mls-server
# starts it on a free port and gives its URL in MLS_SERVER_URL).
REGRESS_OPTS = --inputdir=test --encoding=UTF8 \
	--load-extension=pgtap --load-extension=mlsync \
	--launcher=$(CURDIR)/test/with-mls-server
# "make check" runs the suite on a temporary instance configured by
# test/mlsync.conf; "make installcheck" runs it on the server already
# running (PGHOST, PGPORT), which needs the settings of test/mlsync.conf.
ifdef MLSYNC_TEMP_INSTANCE
REGRESS_OPTS += --temp-instance=./tmp_check --temp-config=test/mlsync.conf
endif

PKG_CONFIG ?= pkg-config
PG_CONFIG ?= pg_config

PG_CPPFLAGS += -Isrc $(shell $(PKG_CONFIG) --cflags libcurl libxml-2.0 libcrypto) \
	-DMLSYNC_VERSION=\"$(EXTVERSION)\"
SHLIB_LINK += $(shell $(PKG_CONFIG) --libs libcurl libxml-2.0 libcrypto)

# PGXS answers "make check" with "not supported" and defines installcheck
# itself; both are defined here instead (below).
NO_INSTALLCHECK = 1

ifneq ($(filter check,$(MAKECMDGOALS)),)
# "make check": PGXS's rule for "check" only prints that it is not
# supported, and a second rule for it would make make warn on every run.  So
# when "check" is asked for, PGXS is not read at all: check is installcheck
# on a temporary instance, run by a make of its own (other goals on the same
# command line go to such a make too, first).
.PHONY: check $(filter-out check,$(MAKECMDGOALS))
$(filter-out check,$(MAKECMDGOALS)):
	$(MAKE) $@
check: $(filter-out check,$(MAKECMDGOALS))
	$(MAKE) installcheck MLSYNC_TEMP_INSTANCE=1
else

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

# The media helper: decodes images and writes derivatives with libvips, in
# a process of its own; installed beside the module.
all: $(MEDIA_HELPER)
EXTRA_CLEAN = $(MEDIA_HELPER)

$(MEDIA_HELPER): $(MEDIA_HELPER).c
	$(CC) $(CFLAGS) $(PG_CFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --cflags --libs vips)

install: install-media-helper
.PHONY: install-media-helper
install-media-helper: $(MEDIA_HELPER)
	$(INSTALL_PROGRAM) $(MEDIA_HELPER) '$(DESTDIR)$(pkglibdir)/mlsync_media_helper'

# The regression suite, then the TAP tests (see "make check" above).
.PHONY: installcheck skipped-tests
installcheck: submake skipped-tests
ifneq ($(strip $(REGRESS)),)
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)
endif
ifdef TAP_TESTS
	$(prove_installcheck)
endif

# Names the tests left out for want of MLSYNC_SHARED_DIR (one line each).
skipped-tests:
	@$(foreach t,$(SKIPPED_TESTS),echo "skipped: $(t) (needs the recorded RETS fixtures in MLSYNC_SHARED_DIR)";)

# The release archive: the committed tree (HEAD) plus the built install
# script, which is not committed.
.PHONY: dist
dist: $(DATA_built)
	mkdir -p dist
	git archive --format zip --output dist/$(EXTENSION)-$(EXTVERSION).zip \
		--prefix=$(EXTENSION)-$(EXTVERSION)/sql/ --add-file=$(DATA_built) \
		--prefix=$(EXTENSION)-$(EXTVERSION)/ HEAD

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

endif
