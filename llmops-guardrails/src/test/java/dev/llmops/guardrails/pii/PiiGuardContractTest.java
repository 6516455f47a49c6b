package dev.llmops.guardrails.pii;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import java.util.List;

/** The guard contract for {@link PiiGuard} with its defaults, fed near-matches of each of its patterns. */
class PiiGuardContractTest extends GuardContractTest {

  private static final PiiGuard GUARD = PiiGuard.defaults();

  @Override
  protected Guard guard() {
    return GUARD;
  }

  @Override
  protected List<String> triggeringTexts() {
    return List.of(
        "Write to jane.doe@example.com please",
        "Call me at +44 20 7946 0958 tomorrow",
        "My card is 4111 1111 1111 1111",
        "Wire it to DE89 3704 0044 0532 0130 00",
        "Here's my SSN: 078-05-1121",
        "The server is 192.168.10.20",
        "See https://www.example.org/about",
        "She was born on 6/24/1991",
        "My driver's license number is D1234567");
  }

  @Override
  protected List<String> benignTexts() {
    return List.of(
        "The quick brown fox jumps over the lazy dog.",
        "We ordered 12 boxes and 3 crates for the party.",
        "Open notes.txt and readme.md in the editor.",
        "Use std::vector and a::b in C++.",
        "Room 1999 is on the second floor.");
  }

  @Override
  protected boolean detailsMayQuoteMatches() {
    return false;
  }

  @Override
  protected List<String> adversarialTexts() {
    int n = 100_000;
    return List.of(
        "1".repeat(n),
        "1 ".repeat(n / 2),
        "1-".repeat(n / 2),
        "12.".repeat(n / 3),
        "a.".repeat(n / 2),
        "a".repeat(n) + ".com",
        "@".repeat(n),
        "a@".repeat(n / 2),
        "a@b.".repeat(n / 4),
        "ab:".repeat(n / 3),
        "ffff:".repeat(n / 5),
        "1:".repeat(n / 2),
        "::".repeat(n / 2),
        "gb82".repeat(n / 4),
        "gb82 ".repeat(n / 5),
        "2020-01-".repeat(n / 8),
        "12/12/".repeat(n / 6),
        "http://".repeat(n / 7),
        "https://a" + ".b".repeat(n / 2),
        "www.".repeat(n / 4),
        "phone +1 ".repeat(n / 9),
        "+".repeat(n),
        "(12) ".repeat(n / 5),
        "<EMAIL_ADDRESS_".repeat(n / 15),
        noise("0123456789", " -.()/+", 50_000),
        noise("0123456789abcdef", ":", 100_000));
  }

  /** Pseudo-random characters of {@code chars}, each followed by one of {@code separators} a third of the time. */
  private static String noise(String chars, String separators, int length) {
    java.util.Random random = new java.util.Random(42);
    StringBuilder s = new StringBuilder(length + 2);
    while (s.length() < length) {
      s.append(chars.charAt(random.nextInt(chars.length())));
      if (random.nextInt(3) == 0) {
        s.append(separators.charAt(random.nextInt(separators.length())));
      }
    }
    return s.toString();
  }
}
