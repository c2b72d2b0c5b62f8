# syntax=docker/dockerfile:1
# Dockerfile: the Socratic host image (web UI/API/hub, Hangfire worker, or both: Socratic__Host__Mode).
# Multi-stage: the .NET 10 SDK publishes web/Socratic.Web; the ASP.NET runtime image runs it as the
# non-root `app` user on port 8080, with games/ and models/ beside it (working directory /app, so the
# defaults `models` and `games/...` resolve there). Build from the repository root: docker build .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that code edits do not invalidate the package layer.
# global.json is left out on purpose: it pins an SDK feature band the image may not carry.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Socratic.Core/Socratic.Core.csproj src/Socratic.Core/
COPY src/Socratic.Inference/Socratic.Inference.csproj src/Socratic.Inference/
COPY migrations/Socratic.Migrations/Socratic.Migrations.csproj migrations/Socratic.Migrations/
COPY web/Socratic.Web/Socratic.Web.csproj web/Socratic.Web/
RUN dotnet restore web/Socratic.Web/Socratic.Web.csproj

COPY src/ src/
COPY migrations/ migrations/
COPY web/ web/
RUN dotnet publish web/Socratic.Web/Socratic.Web.csproj -c Release --no-restore -o /out/app -p:UseAppHost=false

# games/ and models/ may be absent or empty in a checkout: copy whatever there is (COPY would fail on
# a missing folder). The build context is filtered by .dockerignore.
COPY . /ctx
RUN mkdir -p /out/app/games /out/app/models \
 && if [ -d /ctx/games ]; then cp -a /ctx/games/. /out/app/games/; fi \
 && if [ -d /ctx/models ]; then cp -a /ctx/models/. /out/app/models/; fi

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# libgomp1: llama.cpp's CPU backend (LLamaSharp.Backend.Cpu) links OpenMP. curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Owned by the images' non-root `app` user (uid 1654, $APP_UID; a literal here because --chown does not
# expand variables inherited from the base image everywhere): models/ also receives what the product
# writes (e.g. trained adapters).
COPY --from=build --chown=1654:1654 /out/app/ /app/
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER $APP_UID
EXPOSE 8080
# /health is served in every mode (workers too): database reachable and default model present.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 \
  CMD curl -fsS http://127.0.0.1:8080/health >/dev/null || exit 1
ENTRYPOINT ["dotnet", "Socratic.Web.dll"]
