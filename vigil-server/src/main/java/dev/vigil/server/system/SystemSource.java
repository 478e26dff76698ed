package dev.vigil.server.system;

/** Where system readings come from: OSHI in production, a fixed source in tests. */
@FunctionalInterface
public interface SystemSource {
  /** Reads the machine now. */
  SystemReading read();
}
