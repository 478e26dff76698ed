package dev.vigil.bench.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteRequestEncoderTest {

  @Test
  void encodesLabelsAndSamplesAsAPrometheusWriteRequest() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    byte[] cpu =
        WriteRequestEncoder.encodeLabels(
            "__name__", "node_cpu_seconds_total", "cpu", "0", "instance", "h:9100", "mode", "idle");
    byte[] le = WriteRequestEncoder.encodeLabels("__name__", "x_bucket", "le", "+Inf", "ü", "é€");
    encoder.add(cpu, 1_700_000_000_123L, 12345.67);
    encoder.add(le, -5, 0.0);
    encoder.add(cpu, Long.MAX_VALUE, Double.NaN);

    List<DecodedSample> decoded = DecodedSample.decode(encoder.compressed());

    assertThat(decoded)
        .containsExactly(
            new DecodedSample(
                Map.of(
                    "__name__",
                    "node_cpu_seconds_total",
                    "cpu",
                    "0",
                    "instance",
                    "h:9100",
                    "mode",
                    "idle"),
                1_700_000_000_123L,
                12345.67),
            new DecodedSample(Map.of("__name__", "x_bucket", "le", "+Inf", "ü", "é€"), -5, 0.0),
            new DecodedSample(
                Map.of(
                    "__name__",
                    "node_cpu_seconds_total",
                    "cpu",
                    "0",
                    "instance",
                    "h:9100",
                    "mode",
                    "idle"),
                Long.MAX_VALUE,
                Double.NaN));
    assertThat(decoded.get(0).labels().keySet())
        .containsExactly("__name__", "cpu", "instance", "mode");
  }

  @Test
  void resetStartsAnEmptyRequest() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    byte[] labels = WriteRequestEncoder.encodeLabels("__name__", "up");
    encoder.add(labels, 1, 1);
    encoder.reset();
    encoder.add(labels, 2, 0);

    assertThat(DecodedSample.decode(encoder.compressed()))
        .containsExactly(new DecodedSample(Map.of("__name__", "up"), 2, 0));
  }

  @Test
  void growsItsBufferForLargeRequests() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    byte[] labels = WriteRequestEncoder.encodeLabels("__name__", "a".repeat(1000));
    for (int i = 0; i < 500; i++) {
      encoder.add(labels, i, i);
    }

    List<DecodedSample> decoded = DecodedSample.decode(encoder.compressed());

    assertThat(encoder.sizeBytes()).isGreaterThan(1 << 16);
    assertThat(decoded).hasSize(500);
    assertThat(decoded.get(499))
        .isEqualTo(new DecodedSample(Map.of("__name__", "a".repeat(1000)), 499, 499));
  }

  @Test
  void encodesANativeHistogramWithSpansAndDeltas() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    byte[] labels = WriteRequestEncoder.encodeLabels("__name__", "latency", "job", "api");
    encoder.addHistogram(
        labels, 1_700_000_000_000L, 3, 0x1p-128, 2, 12.5, -3, new long[] {5, 0, 7, 1});
    encoder.add(labels, 1_700_000_000_000L, 1.5);

    List<DecodedSample> decoded = DecodedSample.decode(encoder.compressed());

    assertThat(decoded).hasSize(2);
    DecodedSample h = decoded.get(0);
    assertThat(h.labels()).isEqualTo(Map.of("__name__", "latency", "job", "api"));
    assertThat(h.timestampMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(h.histogram())
        .isEqualTo(
            new DecodedSample.NativeBuckets(
                3, 0x1p-128, 2, 15, 12.5, Map.of(-3, 5L, -2, 0L, -1, 7L, 0, 1L)));
    assertThat(decoded.get(1).value()).isEqualTo(1.5);
  }

  @Test
  void rejectsALabelWithoutValue() {
    assertThatThrownBy(() -> WriteRequestEncoder.encodeLabels("__name__", "up", "job"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name/value pairs");
  }
}
