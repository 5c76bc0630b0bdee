# One image for every launchloop process (API, workflow worker, CPU pool, GPU pool); the
# command picks the role. The GPU pool's image adds CUDA (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/launchloop.js"]
CMD ["api"]
