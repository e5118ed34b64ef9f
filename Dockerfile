# The pipeline job's image: built with Maven, run on a JRE as a non-root user.
# Build:  docker build -t REGION-docker.pkg.dev/PROJECT/bqx/pipeline-job:TAG .
# No DuckDB and no local stand-in: the job jar carries core and the Google adapters only.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Maven needs every module the parent pom lists to be present, even those it does not build.
COPY pom.xml ./
COPY core/ core/
COPY wire-fakes/ wire-fakes/
COPY gcp/ gcp/
COPY local/ local/
COPY training-file/ training-file/
COPY pipeline-job/ pipeline-job/
COPY functions/ functions/
COPY bench/ bench/
COPY cli/ cli/
COPY deployment/ deployment/
COPY architecture/ architecture/
RUN mvn -B -q -pl pipeline-job -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 bqx \
 && useradd --system --uid 10001 --gid bqx --home-dir /app --shell /usr/sbin/nologin bqx
WORKDIR /app
COPY --from=build --chown=bqx:bqx /src/pipeline-job/target/pipeline-job.jar /app/pipeline-job.jar
USER 10001:10001
# Heap sized from the container's memory limit, with room left for direct buffers and the in-memory
# disk (on Cloud Run files count against the limit); Arrow needs java.nio opened.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-jar", "/app/pipeline-job.jar"]
