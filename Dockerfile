# twinflow from this repository: the two-stage build the README's ./mvnw commands describe.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY proto proto
COPY src src
RUN ./mvnw -q -B package -DskipTests && cp target/twinflow-*.jar /twinflow.jar

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /twinflow.jar /app/twinflow.jar
ENV TWINFLOW_DATA_DIR=/data
VOLUME /data
# HTTP API, gRPC telemetry, terminals' WebSocket
EXPOSE 8080 50051 8090
ENTRYPOINT ["java", "-jar", "/app/twinflow.jar"]
