#!/usr/bin/env bash
# Fuzzes one Jazzer @FuzzTest for a set time (coverage-guided, libFuzzer under Jazzer).
#
#   scripts/fuzz.sh <module> <TestClass>#<method> [duration] [extra Maven args...]
#   scripts/fuzz.sh tools X402CodecFuzzTest#paymentRequiredHeader 5m -o
#
# duration: seconds, or a number with s, m or h (default 5m). Only one @FuzzTest runs per
# fuzzing run, so name the method. New coverage goes to <module>/.cifuzz-corpus/ (ignored by
# git); an input that fails the test is written as crash-<sha1> into the test's committed
# corpus, src/test/resources/<package>/<TestClass>Inputs/<method>/, where the normal build
# replays it: rename it for what it shows, fix the code, and commit both.
#
# Instrumented for coverage: the project's classes and the parsers they call (Jackson, and in
# policies SnakeYAML and CEL); set FUZZ_INSTRUMENT to a comma-separated list of globs to change it.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
module=$1
target=$2
duration=${3:-5m}
shift $(( $# >= 3 ? 3 : 2 ))

case $duration in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *) seconds=$duration ;;
esac

case $module in
  policies) default_instrument='dev.forage.**,com.fasterxml.jackson.**,org.yaml.snakeyaml.**,dev.cel.**' ;;
  *) default_instrument='dev.forage.**,com.fasterxml.jackson.**' ;;
esac

cd "$(dirname "$0")/.."
# -Djazzer.hooks=true: the normal build replays the corpus without instrumentation (faster);
# fuzzing needs it. jazzer.internal.arg.N are libFuzzer's arguments (arg.0 is argv[0]).
JAZZER_FUZZ=1 exec ./mvnw -B -DskipNpm -pl "$module" -am test \
  -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.hooks=true -Djazzer.instrument="${FUZZ_INSTRUMENT:-$default_instrument}" \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
  "$@"
