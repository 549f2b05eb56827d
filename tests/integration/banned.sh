#!/bin/sh
# The banned-function script finds what it must and passes the tree.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/src"
cat >"$TMP/src/bad.c" <<'C'
/* strcpy(dst, src) in a comment is fine */
static const char *s = "sprintf(x)"; // so is a string, and strtok( here
void f(char *a, const char *b) { strcpy(a, b); }
int g(const char *s) { return atoi(s); }
void h(char *b) { snprintf(b, 4, "x"); strtok_r(b, ",", &b); }
C
set +e
out=$("$SRC/scripts/check-banned" "$TMP/src" 2>&1)
st=$?
set -e
assert_eq 1 "$st" "exit status on banned calls"
assert_contains "$out" "bad.c:3: " "strcpy found"
assert_contains "$out" "bad.c:4: " "atoi found"
case "$out" in *"bad.c:1:"* | *"bad.c:2:"* | *"bad.c:5:"*) fail "comments, strings or _r/n variants flagged: $out" ;; esac
note "self-test passed"
"$SRC/scripts/check-banned"
