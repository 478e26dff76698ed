package dev.vigil.client.exposition;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.Recorder;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.jvm.JvmMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one exposition shows: a recorder's snapshot, its total of slow requests, and further metric
 * families (JVM metrics, the push reporter's counters, the application's own).
 *
 * @param recorder the recorder's snapshot; its slow requests and users are not exposed
 * @param slowRequestTotal slow requests seen since the recorder started
 * @param families further families, whose names must differ from each other and from the request
 *     metrics
 */
public record Scrape(
    RecorderSnapshot recorder, long slowRequestTotal, List<MetricFamily> families) {

  /** Checks that family names are unique, and copies the list. */
  public Scrape {
    Objects.requireNonNull(recorder, "recorder");
    families = List.copyOf(families);
    Set<String> names = new HashSet<>(RequestFamilies.NAMES);
    for (MetricFamily f : families) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("duplicate metric family: " + f.name());
      }
    }
  }

  /** Snapshots {@code recorder} (without slow requests and users) and the JVM metrics now. */
  public static Scrape of(Recorder recorder) {
    return of(recorder, JvmMetrics.collect());
  }

  /** Snapshots {@code recorder} (without slow requests and users), with these families. */
  public static Scrape of(Recorder recorder, List<MetricFamily> families) {
    // Slow requests and users are events, not metrics: ask for none, which also skips sorting.
    return new Scrape(recorder.snapshot(Long.MAX_VALUE, 0), recorder.slowRequestTotal(), families);
  }
}
