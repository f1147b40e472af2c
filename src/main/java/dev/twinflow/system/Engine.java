package dev.twinflow.system;

/**
 * One engine the app uses, as reported in the start-up log: its name, whether twinflow started it
 * in-process ({@code embedded}) or uses one configured by address ({@code external}), and where it is.
 *
 * <p>The pattern every engine follows: its address setting (e.g. {@code twinflow.kafka.bootstrap-servers})
 * left unset means "start the real engine in-process on {@code twinflow.<engine>.embedded-port}"; set
 * means "use that one". Each engine contributes one {@code Engine} bean.
 */
public record Engine(String name, String mode, String address) {

    public static Engine embedded(String name, String address) {
        return new Engine(name, "embedded", address);
    }

    public static Engine external(String name, String address) {
        return new Engine(name, "external", address);
    }
}
