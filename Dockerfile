# syntax=docker/dockerfile:1
# One multi-stage image recipe for every service: `docker build --build-arg APP=ledger -t mm/ledger .`
# Stage 1 prunes the monorepo to the app and the workspace packages it depends on (turbo prune), stage 2
# installs and builds only that, stage 3 is the non-root runtime with production dependencies only.
# Node 24, the supported LTS (the services' suites also run on it: scripts/test.mjs), pinned to the release.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS prune
ARG APP
WORKDIR /repo
COPY . .
RUN npx --yes turbo@2.11.11 prune "@mm/${APP}" --docker

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
COPY --from=prune /repo/out/json/ .
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY --from=prune /repo/out/full/ .
RUN npx turbo run build --filter="@mm/${APP}" && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
ARG APP
# The V8 heap budget keeps each service's peak RSS under 200 MB under load (measured by npm run bench): old space and
# the young generation's semi-spaces, which Node 24 would otherwise size at 64 MB each. Its values are
# config/service-runtime.json's, as is MALLOC_ARENA_MAX (glibc keeps freed memory per arena, one arena per thread);
# packages/testing's unit test fails when the two differ.
ENV NODE_ENV=production APP=${APP} KAFKAJS_NO_PARTITIONER_WARNING=1 MALLOC_ARENA_MAX=2 NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"
WORKDIR /srv
# Owned by root and read-only to the service: it writes nowhere but /tmp. The numeric uid (the image's `node` user) lets
# Kubernetes check runAsNonRoot without reading /etc/passwd.
COPY --from=build /repo /srv
USER 1000:1000
WORKDIR /srv/apps/${APP}
STOPSIGNAL SIGTERM
# The migration job runs `node dist/cli/migrate.js` in the same image (deploy/<service>/base/migrate-job.yaml).
CMD ["node", "dist/main.js"]
