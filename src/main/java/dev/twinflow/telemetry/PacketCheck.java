package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Packet;

/** What makes a packet unacceptable: an empty {@code device_id} or a payload over the limit. */
final class PacketCheck {

    private final long maxPayload;

    PacketCheck(long maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Why {@code packet} is refused, naming the field or setting at fault; null when it is fine. */
    String problem(Packet packet) {
        if (packet.getDeviceId().isEmpty()) {
            return "device_id is empty: every packet must name its device (field 1, device_id)";
        }
        int size = packet.getPayload().size();
        if (size > maxPayload) {
            return "payload of " + size + " bytes exceeds the limit of " + maxPayload
                    + " bytes (twinflow.telemetry.max-payload-size)";
        }
        return null;
    }
}
