package dev.vigil.client.push;

import dev.vigil.model.CorruptEncodingException;

/**
 * Thrown by {@link PushCodec#decode} when bytes are not a valid push batch; carries the byte offset
 * of the failure. A server answers it with 400: resending the same bytes cannot help.
 */
public final class PushFormatException extends CorruptEncodingException {
  private static final long serialVersionUID = 1L;

  /** A failure at {@code offset}; the message gets the offset appended. */
  public PushFormatException(String message, long offset) {
    super(message, offset);
  }
}
