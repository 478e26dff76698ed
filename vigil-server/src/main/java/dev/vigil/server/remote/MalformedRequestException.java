package dev.vigil.server.remote;

/** A remote write request that cannot be decoded or holds invalid data; answered with 400. */
final class MalformedRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
