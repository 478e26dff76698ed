package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server's JSON mapper and the shapes of its answers. */
public final class Json {

  /** Shared, thread-safe mapper. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** Shared streaming factory. */
  public static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** Serialises a value; the values given are maps, lists, strings and numbers. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }

  /** Answers 200 with {@code {"status":"success","data":data}}. */
  public static void success(Context ctx, Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "success");
    body.put("data", data);
    ctx.status(200).contentType("application/json").result(write(body));
  }

  /** Answers 200 with the value itself, for the performance API's seed shapes. */
  public static void plain(Context ctx, Object value) {
    ctx.status(200).contentType("application/json").result(write(value));
  }

  /** Answers an error in Prometheus' shape. */
  public static void error(Context ctx, int status, String errorType, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "error");
    body.put("errorType", errorType);
    body.put("error", message);
    ctx.status(status).contentType("application/json").result(write(body));
  }

  /** Rounds to 9 significant decimals for display; NaN and infinities become null. */
  public static Double num(double d) {
    return Double.isFinite(d) ? d : null;
  }
}
