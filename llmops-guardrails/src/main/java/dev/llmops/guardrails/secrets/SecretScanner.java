package dev.llmops.guardrails.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in a text: format rules (regular expressions with bounded, mostly possessive repetition, then a
 * validation in code), PEM blocks found by plain string search, and a linear entropy scan. Immutable and
 * thread-safe; each scan is linear in the text length.
 */
final class SecretScanner {

  /** One secret: its type and the half-open UTF-16 range of the secret value in the scanned text. */
  record Hit(SecretType type, int start, int end) {}

  private interface Check {
    boolean accept(Matcher m, String text);
  }

  /**
   * A format rule. The pattern is tried only where one of its anchors occurs (found with {@link String#indexOf}, much
   * faster than letting the regex engine try every position), and must match starting there.
   */
  private record Rule(SecretType type, Pattern pattern, int group, boolean ignoreCase, List<String> anchors,
      Check check) {}

  private static final Check ANY = (m, t) -> true;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String B64URL = "[A-Za-z0-9_\\-]";

  private static final List<Rule> RULES = List.of(
      rule(SecretType.AWS_ACCESS_KEY,
          "(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z2-7]{16})(?![A-Za-z0-9])",
          1, false, List.of("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA"),
          ANY),
      rule(SecretType.AWS_SECRET_KEY,
          "(?i:secret_?access_?key|secret_?key|secret)[\"']?\\s{0,4}[:=]{1,2}+\\s{0,4}[\"']?([A-Za-z0-9/+]{40})"
              + "(?![A-Za-z0-9/+=])",
          1, true, List.of("secret"),
          (m, t) -> mixed(m.group(1), 3) && (m.group().regionMatches(true, 0, "secret_access", 0, 13)
              || m.group().regionMatches(true, 0, "secretaccess", 0, 12) || awsBefore(t, m.start()))),
      rule(SecretType.GCP_API_KEY, "(?<![A-Za-z0-9_\\-])(AIza" + B64URL + "{35})(?!" + B64URL + ")", 1, false,
          List.of("AIza"), ANY),
      rule(SecretType.AZURE_ACCOUNT_KEY,
          "(?i:AccountKey|SharedAccessKey)\\s{0,2}=\\s{0,2}([A-Za-z0-9+/]{40,100}+={0,2})", 1, true,
          List.of("accountkey", "sharedaccesskey"), ANY),
      rule(SecretType.AZURE_SAS_TOKEN, "(?<=[?&])sig=([A-Za-z0-9%+/]{30,150}+(?:%3[Dd]|=){0,2})", 1, false,
          List.of("sig="), SecretScanner::isSasUrl),
      rule(SecretType.GITHUB_TOKEN,
          "(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,251}+|github_pat_[A-Za-z0-9_]{22,251}+)(?![A-Za-z0-9_])", 1,
          false, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), ANY),
      rule(SecretType.GITLAB_TOKEN, "(?<![A-Za-z0-9_\\-])(glpat-[A-Za-z0-9_\\-]{20,64}+)(?![A-Za-z0-9_\\-])", 1,
          false, List.of("glpat-"), ANY),
      rule(SecretType.SLACK_TOKEN,
          "(?<![A-Za-z0-9_\\-])(xox[abposr]-[0-9]{6,16}+-[A-Za-z0-9\\-]{8,200}+"
              + "|xapp-[0-9]-[A-Z0-9]{8,16}+-[0-9]{8,16}+-[a-f0-9]{32,80}+)(?![A-Za-z0-9_])",
          1, false, List.of("xox", "xapp-"), ANY),
      rule(SecretType.SLACK_WEBHOOK,
          "(https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{20,200}+)", 1, false,
          List.of("https://hooks.slack.com/"), ANY),
      rule(SecretType.STRIPE_SECRET_KEY, "(?<![A-Za-z0-9_])((?:sk|rk)_live_[A-Za-z0-9]{20,247}+)(?![A-Za-z0-9_])", 1,
          false, List.of("sk_live_", "rk_live_"), ANY),
      rule(SecretType.STRIPE_TEST_KEY, "(?<![A-Za-z0-9_])((?:sk|rk)_test_[A-Za-z0-9]{20,247}+)(?![A-Za-z0-9_])", 1,
          false, List.of("sk_test_", "rk_test_"), ANY),
      rule(SecretType.STRIPE_PUBLISHABLE_KEY,
          "(?<![A-Za-z0-9_])(pk_live_[A-Za-z0-9]{20,247}+)(?![A-Za-z0-9_])", 1, false, List.of("pk_live_"), ANY),
      rule(SecretType.ANTHROPIC_API_KEY,
          "(?<![A-Za-z0-9_\\-])(sk-ant-" + B64URL + "{32,200}+)(?!" + B64URL + ")", 1, false, List.of("sk-ant-"),
          ANY),
      rule(SecretType.OPENAI_API_KEY,
          "(?<![A-Za-z0-9_\\-])(sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?" + B64URL + "{20,250}+)(?!" + B64URL + ")",
          1, false, List.of("sk-"), (m, t) -> isOpenAiKey(m.group(1))),
      rule(SecretType.JWT,
          "(?<![A-Za-z0-9_\\-])(eyJ" + B64URL + "{5,600}+\\.eyJ" + B64URL + "{2,8000}+\\." + B64URL
              + "{0,1400}+)(?![A-Za-z0-9_\\-])",
          1, false, List.of("eyJ"), (m, t) -> isJwtHeader(m.group(1))),
      rule(SecretType.URL_PASSWORD,
          "://[^\\s:/@?#\\[\\]\"'<>]{1,64}+:([^\\s/@?#\\[\\]\"'<>]{1,128}+)@(?=[A-Za-z0-9\\[])", 1, false,
          List.of("://"), (m, t) -> schemeBefore(t, m.start()) && !isPlaceholder(m.group(1))));

  /**
   * {@code password = "..."}, {@code "api_key": ...}, {@code client_secret: ...}: a key name ending in a secret-like
   * word, an assignment, and a quoted (group 2) or unquoted (group 3) value. Only the last word of the key name is
   * matched (a {@code key} must follow api, access, private or secret, checked in code), so the pattern is anchored
   * on a handful of literals.
   */
  private static final Pattern ASSIGNMENT = Pattern.compile(
      "(?i)(password|passwd|passphrase|pwd|secret|token|key)[\"']?\\s{0,4}(?::=|=(?!=)|:(?![:/]))"
          + "\\s{0,4}(?:[\"']([^\"'\\r\\n]{1,200}+)[\"']|([^\\s\"',;{}()\\[\\]<>]{1,200}+))");
  private static final List<String> ASSIGNMENT_ANCHORS =
      List.of("password", "passwd", "passphrase", "pwd", "secret", "token", "key");
  private static final String[] KEY_QUALIFIERS = {"api", "access", "private", "secret"};

  private static final Pattern PEM_BEGIN =
      Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,20}+ ){0,3}PRIVATE KEY(?: BLOCK)?-----");
  private static final Pattern OTHER_PEM_BEGIN =
      Pattern.compile("-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|PGP SIGNATURE"
          + "|PGP MESSAGE|CERTIFICATE REQUEST|X509 CRL|SSH2 PUBLIC KEY)-----");
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern IDENTIFIER_CHAIN =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,100}+(?:\\.[A-Za-z_][A-Za-z0-9_]{0,100}+){0,20}+");
  private static final String[] KEYWORDS = {
    "key", "token", "secret", "passw", "pwd", "credential", "auth", "bearer", "apikey", "api_key"
  };
  private static final String[] HASH_WORDS = {
    "sha", "md5", "hash", "checksum", "digest", "integrity", "commit", "etag", "uuid", "nonce", "fingerprint",
    "revision", "public", "ssh-", "ecdsa-"
  };
  private static final String[] HASH_PREFIXES = {
    "sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha384:", "sha512:", "md5:", "md5-", "h1:",
    "base64,"
  };
  private static final String[] PLACEHOLDER_WORDS = {
    "password", "passwd", "secret", "example", "changeme", "change_me", "your", "xxx", "***", "placeholder",
    "redacted", "dummy", "sample", "<", ">", "...", "${", "{{", "%(", "token", "here", "replace"
  };

  private final Set<SecretType> enabled;
  private final EntropyMode entropyMode;
  private final double keywordEntropy;
  private final double longEntropy;
  private final int longLength;
  private final int maxLongLength;

  SecretScanner(Set<SecretType> enabled, EntropyMode entropyMode, double keywordEntropy, double longEntropy,
      int longLength, int maxLongLength) {
    this.enabled = enabled.isEmpty() ? EnumSet.noneOf(SecretType.class) : EnumSet.copyOf(enabled);
    this.entropyMode = entropyMode;
    this.keywordEntropy = keywordEntropy;
    this.longEntropy = longEntropy;
    this.longLength = longLength;
    this.maxLongLength = maxLongLength;
  }

  private static Rule rule(SecretType type, String regex, int group, boolean ignoreCase, List<String> anchors,
      Check check) {
    return new Rule(type, Pattern.compile(regex), group, ignoreCase, anchors, check);
  }

  /** The positions where any of {@code anchors} occurs in {@code text}, ascending. */
  private static int[] occurrences(String text, List<String> anchors) {
    int[] found = new int[16];
    int n = 0;
    for (String a : anchors) {
      for (int i = text.indexOf(a); i >= 0; i = text.indexOf(a, i + 1)) {
        if (n == found.length) {
          found = Arrays.copyOf(found, n * 2);
        }
        found[n++] = i;
      }
    }
    int[] result = Arrays.copyOf(found, n);
    Arrays.sort(result);
    return result;
  }

  /** {@code text} with ASCII upper-case letters lowered (same length, so offsets stay valid). */
  private static String asciiLower(String text) {
    char[] c = text.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] >= 'A' && c[i] <= 'Z') {
        c[i] = (char) (c[i] + 32);
      }
    }
    return new String(c);
  }

  /** Runs {@code pattern} anchored at each occurrence, skipping occurrences inside an earlier match. */
  private static void eachMatch(String text, Pattern pattern, int[] at, Consumer<Matcher> action) {
    Matcher m = pattern.matcher(text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    int lastEnd = 0;
    for (int pos : at) {
      if (pos < lastEnd) {
        continue;
      }
      m.region(pos, text.length());
      if (m.lookingAt()) {
        lastEnd = Math.max(m.end(), pos + 1);
        action.accept(m);
      }
    }
  }

  /** The secrets in {@code text}, in text order, without overlaps (the more specific, higher-scoring, longer one wins). */
  List<Hit> scan(String text) {
    List<Hit> hits = new ArrayList<>();
    List<int[]> pemRegions = new ArrayList<>();
    if (enabled.contains(SecretType.PRIVATE_KEY) || enabled.contains(SecretType.GCP_SERVICE_ACCOUNT_KEY)) {
      privateKeys(text, hits, pemRegions);
    }
    String lower = asciiLower(text);
    for (Rule rule : RULES) {
      if (!enabled.contains(rule.type())) {
        continue;
      }
      int[] at = occurrences(rule.ignoreCase() ? lower : text, rule.anchors());
      eachMatch(text, rule.pattern(), at, m -> {
        if (rule.check().accept(m, text)) {
          hits.add(new Hit(rule.type(), m.start(rule.group()), m.end(rule.group())));
        }
      });
    }
    if (enabled.contains(SecretType.PASSWORD) || enabled.contains(SecretType.GENERIC_SECRET)) {
      assignments(text, lower, hits);
    }
    if (entropyMode != EntropyMode.OFF && enabled.contains(SecretType.HIGH_ENTROPY_STRING)) {
      otherPemBlocks(text, pemRegions);
      pemRegions.sort(Comparator.comparingInt((int[] r) -> r[0]));
      entropy(text, hits, pemRegions);
    }
    return withoutOverlaps(hits);
  }

  private void privateKeys(String text, List<Hit> hits, List<int[]> regions) {
    Matcher m = PEM_BEGIN.matcher(text);
    int nextEnd = -2; // -2: not searched yet; -1: no end line after the last search point
    int searchedFrom = 0;
    while (m.find()) {
      int bodyStart = m.end();
      if (nextEnd != -1 && (nextEnd == -2 || nextEnd < bodyStart)) {
        nextEnd = text.indexOf("-----END ", Math.max(bodyStart, searchedFrom));
        searchedFrom = nextEnd < 0 ? text.length() : nextEnd;
      }
      int end;
      if (nextEnd >= 0 && nextEnd - bodyStart <= 16_384 && !containsBegin(text, bodyStart, nextEnd)) {
        int close = text.indexOf("-----", nextEnd + 9);
        end = close < 0 || close - nextEnd > 80 ? nextEnd + 9 : close + 5;
      } else {
        end = base64BodyEnd(text, bodyStart);
      }
      if (base64Chars(text, bodyStart, end, 64) < 64) {
        regions.add(new int[] {m.start(), end});
        continue; // a documentation example: BEGIN and END lines around a short filler body
      }
      boolean serviceAccount = text.substring(Math.max(0, m.start() - 40), m.start()).contains("\"private_key\"");
      SecretType type = serviceAccount ? SecretType.GCP_SERVICE_ACCOUNT_KEY : SecretType.PRIVATE_KEY;
      if (enabled.contains(type)) {
        hits.add(new Hit(type, m.start(), end));
      }
      regions.add(new int[] {m.start(), end});
      if (end > m.end()) {
        m.region(end, text.length());
      }
    }
  }

  /** The number of base64 characters in {@code [from, to)}, counting no further than {@code enough}. */
  private static int base64Chars(String text, int from, int to, int enough) {
    int count = 0;
    for (int i = from; i < to && count < enough; i++) {
      char c = text.charAt(i);
      if (isBase64(c) && !(c == 'n' && i > 0 && text.charAt(i - 1) == '\\')) {
        count++;
      }
    }
    return count;
  }

  private static boolean containsBegin(String text, int from, int to) {
    int b = text.indexOf("-----BEGIN", from);
    return b >= 0 && b < to;
  }

  /** The end of a PEM body without an end line: base64 characters, whitespace and JSON's escaped line breaks. */
  private static int base64BodyEnd(String text, int from) {
    int i = from;
    int limit = Math.min(text.length(), from + 16_384);
    int lastBody = from;
    while (i < limit) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < limit && text.charAt(i + 1) == 'n') {
        i += 2;
      } else if (isBase64(c) || c == '=') {
        i++;
        lastBody = i;
      } else if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
        i++;
      } else {
        break;
      }
    }
    return lastBody;
  }

  private static void otherPemBlocks(String text, List<int[]> regions) {
    Matcher m = OTHER_PEM_BEGIN.matcher(text);
    while (m.find()) {
      int end = base64BodyEnd(text, m.end());
      regions.add(new int[] {m.start(), end});
      m.region(end, text.length());
    }
  }

  private void assignments(String text, String lower, List<Hit> hits) {
    eachMatch(text, ASSIGNMENT, occurrences(lower, ASSIGNMENT_ANCHORS), m -> {
      String keyword = m.group(1).toLowerCase(Locale.ROOT);
      boolean quoted = m.group(2) != null;
      int group = quoted ? 2 : 3;
      String value = m.group(group);
      if (keyword.equals("key") && !qualifiedKey(lower, m.start(1))) {
        return;
      }
      if (keywordIsPartOfLongerWord(text, m.start(1)) || !plausibleSecretValue(value, quoted, keyword)) {
        return;
      }
      boolean password = keyword.startsWith("pass") || keyword.equals("pwd");
      SecretType type = password ? SecretType.PASSWORD : SecretType.GENERIC_SECRET;
      if (enabled.contains(type)) {
        hits.add(new Hit(type, m.start(group), m.end(group)));
      }
    });
  }

  /** Whether "key" at {@code keyStart} ends a name like api_key, apiKey, access-key, private_key or SECRET_KEY. */
  private static boolean qualifiedKey(String lower, int keyStart) {
    int end = keyStart;
    if (end > 0 && (lower.charAt(end - 1) == '_' || lower.charAt(end - 1) == '-')) {
      end--;
    }
    for (String q : KEY_QUALIFIERS) {
      if (end >= q.length() && lower.startsWith(q, end - q.length())) {
        return true;
      }
    }
    return false;
  }

  /** Whether "aws" (optionally followed by _ or -) ends just before {@code pos}. */
  private static boolean awsBefore(String text, int pos) {
    int end = pos;
    if (end > 0 && (text.charAt(end - 1) == '_' || text.charAt(end - 1) == '-')) {
      end--;
    }
    return end >= 3 && text.regionMatches(true, end - 3, "aws", 0, 3);
  }

  /** Whether a URL scheme ({@code postgres}, {@code amqp+ssl}) ends just before {@code pos}. */
  private static boolean schemeBefore(String text, int pos) {
    int start = pos;
    while (start > 0 && pos - start <= 21 && isSchemeChar(text.charAt(start - 1))) {
      start--;
    }
    return pos - start >= 2 && pos - start <= 21 && Character.isLetter(text.charAt(start))
        && (start == 0 || !isSchemeChar(text.charAt(start - 1)));
  }

  private static boolean isSchemeChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '.'
        || c == '-';
  }

  /** "secretary", "tokenizer" end elsewhere; this rejects names like "mytokenless" that merely contain the word. */
  private static boolean keywordIsPartOfLongerWord(String text, int keywordStart) {
    if (keywordStart == 0) {
      return false;
    }
    char before = text.charAt(keywordStart - 1);
    // "DB_PASSWORD", "db-password", "apiKey", "x.secret" are key names; "passwordless_token" etc. are handled by
    // the keyword being the end of the name; a lower-case letter before a lower-case keyword ("broken" + "token")
    // means an ordinary word.
    return Character.isLowerCase(before) && Character.isLowerCase(text.charAt(keywordStart));
  }

  static boolean plausibleSecretValue(String raw, boolean quoted, String keyword) {
    String value = raw.strip();
    if (value.length() < 6 || value.length() > 200) {
      return false;
    }
    if (isPlaceholder(value)) {
      return false;
    }
    char first = value.charAt(0);
    if ("$%{<!@&*#`\\".indexOf(first) >= 0) {
      return false; // references and templating: ${DB_PASSWORD}, %(pwd)s, !vault, @Value, `cmd`
    }
    if (value.indexOf(' ') >= 0 || value.indexOf('\t') >= 0) {
      return false; // labels and prose ("Enter your password"), not secrets
    }
    if (IDENTIFIER_CHAIN.matcher(value).matches() && !(quoted && hasDigit(value) && hasLetter(value))) {
      return false; // os.environ, settings.API_KEY, getPassword, None, "DB_PASSWORD"
    }
    boolean digitsOnly = value.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digitsOnly && !(keyword.startsWith("pass") || keyword.equals("pwd"))) {
      return false; // max_token=4096
    }
    if (value.startsWith("http://") || value.startsWith("https://") || value.startsWith("/")) {
      return false; // token_url=https://..., key paths
    }
    return true;
  }

  private static boolean isPlaceholder(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    for (String w : PLACEHOLDER_WORDS) {
      if (v.contains(w)) {
        return true;
      }
    }
    int distinct = (int) v.chars().distinct().count();
    return distinct <= 2; // "xxxxxxxx", "********", "aaaaaa"
  }

  private void entropy(String text, List<Hit> hits, List<int[]> excluded) {
    int n = text.length();
    int i = 0;
    int region = 0;
    while (i < n) {
      if (!isTokenChar(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isTokenChar(text.charAt(i))) {
        i++;
      }
      int end = i;
      int length = end - start;
      if (length < 20) {
        continue;
      }
      while (region < excluded.size() && excluded.get(region)[1] <= start) {
        region++;
      }
      if (region < excluded.size() && excluded.get(region)[0] <= start) {
        continue;
      }
      classify(text, start, end, hits);
    }
  }

  private void classify(String text, int start, int end, List<Hit> hits) {
    int length = end - start;
    if (startsWithHashPrefix(text, start)) {
      return;
    }
    String token = text.substring(start, end);
    if (UUID.matcher(token).matches()) {
      return;
    }
    boolean hex = isHex(token);
    if (!hex && wordLike(token)) {
      return; // identifiers such as answers500WhenNoScriptIsLeft or all-minilm-l6-v2-tokenizer
    }
    boolean nearKeyword = length <= 512 && nearKeyword(text, start);
    if (nearKeyword) {
      double h = shannon(token);
      if (hex ? length >= 32 && h >= 3.0 : h >= Math.min(keywordEntropy, 0.8 * log2(length)) && mixed(token, 2)
          && hasDigit(token)) {
        hits.add(new Hit(SecretType.HIGH_ENTROPY_STRING, start, end));
      }
      return;
    }
    if (entropyMode != EntropyMode.NEAR_KEYWORD_OR_LONG || hex || length < longLength || length > maxLongLength) {
      return;
    }
    if (hashContext(text, start) || token.indexOf('/') >= 0 && looksLikePath(token)) {
      return;
    }
    if (isBlobLine(text, start, end)) {
      return;
    }
    if (counts(token)[0] >= 2 && counts(token)[1] >= 2 && counts(token)[2] >= 2 && shannon(token) >= longEntropy) {
      hits.add(new Hit(SecretType.HIGH_ENTROPY_STRING, start, end));
    }
  }

  private static boolean startsWithHashPrefix(String text, int start) {
    for (String p : HASH_PREFIXES) {
      if (text.regionMatches(true, start, p, 0, p.length())) {
        return true;
      }
      int before = start - p.length();
      if (before >= 0 && text.regionMatches(true, before, p, 0, p.length())) {
        return true;
      }
    }
    return false;
  }

  /** Whether a secret-like word and no hash-like word occurs in the 48 characters before {@code start} on its line. */
  private static boolean nearKeyword(String text, int start) {
    int from = Math.max(0, start - 48);
    int nl = text.lastIndexOf('\n', start - 1);
    if (nl >= from) {
      from = nl + 1;
    }
    String before = text.substring(from, start).toLowerCase(Locale.ROOT);
    boolean keyword = false;
    for (String k : KEYWORDS) {
      if (before.contains(k)) {
        keyword = true;
        break;
      }
    }
    if (!keyword) {
      return false;
    }
    for (String w : HASH_WORDS) {
      if (before.contains(w)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether at least 40% of the token's letters are in word-like pieces: runs of four or more letters (split at
   * lower-to-upper case changes) with a vowel and no four consonants in a row, as in {@code answersWhenNoScript}.
   * Random strings rarely have such runs. Alphabet runs ({@code ABCDEFG...}) count as word-like too.
   */
  static boolean wordLike(String token) {
    int letters = 0;
    int wordChars = 0;
    int sequential = 0;
    int i = 0;
    int n = token.length();
    for (int k = 1; k < n; k++) {
      if (token.charAt(k) == token.charAt(k - 1) + 1) {
        sequential++;
      }
    }
    if (sequential * 2 >= n) {
      return true;
    }
    while (i < n) {
      if (!Character.isLetter(token.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      i++;
      while (i < n && Character.isLetter(token.charAt(i))
          && !(Character.isUpperCase(token.charAt(i)) && Character.isLowerCase(token.charAt(i - 1)))) {
        i++;
      }
      int len = i - start;
      letters += len;
      if (len >= 4 && pronounceable(token, start, i)) {
        wordChars += len;
      }
    }
    return letters > 0 && wordChars * 10 >= letters * 4;
  }

  private static boolean pronounceable(String s, int from, int to) {
    boolean vowel = false;
    int consonants = 0;
    for (int k = from; k < to; k++) {
      if ("aeiouyAEIOUY".indexOf(s.charAt(k)) >= 0) {
        vowel = true;
        consonants = 0;
      } else if (++consonants >= 4) {
        return false;
      }
    }
    return vowel;
  }

  /** Whether a hash-like word ("sha", "checksum", "ssh-", ...) occurs in the 48 characters before {@code start}. */
  private static boolean hashContext(String text, int start) {
    String before = text.substring(Math.max(0, start - 48), start).toLowerCase(Locale.ROOT);
    for (String w : HASH_WORDS) {
      if (before.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** A path such as {@code src/main/java/Foo}: at least half its segments are plain words. */
  private static boolean looksLikePath(String token) {
    String[] parts = token.split("/", -1);
    int words = 0;
    for (String p : parts) {
      if (p.length() >= 2 && p.chars().allMatch(c -> Character.isLetter(c) || c == '-' || c == '_')) {
        words++;
      }
    }
    return words * 2 >= parts.length;
  }

  /** A token alone on its line with another base64-only line of 40+ characters next to it: an encoded blob. */
  private static boolean isBlobLine(String text, int start, int end) {
    int lineStart = start;
    while (lineStart > 0 && text.charAt(lineStart - 1) != '\n') {
      if (!Character.isWhitespace(text.charAt(lineStart - 1))) {
        return false;
      }
      lineStart--;
    }
    int lineEnd = end;
    while (lineEnd < text.length() && text.charAt(lineEnd) != '\n') {
      char c = text.charAt(lineEnd);
      if (!Character.isWhitespace(c) && c != '=') {
        return false;
      }
      lineEnd++;
    }
    if (lineStart > 0) {
      int prevStart = lineStart - 1;
      while (prevStart > 0 && text.charAt(prevStart - 1) != '\n' && lineStart - prevStart <= 4097) {
        prevStart--;
      }
      if (isBase64Line(text, prevStart, lineStart - 1)) {
        return true;
      }
    }
    if (lineEnd < text.length()) {
      int nextEnd = lineEnd + 1;
      while (nextEnd < text.length() && text.charAt(nextEnd) != '\n' && nextEnd - lineEnd <= 4097) {
        nextEnd++;
      }
      return isBase64Line(text, lineEnd + 1, nextEnd);
    }
    return false;
  }

  private static boolean isBase64Line(String text, int from, int to) {
    String line = text.substring(from, Math.max(from, to)).strip();
    if (line.length() < 40 || line.length() > 4096) {
      return false;
    }
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (!isBase64(c) && c != '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isTokenChar(char c) {
    return isBase64(c) || c == '_' || c == '-';
  }

  private static boolean isBase64(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  }

  private static boolean isHex(String token) {
    boolean lower = false;
    boolean upper = false;
    for (int k = 0; k < token.length(); k++) {
      char c = token.charAt(k);
      if (c >= 'a' && c <= 'f') {
        lower = true;
      } else if (c >= 'A' && c <= 'F') {
        upper = true;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return !(lower && upper);
  }

  /** Counts of upper-case letters, lower-case letters and digits. */
  private static int[] counts(String s) {
    int[] c = new int[3];
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      if (ch >= 'A' && ch <= 'Z') {
        c[0]++;
      } else if (ch >= 'a' && ch <= 'z') {
        c[1]++;
      } else if (ch >= '0' && ch <= '9') {
        c[2]++;
      }
    }
    return c;
  }

  /** Whether at least {@code classes} of upper case, lower case and digits occur. */
  private static boolean mixed(String s, int classes) {
    int[] c = counts(s);
    return (c[0] > 0 ? 1 : 0) + (c[1] > 0 ? 1 : 0) + (c[2] > 0 ? 1 : 0) >= classes;
  }

  private static boolean hasDigit(String s) {
    return s.chars().anyMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean hasLetter(String s) {
    return s.chars().anyMatch(Character::isLetter);
  }

  /** Shannon entropy of the characters of {@code s}, in bits per character. */
  static double shannon(String s) {
    if (s.isEmpty()) {
      return 0;
    }
    int[] freq = new int[128];
    int other = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < 128) {
        freq[c]++;
      } else {
        other++;
      }
    }
    double h = 0;
    double n = s.length();
    for (int f : freq) {
      if (f > 0) {
        double p = f / n;
        h -= p * log2(p);
      }
    }
    if (other > 0) {
      double p = other / n;
      h -= p * log2(p);
    }
    return h;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static boolean isOpenAiKey(String key) {
    String body = key.substring(3);
    int dash = body.indexOf('-');
    boolean prefixed = body.startsWith("proj-") || body.startsWith("svcacct-") || body.startsWith("admin-");
    String random = prefixed ? body.substring(dash + 1) : body;
    if (random.length() < 32) {
      return false;
    }
    if (!prefixed && (random.indexOf('-') >= 0 || random.indexOf('_') >= 0) && !hasDigit(random)) {
      return false; // "sk-learn-..." style identifiers
    }
    return mixed(random, 3) && shannon(random) >= 4.0;
  }

  private static boolean isJwtHeader(String jwt) {
    String header = jwt.substring(0, jwt.indexOf('.'));
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(stripPadding(header));
      String json = new String(bytes, StandardCharsets.UTF_8).strip();
      if (!json.startsWith("{") || !json.endsWith("}") || !json.contains("\"alg\"")) {
        return false; // cheap test first: most near-misses are not JSON objects at all
      }
      JsonNode node = JSON.readTree(json);
      return node != null && node.isObject() && node.has("alg");
    } catch (IllegalArgumentException | java.io.IOException e) {
      return false;
    }
  }

  private static String stripPadding(String s) {
    return s.length() % 4 == 1 ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean isSasUrl(Matcher m, String text) {
    int from = Math.max(0, m.start() - 600);
    String before = text.substring(from, m.start());
    int space = Math.max(Math.max(before.lastIndexOf(' '), before.lastIndexOf('\n')), before.lastIndexOf('"'));
    String url = before.substring(space + 1);
    return url.contains("sv=") && (url.contains("se=") || url.contains("sp=") || url.contains("sr=")
        || url.contains("ss="));
  }

  /** Known formats win over assignments, which win over entropy, whatever their scores. */
  private static int generality(SecretType type) {
    switch (type) {
      case HIGH_ENTROPY_STRING:
        return 2;
      case PASSWORD:
      case GENERIC_SECRET:
        return 1;
      default:
        return 0;
    }
  }

  private static List<Hit> withoutOverlaps(List<Hit> hits) {
    if (hits.size() <= 1) {
      return hits;
    }
    List<Hit> byPriority = new ArrayList<>(hits);
    byPriority.sort(Comparator.comparingInt((Hit h) -> generality(h.type()))
        .thenComparingDouble(h -> -h.type().score())
        .thenComparingInt(h -> -(h.end() - h.start())).thenComparingInt(Hit::start));
    TreeMap<Integer, Hit> accepted = new TreeMap<>();
    for (Hit h : byPriority) {
      var floor = accepted.floorEntry(h.start());
      if (floor != null && floor.getValue().end() > h.start()) {
        continue;
      }
      var ceiling = accepted.ceilingEntry(h.start());
      if (ceiling != null && ceiling.getKey() < h.end()) {
        continue;
      }
      accepted.put(h.start(), h);
    }
    return new ArrayList<>(accepted.values());
  }
}
