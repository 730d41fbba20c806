# Shared by the scripts that drive a running site (lighthouse.sh, screenshots.sh). Source it; it sets no options.

# wait_for_server URL INTERVAL: poll URL until it answers 2xx, up to 100 tries INTERVAL seconds apart. The
# callers go on either way: a server that never came up shows as the failure of their first real request.
wait_for_server() {
  local _
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$1" && return 0
    sleep "$2"
  done
  return 1
}
