package dev.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.twinflow.AppIT;
import dev.twinflow.TestHttp;
import dev.twinflow.system.Json;
import dev.twinflow.telemetry.AckObserver;
import dev.twinflow.telemetry.proto.Packet;
import dev.twinflow.telemetry.proto.TelemetryIngestGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The dashboard's event stream over real HTTP, and the page in a real browser: Debian's headless
 * Chromium loads {@code /}, then a scenario run, gRPC telemetry and simulated terminals feed the
 * app, and the charts must follow; machine data published through {@code POST /publish/} must show in
 * the machine panel, which polls {@code GET /machine_latest} and {@code GET /machine_data}. The browser
 * tests are skipped, saying why, where Chromium is not installed ({@code apt-get install chromium
 * chromium-driver}).
 */
class DashboardBrowserIT extends AppIT {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");
    static final Path MACHINE_SCREENSHOT = Path.of("target", "dashboard-machine-screenshot.png");

    // six sensors, readings only, anomalies often enough to be marked within seconds
    static final String SCENARIO =
            """
            name: dashboard-demo
            seed: 11
            rate: 60
            devices: 2
            sensors-per-device: 3
            users: 0
            mix: {sensor: 1, transaction: 0, event: 0}
            anomaly-probability: 0.05
            """;

    @TempDir
    static Path profile;

    static ChromeDriver browser;

    @Value("${twinflow.grpc.port}")
    int grpcPort;

    static void assumeChromium() {
        String missing = !CHROMIUM.canExecute()
                ? CHROMIUM.getPath()
                : !CHROMEDRIVER.canExecute() ? CHROMEDRIVER.getPath() : null;
        if (missing != null) {
            System.out.println("DashboardBrowserIT: browser test skipped, no " + missing
                    + " (apt-get install chromium chromium-driver to run it)");
        }
        Assumptions.assumeTrue(missing == null, "no " + missing + " (apt-get install chromium chromium-driver)");
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        // both paths given, so Selenium Manager has nothing to look up or download
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=1440,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        return new ChromeDriver(service, options);
    }

    long number(String expression) {
        Object value = browser.executeScript("return " + expression);
        return value == null ? 0 : ((Number) value).longValue();
    }

    String text(String expression) {
        return (String) browser.executeScript("return " + expression);
    }

    @Autowired
    DashboardEvents events;

    @Autowired
    CamelContext camel;

    @Test
    void eventsStreamASnapshotAtConnectThenOneASecondAndDropClientsThatLeave() throws Exception {
        // the context is shared: a browser test that ran first may still be closing its stream, and the
        // count below must be this test's stream alone
        await().atMost(Duration.ofSeconds(60)).until(() -> events.clients() == 0);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> response = client.send(
                HttpRequest.newBuilder(URI.create(new TestHttp(httpPort).base() + "/dashboard/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<JsonNode> snapshots = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
                Iterator<String> stream = lines.iterator();
                while (snapshots.size() < 3) {
                    String line = stream.next();
                    if (line.startsWith("data:")) {
                        snapshots.add(Json.MAPPER.readTree(line.substring("data:".length())));
                        arrivals.add(System.nanoTime());
                    }
                }
            });
            assertThat(events.clients()).isPositive();
        }
        assertThat(snapshots.get(0).properties().stream().map(Map.Entry::getKey))
                .containsExactly("at", "devices", "sensors", "terminals", "audit", "routes");
        assertThat(snapshots.get(2).get("at").asLong())
                .isGreaterThan(snapshots.get(1).get("at").asLong());
        // paced by the producer's clock, not sent as fast as possible
        assertThat(arrivals.get(2) - arrivals.get(1)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
        // gone from the producer's list at its next failing send
        await().atMost(Duration.ofSeconds(20)).until(() -> events.clients() == 0);
    }

    @Test
    void chartsFollowLiveDataAndMarkAnomalies() throws Exception {
        assumeChromium();
        TestHttp http = new TestHttp(httpPort);
        browser = chromium();
        browser.get(http.base() + "/");
        assertThat(browser.getTitle()).isEqualTo("twinflow dashboard");
        // the snapshot sent at connect
        await().atMost(Duration.ofSeconds(15)).until(() -> number("window.twinflowDashboard.updates") >= 1);
        assertThat(number("window.twinflowDashboard.sensorPoints")).isZero();

        assertThat(http.send(HttpRequest.newBuilder(URI.create(http.base() + "/scenarios/dashboard-demo"))
                                .PUT(HttpRequest.BodyPublishers.ofString(SCENARIO)))
                        .status())
                .isEqualTo(200);
        assertThat(http.post("/scenarios/dashboard-demo/start", "").status()).isEqualTo(202);
        assertThat(http.post("/simulator/terminals/start", "{\"count\": 3, \"id_prefix\": \"dash-\"}")
                        .status())
                .isEqualTo(200);
        ScheduledExecutorService devices = Executors.newSingleThreadScheduledExecutor();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .usePlaintext()
                .build();
        try {
            TelemetryIngestGrpc.TelemetryIngestStub telemetry = TelemetryIngestGrpc.newStub(channel);
            // five devices streaming steadily, each at its own pace (10 to 50 packets a round)
            devices.scheduleWithFixedDelay(
                    () -> {
                        try {
                            List.of(1, 2, 3, 4, 5).forEach(d -> stream(telemetry, "press-" + d, 10 * d));
                        } catch (RuntimeException e) {
                            e.printStackTrace(); // and go on: the next round may get through
                        }
                    },
                    0,
                    250,
                    TimeUnit.MILLISECONDS);

            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                assertThat(number("window.twinflowDashboard.sensorPoints")).isGreaterThanOrEqualTo(60);
                assertThat(number("window.twinflowDashboard.anomalyMarks")).isPositive();
                assertThat(number("window.twinflowDashboard.deviceRates")).isEqualTo(5);
                assertThat(number("window.twinflowDashboard.routeRates")).isPositive();
                assertThat(browser.findElement(org.openqa.selenium.By.id("terminals-online"))
                                .getText())
                        .isEqualTo("3");
                assertThat(browser.findElement(org.openqa.selenium.By.id("audit-rows"))
                                .getText())
                        .startsWith("dashboard-demo-");
            });
            long updates = number("window.twinflowDashboard.updates");
            long points = number("window.twinflowDashboard.sensorPoints");
            // still live: more snapshots, more points, and they are in ECharts' own state, not just counted
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> number("window.twinflowDashboard.updates") >= updates + 2
                            && number("window.twinflowDashboard.sensorPoints") > points);
            assertThat(number("document.querySelectorAll('#sensors .sensor').length"))
                    .isEqualTo(6);
            assertThat(number("echarts.getInstanceByDom(document.querySelector('#sensors .sensor'))"
                            + ".getOption().series[0].data.length"))
                    .isPositive();
            assertThat(
                            number(
                                    "[...document.querySelectorAll('#sensors .sensor')].map(e =>"
                                            + " echarts.getInstanceByDom(e).getOption().series[1].data.length).reduce((a, b) => a + b)"))
                    .isEqualTo(number("window.twinflowDashboard.anomalyMarks"));
            assertThat(number("echarts.getInstanceByDom(document.getElementById('devices-chart'))"
                            + ".getOption().series[0].data.filter(v => v > 0).length"))
                    .isEqualTo(5);

            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(
                    browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertThat(errors).as("errors in the page's console").isEmpty();
        } finally {
            browser.quit();
            browser = null;
            devices.shutdown();
            devices.awaitTermination(10, TimeUnit.SECONDS);
            channel.shutdownNow();
            http.post("/scenarios/dashboard-demo/stop", "");
            http.post("/simulator/terminals/stop", "");
        }
    }

    @Test
    void machinePanelShowsEachDevicesLatestValuesAndChartsTheChosenDataIdsNumericReadings() throws Exception {
        assumeChromium();
        TestHttp http = new TestHttp(httpPort);
        // messages published before the app subscribes would be lost, and the counts below with them
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController()
                .getRouteStatus("ingest-machine-data")
                .isStarted());
        publishMachineData(http, "cnc-1", "21.5", "RUN"); // seed 004's example, as the README has it
        publishMachineData(http, "cnc-1", "22.25", "RUN");
        publishMachineData(http, "cnc-1", "23.5", "IDLE");
        publishMachineData(http, "cnc-2", "19.75", "RUN");
        publishMachineData(http, "cnc-2", "20.5", "STOP");
        // the embedded MariaDB starts in the background after the app (up to 120 s on busy cores)
        await().atMost(Duration.ofSeconds(150))
                .until(() -> machineData(http, "data_id=temp").path("count").asInt() == 5);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> http.get("/machine_latest").json().path("devices").findValues("readings").stream()
                                .mapToInt(JsonNode::asInt)
                                .sum()
                        == 10);

        browser = chromium();
        try {
            browser.get(http.base() + "/");
            await().atMost(Duration.ofSeconds(15)).until(() -> number("window.twinflowDashboard.machineDevices") == 2);
            assertThat(browser.findElements(By.cssSelector("#machine-rows tr")).stream()
                            .map(WebElement::getText))
                    .containsExactly("cnc-1 6 state: IDLE temp: 23.5", "cnc-2 4 state: STOP temp: 20.5");
            assertThat(browser.findElement(By.id("machine-summary")).getText()).isEqualTo("2 devices · 10 readings");
            assertThat(browser.findElements(By.cssSelector("#machine-data-ids option")).stream()
                            .map(o -> o.getAttribute("value")))
                    .containsExactly("state", "temp");

            // text values are counted, not plotted
            choose("state");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(text("window.twinflowDashboard.machineDataId")).isEqualTo("state");
                assertThat(number("window.twinflowDashboard.machineSkipped")).isEqualTo(5);
            });
            assertThat(number("window.twinflowDashboard.machinePoints")).isZero();
            assertThat(browser.findElement(By.id("machine-note")).getText()).contains("5 text values not plotted");

            choose("temp");
            int temps = machineData(http, "data_id=temp").path("count").asInt();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(text("window.twinflowDashboard.machineDataId")).isEqualTo("temp");
                assertThat(number("window.twinflowDashboard.machinePoints")).isEqualTo(temps);
            });
            assertThat(number("window.twinflowDashboard.machineSkipped")).isZero();
            // one line per device, and the points are in ECharts' own state, not just counted
            assertThat(text("echarts.getInstanceByDom(document.getElementById('machine-chart')).getOption()"
                            + ".series.map(s => s.name + ' ' + s.data.map(p => p[1]).join(',')).join(' / ')"))
                    .isEqualTo("cnc-1 21.5,22.25,23.5 / cnc-2 19.75,20.5");

            browser.findElement(By.cssSelector("#machine-device option[value='cnc-1']"))
                    .click();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(text("window.twinflowDashboard.machineDevice")).isEqualTo("cnc-1");
                assertThat(number("window.twinflowDashboard.machinePoints")).isEqualTo(3);
            });

            // still polling: a new reading shows without touching the page
            publishMachineData(http, "cnc-1", "24", "RUN");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> machineData(http, "data_id=temp&device_id=cnc-1")
                                    .path("count")
                                    .asInt()
                            == 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> number("window.twinflowDashboard.machinePoints") == 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("machine-rows"))
                    .getText()
                    .startsWith("cnc-1 8 state: RUN temp: 24"));
            assertThat(browser.findElement(By.id("machine-panel")).getAttribute("class"))
                    .doesNotContain("failed");

            Files.createDirectories(MACHINE_SCREENSHOT.getParent());
            Files.copy(
                    browser.getScreenshotAs(OutputType.FILE).toPath(),
                    MACHINE_SCREENSHOT,
                    StandardCopyOption.REPLACE_EXISTING);
            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertThat(errors).as("errors in the page's console").isEmpty();
        } finally {
            browser.quit();
            browser = null;
        }
    }

    @Test
    void machinePanelShowsARefusedDataIdInItsErrorElementUntilAGoodOneIsChosen() {
        assumeChromium();
        TestHttp http = new TestHttp(httpPort);
        // before MySQL is up every data id is answered 503, the bad one included
        await().atMost(Duration.ofSeconds(150))
                .until(() -> http.get("/machine_data?data_id=temp").status() == 200);
        browser = chromium();
        try {
            browser.get(http.base() + "/");
            await().atMost(Duration.ofSeconds(15)).until(() -> number("window.twinflowDashboard.machinePolls") >= 1);
            WebElement panel = browser.findElement(By.id("machine-panel"));
            assertThat(panel.getAttribute("class")).doesNotContain("failed");

            choose("x".repeat(256)); // mac_data.data_id holds 255 characters
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(panel.getAttribute("class")).contains("failed"));
            assertThat(panel.findElement(By.cssSelector(".error")).getText())
                    .startsWith("machine_data answered 400 invalid_data_id: data_id is longer than 255 characters");
            assertThat(number("window.twinflowDashboard.machinePoints")).isZero();

            choose("temp");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(panel.getAttribute("class")).doesNotContain("failed"));
            assertThat(panel.findElement(By.cssSelector(".error")).getText()).isEmpty();
        } finally {
            browser.quit();
            browser = null;
        }
    }

    /** Types a data id into the machine panel, as someone would, and confirms it with Enter. */
    static void choose(String dataId) {
        WebElement input = browser.findElement(By.id("machine-data-id"));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(dataId, Keys.ENTER);
    }

    /** Seed 004's machine message, sent the seed's way: {@code POST /publish/} publishes it over MQTT. */
    static void publishMachineData(TestHttp http, String device, String temp, String state) {
        String body = "{\"topic\":\"Query/Response/" + device + "\",\"payload\":{\"values\":[{\"id\":\"temp\","
                + "\"values\":[" + temp + "]},{\"id\":\"state\",\"values\":[\"" + state + "\"]}]}}";
        // the app's MQTT client connects in the background; until then a publish is refused, not sent
        await().atMost(Duration.ofSeconds(20))
                .until(() -> http.post("/publish/", body).status() == 200);
    }

    static JsonNode machineData(TestHttp http, String query) {
        TestHttp.Answer answer = http.get("/machine_data?" + query);
        return answer.status() == 200 ? answer.json() : Json.MAPPER.createObjectNode();
    }

    /** One client stream of {@code n} packets, as a device would send them; waits for its Ack. */
    static void stream(TelemetryIngestGrpc.TelemetryIngestStub telemetry, String device, int n) {
        AckObserver ack = new AckObserver();
        StreamObserver<Packet> packets = telemetry.streamPackets(ack);
        for (int i = 0; i < n; i++) {
            packets.onNext(Packet.newBuilder()
                    .setDeviceId(device)
                    .setTimestamp(System.currentTimeMillis() / 1000)
                    .setPayload(ByteString.copyFromUtf8("reading " + i))
                    .build());
        }
        packets.onCompleted();
        ack.answer().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
