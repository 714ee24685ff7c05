# pchat-hadr: `make example` renders the example site into out/,
# `make test` runs every check CI runs.
GO ?= go

.PHONY: all build example test vet golden clean

all: build

build:
	$(GO) build -o pchat-hadr .

example:
	$(GO) run . generate --example

test: vet
	$(GO) test ./...

vet:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# Rewrite the golden files from the current templates. Review the diff
# (git diff golden/) as a DBA would before committing it.
golden:
	PCHAT_HADR_UPDATE=1 $(GO) test . -run 'TestGolden$$'
	git status --short golden/

clean:
	rm -rf out pchat-hadr
