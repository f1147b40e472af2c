package dev.twinflow.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.twinflow.telemetry.proto.Packet;
import org.junit.jupiter.api.Test;

/** The packet rules of seed 002: a device id, and a payload no larger than the limit. */
class PacketCheckTest {

    private final PacketCheck check = new PacketCheck(64);

    private static Packet packet(String device, int payloadBytes) {
        return Packet.newBuilder()
                .setDeviceId(device)
                .setTimestamp(1)
                .setPayload(ByteString.copyFrom(new byte[payloadBytes]))
                .build();
    }

    @Test
    void aPacketWithADeviceAndAPayloadUpToTheLimitIsFine() {
        assertThat(check.problem(packet("sensor-1", 0))).isNull();
        assertThat(check.problem(packet("sensor-1", 64))).isNull();
    }

    @Test
    void anEmptyDeviceIdIsRefusedNamingTheField() {
        assertThat(check.problem(packet("", 4))).contains("device_id is empty").contains("field 1");
    }

    @Test
    void aPayloadOneByteOverTheLimitIsRefusedNamingSizeLimitAndSetting() {
        assertThat(check.problem(packet("sensor-1", 65)))
                .contains("payload of 65 bytes exceeds the limit of 64 bytes")
                .contains("twinflow.telemetry.max-payload-size");
    }

    @Test
    void theDeviceIdIsCheckedFirst() {
        assertThat(check.problem(packet("", 65))).startsWith("device_id is empty");
    }
}
