package dev.vigil.client.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.Recorder;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.RejectReason;
import dev.vigil.client.SlowRequest;
import dev.vigil.client.UserStats;
import dev.vigil.client.jvm.JvmMetrics;
import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import dev.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PushCodecTest {

  @Property(tries = 300)
  void roundTrips(@ForAll("batches") PushBatch batch) {
    assertThat(PushCodec.decode(PushCodec.encode(batch))).isEqualTo(batch);
  }

  @Test
  void roundTripsARealRecorderWithJvmMetrics() {
    PushBatch batch = realBatch();
    assertThat(PushCodec.decode(PushCodec.encode(batch))).isEqualTo(batch);
  }

  @Test
  void startsWithMagicAndVersion() {
    byte[] bytes = PushCodec.encode(realBatch());
    assertThat(Arrays.copyOf(bytes, 5)).containsExactly('V', 'G', 'L', 'P', 1);
  }

  @Test
  void everyTruncationFailsWithItsOffset() {
    byte[] bytes = PushCodec.encode(realBatch());
    for (int n = 0; n < bytes.length; n++) {
      byte[] prefix = Arrays.copyOf(bytes, n);
      int length = n;
      assertThatThrownBy(() -> PushCodec.decode(prefix))
          .as("prefix of %d bytes", n)
          .isInstanceOf(PushFormatException.class)
          .satisfies(
              e -> assertThat(((PushFormatException) e).offset()).isBetween(0L, (long) length));
    }
  }

  @Property(tries = 2000)
  void garbledBytesFailOnlyWithFormatException(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> at,
      @ForAll @Size(min = 8, max = 8) List<Byte> values) {
    byte[] bytes = PushCodec.encode(realBatchCached());
    for (int i = 0; i < at.size(); i++) {
      bytes[5 + at.get(i) % (bytes.length - 5)] = values.get(i);
    }
    try {
      PushCodec.decode(bytes);
    } catch (PushFormatException expected) {
      assertThat(expected.offset()).isBetween(0L, (long) bytes.length);
    } catch (RuntimeException | OutOfMemoryError e) {
      fail("decode threw " + e + " instead of PushFormatException", e);
    }
  }

  @Property(tries = 500)
  void randomBytesFailOnlyWithFormatException(@ForAll @Size(max = 200) List<Byte> tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'V', 'G', 'L', 'P', 1});
    for (byte b : tail) {
      out.write(b);
    }
    try {
      PushCodec.decode(out.toByteArray());
    } catch (PushFormatException expected) {
      // fine
    } catch (RuntimeException | OutOfMemoryError e) {
      fail("decode threw " + e + " instead of PushFormatException", e);
    }
  }

  @Test
  void hugeLengthsAreRefusedBeforeAllocating() {
    // service length 2^62: a naive decoder would try to allocate it.
    byte[] bytes = {
      'V',
      'G',
      'L',
      'P',
      1,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      0x40
    };
    assertThatThrownBy(() -> PushCodec.decode(bytes))
        .isInstanceOf(PushFormatException.class)
        .hasMessageContaining("exceeds")
        .hasMessageContaining("offset 5");
  }

  @Test
  void refusesBadMagicVersionAndTrailingBytes() {
    byte[] good = PushCodec.encode(realBatch());
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertThatThrownBy(() -> PushCodec.decode(badMagic)).hasMessageContaining("magic");
    byte[] badVersion = good.clone();
    badVersion[4] = 2;
    assertThatThrownBy(() -> PushCodec.decode(badVersion))
        .isInstanceOf(PushFormatException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("offset 4");
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> PushCodec.decode(trailing))
        .hasMessageContaining("1 trailing bytes")
        .hasMessageContaining("offset " + good.length);
  }

  // --- data ---

  private static PushBatch cached;

  private static synchronized PushBatch realBatchCached() {
    if (cached == null) {
      cached = realBatch();
    }
    return cached;
  }

  private static PushBatch realBatch() {
    Recorder r = Recorder.builder().slowThreshold(Duration.ofMillis(100)).build();
    r.record("GET", "/api/users/{id}", 200, 3_000_000, "alice");
    r.record("GET", "/api/users/{id}", 404, 150_000_000, "bob");
    r.record("POST", "/caf\u00e9", 503, 2_500_000_000L, null);
    r.record("GET", "/x", 42, 1, null);
    return new PushBatch("checkout", "host-1:8080", r.snapshot(), JvmMetrics.collect());
  }

  @Provide
  Arbitrary<PushBatch> batches() {
    Arbitrary<RecorderSnapshot> snapshots =
        Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.longs(),
                endpoints().list().ofMaxSize(5),
                slowRequests().list().ofMaxSize(5),
                users().list().ofMaxSize(4),
                users().list().ofMaxSize(4),
                counts(),
                rejected())
            .as(
                (ts, start, endpoints, slow, byCount, byTime, overflowed, rejected) ->
                    new RecorderSnapshot(
                        ts, start, endpoints, slow, byCount, byTime, overflowed, rejected, 7));
    return Combinators.combine(text(), text(), snapshots, families().list().ofMaxSize(4))
        .as(PushBatch::new);
  }

  private static Arbitrary<String> text() {
    // Any UTF-16 text without lone surrogates: those cannot be UTF-8 encoded.
    return Arbitraries.strings()
        .withCharRange('\u0000', '\uD7FF')
        .withCharRange('\uE000', '\uFFFD')
        .ofMaxLength(12);
  }

  private static Arbitrary<Long> counts() {
    return Arbitraries.longs().between(0, Long.MAX_VALUE);
  }

  private static Arbitrary<Histogram> histograms() {
    Arbitrary<int[]> indexes =
        Arbitraries.integers().between(-3800, 2200).array(int[].class).ofMaxSize(20);
    return Combinators.combine(
            indexes, Arbitraries.longs().between(0, 1000), Arbitraries.doubles().between(0, 1e6))
        .as(
            (idx, zero, sum) -> {
              HistogramBuilder b = Histogram.builder(7).zeroCount(zero).sum(sum);
              for (int i : idx) {
                b.addPositive(i, 1 + Math.abs(i % 7));
              }
              return b.build();
            });
  }

  private static Arbitrary<EndpointSnapshot> endpoints() {
    return Combinators.combine(text(), text(), counts().list().ofSize(9), histograms())
        .as(
            (method, route, c, h) ->
                new EndpointSnapshot(
                    method, route, c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5),
                    c.get(6), c.get(7), c.get(8), h));
  }

  private static Arbitrary<SlowRequest> slowRequests() {
    return Combinators.combine(
            counts(),
            Arbitraries.longs(),
            text(),
            text(),
            Arbitraries.integers().between(0, 999),
            counts(),
            text().injectNull(0.3))
        .as(SlowRequest::new);
  }

  private static Arbitrary<UserStats> users() {
    return Combinators.combine(text(), counts(), counts(), counts()).as(UserStats::new);
  }

  private static Arbitrary<Map<RejectReason, Long>> rejected() {
    return Arbitraries.subsetOf(RejectReason.values())
        .flatMap(
            reasons ->
                counts()
                    .list()
                    .ofSize(reasons.size())
                    .map(
                        values -> {
                          Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
                          int i = 0;
                          for (RejectReason r : reasons) {
                            m.put(r, values.get(i++));
                          }
                          return m;
                        }));
  }

  private static Arbitrary<MetricFamily> families() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> "m_" + s)
            .filter(n -> !n.endsWith("_total"));
    Arbitrary<Labels> labels =
        Arbitraries.maps(
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .ofMinLength(1)
                    .ofMaxLength(5)
                    .map(s -> "l_" + s),
                text().filter(s -> !s.isEmpty()))
            .ofMaxSize(3)
            .map(
                m -> {
                  Labels.Builder b = Labels.builder();
                  m.forEach(b::put);
                  return b.build();
                });
    return Combinators.combine(
            names,
            Arbitraries.of(MetricFamily.Type.class),
            text(),
            labels.list().uniqueElements().ofMaxSize(4),
            Arbitraries.doubles()
                .withSpecialValue(Double.NaN)
                .withSpecialValue(Double.POSITIVE_INFINITY),
            counts())
        .as(
            (name, type, help, labelSets, value, count) -> {
              List<MetricPoint> points = new ArrayList<>();
              for (Labels l : labelSets) {
                points.add(
                    new MetricPoint(l, value, type == MetricFamily.Type.SUMMARY ? count : 0));
              }
              return new MetricFamily(name, type, help, points);
            });
  }
}
