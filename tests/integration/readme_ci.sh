#!/bin/sh
# README.md gives exactly two set-up commands, and .ci/run runs the second
# one exactly as the README has it.
. "$(dirname "$0")/lib.sh"

# The commands are the lines of the two ```sh blocks under "## Set up".
blocks=$(awk '/^## Set up/ { on = 1; next } /^## / { on = 0 } on' "$SRC/README.md" |
	awk '/^```sh$/ { inb = 1; next } /^```$/ { inb = 0; next } inb && NF')
n=$(printf '%s\n' "$blocks" | grep -c .)
assert_eq 2 "$n" "number of set-up commands in README.md"
run_cmd=$(printf '%s\n' "$blocks" | sed -n 1p)
test_cmd=$(printf '%s\n' "$blocks" | sed -n 2p)
ci_cmd=$(grep -v -e '^#' -e '^set ' -e '^cd ' -e '^$' "$SRC/.ci/run")
assert_eq "$test_cmd" "$ci_cmd" ".ci/run runs the README's test command"
assert_contains "$run_cmd" "scripts/install-deps --demo" "the first command installs the demo's servers"
assert_contains "$run_cmd" "scripts/demo build" "the first command runs the demo (tests/integration/demo.sh runs it)"
assert_contains "$test_cmd" "HUOLTO_SANITIZE=ON" "the test command uses the sanitizers"
assert_contains "$test_cmd" "HUOLTO_WERROR=ON" "the test command builds with -Werror"
assert_contains "$test_cmd" "ctest" "the test command runs ctest"
echo "PASS"
