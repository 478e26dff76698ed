package dev.vigil.server.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import dev.vigil.model.Labels;
import dev.vigil.server.MutableClock;
import dev.vigil.server.http.TimeRange;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.rollup.Resolution;
import dev.vigil.tsdb.rollup.RollupOptions;
import dev.vigil.tsdb.rollup.Rollups;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached, block-tiled sums of {@link RequestStatsReader} against the same figures computed here
 * slot by slot with the model's {@link Histogram#merge} and {@link Histogram#quantile}: counts,
 * status counts, quantiles and Apdex exactly, sums to 1e-9; for windows of every length and
 * alignment, one service or all; and after late writes into blocks already cached.
 */
class RequestStatsReaderTest {

  static final long NOW = Instant.parse("2025-07-19T12:34:56.789Z").toEpochMilli();
  static final long HOUR = 3_600_000;
  static final double APDEX = 0.5;
  static final String[][] ENDPOINTS = {{"GET", "/x"}, {"POST", "/y"}, {"GET", "/z/{id}"}};
  static final String[] SERVICES = {"shop", "auth"};
  static final String[] INSTANCES = {"a", "b"};

  /** One stored slot of one series. */
  record Slot(long slot, String service, String method, String route, Histogram h, long[] st) {}

  @TempDir Path dir;
  MutableClock clock;
  Storage tsdb;
  RequestStatsReader reader;
  final List<Slot> written = new ArrayList<>();
  final Random random = new Random(11);

  @BeforeEach
  void open() throws IOException {
    clock = new MutableClock(NOW);
    tsdb =
        Tsdb.open(
            TsdbOptions.builder(dir.resolve("tsdb"))
                .clock(clock)
                .outOfOrderWindow(Duration.ofHours(40))
                .build());
    reader = new RequestStatsReader(tsdb);
  }

  @AfterEach
  void close() throws IOException {
    tsdb.close();
  }

  Histogram observations(int n, double median) {
    HistogramBuilder b = Histogram.builder(RequestSeries.SCHEMA).zeroThreshold(0.0);
    for (int i = 0; i < n; i++) {
      b.observe(random.nextInt(40) == 0 ? 0.0 : median * Math.exp(random.nextGaussian()));
    }
    return b.build();
  }

  /** Writes one slot of one series and tells the reader after the commit, as ingest does. */
  void write(long slot, String service, String instance, int endpoint, Histogram h)
      throws IOException {
    Appender a = tsdb.appender();
    add(a, slot, service, instance, endpoint, h);
    a.commit();
    reader.invalidate(slot);
  }

  void add(Appender a, long slot, String service, String instance, int endpoint, Histogram h) {
    String method = ENDPOINTS[endpoint][0];
    String route = ENDPOINTS[endpoint][1];
    Labels[] labels = RequestSeries.deltaLabels(service, instance, method, route);
    long[] st = new long[BlockSums.STATUS];
    a.mergeHistogram(labels[0], slot, h);
    long n = Math.round(h.count());
    long errors = random.nextInt(4) == 0 ? Math.min(n, 1 + random.nextInt(2)) : 0;
    int errorClass = random.nextBoolean() ? 3 : 4;
    a.mergeFloat(labels[2], slot, n - errors);
    st[1] = n - errors;
    if (errors > 0) {
      a.mergeFloat(labels[1 + errorClass], slot, errors);
      st[errorClass] = errors;
    }
    written.add(new Slot(slot, service, method, route, h, st));
  }

  /** 30 hours of sparse data: each series has requests in about a quarter of the slots. */
  void fill() throws IOException {
    long first = RequestSeries.slot(NOW - 30 * HOUR);
    Appender a = tsdb.appender();
    List<Long> slots = new ArrayList<>();
    for (long slot = first; slot <= NOW; slot += RequestSeries.SLOT_MILLIS) {
      for (String service : SERVICES) {
        for (String instance : INSTANCES) {
          for (int e = 0; e < ENDPOINTS.length; e++) {
            if (random.nextInt(4) == 0) {
              add(
                  a,
                  slot,
                  service,
                  instance,
                  e,
                  observations(1 + random.nextInt(6), 0.05 * (e + 1)));
            }
          }
        }
      }
      slots.add(slot);
      if (slots.size() == 360 || slot + RequestSeries.SLOT_MILLIS > NOW) {
        a.commit();
        slots.forEach(reader::invalidate);
        slots.clear();
        a = tsdb.appender();
      }
    }
  }

  /** Checks a read against the slot-by-slot figures. */
  void check(TimeRange r, String service) {
    Map<String, Histogram> merged = new TreeMap<>();
    Map<String, long[]> status = new HashMap<>();
    Histogram all = null;
    for (Slot s : written) {
      if (s.slot() < r.startMillis()
          || s.slot() > r.endMillis()
          || (service != null && !service.equals(s.service()))) {
        continue;
      }
      String key = s.method() + " " + s.route();
      merged.merge(key, s.h(), Histogram::merge);
      long[] st = status.computeIfAbsent(key, k -> new long[BlockSums.STATUS]);
      for (int i = 0; i < st.length; i++) {
        st[i] += s.st()[i];
      }
      all = all == null ? s.h() : all.merge(s.h());
    }
    RequestStatsReader.WindowStats w = reader.read(r, service, APDEX, true);
    Map<String, EndpointStats> got = new TreeMap<>();
    for (EndpointStats e : reader.read(r, service, APDEX, false).endpoints()) {
      got.put(e.key(), e);
    }
    Map<String, EndpointStats> light = new TreeMap<>();
    for (EndpointStats e : w.endpoints()) {
      light.put(e.key(), e);
    }
    assertThat(light.keySet()).isEqualTo(got.keySet());
    for (EndpointStats e : got.values()) {
      EndpointStats l = light.get(e.key());
      assertThat(l.count()).isEqualTo(e.count());
      // Sums kept from earlier reads add in another order: equal to the last bits.
      assertThat(l.totalSeconds()).isCloseTo(e.totalSeconds(), within(1e-12 * e.totalSeconds()));
      assertThat(l.averageSeconds())
          .isCloseTo(e.averageSeconds(), within(1e-12 * e.averageSeconds()));
      assertThat(l.statusCounts()).isEqualTo(e.statusCounts());
    }
    String where = r + " service " + service;
    assertThat(got.keySet()).as(where).isEqualTo(merged.keySet());
    for (Map.Entry<String, Histogram> m : merged.entrySet()) {
      Histogram h = m.getValue();
      EndpointStats e = got.get(m.getKey());
      String what = where + " " + m.getKey();
      assertThat(e.count()).as(what).isEqualTo(Math.round(h.count()));
      assertThat(e.totalSeconds()).as(what).isCloseTo(h.sum(), within(1e-9 * h.sum()));
      assertThat(e.statusCounts()).as(what).isEqualTo(status.get(m.getKey()));
      assertThat(e.p50()).as(what).isEqualTo(h.quantile(0.5));
      assertThat(e.p90()).as(what).isEqualTo(h.quantile(0.9));
      assertThat(e.p95()).as(what).isEqualTo(h.quantile(0.95));
      assertThat(e.p99()).as(what).isEqualTo(h.quantile(0.99));
      assertThat(e.p999()).as(what).isEqualTo(h.quantile(0.999));
      assertThat(e.apdex()).as(what).isEqualTo(Apdex.score(h, APDEX));
      if (h.count() > 1) {
        double lowest =
            h.zeroCount() > 0 ? 0 : Histogram.lowerBound(h.positiveIndex(0), h.schema());
        double highest =
            Histogram.upperBound(h.positiveIndex(h.positiveBucketCount() - 1), h.schema());
        assertThat(e.minSeconds()).as(what).isEqualTo(Math.min(lowest, e.averageSeconds()));
        assertThat(e.maxSeconds()).as(what).isEqualTo(Math.max(highest, e.averageSeconds()));
      }
    }
    if (all != null) {
      assertThat(w.total().count()).as(where).isEqualTo(Math.round(all.count()));
      assertThat(w.total().totalSeconds()).as(where).isCloseTo(all.sum(), within(1e-9 * all.sum()));
      assertThat(w.total().p50()).as(where).isEqualTo(all.quantile(0.5));
      assertThat(w.total().p90()).as(where).isEqualTo(all.quantile(0.9));
      assertThat(w.total().p95()).as(where).isEqualTo(all.quantile(0.95));
      assertThat(w.total().p99()).as(where).isEqualTo(all.quantile(0.99));
      assertThat(w.total().apdex()).as(where).isEqualTo(Apdex.score(all, APDEX));
    } else {
      assertThat(w.endpoints()).as(where).isEmpty();
    }
  }

  List<TimeRange> windows() {
    List<TimeRange> out = new ArrayList<>();
    for (long length : new long[] {5 * 60_000, HOUR, 24 * HOUR, 29 * HOUR}) {
      out.add(new TimeRange(NOW - length, NOW));
    }
    Random r = new Random(3);
    for (int i = 0; i < 12; i++) {
      long start = NOW - 30 * HOUR + (long) (r.nextDouble() * 29 * HOUR);
      long end = start + 1 + (long) (r.nextDouble() * (NOW - start));
      out.add(new TimeRange(start, end));
    }
    out.add(new TimeRange(NOW - 26 * HOUR, NOW - 2 * HOUR)); // whole hours only
    return out;
  }

  @Test
  void cachedReadsEqualTheSumOfEverySlot() throws IOException {
    fill();
    for (int pass = 0; pass < 2; pass++) { // cold, then from the cache
      for (TimeRange r : windows()) {
        check(r, null);
        check(r, "auth");
      }
    }
    assertThat(reader.cachedBlocks()).isPositive();
    check(new TimeRange(NOW - HOUR, NOW), "no-such-service");
  }

  @Test
  void hoursFromTheRollupsEqualTheSumOfEverySlot() throws IOException {
    fill();
    RollupOptions options =
        new RollupOptions(
            dir.resolve("rollups"),
            Duration.ofHours(1),
            Duration.ofDays(365),
            Duration.ofHours(48),
            clock);
    try (Rollups rollups = Rollups.open(tsdb, options)) {
      assertThat(rollups.catchUp()).isPositive();
      assertThat(rollups.rolledUpUntil(Resolution.ONE_HOUR)).isGreaterThan(NOW - 3 * HOUR);
      reader = new RequestStatsReader(tsdb, rollups);
      for (int pass = 0; pass < 2; pass++) {
        for (TimeRange r : windows()) {
          check(r, null);
          check(r, "auth");
        }
      }
      assertThat(reader.hoursFromRollups()).isGreaterThan(20);
    }
  }

  @Test
  void lateEventIntoACachedHourChangesTheAnswer() throws IOException {
    fill();
    TimeRange day = new TimeRange(NOW - 24 * HOUR, NOW);
    check(day, null);
    long before = reader.read(day, null, APDEX, true).total().count();
    // A late event 20 hours back lands in an hour (and longer blocks) that the read just cached.
    long late = RequestSeries.slot(NOW - 20 * HOUR + 123_456);
    write(late, "shop", "a", 1, observations(1, 3.0));
    assertThat(reader.read(day, null, APDEX, true).total().count()).isEqualTo(before + 1);
    check(day, null);
    check(day, "shop");
    // A late event into the last hour, whose sum is kept once two reads saw it unchanged.
    check(day, null);
    check(new TimeRange(NOW - HOUR, NOW), null);
    check(new TimeRange(NOW - HOUR, NOW), null);
    long recent = RequestSeries.slot(NOW - 40 * 60_000);
    write(recent, "auth", "b", 2, observations(2, 0.7));
    check(day, null);
    check(new TimeRange(NOW - HOUR, NOW), null);
    // And a new endpoint in a cached minute at the window's edge.
    long edge = RequestSeries.slot(NOW - 24 * HOUR + 5_000);
    Histogram one = observations(1, 0.2);
    Labels[] labels = RequestSeries.deltaLabels("auth", "a", "DELETE", "/new");
    Appender a = tsdb.appender();
    a.mergeHistogram(labels[0], edge, one);
    a.mergeFloat(labels[2], edge, 1);
    a.commit();
    reader.invalidate(edge);
    written.add(new Slot(edge, "auth", "DELETE", "/new", one, new long[] {0, 1, 0, 0, 0}));
    check(day, null);
    check(day, "auth");
  }
}
