#!/bin/sh
# `npm test`: lint first (seconds, and the cheapest failure to read), then the type-check beside the jest tasks. tsc
# keeps one core busy for about 20 s, and the tests wait on child processes, servers and terraform often enough to
# leave it the other; one after the other, the type-check added its whole time to every run. Arguments go to nx
# (`npm test -- --skip-nx-cache`). Fails when any of the three fails.
npm run lint || exit
npm run typecheck &
typecheck=$!
nx run-many -t test-unit test-e2e --output-style=static "$@"
tests=$?
wait "$typecheck" || exit
exit "$tests"
