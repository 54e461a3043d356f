# Marquee, the movie ticket booking server.
#
#   make run     start the server locally: embedded database, and the Inngest
#                Dev Server beside it once `make tools` has built it
#   make test    everything CI runs
#
# `make help` lists every target. Only Go is needed; the race run also needs a
# C compiler and is skipped without one. Settings come from the environment
# and .env (see .env.example); the variables below tune the targets.

GO             ?= go
GOFMT          ?= $(shell $(GO) env GOROOT)/bin/gofmt
DATA_DIR       ?= data
IMAGE          ?= marquee
LOADFLAGS      ?=
FUZZTIME       ?= 60s
# make test counts inputs rather than seconds: with a duration, Go 1.26's
# fuzzer can fail a target with "context deadline exceeded" as its time runs
# out on a busy machine, having found nothing (golang/go#75804, fixed in Go
# 1.27).
FUZZTIME_SHORT ?= 3000x
TEST_TIMEOUT   ?= 20m

# Debian's Chromium, for the browser test of package quickshow; `make test`
# installs it when it is missing.
CHROMIUM ?= /usr/bin/chromium

# The Inngest Dev Server, built from the pinned tools module.
INNGEST     := bin/inngest
INNGEST_MOD := tools/inngest/go.mod

.DEFAULT_GOAL := help

.PHONY: help run build tools chromium test vet test-go test-race fuzz fuzz-short bench \
	lint load docker clean

help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-11s %s\n", $$1, $$2 }' \
		$(MAKEFILE_LIST)

# ---------------------------------------------------------------------------
# Running and building

# run exports APP_ENV=development, INNGEST_DEV=1 and CLERK_DEV_KEYS=true (the
# demo tokens of cmd/devtoken) unless they are set, and
# PORT from the environment, else from .env, else 8080, so that the server
# and the Dev Server agree on it. The Dev Server runs in the background and
# is stopped by the EXIT trap however the server ends; INT and TERM exit the
# shell so that the trap runs.
run: ## Run the server for development, with the Inngest Dev Server if built
	@export APP_ENV="$${APP_ENV:-development}" INNGEST_DEV="$${INNGEST_DEV:-1}" \
		CLERK_DEV_KEYS="$${CLERK_DEV_KEYS:-true}"; \
	port="$${PORT:-$$(sed -n 's/^PORT=[^0-9]*\([0-9][0-9]*\).*/\1/p' .env 2>/dev/null | \
		tail -n 1)}"; \
	export PORT="$${port:-8080}"; \
	if [ -x $(INNGEST) ]; then \
		mkdir -p "$(DATA_DIR)"; \
		$(INNGEST) dev --no-discovery -u "http://127.0.0.1:$$PORT/api/inngest" \
			>"$(DATA_DIR)/inngest.log" 2>&1 & \
		inngest_pid=$$!; \
		trap 'kill $$inngest_pid 2>/dev/null; wait $$inngest_pid 2>/dev/null' EXIT; \
		trap 'exit 130' INT TERM; \
		echo "Inngest Dev Server started on http://127.0.0.1:8288 (log: $(DATA_DIR)/inngest.log)"; \
	else \
		echo "The Inngest Dev Server is not built, so background functions will not run."; \
		echo "'make tools' builds it into $(INNGEST) (about 4 minutes, once)."; \
	fi; \
	echo "APP_ENV=$$APP_ENV INNGEST_DEV=$$INNGEST_DEV PORT=$$PORT $(GO) run ./cmd/server"; \
	$(GO) run ./cmd/server

build: ## Build the static server binary bin/server
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/server ./cmd/server

tools: $(INNGEST) ## Build the Inngest Dev Server into bin/inngest when missing or stale

# Rebuilt only when missing or older than the tools module's go.mod. go build
# may leave an up-to-date binary untouched, hence the touch. GOWORK=off keeps
# a go.work file of the main module from capturing the tools module.
$(INNGEST): $(INNGEST_MOD)
	@echo "Building the Inngest Dev Server into $@; the first build takes about 4 minutes."
	cd tools/inngest && GOWORK=off $(GO) build -o ../../$@ github.com/inngest/inngest/cmd
	@touch $@

chromium: ## Install Debian's Chromium for the browser test, when it is missing
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $(CHROMIUM) is installed"; \
	else \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

load: ## Run the load generator: make load LOADFLAGS='...'
	$(GO) run ./cmd/load $(LOADFLAGS)

docker: ## Build the container image (IMAGE=marquee)
	docker build -t $(IMAGE) .

clean: ## Remove build output; keeps bin/inngest (slow to build) and data/
	rm -f bin/server *.test *.out

# ---------------------------------------------------------------------------
# Checking. To add a step to `make test`, add a target and list it here.

test: tools vet test-go test-race fuzz-short ## Everything CI runs

vet: ## Run go vet
	$(GO) vet ./...

test-go: tools chromium ## Run every test once, end-to-end tests included
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

# Unit packages are those whose test binary does not link the MongoDB
# driver: the concurrency tests against the embedded database are too slow
# under -race on two cores. The list comes from the package graph, so new
# packages join without editing this file.
UNIT_PKGS = $(GO) list -test -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./... | \
	awk '$$1 ~ /\.test$$/ && !/ go\.mongodb\.org\/mongo-driver/ \
		{ sub(/\.test$$/, "", $$1); print $$1 }'

test-race: ## Run the unit packages' tests with the race detector
	@set -- $$($(GO) env CC); \
	if [ "$$($(GO) env CGO_ENABLED)" != 1 ] || ! command -v "$$1" >/dev/null 2>&1; then \
		echo "test-race: skipped, the race detector needs cgo and a C compiler"; \
		exit 0; \
	fi; \
	pkgs=$$($(UNIT_PKGS)); \
	if [ -z "$$pkgs" ]; then echo "test-race: no unit packages"; exit 0; fi; \
	echo "$(GO) test -race -count=1 -timeout 10m" $$pkgs; \
	$(GO) test -race -count=1 -timeout 10m $$pkgs

fuzz: ## Fuzz every Fuzz target for FUZZTIME (60s) each
fuzz-short: ## Fuzz every Fuzz target for FUZZTIME_SHORT (3000 inputs) each

fuzz: FUZZ_FOR = $(FUZZTIME)
fuzz-short: FUZZ_FOR = $(FUZZTIME_SHORT)

# go test -fuzz takes one target of one package at a time, so the targets
# are found in the *_test.go files and fuzzed one by one.
fuzz fuzz-short:
	@n=0; \
	for file in $$(find . \( -path ./.git -o -path ./bin -o -path ./data -o -path ./tools \
		-o -name testdata \) -prune -o -name '*_test.go' -exec grep -l '^func Fuzz' {} +); do \
		dir=$$(dirname "$$file"); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$file"); do \
			n=$$((n + 1)); \
			echo "$(GO) test -run '^\$$' -fuzz '^$$name\$$' -fuzztime $(FUZZ_FOR) $$dir"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZ_FOR) "$$dir" || exit 1; \
		done; \
	done; \
	echo "$@: $$n fuzz target(s), $(FUZZ_FOR) each"

# bench shows go test's own output as it comes, then the results again as
# one table, headed by the commit and the machine, with times in ms; it
# fails when go test does.
bench: ## Run every benchmark once and print a table
	@out=$$(mktemp); trap 'rm -f "$$out" "$$out.rc"' EXIT; \
	{ $(GO) test -run '^$$' -bench . -benchmem -count 1 ./... 2>&1; echo $$? >"$$out.rc"; } | \
		tee "$$out"; \
	echo; \
	echo "make bench at $$(git describe --always --dirty 2>/dev/null), $$(date -u +%F)," \
		"$$($(GO) env GOVERSION), $$(getconf _NPROCESSORS_ONLN) CPUs; shared machines are noisy"; \
	awk -v mod="$$($(GO) list -m)/" ' \
		BEGIN { printf "%-20s %-40s %10s  %s\n", "package", "benchmark", "runs", "per run" } \
		/^pkg: / { pkg = $$2; sub("^" mod, "", pkg) } \
		/^Benchmark/ { \
			printf "%-20s %-40s %10s", pkg, $$1, $$2; \
			for (i = 3; i < NF; i += 2) \
				if ($$(i + 1) == "ns/op") printf "  %.2f ms/op", $$i / 1e6; \
				else printf "  %s %s", $$i, $$(i + 1); \
			print "" \
		}' "$$out"; \
	exit "$$(cat "$$out.rc")"

lint: ## Check formatting with gofmt and run go vet
	@unformatted=$$($(GOFMT) -l .); \
	if [ -n "$$unformatted" ]; then \
		echo "These files need gofmt -w:"; echo "$$unformatted"; exit 1; \
	fi
	$(GO) vet ./...
