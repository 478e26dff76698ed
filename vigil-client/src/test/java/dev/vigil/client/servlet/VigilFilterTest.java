package dev.vigil.client.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.Recorder;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.SlowRequest;
import dev.vigil.client.UserStats;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the filter in a real Jetty 12 (servlet 6) on a random port. */
class VigilFilterTest {

  private static final Duration AWAIT = Duration.ofSeconds(10);

  private final HttpClient client = HttpClient.newHttpClient();
  private final ExecutorService async = Executors.newCachedThreadPool();

  /** Every request is "slow", so the slow-request ring shows each exact status and duration. */
  private final Recorder recorder = Recorder.builder().slowThreshold(Duration.ZERO).build();

  private Server server;
  private ServletContextHandler context;
  private URI base;

  @AfterEach
  void stop() throws Exception {
    async.shutdownNow();
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void recordsRouteTemplatesAndStatus() throws Exception {
    start(filter().build());
    assertThat(get("/users/42").statusCode()).isEqualTo(200);
    assertThat(get("/users/43?tab=orders").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/orders/" + UUID.randomUUID()).statusCode()).isEqualTo(201);
    await(() -> total() == 3);
    EndpointSnapshot users = recorder.snapshot().endpoint("GET", "/users/{id}");
    assertThat(users.count()).isEqualTo(2);
    assertThat(users.success()).isEqualTo(2);
    EndpointSnapshot orders = recorder.snapshot().endpoint("POST", "/orders/{id}");
    assertThat(orders.count()).isEqualTo(1);
    assertThat(slow("/orders/{id}").statusCode()).isEqualTo(201);
    assertThat(recorder.snapshot().endpoints()).hasSize(2);
  }

  @Test
  void measuresDurationAroundTheChain() throws Exception {
    start(filter().build());
    assertThat(get("/slow").statusCode()).isEqualTo(200);
    await(() -> total() == 1);
    assertThat(slow("/slow").durationNanos()).isGreaterThanOrEqualTo(60_000_000L);
    assertThat(recorder.snapshot().endpoint("GET", "/slow").maxNanos())
        .isGreaterThanOrEqualTo(60_000_000L);
  }

  @Test
  void recordsServerErrorWhenTheChainThrows() throws Exception {
    start(filter().build());
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    assertThat(get("/unavailable").statusCode()).isEqualTo(503);
    await(() -> total() == 2);
    assertThat(slow("/boom").statusCode()).isEqualTo(500);
    // The servlet set 503 before throwing: that error status is kept.
    assertThat(slow("/unavailable").statusCode()).isEqualTo(503);
    assertThat(recorder.snapshot().endpoint("GET", "/boom").serverErrors()).isEqualTo(1);
  }

  @Test
  void recordsAsyncRequestWhenItCompletes() throws Exception {
    start(filter().build());
    assertThat(get("/async").statusCode()).isEqualTo(202);
    await(() -> total() == 1);
    SlowRequest r = slow("/async");
    assertThat(r.statusCode()).isEqualTo(202);
    // The servlet returned at once; the work took 30 ms on another thread.
    assertThat(r.durationNanos()).isGreaterThanOrEqualTo(30_000_000L);
  }

  @Test
  void recordsAsyncTimeoutAsServerError() throws Exception {
    start(filter().build());
    assertThat(get("/async-timeout").statusCode()).isEqualTo(500);
    await(() -> total() == 1);
    assertThat(slow("/async-timeout").statusCode()).isEqualTo(500);
    assertThat(recorder.snapshot().endpoints()).hasSize(1);
  }

  @Test
  void collapsesNotFoundWithoutFrameworkRoute() throws Exception {
    start(filter().build());
    assertThat(get("/nothing/here/42").statusCode()).isEqualTo(404);
    await(() -> total() == 1);
    EndpointSnapshot e = recorder.snapshot().endpoint("GET", VigilFilter.NOT_FOUND_ROUTE);
    assertThat(e.clientErrors()).isEqualTo(1);
  }

  @Test
  void templatesNotFoundPathsWhenAsked() throws Exception {
    start(filter().collapseNotFound(false).build());
    assertThat(get("/nothing/here/42").statusCode()).isEqualTo(404);
    await(() -> total() == 1);
    assertThat(recorder.snapshot().endpoint("GET", "/nothing/here/{id}").clientErrors())
        .isEqualTo(1);
  }

  @Test
  void prefersFrameworkRouteAttributes() throws Exception {
    start(filter().routeAttribute("my.route").build());
    assertThat(get("/spring/things/abc").statusCode()).isEqualTo(200);
    assertThat(get("/custom/whatever/7").statusCode()).isEqualTo(200);
    await(() -> total() == 2);
    assertThat(recorder.snapshot().endpoint("GET", "/things/{thingId}")).isNotNull();
    assertThat(recorder.snapshot().endpoint("GET", "/custom/{name}/{n}")).isNotNull();
  }

  @Test
  void takesUserFromConfiguredFunction() throws Exception {
    start(filter().users(r -> r.getHeader("X-User")).build());
    for (int i = 0; i < 3; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(base.resolve("/app/users/" + i)).header("X-User", "alice").build();
      client.send(request, HttpResponse.BodyHandlers.discarding());
    }
    get("/users/9");
    await(() -> total() == 4);
    List<UserStats> users = recorder.snapshot().usersByCount();
    assertThat(users).hasSize(1);
    assertThat(users.get(0).user()).isEqualTo(recorder.pseudonymizer().pseudonym("alice"));
    assertThat(users.get(0).count()).isEqualTo(3);
  }

  @Test
  void takesUserFromPrincipalByDefault() throws Exception {
    start(filter().build(), principal("bob"));
    get("/users/1");
    await(() -> total() == 1);
    assertThat(recorder.snapshot().usersByCount())
        .extracting(UserStats::user)
        .containsExactly(recorder.pseudonymizer().pseudonym("bob"));
  }

  @Test
  void brokenUserLookupNeverBreaksTheRequest() throws Exception {
    start(
        filter()
            .users(
                r -> {
                  throw new IllegalStateException("user store down");
                })
            .build());
    assertThat(get("/users/1").statusCode()).isEqualTo(200);
    await(() -> total() == 1);
    assertThat(recorder.snapshot().usersByCount()).isEmpty();
  }

  @Test
  void webXmlStyleFilterFindsRecorderInServletContext() throws Exception {
    FilterHolder holder = new FilterHolder(VigilFilter.class);
    holder.setInitParameter(VigilFilter.ROUTE_ATTRIBUTES_PARAM, " my.route , other ");
    start(holder, c -> c.setAttribute(VigilFilter.RECORDER_ATTRIBUTE, recorder));
    get("/custom/x/1");
    get("/users/5");
    await(() -> total() == 2);
    assertThat(recorder.snapshot().endpoint("GET", "/custom/{name}/{n}")).isNotNull();
    assertThat(recorder.snapshot().endpoint("GET", "/users/{id}")).isNotNull();
  }

  @Test
  void webXmlStyleFilterPublishesARecorderWhenNoneIsThere() throws Exception {
    start(new FilterHolder(VigilFilter.class), c -> {});
    get("/users/5");
    Object published = context.getServletContext().getAttribute(VigilFilter.RECORDER_ATTRIBUTE);
    assertThat(published).isInstanceOf(Recorder.class);
    Recorder created = (Recorder) published;
    await(() -> created.snapshot().endpoints().size() == 1);
    assertThat(created.snapshot().endpoint("GET", "/users/{id}").count()).isEqualTo(1);
  }

  // --- fixture ---

  private VigilFilter.Builder filter() {
    return VigilFilter.builder(recorder);
  }

  private void start(VigilFilter filter, Filter... before) throws Exception {
    FilterHolder holder = new FilterHolder(filter);
    start(holder, c -> {}, before);
  }

  private void start(
      FilterHolder vigil, Consumer<ServletContextHandler> configure, Filter... before)
      throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    context = new ServletContextHandler("/app");
    configure.accept(context);
    for (Filter f : before) {
      FilterHolder h = new FilterHolder(f);
      h.setAsyncSupported(true);
      context.addFilter(h, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    vigil.setAsyncSupported(true);
    context.addFilter(vigil, "/*", EnumSet.of(DispatcherType.REQUEST));
    servlet("/users/*", (req, resp) -> resp.getWriter().write("user"));
    servlet("/orders/*", (req, resp) -> resp.setStatus(201));
    servlet(
        "/slow",
        (req, resp) -> {
          sleep(60);
          resp.getWriter().write("slow");
        });
    servlet(
        "/boom",
        (req, resp) -> {
          throw new IllegalStateException("boom");
        });
    servlet(
        "/unavailable",
        (req, resp) -> {
          resp.setStatus(503);
          throw new UnavailableException("down", 1);
        });
    servlet(
        "/async",
        (req, resp) -> {
          AsyncContext ctx = req.startAsync();
          async.submit(
              () -> {
                sleep(30);
                ((HttpServletResponse) ctx.getResponse()).setStatus(202);
                ctx.complete();
              });
        });
    servlet(
        "/async-timeout",
        (req, resp) -> {
          AsyncContext ctx = req.startAsync();
          ctx.setTimeout(50);
        });
    servlet(
        "/spring/*",
        (req, resp) -> req.setAttribute(VigilFilter.SPRING_ROUTE_ATTRIBUTE, "/things/{thingId}"));
    servlet("/custom/*", (req, resp) -> req.setAttribute("my.route", "/custom/{name}/{n}"));
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  private void servlet(String path, Body body) {
    ServletHolder holder = new ServletHolder(new BodyServlet(body));
    holder.setAsyncSupported(true);
    context.addServlet(holder, path);
  }

  private static Filter principal(String name) {
    return (req, resp, chain) ->
        chain.doFilter(
            new HttpServletRequestWrapper((HttpServletRequest) req) {
              @Override
              public Principal getUserPrincipal() {
                return () -> name;
              }
            },
            resp);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/app" + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private long total() {
    return recorder.snapshot().endpoints().stream().mapToLong(EndpointSnapshot::count).sum();
  }

  private SlowRequest slow(String route) throws InterruptedException {
    // The endpoint counters are updated before the slow-request ring: wait for the ring too.
    await(() -> recorder.snapshot().slowRequests().stream().anyMatch(r -> r.route().equals(route)));
    RecorderSnapshot s = recorder.snapshot();
    return s.slowRequests().stream()
        .filter(r -> r.route().equals(route))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request on " + route + " in " + s));
  }

  /**
   * Waits for the recorder to catch up: a response can reach the client before the filter's finally
   * block or the async listener has run.
   */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + AWAIT);
      }
      Thread.sleep(5);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a test servlet does. */
  @FunctionalInterface
  interface Body {
    void handle(HttpServletRequest req, HttpServletResponse resp)
        throws ServletException, IOException;
  }

  /** A servlet running a {@link Body}. */
  static final class BodyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Body body;

    BodyServlet(Body body) {
      this.body = body;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
        throws ServletException, IOException {
      body.handle(req, resp);
    }
  }
}
