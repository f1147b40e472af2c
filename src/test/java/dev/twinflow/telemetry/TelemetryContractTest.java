package dev.twinflow.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import dev.twinflow.telemetry.proto.TelemetryIngestGrpc;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.Test;

/** The wire contract seed 002's Python client relies on: names, method type and field numbers. */
class TelemetryContractTest {

    @Test
    void serviceAndMethodKeepTheSeedsWireNames() {
        MethodDescriptor<Packet, Ack> method = TelemetryIngestGrpc.getStreamPacketsMethod();
        assertThat(TelemetryIngestGrpc.SERVICE_NAME).isEqualTo("TelemetryIngest");
        assertThat(method.getFullMethodName()).isEqualTo("TelemetryIngest/StreamPackets");
        assertThat(method.getType()).isEqualTo(MethodDescriptor.MethodType.CLIENT_STREAMING);
    }

    @Test
    void messagesKeepTheSeedsFieldNumbers() {
        assertThat(Packet.DEVICE_ID_FIELD_NUMBER).isEqualTo(1);
        assertThat(Packet.TIMESTAMP_FIELD_NUMBER).isEqualTo(2);
        assertThat(Packet.PAYLOAD_FIELD_NUMBER).isEqualTo(3);
        assertThat(Ack.OK_FIELD_NUMBER).isEqualTo(1);
        // bytes a Python client would send for Packet(device_id="sensor-1", timestamp=1, payload=b"abcd")
        byte[] fromPython = {
            0x0a, 0x08, 's', 'e', 'n', 's', 'o', 'r', '-', '1', 0x10, 0x01, 0x1a, 0x04, 'a', 'b', 'c', 'd'
        };
        assertThat(Packet.newBuilder()
                        .setDeviceId("sensor-1")
                        .setTimestamp(1)
                        .setPayload(com.google.protobuf.ByteString.copyFromUtf8("abcd"))
                        .build()
                        .toByteArray())
                .isEqualTo(fromPython);
    }
}
