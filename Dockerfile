# bewijs: one static binary (pure Go, no cgo) on a distroless base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bewijs ./cmd/bewijs

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bewijs /usr/local/bin/bewijs
USER nonroot:nonroot
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/bewijs"]
CMD ["serve"]
