package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;

/** Reads a {@link ChunkEncoding#HISTOGRAM} chunk; mirrors {@link HistogramChunkWriter}. */
final class HistogramChunkIterator implements ChunkIterator {
  private final BitReader in;
  private final int numSamples;
  private final TimestampCodec.Decoder timestamps = new TimestampCodec.Decoder();
  private final HistogramChunkState state = new HistogramChunkState();
  private final HistogramAssembler assembler = new HistogramAssembler();
  private long timestamp;
  private Histogram current; // built lazily for the current sample

  HistogramChunkIterator(byte[] bytes) {
    this.numSamples = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    this.in = new BitReader(bytes, ChunkWriter.HEADER_BYTES);
  }

  @Override
  public boolean next() {
    if (state.samples >= numSamples) {
      return false;
    }
    timestamp = timestamps.next(in);
    if (in.readBit()) {
      SparseHistograms.read(in, state);
    } else {
      readLayoutMode();
    }
    state.sum =
        Double.longBitsToDouble(state.sumXor.read(in, Double.doubleToRawLongBits(state.sum)));
    state.finishSample();
    current = null;
    return true;
  }

  private void readLayoutMode() {
    if (in.readBit()) {
      int schema = (int) in.readSigned(8);
      double threshold =
          in.readBit() ? Double.longBitsToDouble(in.readBits(64)) : state.zeroThreshold;
      int[] positive = HistogramLayout.readSpans(in);
      int[] negative = HistogramLayout.readSpans(in);
      if (state.sameZeroBucket(schema, threshold)) {
        checkSuperset(state.positiveLayout, positive);
        checkSuperset(state.negativeLayout, negative);
      }
      state.setLayout(schema, threshold, positive, negative);
    } else if (state.samples == 0) {
      throw new CorruptChunkException("first histogram of a chunk has no layout");
    }
    boolean integral = !in.readBit();
    state.count = readCount(integral, state.count);
    state.zeroCount = readCount(integral, state.zeroCount);
    double[] positive = state.positive;
    for (int i = 0; i < positive.length; i++) {
      positive[i] = readCount(integral, positive[i]);
    }
    double[] negative = state.negative;
    for (int i = 0; i < negative.length; i++) {
      negative[i] = readCount(integral, negative[i]);
    }
    state.integral = state.valuesIntegral();
  }

  private static void checkSuperset(int[] old, int[] grown) {
    if (HistogramLayout.union(old, grown).length != grown.length) {
      throw new CorruptChunkException("histogram layout shrank without a zero-bucket change");
    }
  }

  private double readCount(boolean integral, double previous) {
    if (integral) {
      return (double) ((long) previous + in.readVarbitInt());
    }
    return Double.longBitsToDouble(state.countXor.read(in, Double.doubleToRawLongBits(previous)));
  }

  @Override
  public long timestamp() {
    return timestamp;
  }

  @Override
  public double value() {
    throw new IllegalStateException("histogram chunk holds no floats");
  }

  @Override
  public Histogram histogram() {
    if (current == null) {
      current =
          assembler.assemble(
              state.schema,
              state.zeroThreshold,
              state.zeroCount,
              state.count,
              state.sum,
              state.positiveLayout,
              state.positive,
              state.negativeLayout,
              state.negative);
    }
    return current;
  }
}
