# DealDesk in a container (Azure mode: Cosmos DB and Bot Framework authentication configured by environment).
#   docker build -t dealdesk .
#   docker run -p 8080:8080 --env-file .env.azure dealdesk
# Multi-stage: the build stage bundles src/ with esbuild (dev dependencies); the runtime stage has only
# dist/ (one bundle + the card templates) and the production dependencies the bundle loads lazily
# (@azure/monitor-opentelemetry, when APPLICATIONINSIGHTS_CONNECTION_STRING is set). Runs as the
# unprivileged `node` user. Local mode (embedded store, playground) needs dev dependencies: not here.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: esbuild's binary comes from its optional platform package; dtrace-provider is optional.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY cards ./cards
RUN npm run build

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
# Root-owned and read-only to the app: it writes nothing in Azure mode.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 8080
# Liveness only; readiness (store, loops) is GET /readyz for the orchestrator's probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: graceful shutdown within 10 s (docker stop waits 10 s by default).
# A 96 MB V8 heap keeps the process near 180 MB resident (docs/benchmarks.md, F8); raise it if a heap-bound load needs it.
CMD ["node", "--enable-source-maps", "--max-old-space-size=96", "dist/main.js"]
