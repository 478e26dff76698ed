package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HistogramCodecTest {
  @Provide
  Arbitrary<Histogram> histograms() {
    return HistogramArbitraries.any();
  }

  @Property(tries = 1000)
  void decodeOfEncodeIsIdentity(@ForAll("histograms") Histogram h) {
    byte[] bytes = h.encode();

    assertThat(bytes).hasSize(h.encodedSizeBytes());
    assertThat(Histogram.decode(bytes)).isEqualTo(h);
  }

  @Property(tries = 200)
  void everyTruncationIsReportedAsCorruption(@ForAll("histograms") Histogram h) {
    byte[] bytes = h.encode();
    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> Histogram.decode(prefix))
          .isExactlyInstanceOf(CorruptEncodingException.class);
    }
  }

  @Property(tries = 2000)
  void garbledBytesDecodeOrFailOnlyWithCorruptEncoding(
      @ForAll("histograms") Histogram h,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 16) Integer> positions,
      @ForAll @Size(min = 4, max = 4) List<@IntRange(min = 1, max = 255) Integer> xors) {
    byte[] bytes = h.encode();
    for (int i = 0; i < positions.size(); i++) {
      bytes[positions.get(i) % bytes.length] ^= xors.get(i).byteValue();
    }

    Throwable thrown = catchThrowable(() -> Histogram.decode(bytes));

    if (thrown != null) {
      assertThat(thrown).isExactlyInstanceOf(CorruptEncodingException.class);
    }
  }

  @Property(tries = 500)
  void randomBytesDecodeOrFailOnlyWithCorruptEncoding(
      @ForAll @Size(max = 64) List<@IntRange(min = 0, max = 255) Integer> values) {
    byte[] bytes = new byte[values.size() + 2];
    bytes[0] = 1; // a valid version, so that decoding goes deeper
    bytes[1] = (byte) (values.isEmpty() ? 0 : values.get(0) & 3);
    for (int i = 0; i < values.size(); i++) {
      bytes[i + 2] = values.get(i).byteValue();
    }

    Throwable thrown = catchThrowable(() -> Histogram.decode(bytes));

    if (thrown != null) {
      assertThat(thrown).isExactlyInstanceOf(CorruptEncodingException.class);
    }
  }

  @Test
  void encodesAnIntegralHistogramCompactly() {
    Histogram h = Histogram.builder(3).observe(1.5).observe(1.5).observe(1.6).build();

    // version, flags, schema, zero count, count, sum (8), positive: 1 span (3), 2 counts,
    // negative: 0 spans.
    assertThat(h.encode()).hasSize(3 + 1 + 1 + 8 + 3 + 2 + 1);
    assertThat(h.encode()[1]).isEqualTo((byte) 0x03);
  }

  @Test
  void encodesTheDocumentedExampleByteForByte() {
    Histogram h =
        Histogram.builder(0)
            .zeroThreshold(0.5)
            .zeroCount(1)
            .addPositive(1, 3)
            .addPositive(2, 2)
            .addPositive(5, 1)
            .addNegative(1, 1)
            .sum(2.5)
            .build();

    assertThat(hex(h.encode()))
        .isEqualTo(
            "01 01 00 3f e0 00 00 00 00 00 00 02 10 40 04 00 00 00 00 00 00"
                + " 02 02 02 04 01 06 01 01 01 02 01 02");
    assertThat(h.encode()).hasSize(33);
    Histogram half =
        Histogram.builder(0)
            .zeroThreshold(0.5)
            .zeroCount(1)
            .addPositive(1, 2.5)
            .addPositive(2, 2)
            .addPositive(5, 1)
            .addNegative(1, 1)
            .sum(2.5)
            .build();
    assertThat(half.encode()).hasSize(75);
    assertThat(half.encode()[1]).isZero();
  }

  @Test
  void decodesFromAByteBufferPositionAndAdvancesPastTheHistogram() {
    Histogram a = Histogram.builder(2).observe(3).build();
    Histogram b = Histogram.builder(-2).observe(-7).observe(0.1).build();
    ByteBuffer buffer = ByteBuffer.allocate(3 + a.encodedSizeBytes() + b.encodedSizeBytes());
    buffer.put(new byte[] {9, 9, 9});
    a.encodeTo(buffer);
    b.encodeTo(buffer);
    buffer.flip().position(3);

    assertThat(Histogram.decode(buffer)).isEqualTo(a);
    assertThat(Histogram.decode(buffer)).isEqualTo(b);
    assertThat(buffer.hasRemaining()).isFalse();
  }

  @Test
  void reportsTheOffsetOfTheBadValue() {
    byte[] bytes = Histogram.builder(0).observe(1).build().encode();
    bytes[2] = 9; // schema

    assertThatThrownBy(() -> Histogram.decode(bytes))
        .isInstanceOf(CorruptEncodingException.class)
        .hasMessage("schema out of range: 9 at byte offset 2")
        .satisfies(e -> assertThat(((CorruptEncodingException) e).offset()).isEqualTo(2));
  }

  @Test
  void rejectsUnknownVersionFlagsAndTrailingBytes() {
    byte[] good = Histogram.builder(0).observe(1).build().encode();

    byte[] version = good.clone();
    version[0] = 2;
    assertThatThrownBy(() -> Histogram.decode(version))
        .hasMessage("unsupported histogram encoding version 2 at byte offset 0");
    byte[] flags = good.clone();
    flags[1] |= 0x10;
    assertThatThrownBy(() -> Histogram.decode(flags)).hasMessageContaining("unknown flags");
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> Histogram.decode(trailing))
        .isInstanceOf(CorruptEncodingException.class)
        .hasMessageContaining("1 trailing bytes");
  }

  @Test
  void rejectsEmptyBucketsAndHugeSpanCountsWithoutAllocating() {
    // version 1, integral + no threshold, schema 0, zero count 0, count 1, sum 0.0,
    // then a positive span count of 2^31.
    byte[] huge = {
      1,
      3,
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      0x08,
      0
    };
    assertThatThrownBy(() -> Histogram.decode(huge))
        .isInstanceOf(CorruptEncodingException.class)
        .hasMessageContaining("span count 2147483648");

    // One span at index 0 of length 1 holding count 0.
    byte[] empty = {1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0};
    assertThatThrownBy(() -> Histogram.decode(empty))
        .isInstanceOf(CorruptEncodingException.class)
        .hasMessageContaining("is zero");
  }

  @Test
  void rejectsNonCanonicalForms() {
    // Count 1 written as the two-byte varint 82 00 instead of 02.
    byte[] overlong = {1, 3, 0, 0, (byte) 0x82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> Histogram.decode(overlong))
        .isInstanceOf(CorruptEncodingException.class)
        .hasMessage("varint for count has a redundant trailing zero group at byte offset 4");

    // Zero count 0 and count 1 as doubles although they are integral.
    ByteBuffer doubles = ByteBuffer.allocate(3 + 24 + 2);
    doubles.put(new byte[] {1, 2, 0}).putDouble(0).putDouble(1).putDouble(0).put(new byte[2]);
    assertThatThrownBy(() -> Histogram.decode(doubles.array()))
        .isInstanceOf(CorruptEncodingException.class)
        .hasMessageContaining("INTEGRAL");
  }

  @Test
  void encodeToChecksRoomBeforeWriting() {
    Histogram h = Histogram.builder(0).observe(1).observe(2).build();
    ByteBuffer small = ByteBuffer.allocate(h.encodedSizeBytes() - 1);

    assertThatThrownBy(() -> h.encodeTo(small)).isInstanceOf(BufferOverflowException.class);
    assertThat(small.position()).isZero();
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", b & 0xFF));
    }
    return sb.toString();
  }
}
