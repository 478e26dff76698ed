package dev.vigil.tsdb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the engine logs through System.Logger, which the JDK routes to java.util.logging
 * when no other backend is installed.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(this);
  }

  /** Starts capturing the logger of the engine's internal class {@code simpleName}. */
  public static LogCapture of(String simpleName) {
    return new LogCapture("dev.vigil.tsdb.internal." + simpleName);
  }

  /** Starts capturing the logger named {@code loggerName} (a class name). */
  public static LogCapture named(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** Captured messages with their parameters filled in. */
  public List<String> messages() {
    return records.stream()
        .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r))
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
