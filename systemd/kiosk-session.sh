#!/bin/sh
# The kiosk screen: runs inside cage (a one-window Wayland compositor), waits until the daemon's
# /healthz answers, then runs Chromium in kiosk mode and starts it again whenever it exits.
# Started by kiosk-browser.service as: cage -- /opt/kiosk/systemd/kiosk-session.sh
#
# Environment (from /etc/kiosk/browser.env):
#   KIOSK_URL          daemon base URL                      default http://127.0.0.1:8080
#   KIOSK_SCREEN       kiosk | counter | display            default kiosk  (kiosk is /)
#   KIOSK_WAIT_SECS    give up waiting for /healthz after   default 120 (exit 1; systemd restarts us)
#   KIOSK_PROFILE_DIR  Chromium profile                      default $STATE_DIRECTORY/profile
#   KIOSK_BROWSER      browser binary                        default /usr/bin/chromium
#   KIOSK_BROWSER_EXTRA_FLAGS  more flags, space-separated (for example --force-device-scale-factor=1.5)
set -eu

base=${KIOSK_URL:-http://127.0.0.1:8080}
base=${base%/}
screen=${KIOSK_SCREEN:-kiosk}
wait_secs=${KIOSK_WAIT_SECS:-120}
profile=${KIOSK_PROFILE_DIR:-${STATE_DIRECTORY:-${HOME:-/tmp}/.kiosk-browser}/profile}
browser=${KIOSK_BROWSER:-/usr/bin/chromium}

case $screen in
  kiosk) url=$base/ ;;
  counter | display) url=$base/$screen ;;
  *) echo "kiosk-session: KIOSK_SCREEN must be kiosk, counter or display (got '$screen')" >&2; exit 2 ;;
esac
case $wait_secs in
  '' | *[!0-9]*) echo "kiosk-session: KIOSK_WAIT_SECS must be a whole number of seconds (got '$wait_secs')" >&2; exit 2 ;;
esac

child=
stop() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  exit 0
}
trap stop TERM INT HUP

wait_for_daemon() {
  deadline=$(($(date +%s) + wait_secs))
  until curl --silent --fail --output /dev/null --max-time 2 "$base/healthz"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "kiosk-session: $base/healthz did not answer within ${wait_secs}s" >&2
      exit 1
    fi
    sleep 1
  done
}

mkdir -p "$profile"
while :; do
  wait_for_daemon
  # A crash or power cut leaves "exited_cleanly": false, and Chromium would offer to restore pages.
  prefs=$profile/Default/Preferences
  if [ -f "$prefs" ]; then
    sed -i -e 's/"exited_cleanly":false/"exited_cleanly":true/' -e 's/"exit_type":"[^"]*"/"exit_type":"Normal"/' "$prefs" || true
  fi
  echo "kiosk-session: starting $browser at $url"
  # Word splitting of the extra flags is intended.
  # shellcheck disable=SC2086
  "$browser" \
    --kiosk \
    --noerrdialogs \
    --disable-translate \
    --no-first-run \
    --no-default-browser-check \
    --disable-features=TranslateUI \
    --overscroll-history-navigation=0 \
    --disable-pinch \
    --check-for-update-interval=31536000 \
    --autoplay-policy=no-user-gesture-required \
    --password-store=basic \
    --ozone-platform=wayland \
    --user-data-dir="$profile" \
    ${KIOSK_BROWSER_EXTRA_FLAGS:-} \
    "$url" &
  child=$!
  status=0
  wait "$child" || status=$?
  child=
  echo "kiosk-session: browser exited with status $status; restarting in 2s" >&2
  sleep 2
done
