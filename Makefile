# The two commands of the README. Both install what is missing first.
.PHONY: run test bench

## Build and serve the app with demo data on http://127.0.0.1:3000
run:
	scripts/run.sh

## Run every check CI runs
test:
	scripts/test.sh

## Pages over TCP next to a hand-written baseline (and on PostgreSQL when BENCH_DATABASE_URL is set)
bench:
	@command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq wrk || sudo apt-get install -y -qq wrk; }
	cargo bench -p server --bench pages
