# DealDesk in a container, on Node.js 22 LTS: the artifact `npm run build` makes (dist/: one bundle holding everything
# DealDesk loads, the card templates), run as the unprivileged `node` user, with no node_modules.
#
#   docker build -t dealdesk .
#   Azure mode (authentication on, Azure Cosmos DB; the web app's settings in infra/main.bicep, HOST=0.0.0.0 among them):
#     docker run -p 8080:8080 --memory=512m --env-file .env.azure dealdesk
#   Local mode (no Azure settings: the embedded store, authentication off). DealDesk then listens on loopback only,
#   as `npm start` does, so the container shares the host's network (Linux; Docker Desktop: host networking on):
#     docker run --network host --memory=512m -v dealdesk-data:/app/.data dealdesk    # http://127.0.0.1:8080/api/messages
#
# No Docker engine runs where the tests run: test/shipped/container.spec.ts emulates this file (the build stage's COPY
# and RUN steps, the final stage's COPY steps, ENV and CMD) and starts the result in both modes.

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: esbuild's binary comes from its optional platform package; dtrace-provider is optional.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY deploy ./deploy
COPY src ./src
COPY cards ./cards
COPY prompts ./prompts
RUN npm run build

FROM node:22-slim
# PLAYGROUND=off: the Agents Playground is a development tool with a web UI of its own, not in the image; run it on
# the host against a local-mode container (README, "Deploy to Azure"). No HOST: local mode must listen on loopback.
ENV NODE_ENV=production \
    PORT=8080 \
    PLAYGROUND=off
WORKDIR /app
# The app's files are root-owned and read-only to it; local mode's data directory is the one place it writes.
RUN mkdir .data && chown node:node .data
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
# Liveness only; readiness (store, loops) is GET /readyz for the orchestrator's probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: graceful shutdown within 10 s (docker stop waits 10 s by default).
# The heap limit is deploy/runtime-limits.ts's, measured in docs/benchmarks.md ("Heap limit").
CMD ["node", "--max-old-space-size=160", "dist/main.js"]
