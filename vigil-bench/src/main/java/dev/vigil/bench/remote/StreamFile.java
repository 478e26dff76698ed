package dev.vigil.bench.remote;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded remote-write stream: the compressed request bodies of every round, in order, so that
 * each system is sent exactly the same bytes. Layout in docs/format/remote-write-stream.md: the
 * magic {@code VRWS1\n}, then per request a big-endian u32 round, u32 sample count, u32 body length
 * and the body (a snappy-compressed {@code WriteRequest}).
 */
final class StreamFile {
  static final byte[] MAGIC = {'V', 'R', 'W', 'S', '1', '\n'};

  /** One request of the stream. */
  record Request(int round, int samples, byte[] body) {}

  private StreamFile() {}

  /** Appends requests to a new file. */
  static final class Writer implements Closeable {
    private final DataOutputStream out;

    Writer(Path file) throws IOException {
      out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
      out.write(MAGIC);
    }

    void write(Request r) throws IOException {
      out.writeInt(r.round());
      out.writeInt(r.samples());
      out.writeInt(r.body().length);
      out.write(r.body());
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Reads a file's requests round by round. */
  static final class Reader implements Closeable {
    private final Path file;
    private final DataInputStream in;
    private Request pending;

    Reader(Path file) throws IOException {
      this.file = file;
      in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
      byte[] magic = new byte[MAGIC.length];
      try {
        in.readFully(magic);
      } catch (EOFException e) {
        throw new IOException(file + ": too short for a remote-write stream", e);
      }
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a remote-write stream (bad magic)");
      }
      pending = read();
    }

    /** The requests of the next round; empty at the end. */
    List<Request> nextRound() throws IOException {
      List<Request> round = new ArrayList<>();
      if (pending == null) {
        return round;
      }
      int number = pending.round();
      while (pending != null && pending.round() == number) {
        round.add(pending);
        pending = read();
      }
      return round;
    }

    private Request read() throws IOException {
      int round;
      try {
        round = in.readInt();
      } catch (EOFException e) {
        return null;
      }
      int samples = in.readInt();
      int length = in.readInt();
      if (samples < 0 || length < 0 || length > (256 << 20)) {
        throw new IOException(
            file + ": bad record header: samples " + samples + ", length " + length);
      }
      byte[] body = new byte[length];
      in.readFully(body);
      return new Request(round, samples, body);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
