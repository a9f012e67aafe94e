#!/bin/sh
# The container image's build stage (see Dockerfile), as one script so the container recipe test
# (packages/server/test/ops/container-recipe.node.test.ts) runs exactly what the image runs, in a
# clean temporary copy of the repository. Run from the repository root:
#   sh scripts/container/build.sh OUT_DIR
# OUT_DIR/server is then the production server (compiled code and production dependencies only,
# no sources or tests) and OUT_DIR/admin/dist the /admin dashboard's bundle it serves.
set -eu
OUT="${1:?usage: sh scripts/container/build.sh OUT_DIR}"
# PNPM_INSTALL_FLAGS: extra install flags (the test passes --prefer-offline).
# shellcheck disable=SC2086
pnpm install --frozen-lockfile ${PNPM_INSTALL_FLAGS:-}
# The packages the server and /admin ship; the framework examples are not in the image.
pnpm build --no-examples
# A standalone folder: the server's "files" (dist, README.md) and its production dependencies,
# workspace packages (core, widget) included as built.
pnpm --filter @consentkit/server deploy --prod ${PNPM_INSTALL_FLAGS:-} "$OUT/server"
mkdir -p "$OUT/admin/dist"
cp packages/admin/dist/admin.js "$OUT/admin/dist/admin.js"
