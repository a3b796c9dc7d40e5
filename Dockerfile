# The `benefits` service image: built in a Rust image, run from a slim Debian as an
# unprivileged user. Configuration comes from BENEFITS_* variables (see the README);
# secrets from the orchestrator, never baked in.
#
#   docker build -t benefits:$(git rev-parse --short HEAD) .

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p benefits-api \
    && cp target/release/benefits /usr/local/bin/benefits

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home benefits
COPY --from=build /usr/local/bin/benefits /usr/local/bin/benefits
USER 10001
ENV BENEFITS_LISTEN=0.0.0.0:8080 \
    BENEFITS_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/benefits"]
CMD ["serve"]
