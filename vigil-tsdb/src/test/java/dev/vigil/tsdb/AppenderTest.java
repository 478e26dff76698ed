package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.histogram;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.SampleRejectedException.Reason;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppenderTest {
  private static final Labels CPU = series("cpu", "host", "a");
  private static final Labels LATENCY = series("latency", "route", "/api");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private Tsdb tsdb;

  @BeforeEach
  void open() throws IOException {
    tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).maxSeries(3).build());
  }

  @AfterEach
  void close() throws IOException {
    tsdb.close();
  }

  private void commit(ThrowingAppend... writes) throws IOException {
    Appender a = tsdb.appender();
    for (ThrowingAppend w : writes) {
      w.apply(a);
    }
    a.commit();
  }

  interface ThrowingAppend {
    void apply(Appender a);
  }

  private static SampleRejectedException rejection(ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(SampleRejectedException.class);
    return (SampleRejectedException) t;
  }

  @Test
  void outOfOrderSamplesWithinTheWindowAreAcceptedAndReadInOrder() throws IOException {
    commit(a -> a.add(CPU, T0, 3), a -> a.add(CPU, T0 - 20_000, 1));
    commit(a -> a.add(CPU, T0 - 10_000, 2), a -> a.add(CPU, T0 - 3_599_999, 0));

    assertThat(readAll(tsdb).get(CPU))
        .containsExactly(
            Sample.of(T0 - 3_599_999, 0),
            Sample.of(T0 - 20_000, 1),
            Sample.of(T0 - 10_000, 2),
            Sample.of(T0, 3));
  }

  @Test
  void samplesOlderThanTheWindowAreRejectedWithTheLimitInTheMessage() {
    Appender a = tsdb.appender();
    SampleRejectedException e = rejection(() -> a.add(CPU, T0 - 3_600_001, 1));

    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(e.labels()).isEqualTo(CPU);
    assertThat(e.timestampMillis()).isEqualTo(T0 - 3_600_001);
    assertThat(e.getMessage())
        .contains(
            "cpu",
            "host=\"a\"",
            Long.toString(T0 - 3_600_001),
            "1h",
            Long.toString(T0 - 3_600_000));
    assertThat(tsdb.stats().samplesRejected()).isEqualTo(1);
  }

  @Test
  void samplesMoreThanTenMinutesAheadAreRejected() {
    Appender a = tsdb.appender();
    a.add(CPU, T0 + 600_000, 1);
    SampleRejectedException e = rejection(() -> a.add(CPU, T0 + 600_001, 1));

    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(e.getMessage()).contains("future", Long.toString(T0 + 600_000));
  }

  @Test
  void aSampleThatAgedOutBetweenAddAndCommitFailsTheWholeCommit() throws IOException {
    Appender a = tsdb.appender();
    a.add(CPU, T0, 1);
    a.add(LATENCY.without("route").with("route", "/x"), T0 - 3_000_000, 5);
    clock.advance(Duration.ofMinutes(20));

    SampleRejectedException e = rejection(a::commit);

    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(readAll(tsdb)).isEmpty();
    assertThat(tsdb.stats().series()).isZero();
    a.commit(); // the appender is empty again
  }

  @Test
  void addingADifferentValueAtAnExistingTimestampIsADuplicate() throws IOException {
    commit(a -> a.add(CPU, T0, 1));
    Appender a = tsdb.appender();
    a.add(CPU, T0, 1); // the same value again is accepted and changes nothing

    SampleRejectedException e = rejection(() -> a.add(CPU, T0, 2));

    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP);
    assertThat(e.getMessage()).contains("2.0", "1.0");
    a.commit();
    assertThat(readAll(tsdb).get(CPU)).containsExactly(Sample.of(T0, 1));
  }

  @Test
  void duplicatesWithinOneBatchAreCaught() {
    Appender a = tsdb.appender();
    a.add(CPU, T0, 1);
    assertThat(rejection(() -> a.add(CPU, T0, 2)).reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP);
    a.mergeFloat(CPU, T0 - 1, 1);
    a.mergeFloat(CPU, T0 - 1, 1);
    a.add(CPU, T0 - 1, 2); // equal to the merged value
    assertThat(rejection(() -> a.add(CPU, T0 - 1, 1)).reason())
        .isEqualTo(Reason.DUPLICATE_TIMESTAMP);
  }

  @Test
  void mergesAddIntoTheSampleAtTheirTimestamp() throws IOException {
    Histogram one = histogram(0.1);
    Histogram two = histogram(0.2, 3);
    commit(a -> a.mergeFloat(CPU, T0, 1.5), a -> a.mergeHistogram(LATENCY, T0, one));
    commit(a -> a.mergeFloat(CPU, T0, 2), a -> a.mergeHistogram(LATENCY, T0, two));
    commit(
        a -> a.mergeFloat(CPU, T0 - 10_000, 7),
        a -> a.mergeHistogram(LATENCY, T0 - 3_500_000, one));

    var all = readAll(tsdb);
    assertThat(all.get(CPU)).containsExactly(Sample.of(T0 - 10_000, 7), Sample.of(T0, 3.5));
    assertThat(all.get(LATENCY))
        .containsExactly(Sample.of(T0 - 3_500_000, one), Sample.of(T0, one.merge(two)));
  }

  /**
   * Merges are added in place into the slots being merged (a few at a time, see SampleTail); the
   * result must equal merging each delta in turn, whatever the interleaving of slots, reads, adds
   * and a restart that replays the log.
   */
  @Test
  void interleavedMergesIntoManySlotsEqualMergingEachDelta() throws IOException {
    java.util.Random random = new java.util.Random(42);
    long[] slots = {T0 - 40_000, T0 - 30_000, T0 - 20_000, T0 - 10_000, T0};
    java.util.Map<Long, Histogram> expected = new java.util.TreeMap<>();
    for (int batch = 0; batch < 200; batch++) {
      long t = slots[random.nextInt(batch < 100 ? 2 : slots.length)];
      var b = Histogram.builder(7);
      for (int i = random.nextInt(20); i >= 0; i--) {
        b.observe(0.05 * Math.exp(random.nextGaussian()));
      }
      Histogram delta = b.build();
      commit(a -> a.mergeHistogram(LATENCY, t, delta));
      expected.merge(t, delta, Histogram::merge);
      if (batch % 37 == 0) {
        assertThat(readAll(tsdb).get(LATENCY)).containsExactlyElementsOf(samples(expected));
      }
    }
    assertThat(readAll(tsdb).get(LATENCY)).containsExactlyElementsOf(samples(expected));
    // An add of the same value over a slot being merged is accepted and leaves it as it is.
    Histogram last = expected.get(T0);
    commit(a -> a.addHistogram(LATENCY, T0, last));
    Histogram more = histogram(0.3);
    commit(a -> a.mergeHistogram(LATENCY, T0, more));
    expected.merge(T0, more, Histogram::merge);
    assertThat(readAll(tsdb).get(LATENCY)).containsExactlyElementsOf(samples(expected));

    tsdb.close();
    tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).maxSeries(3).build());
    assertThat(readAll(tsdb).get(LATENCY)).containsExactlyElementsOf(samples(expected));
  }

  private static List<Sample> samples(java.util.Map<Long, Histogram> byTime) {
    return byTime.entrySet().stream().map(e -> Sample.of(e.getKey(), e.getValue())).toList();
  }

  @Test
  void aSeriesHoldsOneKindOfSample() throws IOException {
    commit(a -> a.add(CPU, T0, 1));
    Appender a = tsdb.appender();
    SampleRejectedException e = rejection(() -> a.addHistogram(CPU, T0 + 1, histogram(1)));
    assertThat(e.reason()).isEqualTo(Reason.TYPE_MISMATCH);
    a.mergeHistogram(LATENCY, T0, histogram(1));
    assertThat(rejection(() -> a.mergeFloat(LATENCY, T0, 1)).reason())
        .isEqualTo(Reason.TYPE_MISMATCH);
  }

  @Test
  void labelsWithoutAMetricNameAreInvalid() {
    Appender a = tsdb.appender();
    SampleRejectedException e = rejection(() -> a.add(Labels.of("job", "x"), T0, 1));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_LABELS);
    assertThat(e.getMessage()).contains("__name__", "job=\"x\"");
  }

  @Test
  void newSeriesBeyondTheLimitAreRejectedButExistingOnesStillWrite() throws IOException {
    commit(a -> a.add(series("a"), T0, 1), a -> a.add(series("b"), T0, 1));
    Appender a = tsdb.appender();
    a.add(series("c"), T0, 1);
    SampleRejectedException e = rejection(() -> a.add(series("d"), T0, 1));
    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_SERIES);
    assertThat(e.getMessage()).contains("maxSeries of 3");
    a.add(series("a"), T0 + 1, 2);
    a.commit();
    assertThat(tsdb.stats().series()).isEqualTo(3);
  }

  @Test
  void commitIsAllOrNothingWhenAnotherAppenderConflicts() throws IOException {
    Appender first = tsdb.appender();
    first.add(CPU, T0, 1);
    first.add(series("other"), T0, 1);
    commit(a -> a.add(CPU, T0, 2));

    assertThat(rejection(first::commit).reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP);
    assertThat(readAll(tsdb)).containsOnlyKeys(CPU);
    assertThat(tsdb.stats().series()).isEqualTo(1);
  }

  @Test
  void rollbackDiscardsEverything() throws IOException {
    Appender a = tsdb.appender();
    a.add(CPU, T0, 1);
    a.rollback();
    a.commit();
    assertThat(readAll(tsdb)).isEmpty();
  }

  /** A batch of merges into existing series is checked again at commit, against the head then. */
  @Test
  void mergesIntoExistingSeriesAreCheckedAgainAtCommit() throws IOException {
    commit(a -> a.mergeFloat(CPU, T0, 1), a -> a.mergeHistogram(LATENCY, T0, histogram(0.1)));
    Appender late = tsdb.appender();
    late.mergeHistogram(LATENCY, T0, histogram(0.2));
    late.mergeFloat(CPU, T0, 1);
    clock.advance(Duration.ofMinutes(61)); // T0 leaves the window before the commit

    SampleRejectedException e = rejection(late::commit);
    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(e.labels()).isEqualTo(LATENCY);
    var all = readAll(tsdb);
    assertThat(all.get(CPU)).containsExactly(Sample.of(T0, 1));
    assertThat(all.get(LATENCY)).containsExactly(Sample.of(T0, histogram(0.1)));
  }

  @Test
  void samplesThatLeftTheWindowAreNoLongerMutable() throws IOException {
    commit(a -> a.mergeFloat(CPU, T0, 1));
    clock.advance(Duration.ofMinutes(61));
    tsdb.maintain(); // cuts T0 into a chunk

    Appender a = tsdb.appender();
    assertThat(rejection(() -> a.mergeFloat(CPU, T0, 1)).reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(readAll(tsdb).get(CPU)).containsExactly(Sample.of(T0, 1));
  }

  @Test
  void statsCountSeriesSamplesAndFsyncs() throws IOException {
    commit(a -> a.add(CPU, T0 - 5, 1), a -> a.add(CPU, T0, 2), a -> a.mergeFloat(CPU, T0, 1));
    StorageStats stats = tsdb.stats();
    assertThat(stats.series()).isEqualTo(1);
    assertThat(stats.samplesAppended()).isEqualTo(3);
    assertThat(stats.walFsyncs()).isGreaterThanOrEqualTo(1);
    assertThat(stats.walFsyncNanosTotal()).isGreaterThanOrEqualTo(stats.walFsyncNanosMax());
    assertThat(stats.oldestTimestampMillis()).hasValue(T0 - 5);
    assertThat(stats.newestTimestampMillis()).hasValue(T0);
    assertThat(stats.headBytesEstimate()).isPositive();
    assertThat(stats.walBytes()).isPositive();
  }

  @Test
  void closedStorageRefusesWrites() throws IOException {
    Appender a = tsdb.appender();
    a.add(CPU, T0, 1);
    tsdb.close();
    assertThatThrownBy(a::commit).isInstanceOf(IOException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> a.add(CPU, T0, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void queriersSeeOnlyTheirRange() throws IOException {
    commit(a -> a.add(CPU, T0 - 2000, 1), a -> a.add(CPU, T0 - 1000, 2), a -> a.add(CPU, T0, 3));
    assertThat(readAll(tsdb, T0 - 1000, T0 - 1).get(CPU)).containsExactly(Sample.of(T0 - 1000, 2));
    assertThat(readAll(tsdb, T0 + 1, T0 + 5)).isEmpty();
    assertThat(List.copyOf(readAll(tsdb, T0, T0).keySet())).containsExactly(CPU);
  }

  // Batches of float adds into series that existed when they were buffered are checked once then
  // and at commit only against what other commits and the clock changed meanwhile.

  @Test
  void anotherCommitsDifferentValueBetweenAddAndCommitFailsTheWholeBatchIntoExistingSeries()
      throws IOException {
    Labels other = series("other");
    commit(a -> a.add(CPU, T0 - 1000, 0), a -> a.add(other, T0 - 1000, 0));
    Appender first = tsdb.appender();
    first.add(other, T0, 7);
    first.add(CPU, T0, 1);
    commit(a -> a.add(CPU, T0, 2));

    SampleRejectedException e = rejection(first::commit);

    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP);
    assertThat(e.labels()).isEqualTo(CPU);
    var all = readAll(tsdb);
    assertThat(all.get(CPU)).containsExactly(Sample.of(T0 - 1000, 0), Sample.of(T0, 2));
    assertThat(all.get(other)).containsExactly(Sample.of(T0 - 1000, 0));
    first.commit(); // the appender is empty again
    assertThat(readAll(tsdb).get(other)).hasSize(1);
  }

  @Test
  void anotherCommitsSameValueBetweenAddAndCommitIsAccepted() throws IOException {
    commit(a -> a.add(CPU, T0 - 1000, 0));
    Appender first = tsdb.appender();
    first.add(CPU, T0, 1);
    first.add(CPU, T0 - 500, 5);
    commit(a -> a.add(CPU, T0, 1));

    first.commit();

    assertThat(readAll(tsdb).get(CPU))
        .containsExactly(Sample.of(T0 - 1000, 0), Sample.of(T0 - 500, 5), Sample.of(T0, 1));
  }

  @Test
  void aMergeCommittedBetweenAddAndCommitMakesTheAddADuplicate() throws IOException {
    commit(a -> a.add(CPU, T0, 1));
    Appender first = tsdb.appender();
    first.add(CPU, T0, 1); // equal to the stored value when buffered
    commit(a -> a.mergeFloat(CPU, T0, 1));

    assertThat(rejection(first::commit).reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP);
    assertThat(readAll(tsdb).get(CPU)).containsExactly(Sample.of(T0, 2));
  }

  @Test
  void anAddIntoAnExistingSeriesThatAgedOutBeforeCommitFailsTheWholeBatch() throws IOException {
    Labels other = series("other");
    commit(a -> a.add(CPU, T0 - 3_000_000, 0), a -> a.add(other, T0, 0));
    Appender a = tsdb.appender();
    a.add(other, T0 + 1000, 1);
    a.add(CPU, T0 - 2_999_000, 1);
    clock.advance(Duration.ofMinutes(20));

    SampleRejectedException e = rejection(a::commit);

    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(e.labels()).isEqualTo(CPU);
    assertThat(readAll(tsdb).get(other)).containsExactly(Sample.of(T0, 0));
  }

  @Test
  void anAddIntoARangeSealedBetweenAddAndCommitIsRefused() throws IOException {
    commit(a -> a.add(CPU, T0, 1));
    clock.advance(Duration.ofMinutes(59));
    Appender late = tsdb.appender();
    late.add(CPU, T0 + 1000, 2); // still inside the window when buffered
    clock.advance(Duration.ofMinutes(2));
    tsdb.maintain(); // cuts T0 and after into a chunk

    assertThat(rejection(late::commit).reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
    assertThat(readAll(tsdb).get(CPU)).containsExactly(Sample.of(T0, 1));
  }

  @Test
  void outOfOrderAndRepeatedSamplesOfOneBatchIntoAnExistingSeriesAreStoredOnce()
      throws IOException {
    commit(a -> a.add(CPU, T0, 0));
    commit(
        a -> a.add(CPU, T0 + 3000, 3),
        a -> a.add(CPU, T0 - 2000, -2),
        a -> a.add(CPU, T0 + 3000, 3),
        a -> a.add(CPU, T0, 0),
        a -> a.add(CPU, T0 + 1000, 1));

    assertThat(readAll(tsdb).get(CPU))
        .containsExactly(
            Sample.of(T0 - 2000, -2),
            Sample.of(T0, 0),
            Sample.of(T0 + 1000, 1),
            Sample.of(T0 + 3000, 3));
  }
}
