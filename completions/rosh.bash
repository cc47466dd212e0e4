# bash completion for rosh(1)                              -*- shell-script -*-
#
# Options, namespace names after -n/--netns, files after -f, and the console
# text after -c: that is completed by rosh itself (`rosh --complete LINE`
# prints the candidates one a line), so the command line and the
# interactive shell share one completion engine. Quote the -c text:
#     rosh -n rosh-router -c '/ip firewall connection pr<Tab>
# Installed as .../bash-completion/completions/rosh; or `source` this file.

# _rosh_console_line BIN NETNS TEXT: COMPREPLY for console text TEXT.
_rosh_console_line() {
	local bin=$1 netns=$2 text=$3 quoted=$4
	local out c i best
	local -a cands=() nsopt=() to=()
	command -v timeout >/dev/null 2>&1 && to=(timeout 3)
	[[ -n $netns ]] && nsopt=(-n "$netns")
	out=$("${to[@]}" "$bin" "${nsopt[@]}" --complete "$text" 2>/dev/null)
	# (entering a namespace needs root; item names aside, the candidates
	# are the same outside it)
	if [[ -z $out && ${#nsopt[@]} -gt 0 ]]; then
		out=$("${to[@]}" "$bin" --complete "$text" 2>/dev/null)
	fi
	[[ -n $out ]] || return 0
	mapfile -t cands <<<"$out"
	# A candidate replaces the end of TEXT that starts at a word boundary
	# (start, space, =, /, ",", [, (, !, ", ;, {) and that it begins with:
	# "firewall" for "/ip fi", "forward" for "chain=for", or whole lines.
	COMPREPLY=()
	for c in "${cands[@]}"; do
		[[ -n $c ]] || continue
		best=
		for ((i = 0; i <= ${#text}; i++)); do
			if ((i > 0)); then
				case ${text:i-1:1} in
				' ' | '=' | '/' | ',' | '[' | '(' | '!' | '"' | ';' | '{') ;;
				*) continue ;;
				esac
			fi
			if [[ $c == "${text:i}"* ]]; then
				best=$i
				break
			fi
		done
		[[ -n $best ]] || continue
		COMPREPLY+=("${text:0:best}$c")
	done
	compopt -o nospace 2>/dev/null
	if ((${#COMPREPLY[@]} == 1)); then
		c=${COMPREPLY[0]}
		case $c in
		*[=/\ ]) ;;
		*) c+=' ' ;;
		esac
		if [[ -n $quoted ]]; then
			# One candidate inside an open quote: readline would close the
			# quote. Two candidates differing only after the common prefix
			# keep it open and insert exactly that prefix.
			COMPREPLY=("$c" "$c ")
		else
			COMPREPLY=("$c")
		fi
	fi
}

_rosh() {
	COMPREPLY=()
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local opts='-c --command -f --file -n --netns -j --json --complete -h --help -V --version'

	# --netns=NAME is split by COMP_WORDBREAKS into "--netns" "=" "NAME"
	if [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=
	fi

	# the binary being completed for, and a namespace given before
	local bin=${COMP_WORDS[0]} netns='' i
	bin=${bin/#\~/$HOME}
	[[ $bin == */* && -x $bin ]] || bin=rosh
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-n | --netns)
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				netns=${COMP_WORDS[i + 2]}
			else
				netns=${COMP_WORDS[i + 1]}
			fi
			;;
		esac
	done

	case $prev in
	-n | --netns)
		local names
		names=$(ip netns list 2>/dev/null | awk '{ print $1 }')
		mapfile -t COMPREPLY < <(compgen -W "$names" -- "$cur")
		return 0
		;;
	-f | --file)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	-c | --command | --complete)
		local quoted=
		case $cur in
		\'* | \"*)
			quoted=${cur:0:1}
			cur=${cur:1}
			;;
		esac
		_rosh_console_line "$bin" "$netns" "$cur" "$quoted"
		return 0
		;;
	esac

	mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
	return 0
}

complete -F _rosh rosh
