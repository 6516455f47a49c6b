package dev.llmops.guardrails.pii;

import java.util.Locale;
import java.util.Map;

/** The check digits and number rules the structured recognizers validate candidates with. */
final class Checksums {

  /** IBAN length per country (ISO 13616 registry, SWIFT release 2024), the two-letter code included. */
  private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
      Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
      Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BI", 27),
      Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28),
      Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
      Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FK", 18),
      Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23),
      Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28),
      Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26), Map.entry("IT", 27),
      Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28), Map.entry("LC", 32),
      Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("LY", 25),
      Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20),
      Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28), Map.entry("NL", 18),
      Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29),
      Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("RU", 33),
      Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19),
      Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25), Map.entry("SV", 28),
      Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
      Map.entry("VG", 24), Map.entry("XK", 20));

  private Checksums() {}

  /** Whether the digits of {@code number} (other characters ignored) pass the Luhn check; false without digits. */
  static boolean luhn(CharSequence number) {
    int sum = 0;
    int digits = 0;
    for (int i = number.length() - 1; i >= 0; i--) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (digits % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
    }
    return digits > 0 && sum % 10 == 0;
  }

  /** The IBAN length of the country {@code code} (upper case), or 0 for a country without IBANs. */
  static int ibanLength(String code) {
    return IBAN_LENGTHS.getOrDefault(code, 0);
  }

  /**
   * Whether {@code iban} (letters and digits only, any case) has its country's length and passes ISO 7064
   * mod 97-10: the first four characters moved to the end, letters as 10..35, the number modulo 97 is 1.
   */
  static boolean iban(String iban) {
    String s = iban.toUpperCase(Locale.ROOT);
    if (s.length() < 5 || ibanLength(s.substring(0, 2)) != s.length()) {
      return false;
    }
    if (!Character.isDigit(s.charAt(2)) || !Character.isDigit(s.charAt(3))) {
      return false;
    }
    String rearranged = s.substring(4) + s.substring(0, 4);
    int mod = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        mod = (mod * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        mod = (mod * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return mod == 1;
  }

  /**
   * Whether area, group and serial form a possible US social security number: the area is not 000, 666 or
   * 900-999, the group not 00, the serial not 0000, and the number is not one of the advertising samples
   * (078-05-1120, 219-09-9999) or a run of one digit.
   */
  static boolean ssn(String area, String group, String serial) {
    if (area.length() != 3 || group.length() != 2 || serial.length() != 4) {
      return false;
    }
    if (area.equals("000") || area.equals("666") || area.charAt(0) == '9') {
      return false;
    }
    if (group.equals("00") || serial.equals("0000")) {
      return false;
    }
    String all = area + group + serial;
    if (all.equals("078051120") || all.equals("219099999")) {
      return false;
    }
    return !all.chars().allMatch(c -> c == all.charAt(0));
  }
}
