# One image for every launchloop process (API, workflow worker, CPU pool, GPU pool); the
# command picks the role. The GPU pool's image adds CUDA (see docker-compose.yml).
FROM node:20-bookworm-slim
# gcc builds the native LSTM kernel on first use (engine/lstm/native); without it the GPU pool
# falls back to tfjs ops, 8-13x slower on CPU.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
# The API binds 127.0.0.1 unless HOST is set; in a container it must listen on every interface
# for the published port to reach it.
ENV HOST=0.0.0.0
ENTRYPOINT ["node", "bin/launchloop.js"]
CMD ["api"]
