package dev.vigil.server.cli;

import dev.vigil.client.Recorder;
import java.util.List;
import java.util.Random;

/**
 * The demo service's traffic: several endpoints with lognormal latencies (one often slower than 2
 * s), some 4xx and 5xx, several users, recorded into a vigil-client {@link Recorder}. Latencies are
 * drawn, not slept: the demo produces a realistic mix without burning time.
 */
final class DemoTraffic {

  /** One endpoint: its share of traffic, lognormal median and spread, error rates. */
  record DemoEndpoint(
      String method,
      String route,
      double weight,
      double medianSeconds,
      double sigma,
      double clientErrorRate,
      double serverErrorRate) {}

  static final List<DemoEndpoint> ENDPOINTS =
      List.of(
          new DemoEndpoint("GET", "/api/products", 30, 0.060, 0.5, 0.01, 0.002),
          new DemoEndpoint("GET", "/api/products/{id}", 25, 0.035, 0.4, 0.03, 0.002),
          new DemoEndpoint("GET", "/api/users/{id}", 15, 0.045, 0.5, 0.02, 0.005),
          new DemoEndpoint("POST", "/api/auth/login", 10, 0.230, 0.35, 0.08, 0.005),
          new DemoEndpoint("POST", "/api/orders", 8, 0.400, 0.6, 0.04, 0.03),
          new DemoEndpoint("GET", "/api/search", 10, 0.150, 0.8, 0.01, 0.01),
          new DemoEndpoint("GET", "/api/reports/{id}", 2, 1.900, 0.45, 0.02, 0.04));

  static final List<String> USERS =
      List.of(
          "ada@example.com",
          "grace@example.com",
          "linus@example.com",
          "margaret@example.com",
          "ken@example.com",
          "barbara@example.com",
          "dennis@example.com",
          "frances@example.com");

  private final Recorder recorder;
  private final Random random;
  private final double totalWeight;

  DemoTraffic(Recorder recorder, long seed) {
    this.recorder = recorder;
    this.random = new Random(seed);
    double w = 0;
    for (DemoEndpoint e : ENDPOINTS) {
      w += e.weight();
    }
    this.totalWeight = w;
  }

  /** Records one request. */
  void next() {
    double pick = random.nextDouble() * totalWeight;
    DemoEndpoint e = ENDPOINTS.get(ENDPOINTS.size() - 1);
    for (DemoEndpoint c : ENDPOINTS) {
      pick -= c.weight();
      if (pick < 0) {
        e = c;
        break;
      }
    }
    double seconds = e.medianSeconds() * Math.exp(e.sigma() * random.nextGaussian());
    double r = random.nextDouble();
    int status;
    if (r < e.serverErrorRate()) {
      status = random.nextBoolean() ? 500 : 503;
    } else if (r < e.serverErrorRate() + e.clientErrorRate()) {
      status = e.route().contains("login") ? 401 : random.nextBoolean() ? 404 : 400;
    } else {
      status = e.method().equals("POST") ? 201 : 200;
    }
    // A few anonymous requests, and a skew towards the first users (heavy hitters).
    String user =
        random.nextDouble() < 0.15
            ? null
            : USERS.get(
                Math.min(USERS.size() - 1, (int) Math.floor(Math.abs(random.nextGaussian()) * 3)));
    recorder.record(e.method(), e.route(), status, (long) (seconds * 1e9), user);
  }
}
