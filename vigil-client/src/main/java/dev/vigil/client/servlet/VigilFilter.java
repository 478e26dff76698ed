package dev.vigil.client.servlet;

import dev.vigil.client.Recorder;
import dev.vigil.client.RouteTemplates;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Servlet filter that records every request into a {@link Recorder}: method, route template,
 * status, duration and user.
 *
 * <p>The route is the framework's template when it exposes one in a request attribute after the
 * chain ran (Spring MVC's best matching pattern, or any configured attribute, e.g. one a Jersey
 * filter sets), else {@link RouteTemplates#template(String, String)} of the request URI. A 404
 * without a framework template is recorded under {@value #NOT_FOUND_ROUTE}, as Micrometer does:
 * scanners probing thousands of made-up paths would otherwise fill the endpoint table.
 *
 * <p>The duration is {@link System#nanoTime()} around the chain; an asynchronous request is
 * recorded when it completes. If the chain throws, the request is recorded with status 500 unless
 * the response already carries an error status, and the exception is rethrown untouched. The filter
 * never throws exceptions of its own into the application.
 *
 * <p>In {@code web.xml}, declare it without arguments: it takes the recorder from the servlet
 * context attribute {@value #RECORDER_ATTRIBUTE} (or the one named by the init-param {@value
 * #RECORDER_ATTRIBUTE_PARAM}), creating and publishing one there if absent, and reads extra route
 * attribute names, comma-separated, from the init-param {@value #ROUTE_ATTRIBUTES_PARAM}.
 */
public final class VigilFilter implements Filter {

  /** Servlet context attribute under which the recorder is found or published. */
  public static final String RECORDER_ATTRIBUTE = "dev.vigil.client.Recorder";

  /** Init-param naming another servlet context attribute that holds the recorder. */
  public static final String RECORDER_ATTRIBUTE_PARAM = "recorderAttribute";

  /** Init-param with extra request attribute names holding the route template, comma-separated. */
  public static final String ROUTE_ATTRIBUTES_PARAM = "routeAttributes";

  /** Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}. */
  public static final String SPRING_ROUTE_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /** Route of 404 responses for which no framework exposed a template. */
  public static final String NOT_FOUND_ROUTE = "NOT_FOUND";

  /** Set by the constructor or by {@link #init}, which the container runs before any request. */
  private volatile Recorder recorder;

  /** Written by the constructor and {@link #init} only; read-only afterwards. */
  private volatile List<String> routeAttributes;

  private final Function<HttpServletRequest, String> users;
  private final boolean collapseNotFound;

  /** For {@code web.xml}: the recorder comes from the servlet context in {@link #init}. */
  public VigilFilter() {
    this.recorder = null;
    this.routeAttributes = List.of(SPRING_ROUTE_ATTRIBUTE);
    this.users = VigilFilter::principalName;
    this.collapseNotFound = true;
  }

  /** Records into {@code recorder}, with the default route attributes and user lookup. */
  public VigilFilter(Recorder recorder) {
    this(builder(recorder));
  }

  private VigilFilter(Builder b) {
    this.recorder = b.recorder;
    this.routeAttributes = List.copyOf(b.routeAttributes);
    this.users = b.users;
    this.collapseNotFound = b.collapseNotFound;
  }

  /** Starts building a filter that records into {@code recorder}. */
  public static Builder builder(Recorder recorder) {
    return new Builder(recorder);
  }

  /** Reads the init-params and finds, or creates and publishes, the recorder. */
  @Override
  public void init(FilterConfig config) throws ServletException {
    String extra = config.getInitParameter(ROUTE_ATTRIBUTES_PARAM);
    if (extra != null && !extra.isBlank()) {
      List<String> names = new ArrayList<>(routeAttributes);
      for (String name : extra.split(",")) {
        if (!name.isBlank() && !names.contains(name.strip())) {
          names.add(name.strip());
        }
      }
      routeAttributes = List.copyOf(names);
    }
    if (recorder == null) {
      String attribute = config.getInitParameter(RECORDER_ATTRIBUTE_PARAM);
      recorder =
          lookUp(config.getServletContext(), attribute == null ? RECORDER_ATTRIBUTE : attribute);
    }
  }

  private static Recorder lookUp(ServletContext context, String attribute) throws ServletException {
    // Several filter instances may start in parallel; they must share one recorder.
    synchronized (VigilFilter.class) {
      Object found = context.getAttribute(attribute);
      if (found == null) {
        Recorder created = Recorder.create();
        context.setAttribute(attribute, created);
        return created;
      }
      if (!(found instanceof Recorder)) {
        throw new ServletException(
            "servlet context attribute "
                + attribute
                + " is a "
                + found.getClass().getName()
                + ", not a "
                + Recorder.class.getName());
      }
      return (Recorder) found;
    }
  }

  /** The recorder requests go to, or null before {@link #init} of a no-argument filter. */
  public Recorder recorder() {
    return recorder;
  }

  /** Runs the chain and records the request, now or when its asynchronous processing ends. */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Recorder target = recorder;
    // Only the original dispatch is timed: ASYNC, ERROR, FORWARD and INCLUDE dispatches belong
    // to a request that is already being measured.
    if (target == null
        || req.getDispatcherType() != DispatcherType.REQUEST
        || !(req instanceof HttpServletRequest)
        || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    long startNanos = System.nanoTime();
    boolean threw = true;
    try {
      chain.doFilter(req, res);
      threw = false;
    } finally {
      afterChain(target, request, response, startNanos, threw);
    }
  }

  private void afterChain(
      Recorder target,
      HttpServletRequest request,
      HttpServletResponse response,
      long startNanos,
      boolean threw) {
    try {
      if (!threw && request.isAsyncStarted()) {
        request
            .getAsyncContext()
            .addListener(new Completion(target, request, response, startNanos));
        return;
      }
      record(target, request, response.getStatus(), threw, System.nanoTime() - startNanos);
    } catch (RuntimeException e) {
      // Deliberately swallowed: monitoring must never break the request it watches.
    }
  }

  private void record(
      Recorder target, HttpServletRequest request, int status, boolean failed, long nanos) {
    try {
      if (failed && status < 400) {
        status = 500;
      }
      target.record(request.getMethod(), route(request, status), status, nanos, user(request));
    } catch (RuntimeException e) {
      // Deliberately swallowed, as above; Recorder.record itself never throws.
    }
  }

  private String route(HttpServletRequest request, int status) {
    for (String name : routeAttributes) {
      Object template = request.getAttribute(name);
      if (template != null) {
        String s = template.toString();
        if (!s.isEmpty()) {
          return s;
        }
      }
    }
    if (status == 404 && collapseNotFound) {
      return NOT_FOUND_ROUTE;
    }
    return RouteTemplates.template(request.getContextPath(), request.getRequestURI());
  }

  private String user(HttpServletRequest request) {
    try {
      return users.apply(request);
    } catch (RuntimeException e) {
      return null; // a broken user lookup loses the user, not the request
    }
  }

  private static String principalName(HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    return principal != null ? principal.getName() : request.getRemoteUser();
  }

  /**
   * Records an asynchronous request once, when it completes. A timeout or error only marks it
   * failed: the container then runs its error handling (or a listener writes a response) and
   * completes the request, so the status read in {@code onComplete} is the one the client got.
   */
  private final class Completion implements AsyncListener {
    private final Recorder target;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final long startNanos;
    private final AtomicBoolean recorded = new AtomicBoolean();

    /** Set by the container thread that reports a timeout or error, read at completion. */
    private volatile boolean failed;

    Completion(
        Recorder target,
        HttpServletRequest request,
        HttpServletResponse response,
        long startNanos) {
      this.target = target;
      this.request = request;
      this.response = response;
      this.startNanos = startNanos;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      if (recorded.compareAndSet(false, true)) {
        long nanos = System.nanoTime() - startNanos;
        try {
          record(target, request, response.getStatus(), failed, nanos);
        } catch (RuntimeException e) {
          // Deliberately swallowed.
        }
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      failed = true;
    }

    @Override
    public void onError(AsyncEvent event) {
      failed = true;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new asynchronous cycle drops the listeners of the previous one: stay registered.
      event.getAsyncContext().addListener(this);
    }
  }

  /** Builder of {@link VigilFilter}. */
  public static final class Builder {
    private final Recorder recorder;
    private final List<String> routeAttributes = new ArrayList<>(List.of(SPRING_ROUTE_ATTRIBUTE));
    private Function<HttpServletRequest, String> users = VigilFilter::principalName;
    private boolean collapseNotFound = true;

    private Builder(Recorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /** Adds a request attribute holding the route template, read after Spring's. */
    public Builder routeAttribute(String name) {
      routeAttributes.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * How to find the user of a request (default: the principal's name, else the remote user); null
     * means anonymous. The result is pseudonymised by the recorder.
     */
    public Builder users(Function<HttpServletRequest, String> users) {
      this.users = Objects.requireNonNull(users, "users");
      return this;
    }

    /**
     * Whether a 404 without a framework template is recorded under {@value
     * VigilFilter#NOT_FOUND_ROUTE} (default true) rather than under the template of its path.
     */
    public Builder collapseNotFound(boolean collapseNotFound) {
      this.collapseNotFound = collapseNotFound;
      return this;
    }

    /** Builds the filter. */
    public VigilFilter build() {
      return new VigilFilter(this);
    }
  }
}
