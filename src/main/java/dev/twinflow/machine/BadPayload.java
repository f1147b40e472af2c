package dev.twinflow.machine;

/** An MQTT payload that is not the seed's machine data; it goes to the dead-letter topic with this reason. */
public class BadPayload extends RuntimeException {

    BadPayload(String reason) {
        super(reason, null, false, false);
    }
}
