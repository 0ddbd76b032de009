# One image for the worker, the API and the migrations (PASSPRO_ROLE / command choose).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependency install scripts stay off, as on the developers' machines (npm 11 allowScripts). `npm install`
# rather than `npm ci`: the lock file carries no registry addresses (see .ci/run); it still pins every version.
RUN npm install --ignore-scripts --no-audit --no-fund
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/sh npx prisma generate && npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
COPY templates ./templates
COPY domain/campaigns ./domain/campaigns
# The API loads the catalogue from this file when it starts on a database without offers (runtime/seed.ts).
COPY domain/catalogue ./domain/catalogue
USER node
EXPOSE 3000
CMD ["node", "dist/runtime/main.js"]
