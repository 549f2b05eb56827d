#!/bin/sh
# Every C file is formatted with the committed .clang-format.
. "$(dirname "$0")/lib.sh"
need clang-format
cd "$SRC"
files=$(find agent checks collector include lib reports tests -name '*.[ch]' 2>/dev/null | sort)
clang-format --dry-run -Werror $files
echo "$(echo "$files" | wc -l) files formatted"
