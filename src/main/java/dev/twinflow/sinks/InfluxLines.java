package dev.twinflow.sinks;

import dev.twinflow.readings.MachineReading;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * A {@code machine_data} batch as one line-protocol write: measurement {@code machine_data}, tags {@code
 * device_id} and {@code data_id}, field {@code value} (float) or {@code value_text} (string), time = the
 * reading's own ts in ns, so a rewrite is the same point. The request differs between the v1 and v2 APIs
 * only in its path and its auth header.
 */
@Component("influxLines")
public class InfluxLines {

    static final String MEASUREMENT = "machine_data";
    static final int MAX_TEXT = 64 * 1024;

    private final String uri;
    private final String authorization;

    InfluxLines(InfluxProperties influx) {
        String base = influx.url() == null ? "" : influx.url().replaceAll("/+$", "");
        if ("v1".equals(influx.api())) {
            uri = base + "/write?db=" + encode(influx.database()) + "&precision=ns";
            authorization = influx.user() == null || influx.user().isBlank()
                    ? null
                    : "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (influx.user() + ":" + (influx.password() == null ? "" : influx.password()))
                                                    .getBytes(StandardCharsets.UTF_8));
        } else {
            uri = base + "/api/v2/write?org=" + encode(influx.org()) + "&bucket=" + encode(influx.bucket())
                    + "&precision=ns";
            authorization = influx.token() == null || influx.token().isBlank() ? null : "Token " + influx.token();
        }
    }

    /** Sets the body (the lines; empty when nothing is to be written) and the request's headers. */
    public void write(List<Exchange> batch, Exchange exchange) {
        SinkBatch parsed = SinkBatch.of(batch, exchange, "influx", InfluxLines::check);
        Message m = exchange.getMessage();
        m.setBody(lines(parsed.readings()));
        m.setHeader(Exchange.HTTP_URI, uri);
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (authorization != null) {
            m.setHeader("Authorization", authorization);
        }
    }

    String uri() {
        return uri;
    }

    String authorization() {
        return authorization;
    }

    static byte[] lines(List<MachineReading> readings) {
        StringBuilder out = new StringBuilder(readings.size() * 80);
        for (MachineReading r : readings) {
            out.append(MEASUREMENT).append(",device_id=");
            tag(out, r.deviceId());
            out.append(",data_id=");
            tag(out, r.dataId());
            if (r.value() != null) {
                out.append(" value=").append(r.value().doubleValue());
            } else {
                out.append(" value_text=\"");
                for (int i = 0; i < r.valueText().length(); i++) {
                    char c = r.valueText().charAt(i);
                    if (c == '"' || c == '\\') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
            }
            out.append(' ').append(r.ts()).append("000000\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void tag(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                out.append('\\');
            }
            out.append(c);
        }
    }

    static String check(MachineReading r) {
        for (String tag : new String[] {r.deviceId(), r.dataId()}) {
            // a backslash is line protocol's escape character: a tag holding one cannot be written unambiguously
            if (tag.indexOf('\n') >= 0 || tag.indexOf('\r') >= 0 || tag.indexOf('\\') >= 0) {
                return "device_id and data_id may not hold line breaks or backslashes in InfluxDB";
            }
        }
        if (r.value() != null && !Double.isFinite(r.value())) {
            return "value is not a finite number";
        }
        if (r.valueText() != null && r.valueText().length() > MAX_TEXT) {
            return "value_text longer than " + MAX_TEXT + " characters";
        }
        if (r.ts() < 0 || r.ts() > 9_000_000_000_000L) {
            return "ts out of InfluxDB's range";
        }
        return null;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
