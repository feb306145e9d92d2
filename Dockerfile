# Multi-stage build: compile with the Rust toolchain, run on a small Debian image as a
# non-root user. The binary embeds its texts, fonts and migrations, so it needs no files.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
COPY locales ./locales
COPY migrations ./migrations
COPY data ./data
COPY assets ./assets
COPY .env.example ./
RUN cargo build --release --locked --bin zeinet

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin zeinet
COPY --from=build /src/target/release/zeinet /usr/local/bin/zeinet
USER zeinet
ENV BIND_ADDR=0.0.0.0:8080 LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/zeinet"]
CMD ["serve"]
