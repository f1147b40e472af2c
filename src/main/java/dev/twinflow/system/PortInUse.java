package dev.twinflow.system;

/**
 * An engine could not bind its port. Carries the setting that chose the port, so the start-up
 * failure tells the user exactly what to change.
 */
public class PortInUse extends RuntimeException {

    private final String setting;
    private final int port;

    public PortInUse(String setting, int port, Throwable cause) {
        super("port " + port + " (" + setting + ") is already in use", cause);
        this.setting = setting;
        this.port = port;
    }

    public String setting() {
        return setting;
    }

    public int port() {
        return port;
    }
}
