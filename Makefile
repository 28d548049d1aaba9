# The README's test command is `make test`: it installs the npm test peers (the NL GOV ADR
# linter and the independent protocol implementations the tests run against), then runs every
# Go test on SQLite and on PostgreSQL.
BEWIJS_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export BEWIJS_TEST_DATABASE_URL

PEERS := testdata/peers

.PHONY: test peers run build vet bench

test: peers
	go vet ./...
	go test -count=1 ./...

peers: $(PEERS)/node_modules/.installed

$(PEERS)/node_modules/.installed: $(PEERS)/package.json $(PEERS)/package-lock.json
	npm ci --prefix $(PEERS) --no-audit --no-fund
	touch $@

run:
	go run ./cmd/bewijs serve --demo

build:
	go build -o bewijs ./cmd/bewijs

bench:
	go test -run '^$$' -bench . -benchmem ./...
