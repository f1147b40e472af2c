package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/** The scenario catalog and its runs, behind {@code /scenarios}. */
@Component("scenarios")
public class Scenarios implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scenarios.class);
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** The route whose queue takes the runs' chunks to Kafka. */
    static final String PUBLISH_ROUTE = "publish-generated-records";

    private final Map<String, Scenario> catalog = new ConcurrentHashMap<>();
    private final Map<String, ScenarioRun> runs = new ConcurrentHashMap<>();
    private final Path folder;
    private final ProducerTemplate producer;
    private final AuditReport audit;
    private final ScenarioProperties properties;

    Scenarios(TwinflowProperties twinflow, ScenarioProperties properties, ProducerTemplate producer, AuditReport audit)
            throws IOException {
        this.folder = twinflow.dataDir().resolve("scenarios");
        this.producer = producer;
        this.audit = audit;
        this.properties = properties;
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath:scenarios/*.yaml")) {
            add(r.getContentAsString(StandardCharsets.UTF_8), r.getDescription());
        }
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    add(Files.readString(f), f.toString());
                }
            }
        }
    }

    private void add(String yaml, String where) {
        try {
            Scenario s = ScenarioParser.parse(yaml);
            catalog.put(s.name(), s);
        } catch (ApiException e) {
            throw new IllegalStateException("scenario " + where + " is invalid: " + e.getMessage(), e);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void autostart() {
        for (String name : properties.autostart()) {
            start(name, null);
        }
    }

    /** {@code GET /scenarios}: every scenario with its definition and the status of its last run. */
    public byte[] list() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        new TreeMap<>(catalog).keySet().forEach(name -> list.add(describe(name)));
        return Json.bytes(list);
    }

    /** {@code GET /scenarios/{name}}. */
    public byte[] status(String name) {
        return Json.bytes(describe(name));
    }

    private ObjectNode describe(String name) {
        Scenario s = scenario(name);
        ObjectNode node = Json.MAPPER.createObjectNode().put("name", name);
        node.set("definition", s.toJson());
        ScenarioRun run = runs.get(name);
        if (run == null) {
            node.putNull("last_run");
        } else {
            ObjectNode status = run.status();
            audit.totals(run.runId()).forEach((k, v) -> status.put("audit_" + k, v));
            node.set("last_run", status);
        }
        return node;
    }

    /** {@code PUT /scenarios/{name}}: defines or replaces a scenario from YAML (or JSON) and saves it. */
    public byte[] define(String name, String yaml) {
        Scenario s = ScenarioParser.parse(yaml == null ? "" : yaml);
        if (!s.name().equals(name)) {
            throw ScenarioParser.invalid("name", "'" + s.name() + "' does not match the path's '" + name + "'");
        }
        try {
            Files.createDirectories(folder);
            Path tmp = folder.resolve(name + ".yaml.tmp");
            Files.writeString(tmp, yaml);
            Files.move(
                    tmp,
                    folder.resolve(name + ".yaml"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catalog.put(name, s);
        return status(name);
    }

    /**
     * {@code POST /scenarios/{name}/start}, optionally with {@code {"rate":..,"limit":..,"seed":..}}.
     *
     * @throws ApiException 404 for an unknown scenario, 409 when it already runs, 400 for bad overrides
     */
    public synchronized byte[] start(String name, String overrides) {
        Scenario s = scenario(name);
        ScenarioRun current = runs.get(name);
        if (current != null && current.state().equals("running")) {
            throw new ApiException(409, "already_running", "scenario '" + name + "' runs as " + current.runId());
        }
        JsonNode extra = overrides == null || overrides.isBlank()
                ? null
                : Json.parseObject(overrides.getBytes(StandardCharsets.UTF_8));
        Scenario effective = s.with(extra);
        String id = name + "-" + LocalDateTime.now(ZoneOffset.UTC).format(RUN_STAMP);
        if (current != null && current.runId().startsWith(id)) {
            id = id + "-" + System.nanoTime() % 1000;
        }
        ScenarioRun run = new ScenarioRun(
                effective, id, producer.getCamelContext(), publishQueue(), properties.maxInFlightChunks());
        runs.put(name, run);
        Thread thread = new Thread(run, "scenario-" + name);
        thread.setDaemon(true);
        thread.start();
        LOG.info("scenario {} started as run {}", name, id);
        return status(name);
    }

    /** {@code POST /scenarios/{name}/stop}. */
    public byte[] stop(String name) {
        scenario(name);
        ScenarioRun run = runs.get(name);
        if (run != null) {
            run.stop();
        }
        return status(name);
    }

    // the route's own endpoint, so its queue's size and blockWhenFull (in the YAML) hold for this
    // producer too; the run's thread is its only caller, so its chunks queue in order
    private Consumer<Chunk> publishQueue() {
        Route route = producer.getCamelContext().getRoute(PUBLISH_ROUTE);
        if (route == null) {
            throw new ApiException(503, "publisher_missing", "route " + PUBLISH_ROUTE + " is not loaded");
        }
        Endpoint queue = route.getEndpoint();
        return chunk -> producer.sendBody(queue, chunk);
    }

    private Scenario scenario(String name) {
        Scenario s = catalog.get(name);
        if (s == null) {
            throw new ApiException(404, "unknown_scenario", "no scenario '" + name + "'; GET /scenarios lists them");
        }
        return s;
    }

    @Override
    public void close() {
        runs.values().forEach(ScenarioRun::stop);
    }
}
