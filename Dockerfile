# syntax=docker/dockerfile:1
# The ConsentKit ledger server. Build: docker build -t consentkit .   Run and configure: docs/deploy.md.
# The build stage's commands are scripts/container/build.sh, which the container recipe test
# (packages/server/test/ops/container-recipe.node.test.ts) runs in a clean folder, with this file's
# runtime ENV, WORKDIR, CMD and HEALTHCHECK, so the recipe cannot rot where no image is built.

FROM node:24-slim AS build
WORKDIR /src
RUN npm install --global pnpm@12.25.1
COPY . .
RUN sh scripts/container/build.sh /out

FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    CONSENTKIT_DATA_DIR=/data \
    CONSENTKIT_POLICY=/config/policy.json
# Compiled server and production dependencies only; owned by root, so the server cannot change its own code.
COPY --from=build /out /app
WORKDIR /app/server
# PGlite's data folder (unused with DATABASE_URL); the only place the server writes.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8787
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cli/consentkit.js", "serve"]
