package dev.vigil.client;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTemplatesTest {

  @ParameterizedTest
  @CsvSource({
    "/api/users/42, /api/users/{id}",
    "/api/users/42/orders/7, /api/users/{id}/orders/{id}",
    "/orders/123e4567-e89b-12d3-a456-426614174000, /orders/{id}",
    "/orders/123E4567-E89B-12D3-A456-426614174000/items, /orders/{id}/items",
    "/objects/507f1f77bcf86cd799439011, /objects/{id}",
    "/commits/da39a3ee5e6b4b0d3255bfef95601890afd80709, /commits/{id}",
    "/k/0123456789abcdef, /k/{id}",
    "/ulid/01ARZ3NDEKTSV4RRFFQ69G5FAV, /ulid/{id}",
    "/customers/cus_9s6XKzkNRiz8i3, /customers/{id}",
    "/api/v2/users, /api/v2/users",
    "/password-reset-confirmation, /password-reset-confirmation",
    "/deadbeef, /deadbeef",
    "/static/app.js, /static/app.js",
    "/, /",
    "'', /",
    "users/5, /users/{id}",
    "/a//b/, /a//b/",
  })
  void templatesPaths(String path, String expected) {
    assertThat(RouteTemplates.template(path)).isEqualTo(expected);
  }

  @Test
  void dropsQueryStringAndFragment() {
    assertThat(RouteTemplates.template("/users/42?tab=orders&id=7")).isEqualTo("/users/{id}");
    assertThat(RouteTemplates.template("/docs/intro#section-3")).isEqualTo("/docs/intro");
    assertThat(RouteTemplates.template("/search?q=/a/1")).isEqualTo("/search");
    assertThat(RouteTemplates.template("?x=1")).isEqualTo("/");
  }

  @Test
  void stripsMatrixParameters() {
    assertThat(RouteTemplates.template("/cart;jsessionid=ABC123DEF456/items/9"))
        .isEqualTo("/cart/items/{id}");
    assertThat(RouteTemplates.template("/users/42;v=2")).isEqualTo("/users/{id}");
    assertThat(RouteTemplates.template("/login;jsessionid=0123456789ABCDEF0123"))
        .isEqualTo("/login");
  }

  @Test
  void stripsContextPathAsWholeSegments() {
    assertThat(RouteTemplates.template("/shop", "/shop/items/7")).isEqualTo("/items/{id}");
    assertThat(RouteTemplates.template("/shop", "/shop")).isEqualTo("/");
    assertThat(RouteTemplates.template("/shop", "/shop?x=1")).isEqualTo("/");
    assertThat(RouteTemplates.template("/shop", "/shopping/cart")).isEqualTo("/shopping/cart");
    assertThat(RouteTemplates.template("", "/items/7")).isEqualTo("/items/{id}");
    assertThat(RouteTemplates.template("/", "/items/7")).isEqualTo("/items/{id}");
    assertThat(RouteTemplates.template(null, "/items/7")).isEqualTo("/items/{id}");
  }

  @Test
  void stripsContextPathWithMatrixParameters() {
    assertThat(RouteTemplates.template("/shop", "/shop;jsessionid=x1/items/7;a=b?c=d"))
        .isEqualTo("/items/{id}");
  }

  @Test
  void templateIsNotAnIdentifier() {
    assertThat(RouteTemplates.isIdentifier(RouteTemplates.ID)).isFalse();
    assertThat(RouteTemplates.isIdentifier("")).isFalse();
    assertThat(RouteTemplates.isIdentifier("0")).isTrue();
  }

  @Property
  void templateHasNoDigitOnlySegment(@ForAll("paths") String path) {
    String template = RouteTemplates.template(path);
    assertThat(template).startsWith("/");
    for (String segment : template.split("/", -1)) {
      assertThat(segment).doesNotMatch("[0-9]+");
    }
  }

  @Property
  void templatingIsIdempotent(@ForAll("paths") String path) {
    String once = RouteTemplates.template(path);
    assertThat(RouteTemplates.template(once)).isEqualTo(once);
  }

  @Property
  void arbitraryStringsNeverBreakIt(@ForAll String anything) {
    String once = RouteTemplates.template(anything);
    assertThat(once).startsWith("/").doesNotContain("?", "#", ";");
    assertThat(RouteTemplates.template(once)).isEqualTo(once);
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20),
            Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(12),
            Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(40),
            Arbitraries.strings().withChars("abcXYZ019_-.;=%{}?#").ofMinLength(0).ofMaxLength(24),
            Arbitraries.create(() -> java.util.UUID.randomUUID().toString()));
    Arbitrary<String> segments = segment.list().ofMaxSize(8).map(l -> String.join("/", l));
    Arbitrary<String> suffix =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.strings().ofMaxLength(10).map(s -> "?" + s),
            Arbitraries.strings().numeric().ofMaxLength(5).map(s -> ";jsessionid=" + s));
    return Combinators.combine(Arbitraries.of("", "/"), segments, suffix)
        .as((lead, body, tail) -> lead + body + tail);
  }
}
