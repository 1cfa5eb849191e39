# syntax=docker/dockerfile:1
# LabelStamp worker image: multi-stage, self-contained .NET, Debian runtime with ffmpeg and CJK fonts, non-root.
#   docker build -t labelstamp .
#   docker run --rm labelstamp --help          (entrypoint: the labelstamp CLI; default command: run)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first so the restore layer is cached until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/LabelStamp.Kernels/LabelStamp.Kernels.csproj src/LabelStamp.Kernels/
COPY src/LabelStamp/LabelStamp.csproj src/LabelStamp/
COPY src/LabelStamp.Worker/LabelStamp.Worker.csproj src/LabelStamp.Worker/
COPY src/LabelStamp.Cli/LabelStamp.Cli.csproj src/LabelStamp.Cli/
RUN dotnet restore src/LabelStamp.Cli/LabelStamp.Cli.csproj -r linux-x64 -p:PublishReadyToRun=true
COPY src/ src/
# ReadyToRun composite: the app and the runtime compiled ahead of time into one image, for x86-64-v3 (AVX2, the kernels'
# Vector256 paths), so a worker or a one-file CLI call starts on compiled code instead of JIT-compiling its first
# seconds: a one-image stamp or verify in 0.2-0.3 s against 0.5-0.8 s JIT-compiled (bench/WATERMARK.md, twenty-fourth
# step); +26 MB and about two minutes of build. On a CPU without AVX2 the runtime sets the whole precompiled image aside
# and JIT-compiles everything, the runtime's own code included: a slower start there, the same results.
RUN dotnet publish src/LabelStamp.Cli/LabelStamp.Cli.csproj -c Release -r linux-x64 --self-contained true --no-restore \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishReadyToRunCrossgen2ExtraArgs=--instruction-set:x86-64-v3 -o /app

FROM debian:bookworm-slim AS runtime
# ffmpeg: audio/video paths; fonts-noto-cjk: the explicit label's Chinese text (GB 45438 §5);
# libwebp7: verify's cropping decoder for large lossy WebP (libvips decodes a WebP whole) and stamp's
# lossy RGB WebP decode and encode into and from its own frame (one frame in memory, not three);
# libturbojpeg0: JPEG decodes (stamp's input and check of its output, verify up to 16 MP) through libjpeg-turbo alone;
# libflac12: FLAC stamps encode in process through libFLAC (no ffmpeg process for FLAC in, FLAC out);
# libsasl2-2: the glibc librdkafka build from Confluent.Kafka; the rest: the self-contained .NET runtime.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-noto-cjk libwebp7 libturbojpeg0 libflac12 ca-certificates libsasl2-2 libssl3 zlib1g libstdc++6 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/labelstamp --create-home labelstamp \
 && mkdir -p /var/lib/labelstamp/store \
 && chown -R labelstamp:labelstamp /var/lib/labelstamp
COPY --from=build /app /app
USER 10001:10001
WORKDIR /var/lib/labelstamp
ENV DOTNET_gcServer=1 \
    LABELSTAMP__Worker__Store=file:///var/lib/labelstamp/store \
    LABELSTAMP__Worker__MetricsPort=9464
EXPOSE 9464
# The CLI assembly is LabelStamp.Cli (a "labelstamp" assembly would collide with the LabelStamp library).
ENTRYPOINT ["/app/LabelStamp.Cli"]
CMD ["run"]
