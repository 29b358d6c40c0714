# llamashare — build, test and check.
GO      ?= go
BIN     ?= bin/llamashare
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/llamashare/llamashare/pkg/cli.version=$(VERSION)

.PHONY: all build test vet fmt lint install clean examples bench man fuzz scale-test

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/llamashare

## test: lint (gofmt, vet, staticcheck), every test with the race detector, then the example fixtures (what CI runs)
test: lint
	$(GO) test -race ./...
	$(MAKE) examples

## examples: settle every examples/*/ and examples/*/fixture/ folder that has an expected.json and compare
EXAMPLES := $(patsubst %/expected.json,%,$(wildcard examples/*/expected.json examples/*/fixture/expected.json))
examples:
	@test -n "$(EXAMPLES)" || { echo "no examples/*/expected.json found"; exit 1; }
	$(GO) run ./cmd/llamashare check $(EXAMPLES)

vet:
	$(GO) vet ./...

## fuzz: run every fuzz target (go test -fuzz) for FUZZTIME each, one after
## another (go test fuzzes one target per run); a failure stops and leaves
## the input in the package's testdata/fuzz/<FuzzName>/. `make test` runs
## the seed corpora only. FUZZ=FuzzDecodeRow runs just the named target(s).
FUZZTIME ?= 30s
FUZZ     ?=
fuzz:
	@set -e; $(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ {names = names " " $$1} /^ok / {if (names != "") print $$2 names; names = ""}' | \
	while read -r pkg names; do \
		for name in $$names; do \
			if [ -n "$(FUZZ)" ] && ! echo " $(FUZZ) " | grep -q " $$name "; then continue; fi; \
			echo "== $$name ($$pkg, $(FUZZTIME))"; \
			out=$$($(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) || { echo "$$out"; exit 1; }; \
			echo "$$out" | tail -n 3; \
		done; \
	done

fmt:
	gofmt -w $$(git ls-files '*.go')

## lint: formatting, vet and staticcheck (pinned), failing on any finding
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

## bench: 200k distinct products on the fast path (a bound, not a timing); time llamashare (and DuckDB, mlr, datamash when installed) on generated reports; check flat memory
bench:
	$(GO) test -run '^$$' -bench 'DistinctProducts' -benchtime 1x ./pkg/ingest
	scripts/bench.sh

install:
	$(GO) install -ldflags "$(LDFLAGS)" ./cmd/llamashare

## man: a man page per command into man/, from the commands' help; the
## pages carry a fixed date, so the same sources give the same files
man:
	rm -rf man
	$(GO) run ./cmd/llamashare-man man

clean:
	rm -rf bin man

## scale-test: SPEC 11 on a ClickHouse cluster of two local shards behind a
## Distributed table (scripts/scale-test.sh starts and stops Debian's
## clickhouse-server; not part of `make test`)
scale-test:
	scripts/scale-test.sh

## crosscheck: settle random agreements and revenue and compare, to the cent, with
## the independent Python oracle of SPEC 5 (testdata/oracle; not part of `make test`)
crosscheck: build
	python3 testdata/oracle/crosscheck.py --bin $(BIN) --seeds 500
