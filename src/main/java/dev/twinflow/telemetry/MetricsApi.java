package dev.twinflow.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** {@code GET /metrics} and {@code GET /metrics/{device_id}}, read from Redis so every instance agrees. */
@Component("metricsApi")
public class MetricsApi {

    private final DeviceCounters counters;

    MetricsApi(DeviceCounters counters) {
        this.counters = counters;
    }

    /** The seed's shape: {@code [{"device_id":"sensor-1","count":10}]}, sorted by device id. */
    public byte[] all() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        try {
            counters.all()
                    .forEach((device, count) ->
                            list.addObject().put("device_id", device).put("count", count));
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
        return Json.bytes(list);
    }

    public byte[] one(String device) {
        Long count;
        try {
            count = counters.of(device);
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
        if (count == null) {
            throw new ApiException(404, "unknown_device", "no packets counted for device '" + device + "'");
        }
        return Json.bytes(
                Json.MAPPER.createObjectNode().put("device_id", device).put("count", count));
    }

    private static ApiException unavailable(DataAccessException e) {
        return new ApiException(
                503,
                "redis_unavailable",
                "cannot read the counters from Redis: "
                        + e.getMostSpecificCause().getMessage());
    }
}
