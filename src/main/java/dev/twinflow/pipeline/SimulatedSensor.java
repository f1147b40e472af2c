package dev.twinflow.pipeline;

import dev.twinflow.generate.RecordFactory;
import dev.twinflow.generate.SensorKind;
import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * One sensor of a simulated device: a signal that follows its setpoint + daily cycle + noise + slow
 * drift, with spikes, stuck values and dropouts injected and labelled. Its own sequence numbers; the
 * randomness comes from the stream's generator, so the stream stays deterministic.
 */
final class SimulatedSensor {

    /** A reading's value (null for a dropout) and its anomaly label (null when normal). */
    record Reading(BigDecimal value, String anomaly) {}

    private static final long DAY_MS = 86_400_000L;

    final String source;
    final String device;
    final SensorKind kind;
    private final double setpoint;
    private final double amplitude;
    private final double phase;
    private final double driftPerHour;
    private long seq;
    private String anomaly;
    private int anomalyLeft;
    private double stuckValue;

    SimulatedSensor(String device, SensorKind kind, SplittableRandom r) {
        this.device = device;
        this.source = device + ":" + kind.type();
        this.kind = kind;
        this.setpoint = kind.mean() + gaussian(r) * kind.sd() * 0.5;
        this.amplitude = kind.sd() * (0.4 + r.nextDouble() * 0.6);
        this.phase = r.nextDouble() * 2 * Math.PI;
        this.driftPerHour = gaussian(r) * kind.sd() * 0.01;
    }

    /** This sensor's next sequence number in the run, from 1. */
    long nextSeq() {
        return ++seq;
    }

    /** The reading at {@code now}, {@code start} being the run's start (for the drift). */
    Reading read(SplittableRandom random, long now, long start, double anomalyProbability) {
        double t = (now % DAY_MS) / (double) DAY_MS;
        double value = setpoint
                + amplitude * Math.sin(2 * Math.PI * t + phase)
                + gaussian(random) * kind.sd() * 0.15
                + driftPerHour * (now - start) / 3_600_000.0;
        String label = null;
        Double shown;
        if (anomalyLeft > 0) {
            anomalyLeft--;
            label = anomaly;
            shown = "stuck".equals(label) ? stuckValue : null;
        } else if (random.nextDouble() < anomalyProbability) {
            double kindRoll = random.nextDouble();
            if (kindRoll < 0.5) {
                label = "spike";
                shown = value + (random.nextBoolean() ? 1 : -1) * kind.sd() * (5 + random.nextDouble() * 5);
            } else if (kindRoll < 0.8) {
                label = "stuck";
                stuckValue = RecordFactory.clamp(value, kind.min(), kind.max());
                shown = stuckValue;
                anomalyLeft = 4 + random.nextInt(16);
            } else {
                label = "dropout";
                shown = null;
                anomalyLeft = random.nextInt(5);
            }
            anomaly = label;
        } else {
            shown = value;
        }
        if (shown == null) {
            return new Reading(null, label);
        }
        double bounded = "spike".equals(label) ? shown : RecordFactory.clamp(shown, kind.min(), kind.max());
        return new Reading(RecordFactory.round(bounded, 2), label);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller on the deterministic generator: RandomGenerator.nextGaussian would draw other
        // numbers, and the same seed must keep giving the same records
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
