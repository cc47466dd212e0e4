#!/usr/bin/env bats
# Real RouterOS scripts (the corpus: $ROSH_CORPUS, else tests/corpus, else
# /work/shared/corpus), each imported with --keep-going into a fresh
# namespace by tools/corpus-report: no crash, every refusal a RouterOS-style
# message with line and column, export -> import -> export identical, and
# per-menu acceptance at least the floors below (measured, minus a margin:
# a regression fails here). The tool makes and deletes its own namespaces.

load helpers/load

corpus_dir() {
	local d
	for d in "${ROSH_CORPUS:-}" "$BATS_TEST_DIRNAME/../corpus" /work/shared/corpus; do
		if [[ -n $d && -d $d ]] && compgen -G "$d/*.rsc" >/dev/null; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

setup_file() {
	require_rosh
	CORPUS=$(corpus_dir) || skip "no corpus of .rsc files (set ROSH_CORPUS)"
	export CORPUS
	REPORT_DIR=$BATS_FILE_TMPDIR/report
	mkdir -p "$REPORT_DIR/logs"
	export REPORT_DIR
	ROSH_CORPUS=$CORPUS "$BATS_TEST_DIRNAME/../../tools/corpus-report" \
		--rosh "$ROSH" --tsv --logs "$REPORT_DIR/logs" \
		>"$REPORT_DIR/tsv" 2>"$REPORT_DIR/stderr"
	echo $? >"$REPORT_DIR/rc"
}

teardown_file() {
	cleanup_all
}

# Floors in percent, for the menus with enough lines to measure. Measured
# on /work/shared/corpus (59 files, tools/corpus-report), minus a margin
# of a few points. Raise them when acceptance improves.
floor_of() {
	case $1 in
	"/ip firewall filter") echo 92 ;;
	"/ip firewall nat") echo 75 ;;
	"/ip firewall address-list") echo 77 ;;
	"/interface list") echo 95 ;;
	"/interface list member") echo 82 ;;
	"/ip firewall connection tracking") echo 100 ;;
	all) echo 88 ;;
	esac
}

@test "corpus: rosh never crashes and the report tool ran through" {
	[[ -n ${CORPUS:-} ]] || skip "no corpus"
	run cat "$REPORT_DIR/rc"
	refute_output 2
	run cat "$REPORT_DIR/stderr"
	assert_output ''
	run grep -c . "$REPORT_DIR/tsv"
	assert [ "$output" -gt 3 ]
	# every file got its log, and each ended with the per-menu summary
	local n=0 f
	for f in "$CORPUS"/*.rsc; do
		n=$((n + 1))
		[[ -f $REPORT_DIR/logs/$(basename "$f").err ]]
	done
	assert [ "$n" -gt 0 ]
}

@test "corpus: every refusal is FILE:LINE:COLUMN: message, RouterOS-style" {
	[[ -n ${CORPUS:-} ]] || skip "no corpus"
	run grep -h -v -E '^(/|rosh: .*: [0-9]+ of [0-9]+ commands applied)' "$REPORT_DIR"/logs/*.err
	assert_output ''
	# the messages are the console's, never an internal or empty one
	run grep -h -E '^/' "$REPORT_DIR"/logs/*.err
	refute_line --regexp '^[^:]+:[0-9]+:[0-9]+: *$'
	refute_line --regexp ':[0-9]+:[0-9]+: (\(null\)|error|unknown error)'
	run grep -c 'not a file:line:column error' "$REPORT_DIR/tsv"
	assert_output 0
}

@test "corpus: export -> import into an empty namespace -> export is identical" {
	[[ -n ${CORPUS:-} ]] || skip "no corpus"
	run grep -E '^PROBLEM' "$REPORT_DIR/tsv"
	assert_output ''
	run cat "$REPORT_DIR/rc"
	assert_output 0
	# and the exports are not all empty: something was applied
	run bash -c "cat '$REPORT_DIR'/logs/*.export | grep -c '^add '"
	assert [ "$output" -gt 100 ]
}

@test "corpus: per-menu acceptance at least the floors" {
	[[ -n ${CORPUS:-} ]] || skip "no corpus"
	local menu ok n kind floor tot_ok=0 tot=0 filter=0 bad=()
	while IFS=$'\t' read -r menu ok n kind; do
		[[ $menu != PROBLEM && $kind == known ]] || continue
		tot_ok=$((tot_ok + ok)) tot=$((tot + n))
		[[ $menu == "/ip firewall filter" ]] && filter=$n
		floor=$(floor_of "$menu")
		if [[ -n $floor ]] && ((n >= 5 && ok * 100 < floor * n)); then
			bad+=("$menu: $ok/$n below $floor%")
		fi
	done <"$REPORT_DIR/tsv"
	assert [ "$filter" -gt 0 ]
	floor=$(floor_of all)
	if ((tot_ok * 100 < floor * tot)); then
		bad+=("all of rosh's menus: $tot_ok/$tot below $floor%")
	fi
	run printf '%s\n' "${bad[@]}"
	assert_output ''
}
