package dev.vigil.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** A known token: its name, role and SHA-256; the token itself is never kept. */
public record Token(String name, Role role, byte[] sha256) {

  /** SHA-256 of a presented token. */
  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-256.
      throw new IllegalStateException(e);
    }
  }

  /** A new random token: 32 bytes from SecureRandom, base64url without padding. */
  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hash as 64 lower-case hex digits. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256);
  }

  /** Never shows the hash. */
  @Override
  public String toString() {
    return "Token{" + name + ", " + role.id() + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Token t
        && t.name.equals(name)
        && t.role == role
        && MessageDigest.isEqual(t.sha256, sha256);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + role.hashCode();
  }
}
