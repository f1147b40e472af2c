package dev.twinflow.generate;

/** A sensor type with its unit and a plausible normal range: mean, standard deviation, hard limits. */
public record SensorKind(String type, String unit, double mean, double sd, double min, double max) {

    public static final SensorKind[] ALL = {
        new SensorKind("temperature", "°C", 24, 3.5, -20, 60),
        new SensorKind("humidity", "%", 52, 12, 5, 100),
        new SensorKind("pressure", "hPa", 1013, 8, 950, 1060),
        new SensorKind("vibration", "mm/s", 2.8, 1.6, 0, 45),
        new SensorKind("voltage", "V", 230, 3, 200, 250),
        new SensorKind("current", "A", 12, 5, 0, 63),
        new SensorKind("co2", "ppm", 650, 180, 380, 5000),
        new SensorKind("light", "lux", 420, 160, 0, 2000),
    };
}
