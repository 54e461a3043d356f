# syntax=docker/dockerfile:1

# The server as a container: a static binary on distroless, running as the
# image's non-root user (uid 65532). With MONGODB_URI empty it keeps an
# embedded database in the /data volume. APP_ENV defaults to production, which
# needs INNGEST_SIGNING_KEY and a Clerk key (see .env.example).

FROM golang:1.26 AS build
WORKDIR /src

COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download

COPY . .
# The same command as `make build`.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -o /out/server ./cmd/server

# An empty data directory owned by the runtime user: a fresh volume takes the
# owner of the image's directory, so the server can write to it.
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/server /server
COPY --from=build --chown=65532:65532 /out/data /data

ENV DATA_DIR=/data \
    PORT=8080
VOLUME /data
EXPOSE 8080
USER 65532:65532

# distroless has no curl: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/server", "-healthcheck"]

ENTRYPOINT ["/server"]
