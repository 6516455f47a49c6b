package dev.llmops.rag.internal;

import dev.llmops.rag.document.Document;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash a refresh compares: SHA-256 over everything that shapes a document's chunks and vectors (its
 * fields, its access control, the chunker's fingerprint and the embedding model's id), each length-prefixed
 * so that no two different inputs can run together into the same bytes.
 */
final class ContentHash {

  private ContentHash() {}

  static String of(Document doc, String processing) {
    MessageDigest sha = sha256();
    put(sha, "llmops-document/1");
    put(sha, processing);
    put(sha, doc.id());
    put(sha, doc.title());
    put(sha, doc.source());
    put(sha, doc.text());
    Map<String, String> sorted = new TreeMap<>(doc.metadata());
    put(sha, Integer.toString(sorted.size()));
    sorted.forEach((k, v) -> {
      put(sha, k);
      put(sha, v);
    });
    put(sha, doc.access().tenant() == null ? "\u0000" : doc.access().tenant());
    put(sha, Integer.toString(doc.access().groups().size()));
    doc.access().groups().forEach(g -> put(sha, g));
    put(sha, doc.pageStarts().toString());
    put(sha, doc.sectionStarts().toString());
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void put(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
