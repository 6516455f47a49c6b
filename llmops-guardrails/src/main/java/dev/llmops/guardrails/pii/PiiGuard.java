package dev.llmops.guardrails.pii;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.internal.FoldedText;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Finds personal data (Presidio's entity types) in a text and rewrites, blocks or reports it. Usable as an
 * {@link InputGuard} (before the model sees a prompt) and as an {@link OutputGuard} (before the user sees an
 * answer).
 *
 * <h2>Detection</h2>
 * Built-in recognizers, run over a folded copy of the text (lower-cased, NFKC, invisible characters removed) with
 * spans mapped back to the original:
 * <ul>
 *   <li>{@code EMAIL_ADDRESS} – address whose domain ends in a real top-level domain (score 1.0);</li>
 *   <li>{@code PHONE_NUMBER} – libphonenumber's {@code findNumbers} (leniency POSSIBLE, at least 7 digits) for
 *       each configured region, over each run of phone characters: 0.5 for a number valid in its region written
 *       with a leading {@code +}, 0.45 for a valid one written in groups, 0.4 for a valid unseparated one or a
 *       possible international one, 0.3 for a merely possible one, so most need a context word such as "phone",
 *       "call", "fax" or "mobile";</li>
 *   <li>{@code CREDIT_CARD} – 12 to 19 digits, unseparated or in groups of 3 to 6, passing Luhn (1.0 when the
 *       number starts with 1-6 as issuers' numbers do, 0.4 otherwise);</li>
 *   <li>{@code IBAN_CODE} – country code, check digits and the country's length, passing mod-97 (1.0);</li>
 *   <li>{@code US_SSN} – 3-2-4 digits with a possible area (not 000, 666, 9xx), group (not 00) and serial (not
 *       0000): 0.5 with dashes, 0.4 with spaces or dots, 0.3 unseparated;</li>
 *   <li>{@code IP_ADDRESS} – valid IPv4 or IPv6 (0.6; 0.4 for version-like {@code 1.2.3.4});</li>
 *   <li>{@code URL} (http, https or www links with a valid host, 0.85/0.75) and {@code DOMAIN_NAME} (bare names with
 *       a real top-level domain: 0.75 with www, 0.5 for a generic TLD, 0.35 for a country TLD, which file
 *       extensions such as {@code .md} often are);</li>
 *   <li>{@code DATE_TIME} – ISO dates and times (0.85), dates with month names (0.75), numeric dates checked for
 *       a valid day and month (0.4-0.6), weekdays (0.6), times (0.5), and years 1600-2099 (0.6 after a time
 *       preposition such as "in" or "since", otherwise 0.3);</li>
 *   <li>{@code US_DRIVER_LICENSE} – license-shaped numbers (0.35), so only reported with a context word.</li>
 * </ul>
 * plus the matches of an optional {@link EntityRecognizer} (for {@code PERSON}, {@code LOCATION}, ...).
 *
 * <p><b>Context words.</b> When one of the type's context words (for example "card", "ssn", "license", "phone")
 * occurs among the whole words in the {@code contextWindow} characters before a match (40 by default), or in half
 * that many after it ("555 0100 office"), its score becomes
 * {@code min(1, max(score + 0.35, 0.4))}, Presidio's default enhancement. Matches scoring below {@code minScore}
 * (0.5 by default) after that are dropped, so weak matches without context are kept out.
 *
 * <p><b>Overlaps.</b> Of overlapping matches the one with the highest score wins; on equal scores the longer one,
 * then the one that starts first. A winner suppresses every match it overlaps, so the reported matches never
 * overlap. An e-mail address (1.0) thus beats the domain inside it, a URL (0.85) the domain name it contains, and
 * a Luhn-valid card (1.0) a phone number read from the same digits.
 *
 * <h2>What it does</h2>
 * {@link PiiAction#REWRITE} (the default) replaces each match by its entity type's {@link PiiOperator} (the default
 * operator is {@link PiiOperator#PLACEHOLDER}); {@link PiiAction#BLOCK} stops the request;
 * {@link PiiAction#PASS} lets it through with findings. A text without matches always passes without findings.
 * Finding details name the type, the evidence and the operator, never the value.
 *
 * <p>{@link PiiOperator#PSEUDONYMIZE} stores values in the {@link PiiVault} under a scope made of the tenant and
 * the request attribute named by {@code scopeAttribute} ({@code conversation_id} by default), where
 * {@link PiiRestoreGuard} finds them again.
 *
 * <p>Immutable and safe to share across threads. Linear in the text length; digits cost most, since each run of
 * them goes through libphonenumber once per region (about 5 µs per digit per region). The distinct digit runs one
 * text sends there are capped at 16,384 characters (about 1,000 phone numbers), so digit dumps and hostile input
 * cost at most about a second; phone numbers past the cap in such a text are not found.
 */
public final class PiiGuard implements InputGuard, OutputGuard {

  /**
   * The regions whose national phone formats are recognised when none are configured: Presidio's default list
   * (US, GB, DE, FR, IL, IN, CA, BR). Each region adds a libphonenumber pass over the digit runs of a text.
   */
  public static final List<String> DEFAULT_REGIONS = List.of("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR");

  /** The default message of a block verdict. */
  public static final String DEFAULT_BLOCK_MESSAGE =
      "This message seems to contain personal information, so it was not processed. Please remove it and try again.";

  private static final Map<String, Set<String>> DEFAULT_CONTEXT = Map.of(
      PiiEntities.PHONE_NUMBER, Set.of("phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "fax",
          "desk", "office", "contact", "reach", "sms", "whatsapp", "dial", "landline", "ring", "message",
          "messages", "answering", "calling", "called", "voicemail"),
      PiiEntities.CREDIT_CARD, Set.of("card", "cc", "credit", "debit", "visa", "mastercard", "amex", "payment",
          "pan", "maestro"),
      PiiEntities.US_SSN, Set.of("ssn", "ssns", "social", "security", "ss"),
      PiiEntities.IBAN_CODE, Set.of("iban", "account", "bank", "transfer", "wire"),
      PiiEntities.IP_ADDRESS, Set.of("ip", "ipv4", "ipv6", "address", "server", "host", "client"),
      PiiEntities.DOMAIN_NAME, Set.of("website", "site", "url", "link", "domain", "visit", "web", "homepage"),
      PiiEntities.URL, Set.of("website", "site", "url", "link", "visit", "web", "homepage"),
      PiiEntities.DATE_TIME, Set.of("date", "born", "birth", "dob", "birthday", "founded", "established", "since",
          "year", "when", "time", "expires", "expiry", "until"),
      PiiEntities.US_DRIVER_LICENSE, Set.of("driver", "drivers", "driving", "license", "licence", "dl", "dln",
          "permit"));

  private final Set<String> entities;
  private final Map<String, PiiOperator> operators;
  private final PiiOperator defaultOperator;
  private final double minScore;
  private final List<String> regions;
  private final int contextWindow;
  private final Map<String, Set<String>> contextWords;
  private final @Nullable EntityRecognizer recognizer;
  private final @Nullable PiiVault vault;
  private final String scopeAttribute;
  private final byte @Nullable [] hashKey;
  private final int hashLength;
  private final char maskChar;
  private final int maskKeepLast;
  private final PiiAction action;
  private final String blockMessage;
  private final Recognizers recognizers;

  private PiiGuard(Builder b) {
    this.entities = Set.copyOf(b.entities);
    this.operators = Map.copyOf(b.operators);
    this.defaultOperator = b.defaultOperator;
    this.minScore = b.minScore;
    this.regions = List.copyOf(b.regions);
    this.contextWindow = b.contextWindow;
    Map<String, Set<String>> context = new HashMap<>(DEFAULT_CONTEXT);
    b.contextWords.forEach(context::put);
    this.contextWords = Map.copyOf(context);
    this.recognizer = b.recognizer;
    this.vault = b.vault;
    this.scopeAttribute = b.scopeAttribute;
    this.hashKey = b.hashKey == null ? null : b.hashKey.clone();
    this.hashLength = b.hashLength;
    this.maskChar = b.maskChar;
    this.maskKeepLast = b.maskKeepLast;
    this.action = b.action;
    this.blockMessage = b.blockMessage;
    this.recognizers = new Recognizers(regions);
  }

  /** A guard with the defaults: every built-in type, placeholders, minimum score 0.5, rewrite. */
  public static PiiGuard defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "pii";
  }

  @Override
  public String version() {
    return "1";
  }

  /** The entity types this guard reports. */
  public Set<String> entities() {
    return entities;
  }

  @Override
  public GuardVerdict check(InputContext input) {
    return decide(input.text(), scope(input.tenant(), input.attributes(), scopeAttribute));
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    return decide(output.text(), scope(output.tenant(), output.attributes(), scopeAttribute));
  }

  /**
   * The personal data in {@code text}: context-scored, at or above the minimum score, overlaps resolved, in
   * order of position.
   *
   * @param text the text to inspect
   * @return the matches, with UTF-16 offsets into {@code text}; empty when there are none
   */
  public List<PiiMatch> analyze(String text) {
    return scored(text).stream().map(Scored::match).toList();
  }

  /**
   * The vault scope of a request: its tenant (may be absent) and its {@code attribute} value, or {@code null} when
   * the request has no such attribute: without a conversation to scope them, pseudonyms are not issued (a
   * placeholder is written instead) and not restored, so one caller can never get another's values back.
   */
  static @Nullable String scope(@Nullable String tenant, Map<String, String> attributes, String attribute) {
    String conversation = attributes.get(attribute);
    if (conversation == null || conversation.isBlank()) {
      return null;
    }
    return (tenant == null ? "" : tenant) + '\u0000' + conversation;
  }

  private record Scored(PiiMatch match, String how, boolean context) {}

  private List<Scored> scored(String text) {
    FoldedText folded = FoldedText.of(text);
    String f = folded.folded();
    List<Scored> all = new ArrayList<>();
    for (Candidate c : recognizers.find(f, entities)) {
      if (!entities.contains(c.type())) {
        continue;
      }
      boolean context = hasContext(f, c.start(), c.end(), c.type());
      double score = context ? Math.min(1, Math.round(Math.max(c.score() + 0.35, 0.4) * 100) / 100.0) : c.score();
      if (score < minScore) {
        continue;
      }
      TextSpan span = folded.toOriginal(c.start(), c.end());
      if (span.length() == 0) {
        continue;
      }
      all.add(new Scored(new PiiMatch(c.type(), span.start(), span.end(), score), c.how(), context));
    }
    if (recognizer != null) {
      for (PiiMatch m : recognizer.recognize(text)) {
        if (m.end() <= text.length() && entities.contains(m.type()) && m.score() >= minScore) {
          all.add(new Scored(m, "entity recognizer", false));
        }
      }
    }
    return resolve(all);
  }

  /**
   * Whether a context word of {@code type} is among the whole words in the {@code contextWindow} characters
   * before {@code [start, end)} or the half window after it ("555 0100 office").
   */
  private boolean hasContext(String folded, int start, int end, String type) {
    Set<String> words = contextWords.get(type);
    if (words == null || words.isEmpty() || contextWindow == 0) {
      return false;
    }
    return hasWord(folded, Math.max(0, start - contextWindow), start, words)
        || hasWord(folded, end, Math.min(folded.length(), end + contextWindow / 2), words);
  }

  private static boolean hasWord(String text, int from, int to, Set<String> words) {
    int i = from;
    if (from > 0 && Character.isLetterOrDigit(text.charAt(from - 1))) {
      while (i < to && Character.isLetterOrDigit(text.charAt(i))) {
        i++; // a word cut by the window's start
      }
    }
    while (i < to) {
      if (!Character.isLetterOrDigit(text.charAt(i))) {
        i++;
        continue;
      }
      int j = i;
      while (j < text.length() && Character.isLetterOrDigit(text.charAt(j)) && j - i < 32) {
        j++;
      }
      if (j <= to && words.contains(text.substring(i, j))) {
        return true;
      }
      i = Math.max(j, i + 1);
      while (i < to && Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
    }
    return false;
  }

  /** Highest score first, then longest, then earliest; each accepted match removes those it overlaps. */
  private static List<Scored> resolve(List<Scored> all) {
    List<Scored> ranked = new ArrayList<>(all);
    ranked.sort(Comparator.comparingDouble((Scored s) -> -s.match().score())
        .thenComparingInt(s -> -s.match().length())
        .thenComparingInt(s -> s.match().start())
        .thenComparing(s -> s.match().type()));
    // accepted spans never overlap, so a sorted set of them answers "does anything overlap [start, end)?" in log n
    TreeSet<Scored> accepted = new TreeSet<>(Comparator.comparingInt((Scored s) -> s.match().start()));
    for (Scored s : ranked) {
      Scored before = accepted.floor(s);
      Scored after = accepted.ceiling(s);
      boolean clash = before != null && before.match().overlaps(s.match())
          || after != null && after.match().overlaps(s.match());
      if (!clash) {
        accepted.add(s);
      }
    }
    return new ArrayList<>(accepted);
  }

  private GuardVerdict decide(String text, @Nullable String scope) {
    List<Scored> matches = scored(text);
    if (matches.isEmpty()) {
      return GuardVerdict.pass();
    }
    double risk = matches.stream().mapToDouble(s -> s.match().score()).max().orElse(0);
    switch (action) {
      case BLOCK: {
        return GuardVerdict.block(blockMessage, risk, findings(matches, "blocked"));
      }
      case PASS: {
        return new GuardVerdict.Pass(risk, findings(matches, "reported"));
      }
      default: {
        return rewrite(text, scope, matches, risk);
      }
    }
  }

  private List<Finding> findings(List<Scored> matches, String outcome) {
    List<Finding> findings = new ArrayList<>(matches.size());
    for (Scored s : matches) {
      findings.add(finding(s, outcome));
    }
    return findings;
  }

  private static Finding finding(Scored s, String outcome) {
    String detail = s.match().type().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + s.how()
        + (s.context() ? ", context word nearby" : "") + "; " + outcome;
    return new Finding(s.match().type(), s.match().span(), s.match().score(), detail);
  }

  private GuardVerdict rewrite(String text, @Nullable String scope, List<Scored> matches, double risk) {
    StringBuilder out = new StringBuilder(text.length());
    List<Finding> findings = new ArrayList<>(matches.size());
    Map<String, Integer> numbers = new HashMap<>();
    Map<String, Integer> counters = new HashMap<>();
    Mac mac = null;
    int last = 0;
    for (Scored s : matches) {
      PiiMatch m = s.match();
      String value = text.substring(m.start(), m.end());
      PiiOperator op = operators.getOrDefault(m.type(), defaultOperator);
      out.append(text, last, m.start());
      String outcome;
      switch (op) {
        case REDACT: {
          outcome = "removed";
          break;
        }
        case MASK: {
          out.append(mask(value));
          outcome = "masked";
          break;
        }
        case NUMBERED_PLACEHOLDER: {
          int n = numbers.computeIfAbsent(m.type() + '\u0000' + value, k -> counters.merge(m.type(), 1, Integer::sum));
          out.append('<').append(m.type()).append('_').append(n).append('>');
          outcome = "replaced by a numbered placeholder";
          break;
        }
        case HASH: {
          if (mac == null) {
            mac = newMac();
          }
          out.append('<').append(m.type()).append('_').append(hash(mac, m.type(), value)).append('>');
          outcome = "replaced by a keyed hash";
          break;
        }
        case PSEUDONYMIZE: {
          String pseudonym = scope == null ? null
              : Objects.requireNonNull(vault, "vault").pseudonymize(scope, m.type(), value).orElse(null);
          if (pseudonym == null) {
            out.append('<').append(m.type()).append('>');
            outcome = scope == null
                ? "replaced by a placeholder (no '" + scopeAttribute + "' attribute to scope a pseudonym)"
                : "replaced by a placeholder (vault full for this scope)";
          } else {
            out.append(pseudonym);
            outcome = "replaced by a pseudonym";
          }
          break;
        }
        default: {
          out.append('<').append(m.type()).append('>');
          outcome = "replaced by a placeholder";
          break;
        }
      }
      findings.add(finding(s, outcome));
      last = m.end();
    }
    out.append(text, last, text.length());
    return GuardVerdict.rewrite(out.toString(), risk, findings);
  }

  private String mask(String value) {
    int keep = maskKeepLast;
    char[] chars = value.toCharArray();
    for (int i = chars.length - 1; i >= 0; i--) {
      if (Character.isLetterOrDigit(chars[i])) {
        if (keep > 0) {
          keep--;
        } else {
          chars[i] = maskChar;
        }
      }
    }
    return new String(chars);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Objects.requireNonNull(hashKey, "hashKey"), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform but is unavailable", e);
    }
  }

  private String hash(Mac mac, String type, String value) {
    byte[] digest = mac.doFinal((type + ':' + value).getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder(hashLength);
    for (int i = 0; hex.length() < hashLength; i++) {
      hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16));
      if (hex.length() < hashLength) {
        hex.append(Character.forDigit(digest[i] & 0xF, 16));
      }
    }
    return hex.toString();
  }

  /**
   * Builds a {@link PiiGuard}. Every option is a plain value (strings, numbers, enums, lists), so a JSON policy
   * maps onto it one to one. Invalid values fail at once, naming the value.
   */
  public static final class Builder {
    private Set<String> entities = new LinkedHashSet<>(PiiEntities.STRUCTURED);
    private final Map<String, PiiOperator> operators = new LinkedHashMap<>();
    private PiiOperator defaultOperator = PiiOperator.PLACEHOLDER;
    private double minScore = 0.5;
    private List<String> regions = DEFAULT_REGIONS;
    private int contextWindow = 40;
    private final Map<String, Set<String>> contextWords = new LinkedHashMap<>();
    private @Nullable EntityRecognizer recognizer;
    private @Nullable PiiVault vault;
    private String scopeAttribute = "conversation_id";
    private byte @Nullable [] hashKey;
    private int hashLength = 16;
    private char maskChar = '*';
    private int maskKeepLast = 4;
    private PiiAction action = PiiAction.REWRITE;
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;

    private Builder() {}

    /**
     * The entity types to report (default: {@link PiiEntities#STRUCTURED}). Include the types your
     * {@link #recognizer(EntityRecognizer)} yields, such as {@code PERSON}, to report them too.
     *
     * @throws IllegalArgumentException for an empty set or a name that is not UPPER_SNAKE_CASE
     */
    public Builder entities(Set<String> entities) {
      if (entities.isEmpty()) {
        throw new IllegalArgumentException("a PII guard needs at least one entity type");
      }
      for (String e : entities) {
        checkName(e);
      }
      this.entities = new LinkedHashSet<>(entities);
      return this;
    }

    /** The operator for {@code entity} when rewriting; overrides the default operator for that type. */
    public Builder operator(String entity, PiiOperator operator) {
      checkName(entity);
      operators.put(entity, Objects.requireNonNull(operator, "operator"));
      return this;
    }

    /** The operator for types without their own (default {@link PiiOperator#PLACEHOLDER}). */
    public Builder defaultOperator(PiiOperator operator) {
      this.defaultOperator = Objects.requireNonNull(operator, "operator");
      return this;
    }

    /** The lowest score reported, in {@code [0, 1]} (default 0.5). */
    public Builder minScore(double minScore) {
      if (!(minScore >= 0 && minScore <= 1)) {
        throw new IllegalArgumentException("minScore must be in [0, 1] but was " + minScore);
      }
      this.minScore = minScore;
      return this;
    }

    /**
     * The regions (ISO 3166 codes such as {@code US}, {@code GB}) whose national phone number formats are
     * recognised; numbers with a leading {@code +} are found whatever the list (default {@link #DEFAULT_REGIONS}).
     *
     * @throws IllegalArgumentException for an empty list or a region libphonenumber does not know
     */
    public Builder regions(List<String> regions) {
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("regions must name at least one region, such as US");
      }
      Set<String> supported = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions();
      List<String> copy = new ArrayList<>();
      for (String r : regions) {
        String upper = r.toUpperCase(Locale.ROOT);
        if (!supported.contains(upper)) {
          throw new IllegalArgumentException("unknown phone region '" + r + "'; use ISO 3166 codes such as US, GB");
        }
        if (!copy.contains(upper)) {
          copy.add(upper);
        }
      }
      this.regions = copy;
      return this;
    }

    /** How many characters before a match are searched for context words, 0 to 1000 (default 40). */
    public Builder contextWindow(int chars) {
      if (chars < 0 || chars > 1000) {
        throw new IllegalArgumentException("contextWindow must be in [0, 1000] but was " + chars);
      }
      this.contextWindow = chars;
      return this;
    }

    /**
     * The context words of {@code entity}, replacing the defaults for that type: single words, matched
     * case-insensitively against whole words. An empty list turns context scoring off for the type.
     */
    public Builder contextWords(String entity, List<String> words) {
      checkName(entity);
      Set<String> set = new HashSet<>();
      for (String w : words) {
        String lower = w.toLowerCase(Locale.ROOT).strip();
        if (lower.isEmpty() || !lower.chars().allMatch(Character::isLetterOrDigit)) {
          throw new IllegalArgumentException("a context word is one word of letters and digits but was '" + w + "'");
        }
        set.add(lower);
      }
      contextWords.put(entity, Set.copyOf(set));
      return this;
    }

    /** A recognizer for more types, such as an NER model for {@code PERSON} and {@code LOCATION}. */
    public Builder recognizer(EntityRecognizer recognizer) {
      this.recognizer = Objects.requireNonNull(recognizer, "recognizer");
      return this;
    }

    /** The vault {@link PiiOperator#PSEUDONYMIZE} stores values in; required when that operator is used. */
    public Builder vault(PiiVault vault) {
      this.vault = Objects.requireNonNull(vault, "vault");
      return this;
    }

    /**
     * The request attribute that names the conversation, for vault scopes (default {@code conversation_id}). Its
     * value must be set by the server, never taken from the user, or one caller could restore another's values.
     */
    public Builder scopeAttribute(String attribute) {
      if (attribute.isBlank()) {
        throw new IllegalArgumentException("scopeAttribute must not be blank");
      }
      this.scopeAttribute = attribute;
      return this;
    }

    /**
     * The secret key of {@link PiiOperator#HASH} (UTF-8, at least 16 characters); required when that operator
     * is used. Keep it out of policy files checked into source control.
     */
    public Builder hashKey(String key) {
      if (key.length() < 16) {
        throw new IllegalArgumentException("hashKey must have at least 16 characters but had " + key.length());
      }
      return hashKey(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The secret key of {@link PiiOperator#HASH} as bytes (at least 16), as policies pass it from
     * {@code GuardResources.builder().key(name, bytes)}; {@link #hashKey(String)} is the same as its UTF-8 bytes.
     */
    public Builder hashKey(byte[] key) {
      if (key.length < 16) {
        throw new IllegalArgumentException("hashKey must have at least 16 bytes but had " + key.length);
      }
      this.hashKey = key.clone();
      return this;
    }

    /** How many hex digits of the HMAC a hash token keeps, 8 to 64 (default 16). */
    public Builder hashLength(int hexDigits) {
      if (hexDigits < 8 || hexDigits > 64) {
        throw new IllegalArgumentException("hashLength must be in [8, 64] but was " + hexDigits);
      }
      this.hashLength = hexDigits;
      return this;
    }

    /** The character {@link PiiOperator#MASK} writes (default {@code *}); not a letter or digit. */
    public Builder maskChar(char c) {
      if (Character.isLetterOrDigit(c) || Character.isSurrogate(c)) {
        throw new IllegalArgumentException("maskChar must not be a letter, digit or surrogate but was '" + c + "'");
      }
      this.maskChar = c;
      return this;
    }

    /** How many trailing letters and digits {@link PiiOperator#MASK} leaves readable, 0 to 8 (default 4). */
    public Builder maskKeepLast(int chars) {
      if (chars < 0 || chars > 8) {
        throw new IllegalArgumentException("maskKeepLast must be in [0, 8] but was " + chars);
      }
      this.maskKeepLast = chars;
      return this;
    }

    /** What to do when something is found (default {@link PiiAction#REWRITE}). */
    public Builder action(PiiAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** The user-facing message of a block verdict; must not be blank. */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("blockMessage must not be blank");
      }
      this.blockMessage = message;
      return this;
    }

    /**
     * The guard.
     *
     * @throws IllegalStateException when an operator needs a vault or hash key that was not given
     */
    public PiiGuard build() {
      Set<PiiOperator> used = new HashSet<>(operators.values());
      used.add(defaultOperator);
      if (used.contains(PiiOperator.PSEUDONYMIZE) && vault == null) {
        throw new IllegalStateException("the PSEUDONYMIZE operator needs a vault; set one with vault(...)");
      }
      if (used.contains(PiiOperator.HASH) && hashKey == null) {
        throw new IllegalStateException("the HASH operator needs a key; set one with hashKey(...)");
      }
      return new PiiGuard(this);
    }

    private static void checkName(String entity) {
      if (!PiiEntities.isValidName(entity)) {
        throw new IllegalArgumentException("an entity type is UPPER_SNAKE_CASE, such as EMAIL_ADDRESS, but was '"
            + entity + "'");
      }
    }
  }
}
