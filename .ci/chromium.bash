# Sourced by .ci/run (and usable alone: `source .ci/chromium.bash && require_chromium`): headless Chromium and its
# driver from Debian's packages for the browser tests of serve's web page (WebPageBrowserTest).
# require_chromium installs chromium and chromium-driver with apt-get when either is missing and this runs as root,
# then exports JOBPILOT_TEST_BROWSER=required, so a browser that cannot start fails those tests instead of skipping
# them. It fails when the browser cannot be had (missing, and not root), so CI never skips them silently.

require_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
      echo "ci: chromium or chromedriver is not installed and this is not root; install them (apt-get install -y chromium chromium-driver)" >&2
      return 1
    fi
    echo "ci: installing headless Chromium (apt-get install -y chromium chromium-driver)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null \
      || { echo "ci: chromium and chromium-driver could not be installed" >&2; return 1; }
  fi
  export JOBPILOT_TEST_CHROMIUM JOBPILOT_TEST_CHROMEDRIVER
  JOBPILOT_TEST_CHROMIUM=$(command -v chromium)
  JOBPILOT_TEST_CHROMEDRIVER=$(command -v chromedriver)
  export JOBPILOT_TEST_BROWSER=required
}
