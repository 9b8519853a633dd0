# syntax=docker/dockerfile:1
# The resolver service in a container.
#
#   docker build -t resolver .
#   docker run --rm -p 53:53/udp -p 53:53/tcp resolver
#   docker run --rm -p 5353:53/udp -p 5353:53/tcp resolver --listen 0.0.0.0:53 --upstream 192.0.2.1
#
# Port 53 as a non-root user: Docker 20.10+ sets net.ipv4.ip_unprivileged_port_start=0 inside a container's own
# network namespace, so the image's unprivileged "app" user can bind 53 with no added capability. On older
# engines, or Podman/Kubernetes where that sysctl is not set, pass
#   --sysctl net.ipv4.ip_unprivileged_port_start=53
# (--cap-add NET_BIND_SERVICE alone does not help a non-root user: it only widens the bounding set).
# With --network host the host's own setting applies: listen on a port >= 1024 (--listen 0.0.0.0:5353) instead.
#
# Settings: the shipped appsettings.json (public upstreams), overridden by environment variables
# (-e Resolver__Tcp__IdleTimeoutMs=5000) or the command-line options after the image name. Give upstreams with
# --upstream: it replaces the list, while an environment variable only replaces the entry at its index.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props appsettings.json ./
COPY zones/ zones/
COPY trust-anchors/ trust-anchors/
COPY src/ src/
RUN dotnet restore src/Resolver.Server/Resolver.Server.csproj
RUN dotnet publish src/Resolver.Server/Resolver.Server.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS final
WORKDIR /app
COPY --from=build /app ./
# The .NET images define the non-root user "app"; its numeric ID lets Kubernetes check runAsNonRoot.
USER $APP_UID
# A container limited to one CPU (--cpus=1) would otherwise warm up ten times slower (docs/performance.md).
ENV DOTNET_TC_DelaySingleProcMultiplier=1
EXPOSE 53/udp 53/tcp
ENTRYPOINT ["/app/resolver"]
# Inside the container listen on every IPv4 address (published ports arrive there). IPv6 is often off in
# containers, and a listen address that cannot be bound stops the service, so [::]:53 is not in the default.
CMD ["--listen", "0.0.0.0:53"]
