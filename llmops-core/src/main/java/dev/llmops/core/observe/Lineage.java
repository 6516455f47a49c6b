package dev.llmops.core.observe;

import dev.llmops.core.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hashes lineage records instead of raw values. Stateless and thread-safe.
 *
 * <pre>{@code
 * byte[] key = ...;                                  // a secret of the application, the same on every instance
 * String userHash = Lineage.hashUser("u-1842", key); // stable per user, not reversible without the key
 * String outputHash = Lineage.sha256Hex(answerText);
 * }</pre>
 */
public final class Lineage {

  private static final HexFormat HEX = HexFormat.of();

  private Lineage() {}

  /**
   * The HMAC-SHA256 of {@code userId} (UTF-8) under {@code key}, as 64 lower-case hex digits. The same user and key
   * always give the same hash, so records of one user can be found together, but the id cannot be recovered from the
   * record without the key (a plain hash of a user id could be reversed by hashing every known id).
   *
   * @param userId the raw user id; not empty
   * @param key the secret key; at least 16 bytes
   * @throws InvalidRequestException if the id is empty or the key is shorter than 16 bytes
   */
  public static String hashUser(String userId, byte[] key) {
    if (userId.isEmpty()) {
      throw new InvalidRequestException("cannot hash an empty user id");
    }
    if (key.length < 16) {
      throw new InvalidRequestException("the user hash key must have at least 16 bytes but has " + key.length);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HEX.formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  /** The SHA-256 of {@code text} (UTF-8), as 64 lower-case hex digits. */
  public static String sha256Hex(String text) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Throws unless {@code hash} is 64 lower-case hex digits. */
  static void checkSha256(String hash, String what) {
    if (!isSha256(hash)) {
      throw new InvalidRequestException(what + " must be 64 lower-case hex digits (SHA-256) but was '" + hash + "'");
    }
  }

  static boolean isSha256(String hash) {
    if (hash.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hash.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
