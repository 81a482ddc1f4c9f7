#!/bin/sh
# AgentTrail capture hook: the whole hot path. Claude Code runs it once per hook event, in exec form
#   /bin/sh -c '[ -r "$0" ] || exit 0; . "$0"' /path/agenttrail-capture.sh EVENT TRANSPORT
# (one process; a missing script exits 0 instead of sh's 2, which would block the tool call).
# It writes one spool record (docs/specs/spool-format.md) and exits 0 having printed nothing,
# whatever happens. It parses nothing and starts no interpreter: Claude Code's own spawn is the
# floor, and this adds one fork (cat) and builtins only. `agenttrail install` writes the installed
# copy with this machine's data directory and daemon start command filled in.
LC_ALL=C            # ${#var} counts bytes, in bash as in dash (not exported: the daemon start inherits the user's locale)
exec 2>/dev/null    # stderr is shown to the user by Claude Code: never write to it
umask 077
h='@HOME@'
d="$h/spool/new"
ev=${1:-unknown}
tr=${2:-command}

# A v4 UUID names the record and ends it (the trailer), read by a builtin: no fork.
id=
{ read -r id </proc/sys/kernel/random/uuid; } 2>/dev/null
[ -n "$id" ] || id="$$-$(date +%s)-$PPID"

# noclobber: two hooks can never write into one file.
set -C
if ! command exec >"$d/$id.rec"; then
  mkdir -p "$d" && chmod 700 "$h" "$h/spool" "$d"
  if ! command exec >"$d/$id.rec"; then
    LC_ALL=C cat >/dev/null   # drain stdin so Claude Code never blocks on the pipe
    exit 0
  fi
fi

p=${CLAUDE_PROJECT_DIR-}
ag=${AI_AGENT:--}   # e.g. claude-code_2-1-328_harness: the only place a hook learns Claude's version
ag=${ag%% *}
printf 'AT1 %s %s %s %s %s %s %s\n%s\n' "$ev" "$tr" "$$" "${PPID:-0}" "$id" "${#p}" "$ag" "$p"
# LC_ALL=C for cat alone: with the user's UTF-8 locale it opens ~25 locale files (measured 0.14 ms/event).
if LC_ALL=C cat; then
  printf '\n%s\n' "$id"
fi
# Stdout points at the record: nothing reaches Claude Code.

# Start the daemon if it is not running, on the few events that begin work. `read` and `kill -0`
# are builtins, so the common case (daemon up) costs nothing.
case $ev in
  SessionStart|UserPromptSubmit)
    pid=
    { read -r pid <"$h/daemon.pid"; } 2>/dev/null
    if [ "${AGENTTRAIL_AUTOSTART:-@AUTOSTART@}" != 0 ] && { [ -z "$pid" ] || ! kill -0 "$pid"; }; then
      @START@ </dev/null >/dev/null 2>&1 &
    fi
    ;;
esac
exit 0
