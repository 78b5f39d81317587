# dosesim — the 3+3 dose-escalation design, exact and by simulation. See README.md.
#
# On a fresh Debian machine `make run` and `make check` are all the set-up:
# both run `make deps` first, which installs what is missing (as root) or
# prints the command that would.

PREFIX ?= /usr/local
DESTDIR ?=
SAN ?= 0
MPI ?= 0
CFLAGS ?= -O2 -g

# Each kind of build lives apart, so their objects never mix; bin/dosesim is a
# copy of the release build, or of the MPI build after `make MPI=1`.
ifeq ($(SAN),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(FUZZ),1)
BUILD := build/fuzz
CC := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
else ifeq ($(MPI),1)
BUILD := build/mpi
CC := mpicc
MPIFLAGS := -DDS_WITH_MPI
else
BUILD := build/release
endif

WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wconversion
# Deferred (=) so that pkg-config is asked after `make deps` has installed it.
GSL_CFLAGS = $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS = $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm)
# libcsv ships no .pc file on Debian.
CSV_LIBS = $(shell pkg-config --libs csv 2>/dev/null || echo -lcsv)

# HAVE_INLINE: GSL's own switch to inline gsl_rng_uniform and friends.
ALL_CPPFLAGS = -Iinclude -D_POSIX_C_SOURCE=200809L -DHAVE_INLINE $(MPIFLAGS) $(GSL_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 -pthread $(WARNINGS) $(CFLAGS) $(SANFLAGS) -MMD -MP
LIBS = $(CSV_LIBS) $(GSL_LIBS) -lm -pthread

# The library is every file of sim/lib/, the program every file of sim/cli/:
# a new module is a new file, and nothing here changes.
LIB_SRCS := $(sort $(wildcard sim/lib/*.c))
PROG_SRCS := $(sort $(wildcard sim/cli/*.c))
TEST_MODULES := testlib testrun test_rng test_design test_scenario test_engine test_exact test_shard test_timing test_oc test_report test_csv test_sha256 test_fileio test_cli test_safety test_contract test_accuracy \
                markup_check test_markup test_report_cmd test_figures test_readme test_interval test_text \
                test_optimise test_backfill

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
PROG_OBJS := $(PROG_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(filter-out $(BUILD)/sim/cli/main.o,$(PROG_OBJS)) # the program without its main()
FUZZ_TARGETS := scenario shard options rules plot compare decisions shortest
FUZZ_SECONDS ?= 20
TEST_OBJS := $(TEST_MODULES:%=$(BUILD)/tests/%.o)
LIBRARY := $(BUILD)/libdosesim.a
PROGRAM := $(BUILD)/bin/dosesim
# What make install adds besides them: the shared library (its own -fPIC
# objects, so that the static library and the program keep theirs), the
# pkg-config file, and the manual page made from the --help texts.
VERSION := $(shell sed -n 's/^\#define DS_VERSION "\(.*\)"/\1/p' include/dosesim/version.h)
SONAME := libdosesim.so.$(firstword $(subst ., ,$(VERSION)))
SHARED := $(BUILD)/libdosesim.so.$(VERSION)
PIC_OBJS := $(LIB_SRCS:%.c=$(BUILD)/pic/%.o)
PKGCONFIG := $(BUILD)/dosesim.pc
MANPAGE := $(BUILD)/dosesim.1
MPI_PROGRAM := build/mpi/bin/dosesim
TEST_RUNNER := $(BUILD)/tests/run_tests
# The screenshot checker of tests/report/browser.sh, built where zlib is.
PNGCHECK := $(BUILD)/tests/pngcheck
HAVE_ZLIB = $(wildcard /usr/include/zlib.h)

# The speed yardstick: the shared copy when this checkout sits beside it, else ours.
YARDSTICK := $(firstword $(wildcard ../shared/bench/limit.c) tests/bench/limit.c)

DEB_PACKAGES := gcc make libc6-dev pkg-config libgsl-dev libcsv-dev openmpi-bin libopenmpi-dev \
                gnuplot-nox
# For make fuzz and make valgrind (CI): clang with libFuzzer, and valgrind; for
# make check's R and pandas scripts (tests/tidy/), base R and Debian's pandas; for
# the R package (make r, r-check; its tests in make check), R's headers and testthat; for
# the report's browser test (report_cmd/in_a_browser): Chromium, a font, zlib;
# to compile the LaTeX report, pdflatex; to set the manual page, groff; to
# watch which files the program closes (cli/closes_only_its_files), strace.
DEV_PACKAGES := clang libclang-rt-dev valgrind r-base-core r-base-dev r-cran-testthat python3-pandas \
                chromium texlive-latex-base fonts-dejavu-core zlib1g-dev groff-base strace
# OpenMPI refuses to run as root unless told; CI runs as root.
MPI_ENV := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

.PHONY: all run compare figures check check-tidy check-r r r-check mpi-if-available test bench bench-peers deps deps-dev \
        fuzz valgrind install uninstall clean format FORCE
.DEFAULT_GOAL := all

ifeq ($(SAN),1)
all: $(LIBRARY) $(PROGRAM)
else
all: $(LIBRARY) bin/dosesim
endif

# Copied whenever it differs, so bin/dosesim is always the kind last built.
bin/dosesim: $(PROGRAM) FORCE
	@mkdir -p bin
	@cmp -s $(PROGRAM) $@ || cp $(PROGRAM) $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -Isim/cli -Isim/lib -Itests $(ALL_CFLAGS) -c $< -o $@

$(LIBRARY): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(SHARED): $(PIC_OBJS)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) $^ $(LIBS) -o $@

$(PKGCONFIG): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' 'prefix=$(PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$${exec_prefix}/lib' \
	    'includedir=$${prefix}/include' '' 'Name: dosesim' \
	    'Description: dose-escalation designs (the 3+3 family, the interval designs), exact and by simulation' \
	    'Version: $(VERSION)' 'Requires.private: gsl' 'Libs: -L$${libdir} -ldosesim' \
	    'Libs.private: $(CSV_LIBS) -lm -pthread' 'Cflags: -I$${includedir}' >$@

$(MANPAGE): $(PROGRAM)
	$(PROGRAM) --man >$@.tmp && mv $@.tmp $@

$(PROGRAM): $(PROG_OBJS) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PROG_OBJS) $(LIBRARY) $(LIBS) -o $@

$(TEST_RUNNER): $(TEST_OBJS) $(LIBRARY)
	$(CC) $(ALL_CFLAGS) $(TEST_OBJS) $(LIBRARY) $(LIBS) -o $@

$(PNGCHECK): tests/report/pngcheck.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARNINGS) $(CFLAGS) $(SANFLAGS) $< -lz -o $@

# A fuzz target under libFuzzer (make FUZZ=1), or replaying files without it.
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CLI_OBJS) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -Isim/cli $(ALL_CFLAGS) -fsanitize=fuzzer $< $(CLI_OBJS) $(LIBRARY) $(LIBS) -o $@

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(CLI_OBJS) $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -Isim/cli $(ALL_CFLAGS) $< tests/fuzz/replay.c $(CLI_OBJS) $(LIBRARY) \
	    $(LIBS) -o $@

$(BUILD)/bench/bench_engine: tests/bench/bench_engine.c $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $< $(LIBRARY) $(LIBS) -o $@

# Built exactly as its header says.
$(BUILD)/bench/limit: $(YARDSTICK)
	@mkdir -p $(dir $@)
	$(CC) -O2 -march=native $< -o $@

# The main job: every tifcemalimab scenario, default rules, written to results/tifcemalimab/.
TIFCEMALIMAB_CALENDAR := --accrual 3 --dropout 0.05 --dlt-onset weibull:2
run: deps
	@$(MAKE) --no-print-directory -s all
	$(PROGRAM) run scenarios/tifcemalimab.csv $(TIFCEMALIMAB_CALENDAR)
	$(PROGRAM) plot results/tifcemalimab

# The designs README.md compares on the tifcemalimab scenarios, each run with
# the calendar of make run into results/tifcemalimab/designs/<name>/.
COMPARE_DESIGNS := 3+3 3+3+3 ab:4,4,1,2,2 rolling6
COMPARE_DIR := results/tifcemalimab/designs
# The 3+3 against the interval designs, exact, at target 0.3 (README.md):
# folder:options, '_' for a space.
INTERVAL_DESIGNS := 3+3:--design_3+3 boin-12:--design_boin_--max-n_12 \
    boin-18:--design_boin_--max-n_18 i3+3-12:--design_i3+3_--max-n_12 \
    i3+3-18:--design_i3+3_--max-n_18 keyboard-18:--design_keyboard_--max-n_18
INTERVAL_DIR := results/tifcemalimab/interval
compare: deps
	@$(MAKE) --no-print-directory -s all
	@dirs=""; \
	for d in $(COMPARE_DESIGNS); do \
	  dir=$(COMPARE_DIR)/$$(echo $$d | tr ':,' '--'); \
	  echo "$(PROGRAM) run scenarios/tifcemalimab.csv --design $$d $(TIFCEMALIMAB_CALENDAR) --out $$dir"; \
	  $(PROGRAM) run scenarios/tifcemalimab.csv --design $$d $(TIFCEMALIMAB_CALENDAR) \
	      --out $$dir --quiet || exit 1; \
	  dirs="$$dirs $$dir"; \
	done; \
	echo "$(PROGRAM) compare$$dirs --out $(COMPARE_DIR)"; \
	$(PROGRAM) compare $$dirs --out $(COMPARE_DIR)
	@dirs=""; \
	for d in $(INTERVAL_DESIGNS); do \
	  name=$${d%%:*}; options=$$(echo "$${d#*:}" | tr '_' ' '); dir=$(INTERVAL_DIR)/$$name; \
	  echo "$(PROGRAM) exact scenarios/tifcemalimab.csv $$options --target 0.3 --out $$dir"; \
	  $(PROGRAM) exact scenarios/tifcemalimab.csv $$options --target 0.3 --out $$dir --quiet \
	      || exit 1; \
	  dirs="$$dirs $$dir"; \
	done; \
	echo "$(PROGRAM) compare$$dirs --out $(INTERVAL_DIR)"; \
	$(PROGRAM) compare $$dirs --out $(INTERVAL_DIR)

# The figures committed under results/figures/ and shown in README.md.
figures: run compare
	$(PROGRAM) sweep scenarios/tifcemalimab.csv --scenario expected --vary 2 --from 0.05 --to 0.6 \
	    --step 0.025 --out results/tifcemalimab/sweep_expected.csv --quiet
	$(PROGRAM) plot results/tifcemalimab --out results/figures
	cp $(COMPARE_DIR)/comparison.png results/figures/comparison.png
	$(PROGRAM) exact scenarios/tifcemalimab.csv --quiet
	$(PROGRAM) report results/tifcemalimab results/tifcemalimab/exact \
	    --out results/figures/report.html
	@mkdir -p build
	@tests/report/chromium.sh screenshot results/figures/report.html results/figures/report.png \
	    build/report-screenshot.log \
	  || { echo "figures: no screenshot of the report (chromium: make deps-dev)"; exit 1; }
	@echo "wrote results/figures/report.png (headless Chromium, 1200 x 1600)"

# The tests run this build's program and, for the MPI tests, the MPI build
# (without sanitizers: OpenMPI's own allocations are not ours to check).
check: deps
	@$(MAKE) --no-print-directory -s all $(TEST_RUNNER) $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%) \
	    $(if $(HAVE_ZLIB),$(PNGCHECK))
	@$(MAKE) --no-print-directory -s mpi-if-available
	@for t in $(FUZZ_TARGETS); do \
	  log=$(BUILD)/fuzz/replay_$$t.log; printf '%s: ' $$t; \
	  $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t >$$log 2>&1 \
	    && tail -n 1 $$log || { cat $$log; echo "replay of $$t inputs failed"; exit 1; }; done
	DOSESIM=$(PROGRAM) DOSESIM_MPI=$(MPI_PROGRAM) PNGCHECK=$(PNGCHECK) $(MPI_ENV) $(TEST_RUNNER)
	@tests/house/no_circle.sh $(LIB_OBJS) $(PROG_OBJS)
	@# A test runs by the name its line prints, as README.md says.
	@$(TEST_RUNNER) design/rule_cases | tail -n 1 | grep -qx '1 passed, 0 failed' \
	    || { echo "run_tests design/rule_cases does not run that one test"; exit 1; }
	@$(MAKE) --no-print-directory -s check-tidy
	@$(if $(filter build/release,$(BUILD)),$(MAKE) --no-print-directory -s check-r)
	@$(if $(filter build/release,$(BUILD)),tests/house/install.sh "$(MAKE)")

# The result sets as R and pandas users read them: stacked, joined, the protocol
# table (tests/tidy/stack.py and stack.R, a few seconds each). Each runs where it
# can and says so where it cannot; the first python3 on PATH may be one without
# pandas, so Debian's is tried first. make deps-dev installs both.
check-tidy: all
	@py=""; for p in /usr/bin/python3 $$(command -v python3 2>/dev/null); do \
	  if "$$p" -c 'import pandas' >/dev/null 2>&1; then py=$$p; break; fi; done; \
	if [ -n "$$py" ]; then "$$py" tests/tidy/stack.py $(PROGRAM) || exit 1; \
	else echo "tests/tidy/stack.py: skipped: pandas not installed (python3-pandas)"; fi
	@if command -v Rscript >/dev/null 2>&1; then Rscript tests/tidy/stack.R $(PROGRAM) || exit 1; \
	else echo "tests/tidy/stack.R: skipped: R not installed (r-base-core)"; fi

# The R package (sim/r/, README "From R"): its own files, with the library's
# sources and the program's (all but main.c) copied into src/ beside the glue,
# built as a source package in build/r/ and installed into build/r/lib.
R_PACKAGE := build/r/dosesim
R_LIBRARY := build/r/lib
R_VERSION = $(shell sed -n 's/^Version: //p' sim/r/DESCRIPTION)
R_TARBALL = build/r/dosesim_$(R_VERSION).tar.gz
R_SOURCES := $(LIB_SRCS) $(wildcard sim/lib/*.h) $(filter-out sim/cli/main.c,$(PROG_SRCS)) \
             $(wildcard sim/cli/*.h)
r: deps
	@command -v R >/dev/null 2>&1 || { echo "make r: R is not installed (r-base-dev: make deps-dev)"; exit 1; }
	@rm -rf $(R_PACKAGE) && mkdir -p $(R_PACKAGE) $(R_LIBRARY)
	@cp -R sim/r/. $(R_PACKAGE)/
	@mkdir -p $(R_PACKAGE)/src/include/dosesim $(R_PACKAGE)/inst/extdata
	@cp $(R_SOURCES) $(R_PACKAGE)/src/
	@cp include/dosesim/*.h $(R_PACKAGE)/src/include/dosesim/
	@cp scenarios/*.csv $(R_PACKAGE)/inst/extdata/
	cd build/r && R CMD build --no-manual dosesim >build.log 2>&1 || { cat build.log; exit 1; }
	R CMD INSTALL --no-test-load -l $(R_LIBRARY) $(R_TARBALL) >build/r/install.log 2>&1 \
	    || { cat build/r/install.log; exit 1; }
	@echo "make r: installed dosesim $(R_VERSION) into $(R_LIBRARY) (library(dosesim, lib.loc = \"$(R_LIBRARY)\"))"

# R CMD check on the built package, as CI runs it; a NOTE passes, a WARNING or
# an ERROR fails. Its tests compare with the program named by DOSESIM.
r-check: r all
	cd build/r && DOSESIM=$(abspath $(PROGRAM)) _R_CHECK_FORCE_SUGGESTS_=false \
	    R CMD check --no-manual $(notdir $(R_TARBALL)) >check.log 2>&1 || { cat check.log; exit 1; }
	@grep -E '^Status:' build/r/check.log
	@! grep -qE '^Status:.*(ERROR|WARNING)' build/r/check.log || { cat build/r/check.log; exit 1; }

# The R package's testthat tests, and README.md's R example run as printed
# (tests/r/readme.R), where R, its headers and testthat are installed.
check-r: all
	@if ! command -v R >/dev/null 2>&1 || ! Rscript -e 'quit(status = !requireNamespace("testthat", quietly = TRUE))' >/dev/null 2>&1 \
	    || [ ! -f "$$(R RHOME 2>/dev/null)/etc/Makeconf" ]; then \
	  echo "sim/r/tests: skipped: R, its headers or testthat not installed (r-base-dev r-cran-testthat)"; \
	else $(MAKE) --no-print-directory -s r && \
	  DOSESIM=$(abspath $(PROGRAM)) R_LIBS=$(abspath $(R_LIBRARY)) Rscript -e \
	    'testthat::test_dir("sim/r/tests/testthat", package = "dosesim", load_package = "installed", stop_on_failure = TRUE, reporter = "summary")' \
	    && Rscript tests/r/readme.R || exit 1; fi

# libFuzzer on the scenario parser, the option parser and the shard reader, each
# for FUZZ_SECONDS; new inputs go to build/fuzz/corpus, crashes to build/fuzz/crashes.
fuzz: deps deps-dev
	@$(MAKE) --no-print-directory -s FUZZ=1 $(FUZZ_TARGETS:%=build/fuzz/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  build/fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
	      -artifact_prefix=build/fuzz/crashes/$$t- build/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
	      $$(test -d tests/fuzz/regressions/$$t && echo tests/fuzz/regressions/$$t) \
	      > build/fuzz/$$t.log 2>&1 \
	    || { tail -50 build/fuzz/$$t.log; echo "fuzz: $$t failed; the input is in build/fuzz/crashes/"; exit 1; }; \
	  grep -E '^#[0-9]+' build/fuzz/$$t.log | tail -1; \
	done

# The whole suite under valgrind's memcheck: leaks and uninitialised reads the
# sanitizer build cannot see. The programs the suite starts run natively
# (make SAN=1 check covers them); a child the runner forks without exec (a FIFO
# writer, say) is not checked: it _exits holding the parent's memory, which
# valgrind would report as its leaks.
valgrind: deps deps-dev
	@$(MAKE) --no-print-directory -s SAN=0 FUZZ=0 MPI=0 all build/release/tests/run_tests \
	    $(if $(HAVE_ZLIB),build/release/tests/pngcheck)
	@$(MAKE) --no-print-directory -s mpi-if-available
	DOSESIM=build/release/bin/dosesim DOSESIM_MPI=$(MPI_PROGRAM) PNGCHECK=build/release/tests/pngcheck \
	    $(MPI_ENV) valgrind -q --child-silent-after-fork=yes \
	    --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    build/release/tests/run_tests

test: check

bench: deps
	@$(MAKE) --no-print-directory -s all $(BUILD)/bench/bench_engine $(BUILD)/bench/limit
	@$(MAKE) --no-print-directory -s mpi-if-available
	DOSESIM=$(PROGRAM) DOSESIM_MPI=$$(test -x $(MPI_PROGRAM) && echo $(MPI_PROGRAM)) $(MPI_ENV) \
	    tests/bench/bench.sh $(BUILD)/bench

# dosesim beside R's BOIN, bcrm and escalation where they are installed (R_LIBS
# may point to them); a benchmark, never part of make check.
bench-peers: all
	DOSESIM=$(PROGRAM) tests/bench/peers.sh

# Install the Debian packages $(2) that are missing when root, or say how to;
# $(1) names the target in the messages.
define install_missing
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "$(1): not a Debian system; make sure these are installed: $(2)"; exit 0; \
	fi; \
	missing=""; \
	for p in $(2); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "$(1): installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing; \
	else \
	  echo "$(1): missing$$missing; install them with:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
	fi
endef

# The MPI build, for the MPI tests and bench, where mpicc is installed.
mpi-if-available:
	@if command -v mpicc >/dev/null 2>&1; then $(MAKE) --no-print-directory -s SAN=0 MPI=1 $(MPI_PROGRAM); fi

deps:
	$(call install_missing,deps,$(DEB_PACKAGES))

deps-dev:
	$(call install_missing,deps-dev,$(DEV_PACKAGES))

install: all $(SHARED) $(PKGCONFIG) $(MANPAGE)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/dosesim \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 bin/dosesim $(DESTDIR)$(PREFIX)/bin/dosesim
	install -m 644 $(LIBRARY) $(DESTDIR)$(PREFIX)/lib/libdosesim.a
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/libdosesim.so.$(VERSION)
	ln -sf libdosesim.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libdosesim.so
	install -m 644 include/dosesim/*.h $(DESTDIR)$(PREFIX)/include/dosesim/
	install -m 644 $(PKGCONFIG) $(DESTDIR)$(PREFIX)/lib/pkgconfig/dosesim.pc
	install -m 644 $(MANPAGE) $(DESTDIR)$(PREFIX)/share/man/man1/dosesim.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dosesim $(DESTDIR)$(PREFIX)/lib/libdosesim.a \
	    $(DESTDIR)$(PREFIX)/lib/libdosesim.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME) \
	    $(DESTDIR)$(PREFIX)/lib/libdosesim.so $(DESTDIR)$(PREFIX)/lib/pkgconfig/dosesim.pc \
	    $(DESTDIR)$(PREFIX)/share/man/man1/dosesim.1
	rm -rf $(DESTDIR)$(PREFIX)/include/dosesim

clean:
	rm -rf build bin

format:
	clang-format -i sim/*/*.c sim/*/*.h include/dosesim/*.h tests/*.c tests/*.h tests/bench/bench_engine.c \
	    tests/report/pngcheck.c

-include $(wildcard $(BUILD)/sim/*/*.d $(BUILD)/tests/*.d $(BUILD)/pic/sim/lib/*.d)
