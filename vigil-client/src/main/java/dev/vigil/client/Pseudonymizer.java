package dev.vigil.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns user identifiers into stable pseudonyms with keyed HMAC-SHA256, so that raw identifiers are
 * never kept or sent. Without the key a pseudonym cannot be linked back to its user, even by trying
 * every e-mail address; with the same key, every instance and the server agree.
 *
 * <p>Thread-safe: each thread uses its own {@link Mac}.
 */
public final class Pseudonymizer {

  /** Minimum key length; HMAC-SHA256 keys shorter than the hash weaken it. */
  public static final int MIN_KEY_BYTES = 16;

  /** 64 bits of the HMAC: collisions stay negligible below billions of users. */
  private static final int PSEUDONYM_BYTES = 8;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final ThreadLocal<State> state;

  private Pseudonymizer(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    this.state = ThreadLocal.withInitial(() -> new State(spec));
  }

  /** Creates a pseudonymizer with a secret key of at least {@value #MIN_KEY_BYTES} bytes. */
  public static Pseudonymizer withKey(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "pseudonymisation key too short: "
              + (key == null ? "null" : key.length + " bytes")
              + ", need at least "
              + MIN_KEY_BYTES);
    }
    return new Pseudonymizer(key.clone());
  }

  /** Creates a pseudonymizer with a random key: pseudonyms are stable within this process only. */
  public static Pseudonymizer withRandomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new Pseudonymizer(key);
  }

  /** Returns the pseudonym of a user identifier: "u_" and 16 hex digits. */
  public String pseudonym(String user) {
    return state.get().pseudonym(user);
  }

  /** Per-thread MAC and buffers, reused so that a pseudonym costs one small string. */
  private static final class State {
    private final Mac mac;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    private ByteBuffer bytes = ByteBuffer.allocate(256);
    private final byte[] digest = new byte[32];
    private final char[] out = new char[2 + 2 * PSEUDONYM_BYTES];

    State(SecretKeySpec key) {
      try {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
      } catch (GeneralSecurityException e) {
        // Every Java SE runtime must provide HmacSHA256.
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
      out[0] = 'u';
      out[1] = '_';
    }

    String pseudonym(String user) {
      encode(user);
      mac.update(bytes.array(), 0, bytes.position());
      try {
        mac.doFinal(digest, 0);
      } catch (javax.crypto.ShortBufferException e) {
        throw new IllegalStateException(e);
      }
      for (int i = 0; i < PSEUDONYM_BYTES; i++) {
        out[2 + 2 * i] = HEX[(digest[i] >> 4) & 0xF];
        out[3 + 2 * i] = HEX[digest[i] & 0xF];
      }
      Arrays.fill(digest, (byte) 0);
      return new String(out);
    }

    private void encode(String user) {
      CharBuffer chars = CharBuffer.wrap(user);
      while (true) {
        bytes.clear();
        encoder.reset();
        CoderResult result = encoder.encode(chars, bytes, true);
        if (!result.isOverflow()) {
          encoder.flush(bytes);
          return;
        }
        bytes = ByteBuffer.allocate(bytes.capacity() * 2);
        chars.rewind();
      }
    }
  }
}
