# The rappel image for clusters (docs/howto.md, "Run a big sweep on a cluster"; the
# Kubernetes manifest docs/kubernetes/rappel-job.yaml runs it). Build it from the
# repository's root:
#   docker build -t rappel:0.1.0 .
# The binary is built in the Rust image, then copied alone into a slim Debian with the
# shipped scenarios under /work, the folder commands run in.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin rappel

FROM debian:bookworm-slim
COPY --from=build /src/target/release/rappel /usr/local/bin/rappel
WORKDIR /work
COPY scenarios /work/scenarios
ENTRYPOINT ["rappel"]
CMD ["--help"]
