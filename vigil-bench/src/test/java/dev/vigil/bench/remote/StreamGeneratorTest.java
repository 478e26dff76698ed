package dev.vigil.bench.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamGeneratorTest {
  private static final long LAST = 1_800_000_000_000L;

  @TempDir Path dir;

  private static StreamGenerator.Options options(long seed) {
    return options(seed, NodeFleet.Histograms.CLASSIC);
  }

  private static StreamGenerator.Options options(long seed, NodeFleet.Histograms histograms) {
    // 2,000 series over 9 rounds, batches of 300, 10% of hosts replaced every 4 rounds.
    return new StreamGenerator.Options(2_000, 9, 15_000, LAST, seed, 300, 0.10, 4, histograms);
  }

  @Test
  void sameSeedRecordsTheSameBytes() throws Exception {
    StreamGenerator.generate(options(7), dir.resolve("a"));
    StreamGenerator.generate(options(7), dir.resolve("b"));
    StreamGenerator.generate(options(8), dir.resolve("c"));

    assertThat(Files.mismatch(dir.resolve("a"), dir.resolve("b"))).isEqualTo(-1);
    assertThat(Files.mismatch(dir.resolve("a"), dir.resolve("c"))).isNotEqualTo(-1);
  }

  @Test
  void everyRoundHoldsEveryActiveSeriesOnceAtTheRoundsTimestamp() throws Exception {
    StreamGenerator.Summary summary = StreamGenerator.generate(options(1), dir.resolve("s"));

    List<List<DecodedSample>> rounds = DecodedSample.decodeStream(dir.resolve("s"));

    assertThat(rounds).hasSize(9);
    assertThat(summary.activeSeries()).isBetween(2_000, 2_300);
    Set<Map<String, String>> everSeen = new HashSet<>();
    for (int r = 0; r < rounds.size(); r++) {
      List<DecodedSample> round = rounds.get(r);
      long t = LAST - (8 - r) * 15_000L;
      assertThat(round).hasSize(summary.activeSeries());
      assertThat(round).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(t));
      Set<Map<String, String>> labelSets =
          round.stream().map(DecodedSample::labels).collect(Collectors.toSet());
      assertThat(labelSets).hasSize(round.size());
      everSeen.addAll(labelSets);
    }
    assertThat(summary.totalSeries()).isEqualTo(everSeen.size());
    assertThat(summary.samples()).isEqualTo(9L * summary.activeSeries());
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(Path.of(dir.resolve("s") + ".properties"))) {
      p.load(in);
    }
    assertThat(p.getProperty("samples")).isEqualTo(Long.toString(summary.samples()));
    assertThat(p.getProperty("last_ms")).isEqualTo(Long.toString(LAST));
    assertThat(p.getProperty("probe_selector")).startsWith("node_cpu_seconds_total{cpu=\"0\",");
    assertThat(rounds.get(8))
        .anySatisfy(
            s -> {
              assertThat(s.labels().get("cpu")).isEqualTo("0");
              assertThat(s.labels().get("instance"))
                  .isEqualTo(
                      p.getProperty("probe_selector")
                          .replaceAll(".*instance=\"([^\"]+)\".*", "$1"));
              assertThat(s.value()).isEqualTo(Double.parseDouble(p.getProperty("probe_value")));
            });
  }

  @Test
  void countersNeverDecreaseAndChurnReplacesAboutTheRequestedShare() throws Exception {
    StreamGenerator.generate(options(3), dir.resolve("s"));
    List<List<DecodedSample>> rounds = DecodedSample.decodeStream(dir.resolve("s"));

    Map<Map<String, String>, Double> last = new HashMap<>();
    for (List<DecodedSample> round : rounds) {
      for (DecodedSample s : round) {
        String name = s.labels().get("__name__");
        if (name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count")) {
          Double before = last.get(s.labels());
          if (before != null) {
            assertThat(s.value()).as("%s", s.labels()).isGreaterThanOrEqualTo(before);
          }
        }
        last.put(s.labels(), s.value());
      }
    }
    Set<String> first = instances(rounds.get(0));
    Set<String> afterOneChurn = instances(rounds.get(4));
    Set<String> kept = new HashSet<>(first);
    kept.retainAll(afterOneChurn);
    assertThat(afterOneChurn).hasSameSizeAs(first);
    // 10% of the hosts, rounded up, each with a node and an API instance.
    assertThat(first.size() - kept.size()).isEqualTo(2 * (int) Math.ceil(first.size() / 2 * 0.10));
  }

  @Test
  void histogramBucketsAreCumulativeAndEndAtTheCount() throws Exception {
    StreamGenerator.generate(options(4), dir.resolve("s"));
    List<DecodedSample> round = DecodedSample.decodeStream(dir.resolve("s")).get(8);

    Map<Map<String, String>, Map<String, Double>> buckets = new HashMap<>();
    Map<Map<String, String>, Double> counts = new HashMap<>();
    for (DecodedSample s : round) {
      Map<String, String> group = new HashMap<>(s.labels());
      String name = group.remove("__name__");
      String le = group.remove("le");
      if (name.equals("http_request_duration_seconds_bucket")) {
        buckets.computeIfAbsent(group, g -> new HashMap<>()).put(le, s.value());
      } else if (name.equals("http_request_duration_seconds_count")) {
        counts.put(group, s.value());
      }
    }
    assertThat(buckets).isNotEmpty().hasSameSizeAs(counts);
    String[] order = {
      "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
    };
    buckets.forEach(
        (group, b) -> {
          assertThat(b).hasSize(order.length);
          for (int i = 1; i < order.length; i++) {
            assertThat(b.get(order[i])).isGreaterThanOrEqualTo(b.get(order[i - 1]));
          }
          assertThat(b.get("+Inf")).isEqualTo(counts.get(group));
        });
    assertThat(counts.values()).anySatisfy(c -> assertThat(c).isGreaterThan(0));
  }

  @Test
  void nativeHistogramsReplaceTheClassicSeriesAndOnlyGrow() throws Exception {
    StreamGenerator.generate(options(5, NodeFleet.Histograms.NATIVE), dir.resolve("s"));
    List<List<DecodedSample>> rounds = DecodedSample.decodeStream(dir.resolve("s"));

    Map<Map<String, String>, DecodedSample.NativeBuckets> last = new HashMap<>();
    int natives = 0;
    for (List<DecodedSample> round : rounds) {
      for (DecodedSample s : round) {
        String name = s.labels().get("__name__");
        assertThat(name).doesNotStartWith("http_request_duration_seconds_");
        if (!name.equals("http_request_duration_seconds")) {
          assertThat(s.histogram()).isNull();
          continue;
        }
        natives++;
        DecodedSample.NativeBuckets h = s.histogram();
        assertThat(h.schema()).isEqualTo(3);
        assertThat(h.zeroThreshold()).isEqualTo(Math.scalb(1.0, -128));
        assertThat(h.count())
            .isEqualTo(h.buckets().values().stream().mapToLong(Long::longValue).sum());
        DecodedSample.NativeBuckets before = last.put(s.labels(), h);
        if (before != null) {
          assertThat(h.count()).isGreaterThanOrEqualTo(before.count());
          assertThat(h.sum()).isGreaterThanOrEqualTo(before.sum());
          before
              .buckets()
              .forEach((i, c) -> assertThat(h.buckets().get(i)).isGreaterThanOrEqualTo(c));
        }
      }
    }
    // 4 handlers x 2 codes per host.
    assertThat(natives % 8).isZero();
    assertThat(last.values()).anySatisfy(h -> assertThat(h.buckets().size()).isGreaterThan(10));
  }

  @Test
  void bothKindsGiveEveryApiInstanceEightNativeAndNinetySixBucketSeries() throws Exception {
    StreamGenerator.generate(options(6, NodeFleet.Histograms.BOTH), dir.resolve("b"));

    Map<String, Map<String, Long>> perInstance =
        DecodedSample.decodeStream(dir.resolve("b")).get(0).stream()
            .filter(s -> s.labels().get("job").equals("api"))
            .collect(
                Collectors.groupingBy(
                    s -> s.labels().get("instance"),
                    Collectors.groupingBy(s -> s.labels().get("__name__"), Collectors.counting())));

    assertThat(perInstance)
        .isNotEmpty()
        .allSatisfy(
            (instance, names) ->
                assertThat(names)
                    .containsEntry("http_request_duration_seconds", 8L)
                    .containsEntry("http_request_duration_seconds_bucket", 96L)
                    .containsEntry("http_request_duration_seconds_count", 8L));
  }

  private static Set<String> instances(List<DecodedSample> round) {
    return round.stream().map(s -> s.labels().get("instance")).collect(Collectors.toSet());
  }
}
