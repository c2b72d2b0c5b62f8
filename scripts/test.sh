#!/usr/bin/env bash
# scripts/test.sh: build and run every test in Socratic.sln, then print one plain summary line,
#   "N passed, N failed" (", N skipped" when some tests were not executed), read from the TRX files.
# Usage: ./scripts/test.sh [extra dotnet test args, e.g. --filter "FullyQualifiedName~Postgres"]
# Constraints: needs only bash, awk and the .NET SDK (no python); tests start their own throwaway
# PostgreSQL, so nothing is started here. Exits non-zero when a test failed or `dotnet test` failed
# (a build error leaves no TRX at all, which must not read as "0 failed").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Model-backed tests look for the shared test models beside the repository.
if [[ -z "${SOCRATIC_SHARED_MODELS:-}" && -d ../shared/models ]]; then
  SOCRATIC_SHARED_MODELS="$(cd ../shared/models && pwd)"
  export SOCRATIC_SHARED_MODELS
fi
# Browser tests use the system Chromium rather than downloading one (no internet on CI).
if [[ -z "${PLAYWRIGHT_CHROMIUM:-}" && -x /usr/bin/chromium ]]; then
  export PLAYWRIGHT_CHROMIUM=/usr/bin/chromium
fi

results=TestResults
rm -rf "$results"
mkdir -p "$results"
console_log="$results/console.log"

echo "==> dotnet test Socratic.sln -c Release $*"
# tee keeps the console output for the cross-check below; PIPESTATUS gives dotnet's own exit code
# (errexit is off around it so that a failing run still reaches the summary).
set +e
dotnet test Socratic.sln -c Release --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@" \
  2>&1 | tee "$console_log"
status=${PIPESTATUS[0]}
set -e

# Sum the <Counters .../> element of every TRX (one per test project and target framework).
# "failed" includes error/timeout/aborted outcomes: each is a test that did not pass.
trx_files=()
while IFS= read -r -d '' f; do trx_files+=("$f"); done < <(find "$results" -name '*.trx' -print0)

read -r total executed passed failed < <(
  if ((${#trx_files[@]})); then cat -- "${trx_files[@]}"; fi | awk '
    function attr(s, name,   re) {
      re = name "=\"[0-9]+\""
      if (match(s, re)) { s = substr(s, RSTART + length(name) + 2, RLENGTH - length(name) - 3); return s + 0 }
      return 0
    }
    BEGIN { RS = "<" }
    /^Counters[ \t\r\n]/ {
      t += attr($0, "total"); e += attr($0, "executed"); p += attr($0, "passed")
      f += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
    }
    END { printf "%d %d %d %d\n", t, e, p, f }'
)
skipped=$((total - executed))

# Cross-check against the console summaries ("Failed:  0, Passed:  1, Skipped:  0, Total:  1, ..."):
# two projects finishing in the same second could share a TRX name, and then the TRX sums are short.
read -r c_total c_passed c_failed c_skipped < <(awk '
  /(Passed|Failed)!.*Total:/ {
    for (i = 1; i <= NF; i++) {
      v = $(i + 1); gsub(/[^0-9]/, "", v)
      if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v
      else if ($i == "Skipped:") s += v; else if ($i == "Total:") t += v
    }
  }
  END { printf "%d %d %d %d\n", t, p, f, s }' "$console_log")
if ((c_total > total)); then
  echo "warning: TRX files account for $total tests but dotnet test reported $c_total; using its summary." >&2
  total=$c_total passed=$c_passed failed=$c_failed skipped=$c_skipped
fi

if ((${#trx_files[@]} == 0)); then
  echo "error: no TRX results in $results (did the build fail? see the output above)." >&2
fi

if ((status != 0 && failed == 0)); then
  echo "error: dotnet test exited with $status although no test failed (a project did not build? see above)." >&2
fi

summary="$passed passed, $failed failed"
if ((skipped > 0)); then summary+=", $skipped skipped"; fi
echo "$summary"

if ((failed > 0)); then exit 1; fi
if ((status != 0)); then exit "$status"; fi
if ((${#trx_files[@]} == 0)); then exit 1; fi
exit 0
