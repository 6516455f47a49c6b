package dev.llmops.guardrails.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in recognizers for the structured entity types. Each runs over the folded (lower-cased, NFKC,
 * invisible characters removed) text and yields candidates with a base score; context words and overlap
 * resolution happen in {@link PiiGuard}.
 *
 * <p>Every pattern is linear on adversarial input: runs are bounded, possessive where a following failure could
 * otherwise backtrack, and anchored by a look-behind that only lets a candidate start at the beginning of a run
 * of its characters, so a 100 KB run of digits, dots, {@code @} or hex is tried from one position, not from each.
 * Immutable and safe to share.
 */
final class Recognizers {

  private static final Pattern EMAIL = Pattern.compile(
      "(?<![a-z0-9._%+\\-])[a-z0-9_%+\\-](?:[a-z0-9._%+\\-]{0,63}+)@"
      + "((?:[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?\\.){1,8})([a-z]{2,24})(?![a-z0-9\\-])");

  private static final Pattern URL = Pattern.compile(
      "(?<![a-z0-9@._\\-])(?:https?://|www\\.)[^\\s<>\"'`{}|\\\\^]{1,2048}+");

  private static final Pattern DOMAIN = Pattern.compile(
      "(?<![a-z0-9@._\\-/])((?:[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?\\.){1,6})([a-z]{2,24})(?![a-z0-9@_\\-]|\\.[a-z0-9])");

  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

  private static final Pattern IPV4 = Pattern.compile(
      "(?<![a-z0-9._\\-])" + OCTET + "(?:\\." + OCTET + "){3}(?![a-z0-9_\\-]|\\.[0-9])");

  private static final Pattern IPV6_CANDIDATE = Pattern.compile(
      "(?<![a-z0-9_:.])[0-9a-f:.]{2,45}+(?![a-z0-9_:])");

  private static final Pattern CARD_RUN = Pattern.compile("(?<![a-z0-9\\-.+])[0-9](?:[ \\-]?+[0-9]){11,40}+(?![0-9])");

  private static final Pattern IBAN_START = Pattern.compile("(?<![a-z0-9])[a-z]{2}[0-9]{2}(?= ?[a-z0-9])");

  private static final Pattern SSN = Pattern.compile(
      "(?<![0-9\\-.])([0-9]{3})([\\- .]?)([0-9]{2})\\2([0-9]{4})(?![0-9]|[\\-.][0-9])");

  private static final String MONTH =
      "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
      + "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

  private static final Pattern ISO_DATE = Pattern.compile(
      "(?<![0-9\\-/.])([12][0-9]{3})([\\-/])([0-9]{1,2})\\2([0-9]{1,2})"
      + "(?:(?:t| )([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.[0-9]{1,9})?)?(?:z|[+\\-][0-9]{2}:?[0-9]{2})?)?"
      + "(?![0-9]|[\\-/.:][0-9])");

  private static final Pattern NUMERIC_DATE = Pattern.compile(
      "(?<![0-9\\-/.])([0-9]{1,2})([\\-/.])([0-9]{1,2})\\2([0-9]{4}|[0-9]{2})(?![0-9]|[\\-/.:][0-9])");

  private static final Pattern NAMED_DATE = Pattern.compile(
      "\\b(?:(?:" + MONTH + "\\.?\\s{1,3}[0-9]{1,2}(?:st|nd|rd|th)?(?:,?\\s{1,3}[12][0-9]{3})?)"
      + "|(?:[0-9]{1,2}(?:st|nd|rd|th)?\\s{1,3}(?:of\\s{1,3})?" + MONTH + "\\.?(?:,?\\s{1,3}[12][0-9]{3})?)"
      + "|(?:" + MONTH + "\\.?,?\\s{1,3}[12][0-9]{3}))(?![0-9a-z])");

  private static final Pattern WEEKDAY = Pattern.compile("\\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\\b");

  private static final Pattern TIME = Pattern.compile(
      "(?<![0-9:.])(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?:\\s?[ap]\\.?m\\b\\.?)?(?![0-9]|[:.][0-9])"
      + "|\\b(?:1[0-2]|0?[1-9])\\s?[ap]\\.?m\\b\\.?");

  private static final Pattern YEAR = Pattern.compile(
      "(?<![\\p{L}0-9_$#€£.,/:+\\-])(1[6-9][0-9]{2}|20[0-9]{2})(?![\\p{L}0-9_/:+\\-%]|[.,][0-9])");

  /** Words that, right before a bare year, make it a date. */
  private static final Set<String> YEAR_PREPOSITIONS = Set.of("in", "since", "during", "until", "till", "by", "from",
      "of", "circa", "around", "before", "after", "between", "and", "a", "an", "early", "late", "mid", "year", "spring",
      "summer", "autumn", "fall", "winter", "born", "founded", "established");

  /** Words that, right after a bare year, make it a date ("a 1997 film"). */
  private static final Set<String> YEAR_FOLLOWERS = Set.of("film", "movie", "album", "song", "season", "novel",
      "book", "election", "census", "edition", "olympics", "world", "cup", "show", "series");

  private static final Pattern DRIVER_LICENSE = Pattern.compile(
      "(?<![a-z0-9\\-])(?:[a-z]{1,2}[0-9]{5,14}|[0-9]{7,12}|[0-9]{2,4}-[0-9]{2,3}-[0-9]{3,5}"
      + "|[a-z][0-9]{3}-[0-9]{3,4}-[0-9]{3,4}(?:-[0-9]{1,3})?)(?![a-z0-9]|-[a-z0-9])");

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  /**
   * A run of the characters phone numbers are written with, at most 64 long: longer runs are cut into pieces,
   * so a number straddling a cut in a very long run of digits is missed.
   */
  private static final Pattern PHONE_RUN = Pattern.compile("[+(]?[0-9][0-9()./\\- \u00a0x+]{0,63}+");

  /**
   * The most characters of distinct digit runs one text sends through libphonenumber (about 1,000 phone numbers'
   * worth); a text with more, which only digit dumps and hostile input have, is not searched for further phone
   * numbers, so no text costs more than about a second of phone parsing.
   */
  static final int PHONE_BUDGET_CHARS = 16_384;

  private final List<String> regions;

  Recognizers(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  /** The candidates of the types in {@code types} found in {@code text} (already folded). */
  List<Candidate> find(String text, Set<String> types) {
    List<Candidate> out = new ArrayList<>();
    if (types.contains(PiiEntities.EMAIL_ADDRESS)) {
      emails(text, out);
    }
    if (types.contains(PiiEntities.URL) || types.contains(PiiEntities.DOMAIN_NAME)) {
      urls(text, out, types.contains(PiiEntities.URL) ? PiiEntities.URL : PiiEntities.DOMAIN_NAME);
    }
    if (types.contains(PiiEntities.DOMAIN_NAME)) {
      domains(text, out);
    }
    if (types.contains(PiiEntities.IP_ADDRESS)) {
      ips(text, out);
    }
    if (types.contains(PiiEntities.CREDIT_CARD)) {
      cards(text, out);
    }
    if (types.contains(PiiEntities.IBAN_CODE)) {
      ibans(text, out);
    }
    if (types.contains(PiiEntities.US_SSN)) {
      ssns(text, out);
    }
    if (types.contains(PiiEntities.DATE_TIME)) {
      dates(text, out);
    }
    if (types.contains(PiiEntities.US_DRIVER_LICENSE)) {
      driverLicenses(text, out);
    }
    if (types.contains(PiiEntities.PHONE_NUMBER)) {
      phones(text, out);
    }
    return out;
  }

  private static void emails(String text, List<Candidate> out) {
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      if (Tlds.isTld(m.group(2))) {
        out.add(new Candidate(PiiEntities.EMAIL_ADDRESS, m.start(), m.end(), 1.0, "address with a real top-level domain"));
      }
    }
  }

  private static void urls(String text, List<Candidate> out, String type) {
    Matcher m = URL.matcher(text);
    while (m.find()) {
      int end = m.end();
      while (end > m.start() && ".,;:!?)]}'\"*".indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      String url = text.substring(m.start(), end);
      int hostStart = url.startsWith("www.") ? 0 : url.indexOf("://") + 3;
      int hostEnd = hostStart;
      while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
        hostEnd++;
      }
      String host = url.substring(hostStart, hostEnd);
      int at = host.lastIndexOf('@');
      host = host.substring(at + 1);
      int colon = host.lastIndexOf(':');
      if (colon >= 0 && !host.startsWith("[")) {
        host = host.substring(0, colon);
      }
      if (validHost(host)) {
        boolean scheme = !url.startsWith("www.");
        out.add(new Candidate(type, m.start(), end, scheme ? 0.85 : 0.75, "link with a valid host"));
      }
    }
  }

  private static boolean validHost(String host) {
    if (host.equals("localhost") || IPV4.matcher(host).matches()) {
      return true;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      return ipv6(host.substring(1, host.length() - 1));
    }
    int dot = host.lastIndexOf('.');
    if (dot <= 0 || dot == host.length() - 1) {
      return false;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
        return false;
      }
    }
    return Tlds.isTld(host.substring(dot + 1));
  }

  private static void domains(String text, List<Candidate> out) {
    Matcher m = DOMAIN.matcher(text);
    while (m.find()) {
      String tld = m.group(2);
      if (!Tlds.isTld(tld)) {
        continue;
      }
      String labels = m.group(1);
      boolean www = labels.startsWith("www.");
      double score = www ? 0.75 : Tlds.isGeneric(tld) ? 0.5 : 0.35;
      out.add(new Candidate(PiiEntities.DOMAIN_NAME, m.start(), m.end(), score, "name with a real top-level domain"));
    }
  }

  private static void ips(String text, List<Candidate> out) {
    Matcher m = IPV4.matcher(text);
    while (m.find()) {
      // 1.2.3.4 is more often a version number than an address: single-digit octets need a context word
      boolean versionLike = m.end() - m.start() == 7;
      out.add(new Candidate(PiiEntities.IP_ADDRESS, m.start(), m.end(), versionLike ? 0.4 : 0.6, "valid IPv4 address"));
    }
    Matcher c = IPV6_CANDIDATE.matcher(text);
    while (c.find()) {
      int end = c.end();
      while (end > c.start() && text.charAt(end - 1) == '.') {
        end--;
      }
      String candidate = text.substring(c.start(), end);
      if (candidate.indexOf(':') >= 0 && ipv6(candidate)) {
        out.add(new Candidate(PiiEntities.IP_ADDRESS, c.start(), end, 0.6, "valid IPv6 address"));
      }
    }
  }

  /**
   * Whether {@code s} is an IPv6 address: eight groups of one to four hex digits, or fewer around one
   * {@code ::}, the last two groups optionally written as an IPv4 address. At least two groups must be
   * written out and at least one decimal digit must appear, unless the address is {@code ::1}, so that
   * {@code a::b} or {@code dead::beef} in prose is not an address.
   */
  static boolean ipv6(String s) {
    if (s.equals("::1")) {
      return true;
    }
    if (s.chars().noneMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    List<String> groups = new ArrayList<>();
    if (!head.isEmpty()) {
      groups.addAll(List.of(head.split(":", -1)));
    }
    if (!tail.isEmpty()) {
      groups.addAll(List.of(tail.split(":", -1)));
    }
    int count = 0;
    for (int i = 0; i < groups.size(); i++) {
      String g = groups.get(i);
      if (i == groups.size() - 1 && g.indexOf('.') >= 0) {
        if (!IPV4.matcher(g).matches()) {
          return false;
        }
        count += 2;
        continue;
      }
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      for (int j = 0; j < g.length(); j++) {
        if (Character.digit(g.charAt(j), 16) < 0) {
          return false;
        }
      }
      count++;
    }
    if (doubleColon >= 0) {
      return count <= 7 && count >= 2;
    }
    return count == 8;
  }

  private static void cards(String text, List<Candidate> out) {
    Matcher m = CARD_RUN.matcher(text);
    while (m.find()) {
      // The longest prefix of whole digit groups with 12 to 19 digits that passes Luhn: a card number followed by
      // more numbers ("4111 1111 1111 1111 12/29") is still found.
      // Printed card numbers come in groups of 3 to 6 digits (4-4-4-4, 4-6-5) or unseparated; runs of 1- and
      // 2-digit groups are hex bytes, dates and phone numbers.
      int digits = 0;
      int group = 0;
      int bestEnd = -1;
      for (int i = m.start(); i < m.end(); i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          continue;
        }
        digits++;
        group++;
        boolean groupEnd = i + 1 == m.end() || text.charAt(i + 1) < '0' || text.charAt(i + 1) > '9';
        if (digits > 19 || groupEnd && group < 3 || group > 6 && group != digits) {
          break;
        }
        if (groupEnd) {
          group = 0;
          if (digits >= 12 && Checksums.luhn(text.substring(m.start(), i + 1))) {
            bestEnd = i + 1;
          }
        }
      }
      char first = text.charAt(m.start());
      if (bestEnd > 0) {
        // issuers' numbers start with 1 to 6; others pass only with a context word such as "card"
        boolean issuer = first >= '1' && first <= '6';
        out.add(new Candidate(PiiEntities.CREDIT_CARD, m.start(), bestEnd, issuer ? 1.0 : 0.4,
            "Luhn-valid card number"));
      }
    }
  }

  private static void ibans(String text, List<Candidate> out) {
    Matcher m = IBAN_START.matcher(text);
    while (m.find()) {
      String country = text.substring(m.start(), m.start() + 2).toUpperCase(java.util.Locale.ROOT);
      int length = Checksums.ibanLength(country);
      if (length == 0) {
        continue;
      }
      StringBuilder compact = new StringBuilder(length);
      int i = m.start();
      while (i < text.length() && compact.length() < length) {
        char c = text.charAt(i);
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
          compact.append(c);
          i++;
        } else if (c == ' ' && i + 1 < text.length() && compact.length() > 0 && text.charAt(i - 1) != ' ') {
          i++;
        } else {
          break;
        }
      }
      boolean ends = i >= text.length() || !Character.isLetterOrDigit(text.charAt(i));
      if (compact.length() == length && ends && Checksums.iban(compact.toString())) {
        out.add(new Candidate(PiiEntities.IBAN_CODE, m.start(), i, 1.0, "IBAN with valid mod-97 check digits"));
      }
    }
  }

  private static void ssns(String text, List<Candidate> out) {
    Matcher m = SSN.matcher(text);
    while (m.find()) {
      if (Checksums.ssn(m.group(1), m.group(3), m.group(4))) {
        String sep = m.group(2);
        double score = sep.equals("-") ? 0.5 : sep.isEmpty() ? 0.3 : 0.4;
        out.add(new Candidate(PiiEntities.US_SSN, m.start(), m.end(), score, "number with a valid SSN area, group and serial"));
      }
    }
  }

  private static void dates(String text, List<Candidate> out) {
    Matcher iso = ISO_DATE.matcher(text);
    while (iso.find()) {
      int month = Integer.parseInt(iso.group(3));
      int day = Integer.parseInt(iso.group(4));
      boolean time = iso.group(5) == null
          || Integer.parseInt(iso.group(5)) < 24 && Integer.parseInt(iso.group(6)) < 60
          && (iso.group(7) == null || Integer.parseInt(iso.group(7)) < 61);
      if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && time) {
        out.add(new Candidate(PiiEntities.DATE_TIME, iso.start(), iso.end(), 0.85, "valid calendar date"));
      }
    }
    Matcher num = NUMERIC_DATE.matcher(text);
    while (num.find()) {
      int a = Integer.parseInt(num.group(1));
      int b = Integer.parseInt(num.group(3));
      boolean valid = a >= 1 && b >= 1 && (a <= 12 && b <= 31 || b <= 12 && a <= 31);
      if (valid) {
        boolean fullYear = num.group(4).length() == 4;
        double score = fullYear ? (num.group(2).equals("/") ? 0.6 : 0.5) : 0.4;
        out.add(new Candidate(PiiEntities.DATE_TIME, num.start(), num.end(), score, "valid numeric date"));
      }
    }
    Matcher named = NAMED_DATE.matcher(text);
    while (named.find()) {
      out.add(new Candidate(PiiEntities.DATE_TIME, named.start(), named.end(), 0.75, "date with a month name"));
    }
    Matcher weekday = WEEKDAY.matcher(text);
    while (weekday.find()) {
      out.add(new Candidate(PiiEntities.DATE_TIME, weekday.start(), weekday.end(), 0.6, "day of the week"));
    }
    Matcher time = TIME.matcher(text);
    while (time.find()) {
      out.add(new Candidate(PiiEntities.DATE_TIME, time.start(), time.end(), 0.5, "time of day"));
    }
    Matcher year = YEAR.matcher(text);
    while (year.find()) {
      String before = lastWord(text, year.start());
      String after = nextWord(text, year.end());
      boolean dated = YEAR_PREPOSITIONS.contains(before) || YEAR_FOLLOWERS.contains(after);
      out.add(new Candidate(PiiEntities.DATE_TIME, year.start(), year.end(), dated ? 0.6 : 0.3,
          dated ? "year after a time preposition" : "bare year"));
    }
  }

  private static void driverLicenses(String text, List<Candidate> out) {
    Matcher m = DRIVER_LICENSE.matcher(text);
    while (m.find()) {
      out.add(new Candidate(PiiEntities.US_DRIVER_LICENSE, m.start(), m.end(), 0.4, "license-shaped number"));
    }
  }

  private void phones(String text, List<Candidate> out) {
    Map<Long, Candidate> best = new HashMap<>();
    // runs repeat in tables and in hostile input; each distinct snippet goes through libphonenumber once
    Map<String, List<Candidate>> seen = new HashMap<>();
    int budget = PHONE_BUDGET_CHARS;
    Matcher run = PHONE_RUN.matcher(text);
    while (run.find()) {
      int digits = 0;
      for (int i = run.start(); i < run.end(); i++) {
        char c = text.charAt(i);
        if (c >= '0' && c <= '9') {
          digits++;
        }
      }
      if (digits < 7) {
        continue;
      }
      int from = Math.max(0, run.start() - 2);
      int to = Math.min(text.length(), run.end() + 2);
      String snippet = text.substring(from, to);
      if (!seen.containsKey(snippet)) {
        if (budget < snippet.length()) {
          continue; // past the budget: digit noise this dense is not prose with phone numbers in it
        }
        budget -= snippet.length();
      }
      for (Candidate c : seen.computeIfAbsent(snippet, this::phonesIn)) {
        long key = ((long) (from + c.start()) << 32) | (from + c.end());
        Candidate known = best.get(key);
        if (known == null || known.score() < c.score()) {
          best.put(key, new Candidate(c.type(), from + c.start(), from + c.end(), c.score(), c.how()));
        }
      }
    }
    out.addAll(best.values());
  }

  /**
   * libphonenumber over one run of phone characters and two characters either side (its matcher rejects numbers
   * glued to letters), with offsets into the snippet. Bounded runs instead of the whole text keep the cost linear:
   * on 100 KB of digits and dots its matcher is slow enough per region to matter.
   */
  private List<Candidate> phonesIn(String snippet) {
    Map<Long, Candidate> best = new HashMap<>();
    for (String region : regions) {
      for (PhoneNumberMatch match : PHONES.findNumbers(snippet, region, PhoneNumberUtil.Leniency.POSSIBLE,
          Long.MAX_VALUE)) {
        String raw = match.rawString();
        int digits = 0;
        boolean grouped = false;
        for (int i = 0; i < raw.length(); i++) {
          char c = raw.charAt(i);
          if (c >= '0' && c <= '9') {
            digits++;
          } else if (digits > 0 && i + 1 < raw.length()) {
            grouped = true;
          }
        }
        if (digits < 7) {
          continue; // house numbers, zip codes and counts are "possible" numbers too
        }
        boolean international = raw.startsWith("+");
        boolean valid = PHONES.isValidNumber(match.number());
        double score;
        String how;
        if (valid) {
          score = international ? 0.5 : grouped ? 0.45 : 0.4;
          how = "valid phone number";
        } else {
          score = international ? 0.4 : 0.3;
          how = "possible phone number";
        }
        long key = ((long) match.start() << 32) | match.end();
        Candidate known = best.get(key);
        if (known == null || known.score() < score) {
          best.put(key, new Candidate(PiiEntities.PHONE_NUMBER, match.start(), match.end(), score, how));
        }
      }
    }
    return List.copyOf(best.values());
  }

  /** The word (letters only) that ends right before {@code pos}, skipping spaces, or "" when there is none. */
  static String lastWord(String text, int pos) {
    int end = pos;
    while (end > 0 && end > pos - 8 && text.charAt(end - 1) == ' ') {
      end--;
    }
    int start = end;
    while (start > 0 && end - start < 24 && Character.isLetter(text.charAt(start - 1))) {
      start--;
    }
    return text.substring(start, end);
  }

  /** The word (letters only) that starts right after {@code pos}, skipping spaces, or "" when there is none. */
  static String nextWord(String text, int pos) {
    int start = pos;
    while (start < text.length() && start < pos + 8 && text.charAt(start) == ' ') {
      start++;
    }
    int end = start;
    while (end < text.length() && end - start < 24 && Character.isLetter(text.charAt(end))) {
      end++;
    }
    return text.substring(start, end);
  }
}
