package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips of the chunk encoders: every input comes back bit for bit. */
class ChunkPropertiesTest {

  @Provide
  Arbitrary<List<Long>> increasingTimestamps() {
    Arbitrary<Long> gaps =
        Arbitraries.oneOf(
            Arbitraries.just(10_000L), // a regular interval: delta-of-delta 0
            Arbitraries.longs().between(1, 20),
            Arbitraries.longs().between(1, 1L << 21),
            Arbitraries.longs().between(1, 1L << 40));
    return Arbitraries.longs()
        .between(-(1L << 45), 1L << 45)
        .flatMap(start -> gaps.list().ofMaxSize(200).map(g -> accumulate(start, g)));
  }

  private static List<Long> accumulate(long start, List<Long> gaps) {
    List<Long> out = new ArrayList<>();
    long t = start;
    out.add(t);
    for (long g : gaps) {
      t += g;
      out.add(t);
    }
    return out;
  }

  @Property
  void timestampsRoundTrip(@ForAll("increasingTimestamps") List<Long> timestamps) {
    BitWriter out = new BitWriter(16, 0);
    TimestampCodec.Encoder encoder = new TimestampCodec.Encoder();
    timestamps.forEach(t -> encoder.append(out, t));
    BitReader in = new BitReader(out.toByteArray(), 0);
    TimestampCodec.Decoder decoder = new TimestampCodec.Decoder();
    for (long t : timestamps) {
      assertThat(decoder.next(in)).isEqualTo(t);
    }
  }

  @Property
  void anyLongsRoundTripAsTimestamps(@ForAll List<Long> timestamps) {
    // Deltas may overflow; arithmetic wraps the same way both ways.
    BitWriter out = new BitWriter(16, 0);
    TimestampCodec.Encoder encoder = new TimestampCodec.Encoder();
    timestamps.forEach(t -> encoder.append(out, t));
    BitReader in = new BitReader(out.toByteArray(), 0);
    TimestampCodec.Decoder decoder = new TimestampCodec.Decoder();
    for (long t : timestamps) {
      assertThat(decoder.next(in)).isEqualTo(t);
    }
  }

  @Property
  void varbitIntsRoundTrip(@ForAll List<Long> values) {
    BitWriter out = new BitWriter(1, 0);
    values.forEach(out::writeVarbitInt);
    BitReader in = new BitReader(out.toByteArray(), 0);
    for (long v : values) {
      assertThat(in.readVarbitInt()).isEqualTo(v);
    }
  }

  @Provide
  Arbitrary<List<Double>> floatValues() {
    Arbitrary<Double> gauge = Arbitraries.doubles().between(0, 100).ofScale(2);
    Arbitrary<Double> special =
        Arbitraries.of(
            Double.NaN,
            Double.longBitsToDouble(0x7ff8_0000_0000_0001L), // a NaN with a payload
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE);
    return Arbitraries.oneOf(gauge, special, Arbitraries.doubles()).list().ofMaxSize(200);
  }

  @Property
  void floatChunkRoundTrips(
      @ForAll("increasingTimestamps") List<Long> timestamps,
      @ForAll("floatValues") List<Double> values) {
    int n = Math.min(timestamps.size(), values.size());
    FloatChunkWriter writer = new FloatChunkWriter();
    for (int i = 0; i < n; i++) {
      writer.append(timestamps.get(i), values.get(i), null);
    }
    Chunk chunk = writer.toChunk();
    assertThat(chunk.numSamples()).isEqualTo(n);
    ChunkIterator it = chunk.iterator();
    for (int i = 0; i < n; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(timestamps.get(i));
      assertThat(Double.doubleToRawLongBits(it.value()))
          .isEqualTo(Double.doubleToRawLongBits(values.get(i)));
    }
    assertThat(it.next()).isFalse();
  }

  @Property
  void histogramChunkRoundTripsUnrelatedHistograms(
      @ForAll("unrelated") List<Histogram> histograms) {
    assertHistogramRoundTrip(histograms);
  }

  @Property
  void histogramChunkRoundTripsCumulativeHistograms(
      @ForAll("cumulative") List<Histogram> histograms) {
    assertHistogramRoundTrip(histograms);
  }

  @Property
  void histogramChunkRoundTripsDeltaHistograms(@ForAll("deltas") List<Histogram> histograms) {
    assertHistogramRoundTrip(histograms);
  }

  @Property
  void histogramChunkRoundTripsMixedHistograms(@ForAll("mixed") List<Histogram> histograms) {
    assertHistogramRoundTrip(histograms);
  }

  @Provide
  Arbitrary<List<Histogram>> mixed() {
    return HistogramGenerators.mixed();
  }

  @Provide
  Arbitrary<List<Histogram>> unrelated() {
    return HistogramGenerators.unrelated();
  }

  @Provide
  Arbitrary<List<Histogram>> cumulative() {
    return HistogramGenerators.cumulative();
  }

  @Provide
  Arbitrary<List<Histogram>> deltas() {
    return HistogramGenerators.deltas();
  }

  private static void assertHistogramRoundTrip(List<Histogram> histograms) {
    HistogramChunkWriter writer = new HistogramChunkWriter();
    long t = 1_700_000_000_000L;
    for (Histogram h : histograms) {
      writer.append(t, 0, h);
      t += 10_000;
    }
    ChunkIterator it = writer.toChunk().iterator();
    t = 1_700_000_000_000L;
    for (Histogram h : histograms) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(t);
      assertThat(it.histogram()).isEqualTo(h);
      t += 10_000;
    }
    assertThat(it.next()).isFalse();
  }
}
