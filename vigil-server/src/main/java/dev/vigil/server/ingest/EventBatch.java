package dev.vigil.server.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A validated batch of request events in columns, as {@link RequestEventParser} reads it: the
 * ingest hot path works on these arrays and on endpoint and user numbers, not on an object per
 * event. Endpoints (service, instance, method, route) and users are numbered per batch in the order
 * they first appear. Confined to the thread handling the batch.
 */
final class EventBatch {
  private int size;
  private long[] timestamps;
  private double[] seconds;
  private int[] statusCodes;
  private int[] endpoints;
  private int[] users;

  private final EndpointTable endpointTable;
  private final List<String> userNames = new ArrayList<>();

  /**
   * An empty batch numbering its endpoints in {@code endpoints}, with room for {@code expected}
   * events (it grows past them).
   */
  EventBatch(EndpointTable endpoints, int expected) {
    this.endpointTable = endpoints;
    int capacity = Math.max(16, Math.min(expected, 1 << 20));
    this.timestamps = new long[capacity];
    this.seconds = new double[capacity];
    this.statusCodes = new int[capacity];
    this.endpoints = new int[capacity];
    this.users = new int[capacity];
  }

  /** Number of events. */
  int size() {
    return size;
  }

  long timestampMillis(int i) {
    return timestamps[i];
  }

  double seconds(int i) {
    return seconds[i];
  }

  int statusCode(int i) {
    return statusCodes[i];
  }

  /** The endpoint number of event {@code i}. */
  int endpoint(int i) {
    return endpoints[i];
  }

  /** The user number of event {@code i}, or -1 for none. */
  int user(int i) {
    return users[i];
  }

  /** Number of endpoints of the table (at least those of the batch). */
  int endpointCount() {
    return endpointTable.size();
  }

  String service(int endpoint) {
    return endpointTable.service(endpoint);
  }

  String instance(int endpoint) {
    return endpointTable.instance(endpoint);
  }

  String method(int endpoint) {
    return endpointTable.method(endpoint);
  }

  String route(int endpoint) {
    return endpointTable.route(endpoint);
  }

  /** The delta series' labels of an endpoint. */
  dev.vigil.model.Labels[] labels(int endpoint) {
    return endpointTable.labels(endpoint);
  }

  /** Number of distinct users. */
  int userCount() {
    return userNames.size();
  }

  /** The raw identifier of user {@code user}. */
  String userName(int user) {
    return userNames.get(user);
  }

  /**
   * The endpoint number of (service, instance, method, route), given as numbers of the parser's
   * dictionaries and the names they stand for.
   */
  int endpoint(
      int serviceNumber,
      int instanceNumber,
      int methodNumber,
      int routeNumber,
      String service,
      String instance,
      String method,
      String route) {
    return endpointTable.number(
        serviceNumber, instanceNumber, methodNumber, routeNumber, service, instance, method, route);
  }

  /** Registers the next user number for {@code name}; user numbers follow the parser's. */
  void addUser(String name) {
    userNames.add(name);
  }

  /** Appends one event. */
  void add(long timestampMillis, double secs, int statusCode, int endpoint, int user) {
    if (size == timestamps.length) {
      int capacity = size * 2;
      timestamps = Arrays.copyOf(timestamps, capacity);
      seconds = Arrays.copyOf(seconds, capacity);
      statusCodes = Arrays.copyOf(statusCodes, capacity);
      endpoints = Arrays.copyOf(endpoints, capacity);
      users = Arrays.copyOf(users, capacity);
    }
    timestamps[size] = timestampMillis;
    seconds[size] = secs;
    statusCodes[size] = statusCode;
    endpoints[size] = endpoint;
    users[size] = user;
    size++;
  }

  /** The events as records, for callers that want objects. */
  List<RequestEvent> toEvents() {
    List<RequestEvent> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int e = endpoints[i];
      out.add(
          new RequestEvent(
              timestamps[i],
              service(e),
              instance(e),
              method(e),
              route(e),
              seconds[i],
              statusCodes[i],
              users[i] < 0 ? null : userNames.get(users[i])));
    }
    return out;
  }
}
