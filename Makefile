# The two commands of the README. Both install what is missing first.
.PHONY: run test

## Build and serve the app with demo data on http://127.0.0.1:3000
run:
	scripts/run.sh

## Run every check CI runs
test:
	scripts/test.sh
