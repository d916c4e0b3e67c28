# Earshot services image: the launcher jar, its runtime libraries, the model and the demo audio.
# Build:  docker build -t earshot .      Run:  docker run --rm earshot --help
# The first stage builds with Maven (tests are CI's job: .ci/run); the second is a plain JRE.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first: the dependency download layer is reused while only sources change.
COPY pom.xml ./
COPY protocol/pom.xml protocol/
COPY dsp/pom.xml dsp/
COPY evaluation/pom.xml evaluation/
COPY broker/pom.xml broker/
COPY telemetry/pom.xml telemetry/
COPY ingest/pom.xml ingest/
COPY detector/pom.xml detector/
COPY sink/pom.xml sink/
COPY launcher/pom.xml launcher/
RUN mvn -B -q -Dmaven.artifact.threads=4 dependency:go-offline -DexcludeGroupIds=io.earshot || true
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# ONNX Runtime's native library needs glibc: a Debian/Ubuntu-based JRE, not Alpine.
# The directories exist in the image so that named volumes mounted there start owned by earshot.
RUN useradd --system --create-home --home-dir /var/lib/earshot earshot \
    && mkdir -p /var/lib/earshot/out /var/lib/earshot/state \
    && chown -R earshot:earshot /var/lib/earshot
WORKDIR /opt/earshot
COPY --from=build /src/earshot ./earshot
COPY --from=build /src/launcher/target/earshot-launcher-*.jar ./launcher/target/
COPY --from=build /src/launcher/target/lib/ ./launcher/target/lib/
COPY --from=build /src/models/ ./models/
COPY --from=build /src/demo/ ./demo/
USER earshot
ENV EARSHOT_JAVA_OPTS="-Xmx768m -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["/opt/earshot/earshot"]
CMD ["--help"]
