#!/bin/sh
# The systemd units in the repository: systemd-analyze verify accepts them
# (with ExecStart pointed at the binaries just built), and the commands they
# run exist with those options.
. "$(dirname "$0")/lib.sh"
need systemd-analyze
COLLECTOR=${HUOLTO_COLLECTOR:?run through ctest}

mkdir -p "$TMP/units"
for unit in huolto-agent.service huolto-collector.service; do
	sed -e "s|@CMAKE_INSTALL_FULL_BINDIR@/huolto-agent|$AGENT|" \
		-e "s|@CMAKE_INSTALL_FULL_BINDIR@/huolto-collector|$COLLECTOR|" \
		"$SRC/systemd/$unit.in" >"$TMP/units/$unit"
	grep -q @CMAKE "$TMP/units/$unit" && fail "$unit: a placeholder is left"
done
cp "$SRC/systemd/huolto-agent.timer" "$TMP/units/"
for unit in huolto-agent.service huolto-agent.timer huolto-collector.service; do
	note "verify $unit"
	out=$(cd "$TMP/units" && systemd-analyze verify --man=no "./$unit" 2>&1) || fail "$unit: $out"
	[ -z "$out" ] || fail "$unit: $out"
done

note "the units run as their own users, the timer is daily with a random delay"
grep -qx 'User=huolto' "$TMP/units/huolto-agent.service" || fail "agent user"
grep -qx 'User=huolto-collector' "$TMP/units/huolto-collector.service" || fail "collector user"
grep -qx 'OnCalendar=daily' "$TMP/units/huolto-agent.timer" || fail "daily"
grep -q '^RandomizedDelaySec=' "$TMP/units/huolto-agent.timer" || fail "randomized delay"
grep -q '^u huolto ' "$SRC/systemd/huolto.sysusers" || fail "sysusers: huolto"
grep -q '^u huolto-collector ' "$SRC/systemd/huolto.sysusers" || fail "sysusers: huolto-collector"

note "the commands they start exist"
"$AGENT" --help | grep -q '^  run ' || fail "huolto-agent run"
"$COLLECTOR" --help | grep -q '^  serve ' || fail "huolto-collector serve"
echo PASS
