# kpi as a container image: one harvest pass per run, then exit (a CronJob runs it).
#
#   docker build -t kpi .
#   docker run --rm -v "$PWD/kpi.toml:/etc/kpi/kpi.toml:ro" -v kpi-spool:/var/lib/kpi kpi run-all
#
# tests/deploy/check_dockerfile.py checks what can be checked without a Docker engine: the
# build stage runs scripts/setup itself, and the runtime stage installs exactly the Debian
# packages of the shared libraries build/kpi is linked against.

# Build: scripts/setup installs the build packages (Debian 12) and builds build/kpi, the
# same commands a developer and CI run.
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/setup \
 && cmake --install build --prefix /opt/kpi --strip

# Runtime: debian:12-slim with only the libraries kpi is linked against (their own
# dependencies come with them) and the CA certificates that TLS verification needs.
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      libc6 \
      libcurl4 \
      libfmt9 \
      libgcc-s1 \
      libgumbo1 \
      libsimdjson14 \
      libspdlog1.10 \
      libstdc++6 \
      libtomlplusplus3 \
      zlib1g \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/kpi/bin/kpi /usr/local/bin/kpi
COPY --from=build /opt/kpi/share/man/man1/kpi.1 /usr/local/share/man/man1/kpi.1

# A user of its own, numeric so that Kubernetes can check runAsNonRoot; the spool
# ($XDG_STATE_HOME/kpi/spool) is /var/lib/kpi/spool, a volume that outlives the container.
RUN groupadd --system --gid 10001 kpi \
 && useradd --system --uid 10001 --gid kpi --home-dir /var/lib/kpi --no-create-home --shell /usr/sbin/nologin kpi \
 && install -d -o kpi -g kpi -m 0750 /var/lib/kpi /var/lib/kpi/spool
ENV XDG_STATE_HOME=/var/lib \
    KPI_CONFIG=/etc/kpi/kpi.toml
VOLUME ["/var/lib/kpi"]
USER 10001:10001
WORKDIR /var/lib/kpi

# A one-shot: no HEALTHCHECK, no daemon. The exit status says how the pass went.
ENTRYPOINT ["kpi"]
CMD ["run-all"]
