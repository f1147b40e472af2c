package dev.twinflow.sinks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import dev.twinflow.system.Paging;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * {@code GET /machine_data?device_id=&data_id=&from=&to=&order=&offset=&limit=}: the history of readings
 * in MySQL. The bean checks the parameters and writes the query (its values are bound parameters);
 * camel-sql runs it. {@code from} (inclusive) and {@code to} (exclusive) are ms since the epoch or
 * ISO-8601 instants; newest first unless {@code order=asc}.
 */
@Component("machineHistory")
public class MachineHistory {

    private final Paging paging;
    private final SinkRoutes routes;

    MachineHistory(Paging paging, SinkRoutes routes) {
        this.paging = paging;
        this.routes = routes;
    }

    /** Replaces the request by the query: SQL in the body, its parameters in a header. */
    public void query(Exchange exchange) {
        Message m = exchange.getMessage();
        Paging.Page page = paging.parse(m.getHeader("offset", String.class), m.getHeader("limit", String.class));
        long from = time("from", m.getHeader("from", String.class), Long.MIN_VALUE);
        long to = time("to", m.getHeader("to", String.class), Long.MAX_VALUE);
        if (from > to) {
            throw ApiException.badRequest("invalid_range", "'from' is after 'to'");
        }
        String order = m.getHeader("order", "desc", String.class);
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.badRequest("invalid_order", "order must be asc or desc, got '" + order + "'");
        }
        String device = text("device_id", m.getHeader("device_id", String.class), MysqlRows.MAX_DEVICE_ID);
        String dataId = text("data_id", m.getHeader("data_id", String.class), MysqlRows.MAX_DATA_ID);
        if (!routes.migrated()) {
            throw new ApiException(503, "mysql_unavailable", "the MySQL schema is not ready yet (is MySQL up?)");
        }
        // camel-sql (useMessageBodyForSql): the SQL in the body, its ? parameters in CamelSqlParameters
        List<Object> parameters = new java.util.ArrayList<>(List.of(from, to));
        StringBuilder sql = new StringBuilder(
                "SELECT device_id, data_id, value, value_text, ts FROM mac_data WHERE ts >= ? AND ts < ?");
        if (device != null) {
            sql.append(" AND device_id = ?");
            parameters.add(device);
        }
        if (dataId != null) {
            sql.append(" AND data_id = ?");
            parameters.add(dataId);
        }
        sql.append(" ORDER BY ts ").append(order).append(", device_id, data_id LIMIT ? OFFSET ?");
        parameters.add(page.limit());
        parameters.add(page.offset());
        m.removeHeaders("*");
        m.setHeader("CamelSqlParameters", parameters);
        m.setHeader("q_limit", page.limit());
        m.setHeader("q_offset", page.offset());
        m.setBody(sql.toString());
    }

    /** The rows camel-sql selected, as the answer. */
    public byte[] answer(List<Map<String, Object>> rows, Exchange exchange) {
        Message m = exchange.getMessage();
        long offset = m.getHeader("q_offset", Long.class);
        int limit = m.getHeader("q_limit", Integer.class);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        for (Map<String, Object> row : rows) {
            ObjectNode item = items.addObject()
                    .put("device_id", (String) row.get("device_id"))
                    .put("data_id", (String) row.get("data_id"));
            Object value = row.get("value");
            if (value == null) {
                item.putNull("value");
            } else {
                item.put("value", ((Number) value).doubleValue());
            }
            item.put("value_text", (String) row.get("value_text"));
            long ts = ((Number) row.get("ts")).longValue();
            item.put("ts", ts).put("time", Instant.ofEpochMilli(ts).toString());
        }
        answer.put("offset", offset).put("limit", limit).put("count", rows.size());
        if (rows.size() == limit && limit > 0) {
            answer.put("next_offset", offset + limit);
        } else {
            answer.putNull("next_offset");
        }
        return Json.bytes(answer);
    }

    static long time(String name, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(v).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                        "invalid_" + name,
                        name + " must be ms since the epoch or an ISO-8601 instant (2026-12-03T10:00:00Z), got '"
                                + value + "'");
            }
        }
    }

    private static String text(String name, String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > max) {
            throw ApiException.badRequest("invalid_" + name, name + " is longer than " + max + " characters");
        }
        return value;
    }
}
