# twinflow from this repository: the two-stage build the README's ./mvnw commands describe.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
# MySQL is external here: the image leaves out the embedded MariaDB's 149 MB of binaries
RUN ./mvnw -q -B dependency:go-offline -DskipEmbeddedMysql
COPY proto proto
COPY src src
RUN ./mvnw -q -B package -DskipTests -DskipEmbeddedMysql && cp target/twinflow-*.jar /twinflow.jar

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /twinflow.jar /tmp/twinflow.jar
# start-up in about half the time of `java -jar` (README, Benchmarks): the extracted layout (no class
# loading from nested jars) and a class data sharing archive from a training run, which starts the app
# on its embedded engines once and exits when it is up
RUN java -Djarmode=tools -jar /tmp/twinflow.jar extract --destination /app && rm /tmp/twinflow.jar \
 && java -XX:ArchiveClassesAtExit=/app/app.jsa -Dspring.context.exit=onRefresh -jar /app/twinflow.jar \
      --twinflow.data-dir=/tmp/training --twinflow.mysql.url=jdbc:mariadb://127.0.0.1:1/none \
 && rm -rf /tmp/training
ENV TWINFLOW_DATA_DIR=/data
VOLUME /data
# HTTP API, gRPC telemetry, terminals' WebSocket
EXPOSE 8080 50051 8090
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/app.jsa", "-jar", "/app/twinflow.jar"]
