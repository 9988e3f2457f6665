# Walleye as a container image: JRE 25, Spring Boot's layered jar extraction (dependencies change least, so they are
# the lowest layers), a non-root user, and a health check on the readiness probe.
# Build the jar first: ./mvnw -pl server -am package -DskipTests ; then: docker build -t walleye .
# Not run on the development machine (no Docker engine there); compose.yaml and this file are parsed by
# server/src/test/java/io/walleye/platform/ContainerFilesTests.java.
FROM eclipse-temurin:25-jre AS extract
WORKDIR /build
COPY server/target/walleye.jar walleye.jar
RUN java -Djarmode=tools -jar walleye.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app walleye
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
USER walleye
ENV PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
