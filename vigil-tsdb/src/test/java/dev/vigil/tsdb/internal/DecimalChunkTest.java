package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Decimal chunks: lossless, smaller where values are decimal, refused otherwise. */
class DecimalChunkTest {
  static final Path FILE = Path.of("chunks/000001");

  static Chunk xor(long[] t, double[] v) {
    ChunkWriter w = Chunk.newWriter(ChunkEncoding.FLOAT_XOR);
    for (int i = 0; i < t.length; i++) {
      w.append(t[i], v[i], null);
    }
    return w.toChunk();
  }

  static Chunk roundTrip(Chunk c, byte[] decimal) {
    return DecimalChunk.decode(
        ByteBuffer.wrap(decimal), FILE, 0, decimal.length, c.minTimeMillis(), c.maxTimeMillis());
  }

  static long[] times(int n, long start, long step, Random r, boolean jitter) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i * step + (jitter && i > 0 ? r.nextInt(40) : 0);
    }
    return t;
  }

  @Provide
  Arbitrary<Integer> kinds() {
    return Arbitraries.integers().between(0, 6);
  }

  @Property(tries = 300)
  void everyChunkReadsBackIdenticallyAndDecimalValuesShrink(
      @ForAll("kinds") int kind, @ForAll long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(120);
    long[] t = times(n, 1_700_000_000_000L + r.nextInt(1000), 15_000, r, r.nextBoolean());
    double[] v = new double[n];
    double x = r.nextInt(100_000);
    long cents = r.nextInt(10_000_000);
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case 0 -> { // CPU seconds as node_exporter exposes them: 0.01 s steps
          cents += r.nextInt(1500);
          x = cents / 100.0;
        }
        case 1 -> x += r.nextInt(50); // an integer counter
        case 2 -> x = r.nextGaussian() * 1e3; // full-precision noise
        case 3 -> x = 42; // constant
        case 4 -> x = Math.round(r.nextGaussian() * 1e6) / 1000.0; // three decimals, +-
        case 5 -> x = i == n / 2 ? Double.NaN : i; // a staleness marker
        default -> x = i % 2 == 0 ? -0.0 : 1e300; // not decimal
      }
      v[i] = x;
    }
    Chunk c = xor(t, v);
    byte[] decimal = DecimalChunk.encode(c);
    if (kind == 0 || kind == 1 || kind == 4 || (kind == 3 && n > 4)) {
      assertThat(decimal).as("kind %d, %d samples", kind, n).isNotNull();
    }
    if (kind >= 5) { // noise (kind 2) may go either way: the smaller form is kept
      assertThat(decimal).isNull();
    }
    if (decimal != null) {
      assertThat(decimal.length).isLessThan(c.bytes().length);
      Chunk back = roundTrip(c, decimal);
      assertThat(back.encoding()).isEqualTo(ChunkEncoding.FLOAT_XOR);
      assertThat(back.bytes()).isEqualTo(c.bytes()); // the same samples, bit for bit
    }
  }

  @Test
  void exponentIsTheFewestDecimalsThatHoldEveryValue() {
    assertThat(DecimalChunk.exponent(new double[] {1, 2, 3})).isZero();
    assertThat(DecimalChunk.exponent(new double[] {1.5, 2.25, 3})).isEqualTo(2);
    assertThat(DecimalChunk.exponent(new double[] {0.1, 0.2, 0.30000000000000004})).isEqualTo(17);
    assertThat(DecimalChunk.exponent(new double[] {Math.PI})).isEqualTo(15);
    assertThat(DecimalChunk.exponent(new double[] {1e300})).isEqualTo(-1);
    assertThat(DecimalChunk.exponent(new double[] {-0.0})).isEqualTo(-1);
    assertThat(DecimalChunk.exponent(new double[] {Double.POSITIVE_INFINITY})).isEqualTo(-1);
  }

  @Test
  void damagedDecimalChunksAreNamedCorrupt() {
    long[] t = {1000, 2000, 3000};
    Chunk c = xor(t, new double[] {1.5, 2.5, 3.5});
    byte[] d = DecimalChunk.encode(c);
    assertThat(d).isNotNull();
    for (byte[] bad :
        List.of(
            java.util.Arrays.copyOf(d, d.length - 1), // cut short
            java.util.Arrays.copyOf(d, d.length + 1))) { // a byte too many
      assertThatThrownBy(() -> roundTrip(c, bad)).isInstanceOf(CorruptBlockException.class);
    }
    assertThatThrownBy(
            () ->
                DecimalChunk.decode(
                    ByteBuffer.wrap(d), FILE, 0, d.length, 1000, 2999)) // range differs
        .isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("time range");
  }
}
