# dirpipe: every role from one image. Build: docker build -t dirpipe:local .
# Run:   docker run --rm dirpipe:local --help   (the entrypoint is the dirpipe command)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so source edits reuse the cached layer.
COPY pom.xml ./
COPY .mvn .mvn
COPY schemas/pom.xml schemas/
COPY identity/pom.xml identity/
COPY sandbox/pom.xml sandbox/
COPY extractor/pom.xml extractor/
COPY transformer/pom.xml transformer/
COPY sink/pom.xml sink/
COPY bench/pom.xml bench/
COPY cli/pom.xml cli/
RUN mvn -B -q -pl cli -am dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -B -q -pl cli -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/dirpipe --create-home dirpipe \
 && mkdir -p /shared /var/lib/dirpipe/state && chown dirpipe /shared /var/lib/dirpipe/state
COPY --from=build /src/cli/target/dirpipe.jar /opt/dirpipe/dirpipe.jar
COPY --from=build /src/cli/target/lib /opt/dirpipe/lib
USER 10001
WORKDIR /var/lib/dirpipe
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# dirpipe run serves /metrics and /health here; in a container the scraper and the probes come from
# outside, so it listens on every interface (the default outside a container is loopback)
# every long-running role serves /metrics, /health/live and /health/ready on 9464
ENV DIRPIPE_METRICS_HOST=0.0.0.0 DIRPIPE_METRICS_PORT=9464
EXPOSE 9464
ENTRYPOINT ["java", "-jar", "/opt/dirpipe/dirpipe.jar"]
CMD ["--help"]
