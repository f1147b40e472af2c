package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.readings.MachineReading;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfluxLinesTest {

    static InfluxProperties settings(String api, String token, String user, String password) {
        return new InfluxProperties(
                "http://influx:8086/", api, "my org", "mqtt_bucket", token, "mqtt_data", user, password);
    }

    @Test
    void v2WritesToTheOrgsBucketWithTheToken() {
        InfluxLines v2 = new InfluxLines(settings("v2", "s3cret", null, null));
        assertThat(v2.uri()).isEqualTo("http://influx:8086/api/v2/write?org=my+org&bucket=mqtt_bucket&precision=ns");
        assertThat(v2.authorization()).isEqualTo("Token s3cret");
    }

    @Test
    void v1WritesToTheDatabaseWithBasicAuthOnlyWhenAUserIsSet() {
        InfluxLines v1 = new InfluxLines(settings("v1", "ignored", "ops", "pw"));
        assertThat(v1.uri()).isEqualTo("http://influx:8086/write?db=mqtt_data&precision=ns");
        assertThat(new String(
                        Base64.getDecoder().decode(v1.authorization().substring("Basic ".length())),
                        StandardCharsets.UTF_8))
                .isEqualTo("ops:pw");
        assertThat(new InfluxLines(settings("v1", null, null, null)).authorization())
                .isNull();
    }

    @Test
    void writesOnePointPerReadingAtItsOwnTimeInNanoseconds() {
        byte[] lines = InfluxLines.lines(List.of(
                new MachineReading("press 1", "X,POS=a", 12.5, null, 1_796_293_467_214L),
                new MachineReading("p2", "STATE", null, "say \"hi\" \\o/", 5L)));
        assertThat(new String(lines, StandardCharsets.UTF_8))
                .isEqualTo("machine_data,device_id=press\\ 1,data_id=X\\,POS\\=a value=12.5 1796293467214000000\n"
                        + "machine_data,device_id=p2,data_id=STATE value_text=\"say \\\"hi\\\" \\\\o/\" 5000000\n");
    }

    @Test
    void refusesTagsLineProtocolCannotCarryAndNonFiniteValues() {
        assertThat(InfluxLines.check(new MachineReading("a\\b", "x", 1.0, null, 1)))
                .contains("backslash");
        assertThat(InfluxLines.check(new MachineReading("a", "x\ny", 1.0, null, 1)))
                .contains("line breaks");
        assertThat(InfluxLines.check(new MachineReading("a", "x", Double.NaN, null, 1)))
                .contains("finite");
        assertThat(InfluxLines.check(new MachineReading("a", "x", 1.0, null, 1)))
                .isNull();
    }
}
