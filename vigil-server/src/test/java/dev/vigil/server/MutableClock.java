package dev.vigil.server;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand. */
public class MutableClock extends Clock {
  private final AtomicLong millis;

  /** A clock at {@code millis}. */
  public MutableClock(long millis) {
    this.millis = new AtomicLong(millis);
  }

  /** Sets the clock. */
  public void set(long to) {
    millis.set(to);
  }

  /** Moves the clock forward. */
  public void advanceMillis(long delta) {
    millis.addAndGet(delta);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
