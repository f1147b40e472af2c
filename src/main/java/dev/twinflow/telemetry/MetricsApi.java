package dev.twinflow.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import org.springframework.stereotype.Component;

/**
 * {@code GET /metrics} and {@code GET /metrics/{device_id}}, read from Redis so every instance agrees
 * (503 while Redis is down, answered by {@code httpErrors}).
 */
@Component("metricsApi")
public class MetricsApi {

    private final DeviceCounters counters;

    MetricsApi(DeviceCounters counters) {
        this.counters = counters;
    }

    /** The seed's shape: {@code [{"device_id":"sensor-1","count":10}]}, sorted by device id. */
    public byte[] all() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        counters.all()
                .forEach((device, count) ->
                        list.addObject().put("device_id", device).put("count", count));
        return Json.bytes(list);
    }

    public byte[] one(String device) {
        Long count = counters.of(device);
        if (count == null) {
            throw new ApiException(404, "unknown_device", "no packets counted for device '" + device + "'");
        }
        return Json.bytes(
                Json.MAPPER.createObjectNode().put("device_id", device).put("count", count));
    }
}
