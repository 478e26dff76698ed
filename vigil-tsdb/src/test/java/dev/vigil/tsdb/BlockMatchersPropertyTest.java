package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Matchers over series spread across blocks and the head (some only in blocks, some only in the
 * head, some in both) answer as a reference model that filters label sets directly.
 */
class BlockMatchersPropertyTest {
  private static final long MINUTE = 60_000;
  private static final String[] JOBS = {"api", "web", "db"};
  private static final String[] ENVS = {null, "prod", "dev"};
  private static final String[] ZONES = {null, "a", "b", "c"};
  private static final String[] NAMES = {"__name__", "job", "env", "zone", "missing"};
  private static final String[] VALUES = {
    "", "api", "web", "prod", "a", "a|b", ".*", ".+", "p.*", "m", "(api|db)"
  };

  /** A series: its labels, and the minutes [from, to) in which it has a sample every 10 min. */
  record Spec(Labels labels, int from, int to) {}

  @Provide
  Arbitrary<List<Spec>> specs() {
    return spec().list().ofMinSize(1).ofMaxSize(12);
  }

  private Arbitrary<Spec> spec() {
    return Combinators.combine(
            Arbitraries.of("m", "n"),
            Arbitraries.of(JOBS),
            Arbitraries.of(ENVS),
            Arbitraries.of(ZONES),
            Arbitraries.integers().between(0, 9 * 60),
            Arbitraries.integers().between(10, 4 * 60))
        .as(
            (name, job, env, zone, from, length) -> {
              Labels.Builder b = Labels.builder().put("__name__", name).put("job", job);
              if (env != null) {
                b.put("env", env);
              }
              if (zone != null) {
                b.put("zone", zone);
              }
              return new Spec(b.build(), from, Math.min(from + length, 10 * 60));
            });
  }

  @Provide
  Arbitrary<Matcher> matchers() {
    return Combinators.combine(
            Arbitraries.of(Matcher.Type.class), Arbitraries.of(NAMES), Arbitraries.of(VALUES))
        .as(Matcher::of);
  }

  @Property(tries = 15)
  void selectAndLabelValuesEqualTheModel(
      @ForAll("specs") List<Spec> specs,
      @ForAll("matchers") Matcher first,
      @ForAll("matchers") Matcher second)
      throws IOException {
    Path dir = Files.createTempDirectory("vigil-blocks-property");
    MutableClock clock = new MutableClock(T0);
    List<Spec> unique = new ArrayList<>();
    Set<Labels> seen = new LinkedHashSet<>();
    // One series spans the whole run, so the head is always cut into blocks.
    unique.add(new Spec(Labels.of("__name__", "m", "job", "db", "zone", "c"), 0, 10 * 60));
    seen.add(unique.get(0).labels());
    for (Spec s : specs) {
      if (seen.add(s.labels())) {
        unique.add(s);
      }
    }
    try (Tsdb tsdb =
        Tsdb.open(TsdbOptions.builder(dir).clock(clock).retention(Duration.ofDays(30)).build())) {
      for (int m = 0; m < 10 * 60; m += 10) {
        clock.set(T0 + m * MINUTE);
        Appender a = tsdb.appender();
        for (Spec s : unique) {
          if (m >= s.from() && m < s.to()) {
            a.add(s.labels(), clock.millis(), m);
          }
        }
        a.commit();
        if (m % 60 == 0) {
          tsdb.maintain();
        }
      }
      tsdb.maintain();
      assertThat(tsdb.stats().blocks()).isPositive();
      for (Matcher[] ms :
          List.of(new Matcher[] {first}, new Matcher[] {first, second}, new Matcher[0])) {
        TreeSet<Labels> expected = new TreeSet<>();
        for (Spec s : unique) {
          if (s.from() < s.to()
              && Stream.of(ms).allMatch(x -> x.matches(s.labels().get(x.name())))) {
            expected.add(s.labels());
          }
        }
        try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          assertThat(q.select(ms).stream().map(Series::labels).toList())
              .as("select %s", List.of(ms))
              .containsExactlyElementsOf(expected);
          TreeSet<String> jobs = new TreeSet<>();
          expected.forEach(l -> jobs.add(l.get("job")));
          assertThat(q.labelValues("job", ms)).containsExactlyElementsOf(jobs);
        }
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
