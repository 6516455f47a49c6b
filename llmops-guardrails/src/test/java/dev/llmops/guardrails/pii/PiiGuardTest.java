package dev.llmops.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.OutputContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiiGuardTest {

  private static String rewritten(PiiGuard guard, String text) {
    GuardVerdict v = guard.check(InputContext.of(text));
    assertThat(v).isInstanceOf(GuardVerdict.Rewrite.class);
    return ((GuardVerdict.Rewrite) v).text();
  }

  private static List<String> types(PiiGuard guard, String text) {
    return guard.analyze(text).stream().map(PiiMatch::type).toList();
  }

  @Test
  void findsEachStructuredTypeWithItsSpan() {
    PiiGuard g = PiiGuard.defaults();
    String text = "Mail jane.doe@example.com, card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, "
        + "SSN 078-05-1121, IP 10.20.30.40, site https://example.org/a, born 1990-04-16 11:34:35.";
    List<PiiMatch> found = g.analyze(text);
    assertThat(found).extracting(PiiMatch::type).containsExactly(PiiEntities.EMAIL_ADDRESS,
        PiiEntities.CREDIT_CARD, PiiEntities.IBAN_CODE, PiiEntities.US_SSN, PiiEntities.IP_ADDRESS, PiiEntities.URL,
        PiiEntities.DATE_TIME);
    assertThat(found).extracting(m -> text.substring(m.start(), m.end())).containsExactly("jane.doe@example.com",
        "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "078-05-1121", "10.20.30.40",
        "https://example.org/a", "1990-04-16 11:34:35");
  }

  @Test
  void checksumsDecideCardsAndIbans() {
    PiiGuard g = PiiGuard.defaults();
    assertThat(types(g, "card 4111 1111 1111 1111")).containsExactly(PiiEntities.CREDIT_CARD);
    assertThat(types(g, "card 4111 1111 1111 1112")).doesNotContain(PiiEntities.CREDIT_CARD);
    // Luhn-valid, but two-digit groups are hex bytes, not a printed card number
    assertThat(Checksums.luhn("5768617420697320")).isTrue();
    assertThat(types(g, "decode 57 68 61 74 20 69 73 20")).doesNotContain(PiiEntities.CREDIT_CARD);
    assertThat(types(g, "card 5768617420697320")).containsExactly(PiiEntities.CREDIT_CARD);
    assertThat(types(g, "IBAN GB82WEST12345698765432")).containsExactly(PiiEntities.IBAN_CODE);
    assertThat(types(g, "IBAN GB82WEST12345698765433")).isEmpty();
    assertThat(types(g, "SSN 666-45-6789")).isEmpty();
    assertThat(types(g, "SSN 123-00-6789")).isEmpty();
    assertThat(types(g, "SSN 123-45-0000")).isEmpty();
    assertThat(types(g, "SSN 923-45-6789")).doesNotContain(PiiEntities.US_SSN);
  }

  @Test
  void findsPhoneNumbersInInternationalAndNationalFormats() {
    PiiGuard g = PiiGuard.defaults();
    assertThat(types(g, "Reach me on +44 20 7946 0958.")).containsExactly(PiiEntities.PHONE_NUMBER);
    assertThat(types(g, "Phone: (415) 555-2671")).containsExactly(PiiEntities.PHONE_NUMBER);
    assertThat(types(g, "Phone: 030 901820")).containsExactly(PiiEntities.PHONE_NUMBER);
    // a German national number is not one in a US-only configuration
    PiiGuard us = PiiGuard.builder().regions(List.of("US")).build();
    assertThat(types(us, "Phone: 030 901820")).isEmpty();
    assertThat(types(us, "Phone: +49 30 901820")).containsExactly(PiiEntities.PHONE_NUMBER);
  }

  @Test
  void contextWordsRaiseWeakMatchesOverTheThreshold() {
    PiiGuard g = PiiGuard.defaults();
    assertThat(g.analyze("reference 123456789")).isEmpty();
    List<PiiMatch> ssn = g.analyze("my ssn is 123456789");
    assertThat(ssn).extracting(PiiMatch::type).containsExactly(PiiEntities.US_SSN);
    assertThat(ssn.get(0).score()).isEqualTo(0.65);
    assertThat(g.analyze("order D1234567")).isEmpty();
    assertThat(types(g, "my driver's license is D1234567")).containsExactly(PiiEntities.US_DRIVER_LICENSE);
    // context after the match counts too, in half the window
    assertThat(types(g, "ref 1234567 and nothing")).isEmpty();
    assertThat(types(g, "My DL D1234567")).containsExactly(PiiEntities.US_DRIVER_LICENSE);
    // too far away: outside the window
    PiiGuard narrow = PiiGuard.builder().contextWindow(10).build();
    assertThat(narrow.analyze("my ssn, as the form asks, is 123456789")).isEmpty();
    // custom words replace the defaults
    PiiGuard custom = PiiGuard.builder().contextWords(PiiEntities.US_SSN, List.of("steuernummer")).build();
    assertThat(custom.analyze("my ssn is 123456789")).isEmpty();
    assertThat(types(custom, "Steuernummer 123456789")).containsExactly(PiiEntities.US_SSN);
  }

  @Test
  void minScoreKeepsLowConfidenceMatchesOutOrIn() {
    assertThat(types(PiiGuard.defaults(), "founded in 1999")).containsExactly(PiiEntities.DATE_TIME);
    assertThat(PiiGuard.defaults().analyze("room 1999")).isEmpty();
    PiiGuard low = PiiGuard.builder().minScore(0.3).build();
    assertThat(low.analyze("room 1999")).extracting(PiiMatch::type).containsExactly(PiiEntities.DATE_TIME);
    PiiGuard high = PiiGuard.builder().minScore(0.9).build();
    assertThat(high.analyze("Phone: (415) 555-2671, mail a@example.com"))
        .extracting(PiiMatch::type).containsExactly(PiiEntities.EMAIL_ADDRESS);
  }

  @Test
  void overlapsGoToTheHighestScoreThenTheLongestSpan() {
    PiiGuard g = PiiGuard.defaults();
    // the domain inside an e-mail address and inside a URL loses to them
    assertThat(types(g, "jane@example.com")).containsExactly(PiiEntities.EMAIL_ADDRESS);
    assertThat(types(g, "https://www.example.com/x")).containsExactly(PiiEntities.URL);
    // a Luhn-valid card beats the phone number read from the same digits
    assertThat(types(g, "call 4111 1111 1111 1111")).containsExactly(PiiEntities.CREDIT_CARD);
    // license context makes the license number beat the phone reading
    assertThat(types(g, "my driver's license number is 2270-66-1551")).containsExactly(PiiEntities.US_DRIVER_LICENSE);
    // a recognizer's longer span wins over a shorter one with the same score
    EntityRecognizer ner = text -> List.of(new PiiMatch("PERSON", 0, 8, 0.9), new PiiMatch("LOCATION", 0, 4, 0.9));
    PiiGuard withNer = PiiGuard.builder().entities(Set.of("PERSON", "LOCATION")).recognizer(ner).build();
    assertThat(withNer.analyze("Jane Doe lives here")).containsExactly(new PiiMatch("PERSON", 0, 8, 0.9));
    // and a higher score wins over a longer span
    EntityRecognizer ner2 = text -> List.of(new PiiMatch("PERSON", 0, 8, 0.6), new PiiMatch("LOCATION", 0, 4, 0.9));
    PiiGuard withNer2 = PiiGuard.builder().entities(Set.of("PERSON", "LOCATION")).recognizer(ner2).build();
    assertThat(withNer2.analyze("Jane Doe lives here")).containsExactly(new PiiMatch("LOCATION", 0, 4, 0.9));
  }

  @Test
  void mergesRecognizerSpansAndIgnoresInvalidOnes() {
    EntityRecognizer ner = text -> List.of(new PiiMatch("PERSON", 11, 19, 0.85),
        new PiiMatch("PERSON", 0, 500, 0.9), new PiiMatch("ORGANIZATION", 0, 2, 0.9));
    PiiGuard g = PiiGuard.builder().entities(Set.of("PERSON", PiiEntities.EMAIL_ADDRESS)).recognizer(ner).build();
    assertThat(rewritten(g, "My name is Jane Doe, mail jane@example.com"))
        .isEqualTo("My name is <PERSON>, mail <EMAIL_ADDRESS>");
  }

  @Test
  void operatorsReplaceAsDocumented() {
    String text = "Card 4111 1111 1111 1111 for jane@example.com and jane@example.com, not bob@example.org";
    assertThat(rewritten(PiiGuard.builder().defaultOperator(PiiOperator.REDACT).build(), text))
        .isEqualTo("Card  for  and , not ");
    assertThat(rewritten(PiiGuard.builder().defaultOperator(PiiOperator.MASK).build(), text))
        .isEqualTo("Card **** **** **** 1111 for ****@******e.com and ****@******e.com, not ***@******e.org");
    assertThat(rewritten(PiiGuard.builder().defaultOperator(PiiOperator.MASK).maskChar('#').maskKeepLast(0).build(),
        "card 4111-1111-1111-1111")).isEqualTo("card ####-####-####-####");
    assertThat(rewritten(PiiGuard.defaults(), text))
        .isEqualTo("Card <CREDIT_CARD> for <EMAIL_ADDRESS> and <EMAIL_ADDRESS>, not <EMAIL_ADDRESS>");
    assertThat(rewritten(PiiGuard.builder().defaultOperator(PiiOperator.NUMBERED_PLACEHOLDER).build(), text))
        .isEqualTo("Card <CREDIT_CARD_1> for <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_1>, not <EMAIL_ADDRESS_2>");
    // per-type operators override the default
    PiiGuard mixed = PiiGuard.builder().operator(PiiEntities.CREDIT_CARD, PiiOperator.MASK)
        .operator(PiiEntities.EMAIL_ADDRESS, PiiOperator.REDACT).build();
    assertThat(rewritten(mixed, "card 4111 1111 1111 1111 mail a@example.com ip 10.20.30.40"))
        .isEqualTo("card **** **** **** 1111 mail  ip <IP_ADDRESS>");
  }

  @Test
  void hashIsKeyedStableAndTruncated() {
    PiiGuard a = PiiGuard.builder().defaultOperator(PiiOperator.HASH).hashKey("0123456789abcdef-key-A").build();
    PiiGuard b = PiiGuard.builder().defaultOperator(PiiOperator.HASH).hashKey("0123456789abcdef-key-B").build();
    String ha = rewritten(a, "mail jane@example.com");
    assertThat(ha).matches("mail <EMAIL_ADDRESS_[0-9a-f]{16}>").doesNotContain("jane");
    assertThat(rewritten(a, "write to jane@example.com")).endsWith(ha.substring(5));
    assertThat(rewritten(a, "mail john@example.com")).isNotEqualTo(ha);
    assertThat(rewritten(b, "mail jane@example.com")).isNotEqualTo(ha);
    // HMAC-SHA256("0123456789abcdef-key-A", "EMAIL_ADDRESS:jane@example.com"), computed independently below
    assertThat(ha).isEqualTo("mail <EMAIL_ADDRESS_" + hmacHex("0123456789abcdef-key-A",
        "EMAIL_ADDRESS:jane@example.com").substring(0, 16) + ">");
    PiiGuard longer = PiiGuard.builder().defaultOperator(PiiOperator.HASH).hashKey("0123456789abcdef-key-A")
        .hashLength(9).build();
    assertThat(rewritten(longer, "mail jane@example.com")).matches("mail <EMAIL_ADDRESS_[0-9a-f]{9}>");
  }

  private static String hmacHex(String key, String value) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void pseudonymsRestoreOnlyInTheirOwnConversation() {
    PiiVault vault = PiiVault.inMemory(Duration.ofHours(1));
    PiiGuard guard = PiiGuard.builder().defaultOperator(PiiOperator.PSEUDONYMIZE).vault(vault).build();
    PiiRestoreGuard restore = PiiRestoreGuard.of(vault);
    InputContext in = new InputContext("Mail jane@example.com or call +44 20 7946 0958", List.of(), "acme",
        Map.of("conversation_id", "c1"));
    GuardVerdict.Rewrite r = (GuardVerdict.Rewrite) guard.check(in);
    assertThat(r.text()).isEqualTo("Mail <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>");
    String answer = "I will write to <EMAIL_ADDRESS_1> and ring <PHONE_NUMBER_1>; <EMAIL_ADDRESS_2> is unknown.";
    GuardVerdict back = restore.check(new OutputContext(answer, "", List.of(), List.of(), "acme",
        Map.of("conversation_id", "c1")));
    assertThat(back).isInstanceOf(GuardVerdict.Rewrite.class);
    assertThat(((GuardVerdict.Rewrite) back).text())
        .isEqualTo("I will write to jane@example.com and ring +44 20 7946 0958; <EMAIL_ADDRESS_2> is unknown.");
    assertThat(back.findings()).extracting(Finding::type).containsExactly("EMAIL_ADDRESS", "PHONE_NUMBER");

    // without a conversation there is no scope: no pseudonym is issued, and nothing is restored, so a caller
    // without one can never get another caller's values back
    GuardVerdict.Rewrite anonymous = (GuardVerdict.Rewrite) guard.check(InputContext.of("Mail jane@example.com"));
    assertThat(anonymous.text()).isEqualTo("Mail <EMAIL_ADDRESS>");
    assertThat(anonymous.findings().get(0).detail()).contains("no 'conversation_id' attribute");
    assertThat(restore.check(OutputContext.of(answer))).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(back.findings()).allSatisfy(f -> assertThat(f.detail()).doesNotContain("jane"));
    // another conversation or tenant gets nothing back
    assertThat(restore.check(new OutputContext(answer, "", List.of(), List.of(), "acme",
        Map.of("conversation_id", "c2")))).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(restore.check(new OutputContext(answer, "", List.of(), List.of(), "other",
        Map.of("conversation_id", "c1")))).isInstanceOf(GuardVerdict.Pass.class);
    // the same value keeps its pseudonym later in the conversation
    GuardVerdict.Rewrite again = (GuardVerdict.Rewrite) guard.check(new InputContext("Still jane@example.com",
        List.of(), "acme", Map.of("conversation_id", "c1")));
    assertThat(again.text()).isEqualTo("Still <EMAIL_ADDRESS_1>");
  }

  @Test
  void actionsBlockOrReportWithoutRevealingTheValue() {
    String text = "My SSN is 078-05-1121";
    GuardVerdict blocked = PiiGuard.builder().action(PiiAction.BLOCK).build().check(InputContext.of(text));
    assertThat(blocked).isInstanceOf(GuardVerdict.Block.class);
    assertThat(((GuardVerdict.Block) blocked).safeMessage()).doesNotContain("078").doesNotContain("SSN");
    GuardVerdict passed = PiiGuard.builder().action(PiiAction.PASS).build().check(InputContext.of(text));
    assertThat(passed).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(passed.findings()).hasSize(1);
    Finding f = passed.findings().get(0);
    assertThat(f.type()).isEqualTo(PiiEntities.US_SSN);
    assertThat(f.span()).isNotNull();
    assertThat(f.span().of(text)).isEqualTo("078-05-1121");
    assertThat(f.detail()).doesNotContain("078").doesNotContain("1121");
    assertThat(passed.riskScore()).isEqualTo(f.score());
    assertThat(PiiGuard.defaults().check(InputContext.of("nothing here"))).isEqualTo(GuardVerdict.pass());
  }

  @Test
  void worksAsAnOutputGuard() {
    GuardVerdict v = PiiGuard.defaults().check(OutputContext.of("Her e-mail is jane@example.com."));
    assertThat(v).isInstanceOf(GuardVerdict.Rewrite.class);
    assertThat(((GuardVerdict.Rewrite) v).text()).isEqualTo("Her e-mail is <EMAIL_ADDRESS>.");
  }

  @Test
  void spansPointIntoTheOriginalTextThroughFolding() {
    // full-width digits and a zero-width space inside the number are folded for matching only
    String text = "card ４１１１ 1111\u200B 1111 1111 ok";
    List<PiiMatch> found = PiiGuard.defaults().analyze(text);
    assertThat(found).hasSize(1);
    assertThat(text.substring(found.get(0).start(), found.get(0).end())).isEqualTo("４１１１ 1111\u200B 1111 1111");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> PiiGuard.builder().minScore(1.5)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> PiiGuard.builder().regions(List.of("ZZ"))).hasMessageContaining("ZZ");
    assertThatThrownBy(() -> PiiGuard.builder().entities(Set.of("email"))).hasMessageContaining("email");
    assertThatThrownBy(() -> PiiGuard.builder().operator("credit card", PiiOperator.MASK))
        .hasMessageContaining("credit card");
    assertThatThrownBy(() -> PiiGuard.builder().hashKey("short")).hasMessageContaining("5");
    assertThatThrownBy(() -> PiiGuard.builder().maskChar('x')).hasMessageContaining("x");
    assertThatThrownBy(() -> PiiGuard.builder().contextWords("US_SSN", List.of("two words")))
        .hasMessageContaining("two words");
    assertThatThrownBy(() -> PiiGuard.builder().defaultOperator(PiiOperator.PSEUDONYMIZE).build())
        .hasMessageContaining("vault");
    assertThatThrownBy(() -> PiiGuard.builder().operator(PiiEntities.EMAIL_ADDRESS, PiiOperator.HASH).build())
        .hasMessageContaining("hashKey");
  }
}
