package dev.vigil.tsdb;

import java.io.IOException;

/**
 * A commit failed because the disk holding the write-ahead log is full (ENOSPC) or over its quota
 * (EDQUOT). Nothing of the commit was stored; the store accepts commits again once space is freed.
 */
public final class StorageFullException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code cause} is the failed write. */
  public StorageFullException(String message, IOException cause) {
    super(message, cause);
  }

  /**
   * Whether {@code e} (or one of its causes) is the operating system's "no space left on device" or
   * "disk quota exceeded" error. Java reports both only as an IOException with the C library's
   * message, so the message is what can be tested.
   */
  public static boolean isDiskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageFullException) {
        return true;
      }
      String message = t.getMessage();
      if (message != null
          && (message.contains("No space left on device")
              || message.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
