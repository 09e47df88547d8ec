# The worker and the HTTP API (one image, two commands: see docker-compose.yml).
# Build stage: all dependencies, compile TypeScript to dist/, then drop the dev dependencies.
FROM node:20.20.2-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The 工作台 console: Vite bundles web/ into web/dist, which the API serves at /.
COPY web ./web
RUN npm run build && npm run console:build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: no compilers. The worker bundles dist/workflows at start in a child process (webpack and swc come with
# @temporalio/worker).
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
USER node
EXPOSE 3000 9464
CMD ["node", "dist/api.js"]
