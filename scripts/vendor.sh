#!/usr/bin/env bash
# Fetch the pinned front-end assets from the npm registry into src/kesu/web/static/vendor/.
#
# The files are committed, so a deployment (often on an intranet) never reaches a CDN or the
# registry. To upgrade: change a version and its integrity below (`npm view PACKAGE@VERSION
# dist.integrity`), run `make vendor`, check the pages, commit.
set -euo pipefail

HTMX_VERSION="2.0.8"
HTMX_INTEGRITY="sha512-fm297iru0iWsNJlBrjvtN7V9zjaxd+69Oqjh4F/Vq9Wwi2kFisLcrLCiv5oBX0KLfOX/zG8AUo9ROMU5XUB44Q=="
ECHARTS_VERSION="6.1.0"
ECHARTS_INTEGRITY="sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="
SWAGGER_UI_VERSION="5.35.0"
SWAGGER_UI_INTEGRITY="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/src/kesu/web/static/vendor"

command -v npm >/dev/null 2>&1 || { echo "vendor.sh needs npm (it only downloads; nothing is installed)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROWS=""

# vendor PACKAGE VERSION INTEGRITY FOLDER FILE... : npm pack the tarball, check it against the
# registry's integrity value, copy the named files (paths inside the tarball) and the licence.
vendor() {
    local package=$1 version=$2 integrity=$3 folder=$4
    shift 4
    (cd "$WORK" && npm pack --silent "${package}@${version}" >/dev/null)
    local tarball="$WORK/${package}-${version}.tgz"
    [ -f "$tarball" ] || { echo "npm pack did not produce $tarball" >&2; exit 1; }
    local actual
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$integrity" ]; then
        echo "${package}-${version}.tgz: integrity mismatch" >&2
        echo "  expected $integrity" >&2
        echo "  got      $actual" >&2
        exit 1
    fi
    local unpacked="$WORK/$package"
    mkdir -p "$unpacked"
    tar -xzf "$tarball" -C "$unpacked"
    mkdir -p "$VENDOR/$folder"
    local names=""
    for file in "$@" LICENSE; do
        install -m 0644 "$unpacked/package/$file" "$VENDOR/$folder/$(basename "$file")"
        names="$names \`$folder/$(basename "$file")\`,"
    done
    local licence
    licence="$(node -p "require('$unpacked/package/package.json').license")"
    ROWS="$ROWS| $package | $version | $licence |${names%,} | https://registry.npmjs.org/$package/-/$package-$version.tgz (\`$integrity\`) |
"
    echo "vendored $package $version ($licence) into ${VENDOR#"$ROOT"/}/$folder"
}

vendor htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY" htmx dist/htmx.min.js
vendor echarts "$ECHARTS_VERSION" "$ECHARTS_INTEGRITY" echarts dist/echarts.min.js NOTICE licenses/LICENSE-d3
vendor swagger-ui-dist "$SWAGGER_UI_VERSION" "$SWAGGER_UI_INTEGRITY" swagger-ui swagger-ui-bundle.js swagger-ui.css NOTICE

cat > "$VENDOR/README.md" <<README
# Vendored front-end assets

Fetched from the npm registry by \`scripts/vendor.sh\` (\`make vendor\`); do not edit by hand.
Committed so that kesu runs offline: no page loads anything from a CDN. Each tarball is checked
against the registry's integrity value before anything is copied.

| package | version | licence | files | source and integrity |
|---|---|---|---|---|
$ROWS
README
