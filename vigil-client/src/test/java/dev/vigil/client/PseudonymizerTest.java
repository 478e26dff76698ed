package dev.vigil.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class PseudonymizerTest {

  private static final byte[] KEY =
      "a-secret-key-of-sufficient-length".getBytes(StandardCharsets.UTF_8);

  @Property
  void pseudonymIsTheTruncatedHmacOfTheUtf8Identifier(@ForAll String user) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] full = mac.doFinal(user.getBytes(StandardCharsets.UTF_8));
    String expected = "u_" + HexFormat.of().formatHex(full, 0, 8);
    assertThat(Pseudonymizer.withKey(KEY).pseudonym(user)).isEqualTo(expected);
  }

  @Property(tries = 50)
  void longIdentifiersAreEncodedWhole(@ForAll("long") String user) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] full = mac.doFinal(user.getBytes(StandardCharsets.UTF_8));
    assertThat(Pseudonymizer.withKey(KEY).pseudonym(user))
        .isEqualTo("u_" + HexFormat.of().formatHex(full, 0, 8));
  }

  @net.jqwik.api.Provide("long")
  net.jqwik.api.Arbitrary<String> longStrings() {
    return net.jqwik.api.Arbitraries.strings().ofMinLength(300).ofMaxLength(3000);
  }

  @org.junit.jupiter.api.Test
  void differentKeysGiveUnlinkablePseudonyms() {
    String a = Pseudonymizer.withKey(KEY).pseudonym("user@sharif.edu");
    String b =
        Pseudonymizer.withKey("another-key-of-enough-bytes".getBytes(StandardCharsets.UTF_8))
            .pseudonym("user@sharif.edu");
    assertThat(a).isNotEqualTo(b).startsWith("u_").hasSize(18);
  }

  @org.junit.jupiter.api.Test
  void refusesShortKeys() {
    assertThatThrownBy(() -> Pseudonymizer.withKey(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 bytes");
  }
}
