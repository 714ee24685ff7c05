# pchat-hadr: `make example` renders the example site into out/,
# `make test` runs every check CI runs.
GO ?= go

.PHONY: all build example test vet go-test ps-check golden bench bench-vs-copy fuzz clean

# Sites rendered afresh for the PowerShell check: every valid fixture.
VALID_FIXTURES = $(filter-out fixtures/bad-%,$(wildcard fixtures/*.toml) $(patsubst %/,%,$(wildcard fixtures/*/)))
RENDER_DIR = .render

all: build

build:
	$(GO) build -o pchat-hadr .

example:
	$(GO) run . generate --example

test: vet ps-check go-test

# The model check (generator/model) runs verbose so that its output shows
# how many states and paths it explored; the rest runs as usual.
# The two run side by side: each leaves a core idle part of the time.
go-test:
	@$(GO) test -count=1 -v ./generator/model > .model-check.log 2>&1 & model=$$!; \
	$(GO) test $$($(GO) list ./... | grep -v '/generator/model$$'); rest=$$?; \
	wait $$model; status=$$?; \
	grep -E '^(--- FAIL|ok|FAIL)|explored [0-9]+ states|^\s+\S+_test\.go:' .model-check.log | grep -v 'with the fix taken out' ; rm -f .model-check.log; \
	[ $$rest -eq 0 ] && [ $$status -eq 0 ]

# PowerShell is parsed by a real PowerShell grammar (tools/ps-check): its own
# tests first (a broken script must fail), then every golden .ps1, a
# fresh render of every valid fixture and the collector.
ps-check: export PCHAT_HADR_CACHE = off
ps-check:
	cd tools/ps-check && npm ci --no-audit --no-fund --silent
	cd tools/ps-check && npm test --silent
	node tools/ps-check/check.mjs golden
	rm -rf $(RENDER_DIR) && $(GO) build -o $(RENDER_DIR)/pchat-hadr .
	$(RENDER_DIR)/pchat-hadr generate --out $(RENDER_DIR)/out/example --example > /dev/null
	for f in $(VALID_FIXTURES); do $(RENDER_DIR)/pchat-hadr generate --out $(RENDER_DIR)/out/$$(basename $$f .toml) $$f > /dev/null 2>&1 || exit 1; done
	$(RENDER_DIR)/pchat-hadr collector --out $(RENDER_DIR)/out/collector > /dev/null
	node tools/ps-check/check.mjs $(RENDER_DIR)/out
	rm -rf $(RENDER_DIR)

vet:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# Speed and memory benchmarks (docs/performance.md says how to read them).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./generator/e2e

# generate against cp -r of the tree it writes, and a no-change generate
# and check against sha256sum of every file, alternately in one run
# (docs/performance.md). Not part of make test: 1,000 sites take minutes.
# BEFORE=path/to/old/pchat-hadr measures that binary alternately with
# this checkout's, as the baseline of the same run.
SITES ?= 1000
RUNS ?= 5
BEFORE ?=
bench-vs-copy:
	$(GO) run ./tools/bench-vs-copy -sites $(SITES) -runs $(RUNS) $(if $(BEFORE),-before $(BEFORE))

# Fuzz load, validate and render for a while (make test runs the seeds).
FUZZTIME ?= 2m
fuzz:
	$(GO) test ./generator/e2e -run '^$$' -fuzz FuzzPipeline -fuzztime $(FUZZTIME)

# Rewrite the golden files from the current templates. Review the diff
# (git diff golden/) as a DBA would before committing it.
golden:
	PCHAT_HADR_UPDATE=1 $(GO) test ./generator/e2e -run 'TestGolden$$'
	git status --short golden/

clean:
	rm -rf out pchat-hadr $(RENDER_DIR)
