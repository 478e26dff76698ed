package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class WriteRequestDecoderTest {

  /** What the decoder handed over, as strings. */
  static final class Collect implements WriteRequestDecoder.Sink {
    final List<String> out = new ArrayList<>();
    final List<SeriesCache.Entry> entries = new ArrayList<>();

    @Override
    public void floats(SeriesCache.Entry series, long[] timestamps, double[] values, int count) {
      entries.add(series);
      for (int i = 0; i < count; i++) {
        out.add(series.labels + "@" + timestamps[i] + "=" + Double.doubleToRawLongBits(values[i]));
      }
    }

    @Override
    public void histogram(SeriesCache.Entry series, long timestamp, Histogram histogram) {
      entries.add(series);
      out.add(series.labels + "@" + timestamp + "=" + histogram);
    }
  }

  record Sent(List<String> labels, long[] timestamps, double[] values) {}

  @Provide
  Arbitrary<List<Sent>> requests() {
    Arbitrary<String> names = Arbitraries.of("job", "instance", "a_b", "_x", "le", "mode");
    Arbitrary<String> values = Arbitraries.strings().ofMinLength(1).ofMaxLength(12);
    Arbitrary<List<String>> labelSets =
        Combinators.combine(
                Arbitraries.of("up", "node_cpu_seconds_total", "a:b"),
                names.set().ofMaxSize(4),
                values.list().ofSize(4))
            .as(
                (metric, set, vals) -> {
                  List<String> l = new ArrayList<>(List.of("__name__", metric));
                  int i = 0;
                  for (String n : set) {
                    l.add(n);
                    l.add(vals.get(i++));
                  }
                  return l;
                });
    Arbitrary<Sent> sent =
        Combinators.combine(
                labelSets,
                Arbitraries.longs().list().ofMaxSize(4),
                Arbitraries.doubles().list().ofSize(4))
            .as(
                (l, ts, vs) -> {
                  long[] t = ts.stream().mapToLong(Long::longValue).toArray();
                  double[] v = new double[t.length];
                  for (int i = 0; i < t.length; i++) {
                    v[i] = vs.get(i);
                  }
                  return new Sent(l, t, v);
                });
    return sent.list().ofMaxSize(6);
  }

  @Property(tries = 300)
  void decodesWhatWasEncodedTwiceOverTheCache(@ForAll("requests") List<Sent> request)
      throws Exception {
    WriteRequestBuilder b = new WriteRequestBuilder();
    List<String> expected = new ArrayList<>();
    for (Sent s : request) {
      b.series(s.labels().toArray(new String[0]), s.timestamps(), s.values());
      Labels labels = Labels.of(s.labels().toArray(new String[0]));
      for (int i = 0; i < s.timestamps().length; i++) {
        expected.add(
            labels + "@" + s.timestamps()[i] + "=" + Double.doubleToRawLongBits(s.values()[i]));
      }
    }
    byte[] bytes = b.protobuf();
    WriteRequestDecoder decoder = new WriteRequestDecoder(new SeriesCache(2));
    for (int pass = 0; pass < 2; pass++) { // the second pass hits the cache (or its rotation)
      Collect sink = new Collect();
      assertThat(decoder.decode(bytes, bytes.length, sink)).isEqualTo(request.size());
      assertThat(sink.out).isEqualTo(expected);
    }
  }

  @Test
  void labelsInterleavedWithSamplesAndUnknownFieldsDecodeToTheSameSeries() throws Exception {
    byte[] label1 = label("__name__", "up");
    byte[] label2 = label("job", "x");
    byte[] sample =
        WriteRequestBuilder.message(
            s -> {
              s.writeDouble(1, 2.5);
              s.writeInt64(2, 1000);
              s.writeString(7, "unknown");
            });
    byte[] series =
        WriteRequestBuilder.message(
            out -> {
              out.writeByteArray(1, label1);
              out.writeByteArray(2, sample);
              out.writeString(9, "skipped");
              out.writeByteArray(1, label2);
            });
    byte[] contiguous =
        new WriteRequestBuilder()
            .series(
                new String[] {"__name__", "up", "job", "x"}, new long[] {1000}, new double[] {2.5})
            .protobuf();
    byte[] interleaved =
        concat(
            WriteRequestBuilder.message(o -> o.writeByteArray(1, series)),
            WriteRequestBuilder.message(o -> o.writeString(3, "metadata is skipped")));
    WriteRequestDecoder decoder = new WriteRequestDecoder(new SeriesCache(100));
    Collect a = new Collect();
    decoder.decode(interleaved, interleaved.length, a);
    Collect b = new Collect();
    decoder.decode(contiguous, contiguous.length, b);
    assertThat(a.out).containsExactly("{__name__=\"up\", job=\"x\"}@1000=" + bits(2.5));
    assertThat(b.out).isEqualTo(a.out);
    // A second interleaved request hits the entry the first one cached.
    Collect c = new Collect();
    decoder.decode(interleaved, interleaved.length, c);
    assertThat(c.entries.get(0)).isSameAs(a.entries.get(0));
  }

  @Test
  void unpackedRepeatedHistogramFieldsDecodeAsPackedOnes() throws Exception {
    byte[] span =
        WriteRequestBuilder.message(
            s -> {
              s.writeSInt32(1, 1);
              s.writeUInt32(2, 2);
            });
    byte[] h =
        WriteRequestBuilder.message(
            o -> {
              o.writeUInt64(1, 5);
              o.writeDouble(3, 4.0);
              o.writeSInt32(4, 0);
              o.writeByteArray(11, span);
              o.writeSInt64(12, 2); // unpacked deltas: 2, then +1 = 3
              o.writeSInt64(12, 1);
              o.writeInt64(15, 77);
            });
    byte[] series =
        WriteRequestBuilder.message(
            out -> {
              out.writeByteArray(1, label("__name__", "h"));
              out.writeByteArray(4, h);
            });
    byte[] request = WriteRequestBuilder.message(o -> o.writeByteArray(1, series));
    Collect sink = new Collect();
    new WriteRequestDecoder(new SeriesCache(10)).decode(request, request.length, sink);
    Histogram expected =
        Histogram.builder(0).sum(4).count(5).addPositive(1, 2).addPositive(2, 3).build();
    assertThat(sink.out).containsExactly("{__name__=\"h\"}@77=" + expected);
  }

  @Test
  void histogramsWhoseSpansDoNotMatchTheirBucketsAreRefused() {
    byte[] span = WriteRequestBuilder.message(s -> s.writeUInt32(2, 3));
    byte[] h =
        WriteRequestBuilder.message(
            o -> {
              o.writeUInt64(1, 1);
              o.writeByteArray(11, span);
              o.writeSInt64(12, 1);
            });
    byte[] series =
        WriteRequestBuilder.message(
            out -> {
              out.writeByteArray(1, label("__name__", "h"));
              out.writeByteArray(4, h);
            });
    byte[] request = WriteRequestBuilder.message(o -> o.writeByteArray(1, series));
    Throwable t =
        catchThrowable(
            () ->
                new WriteRequestDecoder(new SeriesCache(10))
                    .decode(request, request.length, new Collect()));
    assertThat(t)
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("positive spans cover 3 buckets but 1 deltas were sent");
  }

  private static String bits(double v) {
    return Long.toString(Double.doubleToRawLongBits(v));
  }

  private static byte[] label(String name, String value) {
    return WriteRequestBuilder.message(
        l -> {
          l.writeString(1, name);
          l.writeString(2, value);
        });
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
