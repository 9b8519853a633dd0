# Waiting for a DNS server a script has just started. Sourced by knot.sh (so by
# every script that sources that).

# wait_for_answer PID LOG WHAT PATTERN INTERVAL TRIES DIG-ARGS...: asks with dig
# (one try, one second) every INTERVAL seconds, up to TRIES times, until the short
# answer matches PATTERN. Stops early when PID has exited. On failure prints LOG
# and "WHAT did not answer" to stderr and returns 1.
wait_for_answer() {
  local pid=$1 log=$2 what=$3 pattern=$4 interval=$5 tries=$6 i
  shift 6
  for i in $(seq 1 "$tries"); do
    if dig "$@" +short +tries=1 +time=1 2>/dev/null | grep -q "$pattern"; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep "$interval"
  done
  cat "$log" >&2
  echo "$what did not answer" >&2
  return 1
}
