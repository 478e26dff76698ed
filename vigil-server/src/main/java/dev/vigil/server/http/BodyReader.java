package dev.vigil.server.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads request bodies with a size limit: a declared {@code Content-Length} over the limit is
 * refused before reading, a body that turns out longer is cut off at the limit, and a gzipped body
 * is limited after decompression too (a small bomb must not fill the heap). Over the limit: 413.
 */
public final class BodyReader {

  private final long limitBytes;

  /** A reader refusing bodies over {@code limitBytes}. */
  public BodyReader(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** The body as an input stream that fails with 413 past the limit. */
  public InputStream stream(Context ctx) throws IOException {
    checkDeclared(ctx);
    InputStream in = ctx.bodyInputStream();
    String encoding = ctx.header("Content-Encoding");
    if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
      try {
        in = new GZIPInputStream(new Limited(in, limitBytes), 8192);
      } catch (ZipException e) {
        throw ApiException.badData("body is not valid gzip: " + e.getMessage());
      }
    } else if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      throw new ApiException(415, "bad_data", "unsupported Content-Encoding: " + encoding);
    }
    return new Limited(in, limitBytes);
  }

  /** The whole body, decompressed if gzipped. */
  public byte[] bytes(Context ctx) throws IOException {
    try (InputStream in = stream(ctx)) {
      int declared = declaredLength(ctx);
      if (declared >= 0 && ctx.header("Content-Encoding") == null) {
        // The usual case: read straight into an array of the declared size, one copy.
        byte[] body = in.readNBytes(declared);
        if (body.length == declared && in.read() < 0) {
          return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(8192, body.length * 2));
        out.write(body);
        in.transferTo(out);
        return out.toByteArray();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      in.transferTo(out);
      return out.toByteArray();
    } catch (ZipException e) {
      throw ApiException.badData("body is not valid gzip: " + e.getMessage());
    }
  }

  /**
   * The whole body as sent, whatever its {@code Content-Encoding} (the caller decodes it), with the
   * same limit: 413 past it.
   */
  public byte[] rawBytes(Context ctx) throws IOException {
    checkDeclared(ctx);
    try (InputStream in = new Limited(ctx.bodyInputStream(), limitBytes)) {
      int declared = declaredLength(ctx);
      if (declared >= 0) {
        byte[] body = in.readNBytes(declared);
        if (body.length == declared && in.read() < 0) {
          return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(8192, body.length * 2));
        out.write(body);
        in.transferTo(out);
        return out.toByteArray();
      }
      return in.readAllBytes();
    }
  }

  /** The limit in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /** The declared Content-Length if it is a plausible array size, else -1. */
  private static int declaredLength(Context ctx) {
    String length = ctx.header("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(length.trim());
      return n >= 0 && n < Integer.MAX_VALUE - 8 ? (int) n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void checkDeclared(Context ctx) {
    String length = ctx.header("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > limitBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw ApiException.badData("invalid Content-Length: " + length);
      }
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        413, "too_large", "request body exceeds the limit of " + limitBytes + " bytes");
  }

  /** Counts bytes and fails past the limit. */
  private final class Limited extends InputStream {
    private final InputStream in;
    private final long limit;
    private long read;

    Limited(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0 && ++read > limit) {
        throw tooLarge();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        read += n;
        if (read > limit) {
          throw tooLarge();
        }
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
