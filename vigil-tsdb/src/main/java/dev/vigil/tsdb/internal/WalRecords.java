package dev.vigil.tsdb.internal;

import dev.vigil.model.CorruptEncodingException;
import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Record types and payload layouts of the write-ahead log (docs/format/wal.md). */
final class WalRecords {
  static final int SERIES = 1;
  static final int FLOAT_SAMPLES = 2;
  static final int HISTOGRAM_SAMPLES = 3;
  static final int FLOAT_MERGES = 4;
  static final int HISTOGRAM_MERGES = 5;
  static final int CHUNK = 6;

  /** Flag in the type byte: the last record of a commit; replay applies whole commits only. */
  static final int COMMIT_END = 0x80;

  /**
   * Flag in the type byte (version 2): the payload is Snappy-compressed (raw block format) and
   * decompresses to the record type's layout.
   */
  static final int COMPRESSED = 0x40;

  /** The record type in a version 2 type byte. */
  static final int TYPE_MASK = 0x3F;

  /** The record type in a version 1 type byte, which had no compression flag. */
  static final int TYPE_MASK_V1 = 0x7F;

  /** Longest payload accepted; a longer length field is corruption, not a record. */
  static final int MAX_RECORD_BYTES = 128 << 20;

  /** Largest commit framed at once. */
  static final int MAX_BATCH_BYTES = 1 << 30;

  /** Samples per record: keeps records well under the maximum whatever the batch. */
  static final int MAX_SAMPLES_PER_RECORD = 10_000;

  private WalRecords() {}

  /** Receives decoded records. */
  interface Handler {
    void series(long id, Labels labels, boolean histogram);

    /** A sample of one of the four sample record types; {@code h} null for floats. */
    void sample(int type, long seriesId, long timestamp, double value, Histogram h);

    void chunk(long seriesId, Chunk chunk);
  }

  static boolean isHistogramType(int type) {
    return type == HISTOGRAM_SAMPLES || type == HISTOGRAM_MERGES;
  }

  static boolean isMergeType(int type) {
    return type == FLOAT_MERGES || type == HISTOGRAM_MERGES;
  }

  static String name(int type) {
    switch (type) {
      case SERIES:
        return "series";
      case FLOAT_SAMPLES:
        return "float samples";
      case HISTOGRAM_SAMPLES:
        return "histogram samples";
      case FLOAT_MERGES:
        return "float merges";
      case HISTOGRAM_MERGES:
        return "histogram merges";
      case CHUNK:
        return "chunk";
      default:
        return "unknown type " + type;
    }
  }

  /** Frames one SERIES record for the series [from, to) of {@code series}. */
  static void encodeSeries(WalEncoder out, MemSeries[] series, int from, int to) {
    out.begin(SERIES);
    out.uvarint(to - from);
    for (int i = from; i < to; i++) {
      out.uvarint(series[i].id);
      out.u8(series[i].histogram ? 1 : 0);
      Labels labels = series[i].labels;
      out.uvarint(labels.size());
      for (int k = 0; k < labels.size(); k++) {
        out.string(labels.name(k));
        out.string(labels.value(k));
      }
    }
    out.end(false);
  }

  /** Starts a sample record of {@code count} samples timestamped relative to {@code base}. */
  static void beginSamples(WalEncoder out, int type, int count, long base) {
    out.begin(type);
    out.uvarint(count);
    out.varint(base);
  }

  /** One sample of a record begun with {@link #beginSamples}. */
  static void encodeSample(
      WalEncoder out, int type, long base, long seriesId, long timestamp, double v, Histogram h) {
    out.uvarint(seriesId);
    out.varint(timestamp - base);
    if (isHistogramType(type)) {
      out.histogram(h);
    } else {
      out.f64(v);
    }
  }

  /** Frames one CHUNK record (checkpoints only). */
  static void encodeChunk(WalEncoder out, long seriesId, Chunk chunk) {
    out.begin(CHUNK);
    out.uvarint(seriesId);
    out.u8(chunk.encoding().code());
    out.varint(chunk.minTimeMillis());
    out.varint(chunk.maxTimeMillis());
    out.bytes(chunk.bytes());
    out.end(true);
  }

  /**
   * Decodes one payload and passes its contents to {@code handler}.
   *
   * @throws CorruptRecordException if the payload does not match its type's layout
   */
  static void decode(int type, ByteBuffer payload, Handler handler) {
    try {
      switch (type) {
        case SERIES:
          decodeSeries(payload, handler);
          break;
        case FLOAT_SAMPLES:
        case HISTOGRAM_SAMPLES:
        case FLOAT_MERGES:
        case HISTOGRAM_MERGES:
          decodeSamples(type, payload, handler);
          break;
        case CHUNK:
          decodeChunk(payload, handler);
          break;
        default:
          throw new CorruptRecordException("unknown record type " + type);
      }
      if (payload.hasRemaining()) {
        throw new CorruptRecordException(
            payload.remaining() + " bytes left over in a " + name(type) + " record");
      }
    } catch (BufferUnderflowException e) {
      throw new CorruptRecordException(name(type) + " record ends early");
    } catch (CorruptEncodingException | CorruptChunkException e) {
      throw new CorruptRecordException(name(type) + " record: " + e.getMessage());
    } catch (IllegalArgumentException e) { // invalid label names from Labels.Builder
      throw new CorruptRecordException(name(type) + " record: " + e.getMessage());
    }
  }

  private static void decodeSeries(ByteBuffer in, Handler handler) {
    long count = uvarint(in);
    for (long i = 0; i < count; i++) {
      long id = uvarint(in);
      int kind = in.get() & 0xFF;
      if (kind > 1) {
        throw new CorruptRecordException("series " + id + " has unknown kind " + kind);
      }
      long pairs = uvarint(in);
      if (pairs > in.remaining()) {
        throw new CorruptRecordException("series " + id + " claims " + pairs + " labels");
      }
      Labels.Builder labels = Labels.builder();
      for (long k = 0; k < pairs; k++) {
        labels.put(string(in), string(in));
      }
      handler.series(id, labels.build(), kind == 1);
    }
  }

  private static void decodeSamples(int type, ByteBuffer in, Handler handler) {
    long count = uvarint(in);
    long base = varint(in);
    boolean histogram = isHistogramType(type);
    for (long i = 0; i < count; i++) {
      long id = uvarint(in);
      long timestamp = base + varint(in);
      if (histogram) {
        handler.sample(type, id, timestamp, 0, Histogram.decode(in));
      } else {
        handler.sample(type, id, timestamp, Double.longBitsToDouble(in.getLong()), null);
      }
    }
  }

  private static void decodeChunk(ByteBuffer in, Handler handler) {
    long id = uvarint(in);
    int code = in.get() & 0xFF;
    ChunkEncoding encoding = ChunkEncoding.ofCode(code);
    if (encoding == null) {
      throw new CorruptRecordException("unknown chunk encoding " + code);
    }
    long min = varint(in);
    long max = varint(in);
    byte[] bytes = bytes(in);
    handler.chunk(id, new Chunk(encoding, bytes, min, max));
  }

  static long uvarint(ByteBuffer in) {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = in.get() & 0xFF;
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CorruptRecordException("varint longer than 10 bytes");
  }

  static long varint(ByteBuffer in) {
    long raw = uvarint(in);
    return (raw >>> 1) ^ -(raw & 1);
  }

  private static byte[] bytes(ByteBuffer in) {
    long length = uvarint(in);
    if (length > in.remaining()) {
      throw new CorruptRecordException(
          "byte string of " + length + " bytes, " + in.remaining() + " left");
    }
    byte[] bytes = new byte[(int) length];
    in.get(bytes);
    return bytes;
  }

  private static String string(ByteBuffer in) {
    return new String(bytes(in), StandardCharsets.UTF_8);
  }

  /** A payload that does not match its record type's layout. */
  static final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptRecordException(String message) {
      super(message);
    }
  }
}
