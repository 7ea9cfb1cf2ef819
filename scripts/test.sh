#!/usr/bin/env bash
# The test command (README.md): set-up, restore, build, run every test project, and print one
# closing line "N passed, N failed, N skipped" summed from the TRX result files.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || exit 1

results=TestResults
rm -rf "$results"
dotnet test Milan.Research.sln -c Release --settings tests/test.runsettings \
  --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  # xunit's skipped tests are counted in total but not in executed (notExecuted stays 0).
  skipped=$((skipped + $(value total) - $(value executed)))
done
if [ "$found" -eq 0 ]; then
  echo "test.sh: no TRX results were written (build or test host failure)" >&2
  [ "$status" -eq 0 ] && status=1
fi
[ "$failed" -gt 0 ] && [ "$status" -eq 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
