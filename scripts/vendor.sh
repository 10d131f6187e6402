#!/usr/bin/env bash
# Fetch the pinned front-end assets from the npm registry into src/kesu/web/static/vendor/.
#
# The files are committed, so a deployment (often on an intranet) never reaches a CDN or the
# registry. To upgrade: change the version below, run `make vendor`, check the pages, commit.
set -euo pipefail

HTMX_VERSION="2.0.8"
# the registry's sha512 of htmx.org-2.0.8.tgz (`npm view htmx.org@2.0.8 dist.integrity`)
HTMX_INTEGRITY="sha512-fm297iru0iWsNJlBrjvtN7V9zjaxd+69Oqjh4F/Vq9Wwi2kFisLcrLCiv5oBX0KLfOX/zG8AUo9ROMU5XUB44Q=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/src/kesu/web/static/vendor"

command -v npm >/dev/null 2>&1 || { echo "vendor.sh needs npm (it only downloads; nothing is installed)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# npm pack downloads the tarball and checks it against the registry's integrity value.
(cd "$WORK" && npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null)
TARBALL="$WORK/htmx.org-${HTMX_VERSION}.tgz"
[ -f "$TARBALL" ] || { echo "npm pack did not produce $TARBALL" >&2; exit 1; }

ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$ACTUAL" != "$HTMX_INTEGRITY" ]; then
    echo "htmx.org-${HTMX_VERSION}.tgz: integrity mismatch" >&2
    echo "  expected $HTMX_INTEGRITY" >&2
    echo "  got      $ACTUAL" >&2
    exit 1
fi

tar -xzf "$TARBALL" -C "$WORK" package/dist/htmx.min.js package/LICENSE package/package.json
mkdir -p "$VENDOR/htmx"
install -m 0644 "$WORK/package/dist/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
install -m 0644 "$WORK/package/LICENSE" "$VENDOR/htmx/LICENSE"
LICENSE_ID="$(node -p "require('$WORK/package/package.json').license")"

cat > "$VENDOR/README.md" <<README
# Vendored front-end assets

Fetched from the npm registry by \`scripts/vendor.sh\` (\`make vendor\`); do not edit by hand.
Committed so that kesu runs offline: no page loads anything from a CDN.

| package | version | licence | files | source |
|---|---|---|---|---|
| htmx.org | ${HTMX_VERSION} | ${LICENSE_ID} | \`htmx/htmx.min.js\`, \`htmx/LICENSE\` | https://registry.npmjs.org/htmx.org/-/htmx.org-${HTMX_VERSION}.tgz |

Tarball integrity: \`${HTMX_INTEGRITY}\`
README

echo "vendored htmx.org ${HTMX_VERSION} (${LICENSE_ID}) into ${VENDOR#"$ROOT"/}"
