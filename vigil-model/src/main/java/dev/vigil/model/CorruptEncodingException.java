package dev.vigil.model;

/**
 * Thrown when bytes are not a valid encoding; carries the byte offset at which decoding failed.
 *
 * <p>It is an {@link IllegalArgumentException} because the caller passed bad input; callers that
 * read from storage catch it to stop replay at the first bad record.
 */
public class CorruptEncodingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  /** An exception for a failure at {@code offset}; the message gets the offset appended. */
  public CorruptEncodingException(String message, long offset) {
    super(message + " at byte offset " + offset);
    this.offset = offset;
  }

  /** Offset of the byte at which decoding failed, from the start of the buffer read. */
  public long offset() {
    return offset;
  }
}
