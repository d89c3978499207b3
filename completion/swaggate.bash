# bash completion for swaggate(1). Installed as
# $(datadir)/bash-completion/completions/swaggate; to try it without
# installing: source completion/swaggate.bash
# Plain compgen only, so that it works without the bash-completion package.

_swaggate_files()
{
    # Files and folders; the names the shell quotes as it inserts them.
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$1"))
}

_swaggate_dirs()
{
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$1"))
}

# Values of option $1 for command $2, as words; returns 1 when $1 takes no
# value from a fixed list.
_swaggate_values()
{
    case $1 in
    --format)
        case $2 in
        rules) echo "text json man" ;;
        config) echo "man" ;;
        plan) echo "text json" ;;
        *) echo "text json sarif github junit" ;;
        esac ;;
    --profile) echo "apig swagger" ;;
    --input-format) echo "auto json yaml" ;;
    --color) echo "auto always never" ;;
    --api-mode | --extend-mode) echo "merge override" ;;
    --conflict-key) echo "both name route" ;;
    --merge-conflicts) echo "failure ignore" ;;
    --limit)
        # The names from the swaggate being completed, so they never go stale.
        "${COMP_WORDS[0]}" lint --limit help 2>/dev/null |
            while read -r name _; do
                case $name in Limits* | '') ;; *) printf '%s= ' "$name" ;; esac
            done
        echo help ;;
    -j | --jobs) echo "0 1 2 4 8" ;;
    *) return 1 ;;
    esac
}

_swaggate()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="lint convert normalize schema rules version plan request serve hook config help"
    COMPREPLY=()

    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return 0
    fi
    cmd=${COMP_WORDS[1]}

    local opts
    case $cmd in
    lint)
        opts="--profile --format --color --source --no-source --input-format --limit
              --ref-root --config --no-config --baseline --write-baseline -j --jobs
              --stdin-name --swagger-only --help" ;;
    convert)
        opts="-o --output --compact --force --input-format --limit --ref-root --color --source
              --no-source --help" ;;
    normalize)
        opts="-o --output --canonical --force --input-format --limit --ref-root --config
              --no-config --strict --color --source --no-source --help" ;;
    schema)
        opts="--ref-map --format --color --source --no-source --input-format --limit --help" ;;
    rules) opts="--format --help" ;;
    config) opts="--print --format --config --no-config --profile --limit --help" ;;
    hook)
        if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W "install --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "--force" -- "$cur"))
        fi
        return 0 ;;
    help)
        [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return 0 ;;
    version) opts="--help" ;;
    plan)
        opts="--existing --api-mode --extend-mode --conflict-key --merge-conflicts --mock-mode
              --simple-mode --group-id --existing-group-name --format --write-group --limit
              --force --help" ;;
    request)
        opts="-o --output --group-id --create-group --no-create-group --api-mode --extend-mode
              --simple-mode --mock-mode --max-size --file-name --curl --url --limit --force
              --help" ;;
    serve) opts="--listen --data --tokens --workers --max-size --quiet --help" ;;
    *) return 0 ;;
    esac

    # --opt=VALUE in one word
    if [[ $cur == --*=* ]]; then
        local opt=${cur%%=*} val=${cur#*=} words
        if words=$(_swaggate_values "$opt" "$cmd"); then
            COMPREPLY=($(compgen -P "$opt=" -W "$words" -- "$val"))
        fi
        return 0
    fi
    # --opt VALUE in two words
    local words
    if words=$(_swaggate_values "$prev" "$cmd"); then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        [[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
        return 0
    fi
    case $prev in
    --ref-root | --data) _swaggate_dirs "$cur"; return 0 ;;
    --tokens) _swaggate_files "$cur"; return 0 ;;
    --existing | --write-group | -o | --output | --curl) _swaggate_files "$cur"; return 0 ;;
    --group-id | --existing-group-name | --file-name | --url) return 0 ;;
    --listen | --workers | --max-size) return 0 ;;
    --config | --baseline | --write-baseline | --stdin-name) _swaggate_files "$cur"; return 0 ;;
    --ref-map) return 0 ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return 0
    fi
    case $cmd in
    rules | version | serve) return 0 ;;
    esac
    _swaggate_files "$cur"
}
complete -F _swaggate swaggate
