#!/bin/sh
# `npm test`: lint, then the type-check, beside the jest tasks. Lint takes seconds and prints first, before any jest
# task ends, so it is still the first failure to read; tsc keeps one core busy for 5-20 s, and the tests wait on
# child processes, servers and terraform often enough to leave it the other. One after the other, the checks added
# their whole time to every run. Arguments go to nx (`npm test -- --skip-nx-cache`). Fails when any of them fails.
{
  npm run lint
  lint=$?
  npm run typecheck || exit
  exit "$lint"
} &
checks=$!
nx run-many -t test-unit test-e2e --output-style=static "$@"
tests=$?
wait "$checks" || exit
exit "$tests"
