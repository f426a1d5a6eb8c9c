# Mailroom's container image. The base is a build argument so the image builds where Docker Hub
# can't be reached: any Debian bookworm image with Node 20 in /usr/local (like the official one).
#   docker build -t mailroom .            (or podman build; --build-arg NODE_IMAGE=… for another base)
#   docker run --env-file .env -v mailroom-data:/data mailroom
ARG NODE_IMAGE=node:20-bookworm-slim

# Build stage: compile better-sqlite3 (no prebuilt binary is downloaded here) and dist/.
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# node-gyp compiles against the headers that come with Node (/usr/local/include/node) instead of
# downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Then only the runtime dependencies, and of better-sqlite3 only its compiled module (its C
# sources and object files are most of its size).
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node . && rm -rf build deps src \
 && mkdir -p build/Release && mv better_sqlite3.node build/Release/

# Runtime stage: only what `mailroom start` runs, as the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATABASE_PATH=/data/mailroom.db \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# /healthz on PORT answers 200 while Mailroom serves (HTTP mode today; Socket Mode: see README).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs as PID 1 and stops cleanly on SIGTERM: Mailroom handles it (in-flight work finishes or
# is left resumable). It starts no child processes, so there is nothing to reap.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--max-semi-space-size=4", "bin/mailroom.js"]
CMD ["start"]
