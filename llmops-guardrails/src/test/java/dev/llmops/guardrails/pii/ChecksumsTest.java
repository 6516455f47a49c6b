package dev.llmops.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChecksumsTest {

  @Test
  void luhnAcceptsValidCardNumbersAndRejectsOneWrongDigit() {
    assertThat(Checksums.luhn("4111111111111111")).isTrue();
    assertThat(Checksums.luhn("4111 1111 1111 1111")).isTrue();
    assertThat(Checksums.luhn("378282246310005")).isTrue(); // Amex test number
    assertThat(Checksums.luhn("5555555555554444")).isTrue();
    assertThat(Checksums.luhn("4111111111111112")).isFalse();
    assertThat(Checksums.luhn("378282246310006")).isFalse();
    assertThat(Checksums.luhn("")).isFalse();
    assertThat(Checksums.luhn("abc")).isFalse();
  }

  @Test
  void ibanNeedsTheCountryLengthAndMod97() {
    assertThat(Checksums.iban("GB82WEST12345698765432")).isTrue();
    assertThat(Checksums.iban("gb82west12345698765432")).isTrue();
    assertThat(Checksums.iban("DE89370400440532013000")).isTrue();
    assertThat(Checksums.iban("NO9386011117947")).isTrue();
    assertThat(Checksums.iban("GB82WEST12345698765433")).as("one digit changed").isFalse();
    assertThat(Checksums.iban("GB82WEST1234569876543")).as("one short of GB's 22").isFalse();
    assertThat(Checksums.iban("DE8937040044053201300")).as("one short of DE's 22").isFalse();
    assertThat(Checksums.iban("XX82WEST12345698765432")).as("not a country with IBANs").isFalse();
    assertThat(Checksums.iban("GBX2WEST12345698765432")).as("letter in the check digits").isFalse();
    assertThat(Checksums.ibanLength("FR")).isEqualTo(27);
    assertThat(Checksums.ibanLength("US")).isZero();
  }

  @Test
  void ssnRejectsImpossibleAreasGroupsAndSerials() {
    assertThat(Checksums.ssn("123", "45", "6780")).isTrue();
    assertThat(Checksums.ssn("899", "45", "6780")).isTrue();
    assertThat(Checksums.ssn("000", "45", "6780")).as("area 000").isFalse();
    assertThat(Checksums.ssn("666", "45", "6780")).as("area 666").isFalse();
    assertThat(Checksums.ssn("900", "45", "6780")).as("area 9xx").isFalse();
    assertThat(Checksums.ssn("999", "45", "6780")).as("area 9xx").isFalse();
    assertThat(Checksums.ssn("123", "00", "6780")).as("group 00").isFalse();
    assertThat(Checksums.ssn("123", "45", "0000")).as("serial 0000").isFalse();
    assertThat(Checksums.ssn("078", "05", "1120")).as("the Woolworth wallet number").isFalse();
    assertThat(Checksums.ssn("111", "11", "1111")).as("one digit repeated").isFalse();
  }

  @Test
  void ipv6ParsingFollowsTheGroupRules() {
    assertThat(Recognizers.ipv6("2001:db8:85a3:0:0:8a2e:370:7334")).isTrue();
    assertThat(Recognizers.ipv6("2001:db8::8a2e:370:7334")).isTrue();
    assertThat(Recognizers.ipv6("::1")).isTrue();
    assertThat(Recognizers.ipv6("fe80::1")).isTrue();
    assertThat(Recognizers.ipv6("::ffff:192.0.2.128")).isTrue();
    assertThat(Recognizers.ipv6("2001:db8::1::2")).as("two ::").isFalse();
    assertThat(Recognizers.ipv6("2001:db8:85a3:0:0:8a2e:370")).as("seven groups without ::").isFalse();
    assertThat(Recognizers.ipv6("12345::1")).as("five hex digits").isFalse();
    assertThat(Recognizers.ipv6("dead::beef")).as("no digit: prose, not an address").isFalse();
    assertThat(Recognizers.ipv6("10:30:00")).isFalse();
  }
}
