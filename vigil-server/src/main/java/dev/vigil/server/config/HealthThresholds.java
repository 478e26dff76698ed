package dev.vigil.server.config;

/**
 * Percent thresholds of the system health: a metric above {@code warning} is a warning, above
 * {@code critical} critical.
 */
public record HealthThresholds(Level cpu, Level memory, Level disk) {

  /** CPU 70/90, memory 70/90, disk 80/95, as in the seed. */
  public static HealthThresholds defaults() {
    return new HealthThresholds(new Level(70, 90), new Level(70, 90), new Level(80, 95));
  }

  /** Warning and critical percentages of one metric. */
  public record Level(double warning, double critical) {}
}
