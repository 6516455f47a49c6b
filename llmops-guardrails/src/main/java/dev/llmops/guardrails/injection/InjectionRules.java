package dev.llmops.guardrails.injection;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.guardrails.internal.FoldedText;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fast rules of the prompt-injection guard: phrase patterns for each {@link InjectionSignal}, matched on a
 * folded copy of the text (lower case, NFKC, invisible characters dropped) and again on a copy with leetspeak,
 * look-alike letters, accents and spaced-out letters folded ({@code 1gn0re}, {@code i g n o r e}); base64 and hex
 * blobs and Unicode tag characters are decoded and the decoded text is matched too; token floods and hidden
 * characters are found on the original text.
 *
 * <p>Each finding's score is the rule's weight: strong, specific phrases (an instruction override, a jailbreak
 * persona, a chat-template token) weigh 0.7 to 0.9, weak indicators ("you are now", "begin your reply with",
 * a zero-width space) 0.3 to 0.5, so that one indicator alone stays below the default threshold of 0.5 while
 * two together pass it (see {@link #combinedScore(List)}). Spans point into the original text.
 *
 * <p>Every pattern has bounded repetition, so a scan is linear in the text length; at most
 * {@value #MAX_FINDINGS_PER_SIGNAL} findings per signal are reported, and at most {@value #DECODE_BUDGET} chars of
 * encoded blobs are decoded per text. Immutable and thread-safe.
 */
public final class InjectionRules {

  /** Findings kept per signal; the rest of a flood of matches adds nothing to the decision. */
  public static final int MAX_FINDINGS_PER_SIGNAL = 16;

  /** Encoded chars decoded per text at most. */
  public static final int DECODE_BUDGET = 262_144;

  private static final InjectionRules STANDARD = new InjectionRules();

  /** How far from an anchor a match may reach; longer than any pattern's longest match. */
  private static final int REACH = 320;

  /**
   * A phrase rule. {@code anchors}: literals of which at least one occurs in any text the pattern matches, so the
   * pattern only runs on texts that contain one (a cheap prefilter; the patterns alone decide).
   */
  private record Rule(InjectionSignal signal, Pattern pattern, double score, String detail, List<String> anchors,
      boolean words) {

    /**
     * The regions of {@code folded} where a match can lie: {@code REACH} chars either side of every anchor
     * occurrence, merged; every pattern's matches are shorter than that and contain an anchor.
     */
    List<int[]> windows(String folded) {
      int[] at = new int[16];
      int n = 0;
      for (String a : anchors) {
        for (int i = folded.indexOf(a); i >= 0; i = folded.indexOf(a, i + 1)) {
          if (n == at.length) {
            at = java.util.Arrays.copyOf(at, n * 2);
          }
          at[n++] = i;
        }
      }
      if (n == 0) {
        return List.of();
      }
      java.util.Arrays.sort(at, 0, n);
      List<int[]> out = new ArrayList<>();
      int start = Math.max(0, at[0] - REACH);
      int end = Math.min(folded.length(), at[0] + REACH);
      for (int k = 1; k < n; k++) {
        int s = Math.max(0, at[k] - REACH);
        if (s <= end) {
          end = Math.min(folded.length(), Math.max(end, at[k] + REACH));
        } else {
          out.add(new int[] {start, end});
          start = s;
          end = Math.min(folded.length(), at[k] + REACH);
        }
      }
      out.add(new int[] {start, end});
      return out;
    }
  }

  private static final String GAP = "[^.\\n]{0,40}?";
  private static final String SHORT_GAP = "[^.\\n]{0,24}?";
  private static final String OVERRIDE_VERB = "(?:ignor\\w{0,3}|forg[eo]t\\w{0,4}|disregard\\w{0,3}|overlook\\w{0,3}"
      + "|neglect\\w{0,3}|bypass\\w{0,3}|overrid\\w{0,3}|abandon\\w{0,3}|discard\\w{0,3}|eras\\w{0,3}|nullif\\w{0,4}"
      + "|dismiss\\w{0,3}|scrap|skip|drop|set aside|put aside|throw away|leave behind)";
  private static final String QUALIFIER = "(?:previous\\w{0,2}|prior|above|earlier|preceding|foregoing|original|initial"
      + "|former|old|existing|all|any|every|everything|your|system|out of date|these|those|whatever)";
  private static final String INSTRUCTION = "(?:instruction\\w{0,2}|directive\\w{0,2}|rules|guideline\\w{0,2}|prompt\\w{0,2}"
      + "|command\\w{0,2}|orders|context|programming|constraints|guidance|restrictions|polic\\w{0,3}|safeguards"
      + "|training|told|instructed|taught|said)";

  private static final List<Rule> RULES = List.of(
      // instruction override
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.9, "asks to ignore earlier instructions", "ignor forg disregard overlook neglect bypass overrid abandon discard eras nullif dismiss scrap skip drop aside away behind",
          "\\b" + OVERRIDE_VERB + "\\b" + GAP + "\\b" + QUALIFIER + "\\b" + SHORT_GAP + "\\b" + INSTRUCTION + "\\b"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.8, "asks to ignore what came before", "ignor forg disregard skip overlook",
          "\\b(?:ignor|disregard|forg[eo]t|skip|overlook)\\w{0,4}\\s{1,3}(?:(?:all|any|the|my|your|of the|everything)\\s{1,3}){0,2}"
              + "(?:(?:text|input|content|paragraphs?|messages?|tasks?|sentences?|words|conversation)\\s{1,3})?"
              + "(?:above|previous\\w{0,2}|prior|preceding|foregoing|before)\\b(?!\\s{1,3}(?:answer|example|question|step"
              + "|section|chapter|result|error|typo|mistake))"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.85, "asks to forget what the model was told", "ignor forg disregard regardless",
          "\\b(?:ignor|disregard|forg[eo]t)\\w{0,4}\\s{1,3}(?:what|everything|anything|all)\\s{1,3}(?:that\\s{1,3})?"
              + "(?:(?:i|you|we)(?:'ve|'re| have| were| are)?\\s{1,3})?(?:just\\s{1,3})?(?:said|told|been told|wrote|written"
              + "|mentioned|been instructed|instructed|been given|given)\\b"
              + "|\\bregardless\\s{1,3}of\\s{1,3}(?:any\\s{1,3}|all\\s{1,3}|your\\s{1,3}|the\\s{1,3})?(?:previous|prior|earlier"
              + "|above|original|other)\\s{1,3}(?:tasks?|instructions?|rules|directives?|prompts?)\\b"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.85, "asks to ignore earlier instructions (not in English)", "olvid ignor vergess oubli dimentic esquec descart omit",
          "\\b(?:olvid|ignor|vergess|oubli|dimentic|esquec|descart|omit)\\w{0,8}\\b[^.\\n]{0,40}?\\b(?:instruccion|instruction"
              + "|anweisung|istruzion|instruc|indicacion|regeln|consignes|directiv)\\w{0,4}"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.8, "asks not to follow the model's instructions", "follow obey listen adhere comply abide",
          "\\b(?:do not|don'?t|never|stop|no longer|cease to|refuse to)\\s{1,3}(?:follow|obey|listen to|adhere to"
              + "|comply with|abide by)\\w{0,3}\\b" + SHORT_GAP + "\\b(?:instruction\\w{0,2}|rules|guidelines"
              + "|directives|polic\\w{0,3}|programming|system prompt|developers?|creators?)\\b"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.9, "declares earlier instructions void", "previous prior old above original earlier initial",
          "\\b(?:the|your|all|any)\\s{1,3}(?:previous|prior|old|above|original|earlier|initial)\\s{1,3}"
              + "(?:instruction|directive|rule|prompt|command)s?\\s{1,3}(?:(?:are|were|is|was)\\s{1,3}(?:now\\s{1,3})?"
              + "(?:void|cancell?ed|obsolete|invalid|outdated|fake|wrong|a test|over|revoked|lifted)"
              + "|(?:no longer|do not|don'?t) apply)\\b"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.6, "announces new instructions", "instruction directive task prompt rule",
          "\\b(?:new|updated|real|actual|true|revised|overriding|secret|hidden)\\s{1,3}(?:instruction|directive"
              + "|task|system prompt|rule)s?\\s{0,3}[:\\-]"),
      words(InjectionSignal.INSTRUCTION_OVERRIDE, 0.45, "claims the situation or the rules changed", "changed updated replaced overridden rewritten instead",
          "\\b(?:i|we)\\s{1,3}have\\s{1,3}(?:changed|updated|replaced|overridden|rewritten)\\s{1,3}(?:the|your)\\s{1,3}"
              + "(?:instructions|rules|prompt|task)\\b"
              + "|\\b(?:the situation|everything|the rules|the game|your instructions?|your task|the task)\\s{1,3}"
              + "(?:has|have)\\s{1,3}(?:now\\s{1,3})?changed\\b"
              + "|\\binstead,?\\s{1,3}you\\s{1,3}(?:must|will|should|shall)\\s{1,3}now\\b"),
      // jailbreak personas
      words(InjectionSignal.JAILBREAK_PERSONA, 0.9, "names a known jailbreak persona or mode", "anything dan developer machiavellian norms confidant opposite amoral mongo antigpt bettergpt betterdan",
          "\\b(?:do anything now|dan mode|developer mode (?:enabled|output|on)|enable developer mode"
              + "|always intelligent and machiavellian|strive to avoid norms|evil confidant|opposite mode"
              + "|unfiltered and amoral|mongo tom|antigpt|bettergpt|betterdan)\\b"),
      words(InjectionSignal.JAILBREAK_PERSONA, 0.9, "casts the model as a jailbreak persona", "dan aim stan dude kevin developer",
          "\\b(?:you are|you're|act as|pretend to be|role-?play as|become|called|named|known as)\\s{1,3}(?:now\\s{1,3})?"
              + "(?:dan|aim|stan|dude|kevin|developer mode)\\b"),
      words(InjectionSignal.JAILBREAK_PERSONA, 0.85, "asks to drop safety or ethical limits", "ethical moral content safety openai",
          "\\bno\\s{1,3}(?:ethical|moral|content|safety)\\s{1,3}(?:guidelines|restrictions|limits|boundaries|filters"
              + "|polic\\w{0,3}|constraints)\\b"
              + "|\\b(?:ignore|bypass|disable|turn off|remove|override|circumvent)\\s{1,3}(?:your\\s{1,3}|all\\s{1,3}|any\\s{1,3}|the\\s{1,3})?"
              + "(?:safety|content|ethical|moral|openai)\\s{1,3}(?:filters?|guidelines|polic\\w{0,3}|restrictions"
              + "|protocols|settings|rules)\\b"),
      words(InjectionSignal.JAILBREAK_PERSONA, 0.8, "says the model is no longer bound by its role", "longer no",
          "\\byou\\s{1,3}are\\s{1,3}no\\s{1,3}longer\\b" + SHORT_GAP + "\\b(?:an? ai|chatgpt|bound|restricted|limited"
              + "|an assistant|a language model|required|obligated)\\b"
              + "|\\b(?:pretend|imagine|act as if|act like)\\b" + SHORT_GAP + "\\byou\\s{1,3}(?:have|had)\\s{1,3}no\\s{1,3}"
              + "(?:restrictions|rules|limits|filters|guidelines|boundaries)\\b"),
      words(InjectionSignal.JAILBREAK_PERSONA, 0.7, "asks for an unrestricted persona", "unfiltered uncensored unrestricted amoral unethical unbound jailbroken",
          "\\b(?:unfiltered|uncensored|unrestricted|amoral|unethical|unbound|jailbroken)\\s{1,3}(?:ai|assistant|chatbot"
              + "|model|mode|persona|llm|gpt|chatgpt)\\b"),
      words(InjectionSignal.JAILBREAK_PERSONA, 0.45, "reassigns the model's role", "now character jailbr",
          "\\byou\\s{1,3}are\\s{1,3}now\\b|\\bfrom\\s{1,3}now\\s{1,3}on,?\\s{1,3}you\\s{1,3}(?:are|will|must|shall|should"
              + "|can)\\b|\\bstay\\s{1,3}in\\s{1,3}character\\b|\\bjailbr(?:eak|oken)\\w{0,3}\\b"),
      // prompt extraction
      words(InjectionSignal.PROMPT_EXTRACTION, 0.6, "asks to reveal hidden instructions or secrets", "instructions prompt directives configuration password secret passphrase access",
          "\\b(?:repeat|print|reveal|show|output|display|tell me|write out|recite|spell out|leak|dump|expose"
              + "|disclose)\\b" + SHORT_GAP + "\\b(?:your|above|previous|prior|initial|system|hidden|secret|original)\\b"
              + "[^.\\n]{0,20}?\\b(?:instructions|prompt|directives|configuration|password|secret key|passphrase"
              + "|access code|pre-?prompt)\\b"),
      words(InjectionSignal.PROMPT_EXTRACTION, 0.5, "asks the model to hand over a secret", "password passcode passphrase secret access api credentials",
          "\\b(?:share|give|tell|provide|confirm|reveal|send|hand over|disclose)\\w{0,2}\\b[^.\\n]{0,20}?\\b(?:your|the)\\s{1,3}"
              + "(?:password|passcode|passphrase|secret key|secret code|access code|api key|credentials|secret word)\\b"),
      words(InjectionSignal.JAILBREAK_PERSONA, 0.45, "claims authority over the model", "developer creator admin owner god programmer operator mode access",
          "\\b(?:i am|i'm|im|this is)\\s{1,3}(?:your|the|an?)?\\s{0,3}(?:developer|creator|administrator|admin|owner|god"
              + "|system administrator|programmer|operator)\\b"
              + "|\\b(?:system|admin|developer|debug|god|maintenance|security override|sudo|root)\\s{1,3}(?:mode|access)\\b"),
      words(InjectionSignal.PROMPT_EXTRACTION, 0.45, "asks what the hidden instructions or secrets are", "prompt secret password passphrase access instructions",
          "\\b(?:what|which)\\s{1,3}(?:is|are|was|were)\\s{1,3}(?:your|the)\\s{1,3}(?:system prompt|secret key"
              + "|secret password|password|passphrase|access code|initial instructions|instructions|hidden instructions"
              + "|secret)\\b"),
      words(InjectionSignal.PROMPT_EXTRACTION, 0.35, "refers to the system prompt", "prompt above so far",
          "\\b(?:system prompt|initial prompt|pre-?prompt|above instructions|instructions above|text above"
              + "|everything above|instructions so far)\\b"),
      // output forcing
      words(InjectionSignal.OUTPUT_FORCING, 0.4, "dictates how the reply starts or ends", "with",
          "\\b(?:begin|start|prefix|prepend|preface|open|end|finish)\\s{1,3}(?:(?:your|the|each)\\s{1,3})?(?:response|reply|answer"
              + "|output|message)s?\\s{1,3}with\\b"),
      words(InjectionSignal.OUTPUT_FORCING, 0.4, "dictates the reply verbatim", "say respond reply output print answer nothing",
          "\\b(?:only|just|simply)\\s{1,3}(?:say|respond with|reply with|output|print|answer with)\\s{0,3}[\"'\\[“‘]"
              + "|\\b(?:say|print|output|respond with|reply with)\\s{1,3}[\"'\\[“‘][^\"'\\]\\n”’]{1,40}[\"'\\]”’]"
              + "\\s{0,3}(?:and|then)?\\s{0,3}(?:nothing else|and stop|only)\\b"
              + "|\\b(?:output|say|print|respond with|reply with|answer)\\s{1,3}only\\s{0,3}[\"'\\[“‘]"
              + "|\\band\\s{1,3}(?:say\\s{1,3})?nothing\\s{1,3}else\\b"),
      // fake markers (matched on the basic fold only: leetspeak folding would eat the | and ! in them)
      markers(0.9, "contains a chat-template control token", "<|",
          "<\\|\\s{0,2}(?:im_start|im_end|im_sep|endoftext|system|user|assistant|eot_id|start_header_id|end_header_id"
              + "|begin_of_text|end_of_text)\\s{0,2}\\|>"),
      markers(0.8, "contains an instruction-format delimiter", "inst] <<sys sys>> system] system>",
          "\\[/?inst\\]|<</?sys>>|\\[/?system\\]|</?system>"),
      markers(0.6, "contains a fake system heading", "#",
          "(?m)^[ \\t]{0,8}#{1,6}[ \\t]{0,4}(?:system|new instructions?|admin|developer|system prompt)\\b"),
      markers(0.7, "contains a fake conversation turn", ":",
          "(?m)^[ \\t>*]{0,8}(?:system|assistant|admin|developer|chatgpt|gpt-?4?)[ \\t]{0,3}:"),
      markers(0.85, "claims the user input has ended", "end begin start",
          "\\bend\\s{1,3}(?:of\\s{1,3})?(?:the\\s{1,3})?(?:untrusted\\s{1,3})?user\\s{1,3}input\\b"
              + "|(?m)^[ \\t%#=*\\-\\[(]{0,8}(?:end|begin|start)\\s{1,3}(?:of\\s{1,3})?(?:the\\s{1,3})?"
              + "(?:(?:untrusted|user|system|previous|distractor|out of date|old|new)\\s{1,3}){0,3}"
              + "(?:input|prompt|instructions?|query|chat|conversation|simulation|context)\\b"),
      markers(0.5, "contains a delimiter line that opens or closes a section", "%%% === *** --- ###",
          "(?:%{3}|={3}|\\*{3}|-{3}|#{3})\\s{0,3}(?:end|begin|start)\\b"));

  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_\\-]{20,}={0,2}");
  private static final Pattern HEX = Pattern.compile(
      "(?:\\\\x[0-9A-Fa-f]{2}){8,512}|(?:[0-9A-Fa-f]{2}[ :]){8,512}[0-9A-Fa-f]{2}");
  private static final Pattern BINARY = Pattern.compile("(?:[01]{8} ?){6,512}");
  private static final int MAX_FLOOD_TOKEN = 16;
  private static final int FLOOD_TOKENS = 30;

  private InjectionRules() {}

  /** The standard rule set. */
  public static InjectionRules standard() {
    return STANDARD;
  }

  private static Rule words(InjectionSignal signal, double score, String detail, String anchors, String regex) {
    return new Rule(signal, Pattern.compile(regex), score, detail, List.of(anchors.split(" ")), true);
  }

  private static Rule markers(double score, String detail, String anchors, String regex) {
    return new Rule(InjectionSignal.FAKE_SYSTEM_MARKER, Pattern.compile(regex), score, detail,
        List.of(anchors.split(" ")), false);
  }

  /**
   * Scans {@code text}.
   *
   * @param text any text
   * @return the findings, with types named after {@link InjectionSignal}s and spans into {@code text}, ordered
   *     by position
   */
  public List<Finding> scan(String text) {
    Collector out = new Collector();
    FoldedText basic = FoldedText.of(text);
    FoldedText folded = FoldedText.of(text, FoldedText.ALL);
    for (Rule rule : RULES) {
      match(rule, basic, out, null);
      if (rule.words()) {
        match(rule, folded, out, null);
      }
    }
    floods(text, out);
    hidden(text, out);
    encoded(text, out);
    return out.sorted();
  }

  private static void match(Rule rule, FoldedText text, Collector out, @Nullable TextSpan fixedSpan) {
    String folded = text.folded();
    List<int[]> windows = rule.windows(folded);
    if (windows.isEmpty()) {
      return;
    }
    Matcher m = rule.pattern().matcher(folded).useTransparentBounds(true).useAnchoringBounds(false);
    for (int[] w : windows) {
      m.region(w[0], w[1]);
      while (m.find()) {
        if (!out.room(rule.signal())) {
          return;
        }
        TextSpan span = fixedSpan != null ? fixedSpan : text.toOriginal(m.start(), m.end());
        out.add(rule.signal(), span, rule.score(), rule.detail());
      }
    }
  }

  /** The decoded text's phrase matches, each re-pointed at {@code span} of the original. */
  private static double decodedScore(String decoded) {
    Collector inner = new Collector();
    FoldedText basic = FoldedText.of(decoded);
    FoldedText folded = FoldedText.of(decoded, FoldedText.ALL);
    TextSpan whole = new TextSpan(0, 0);
    for (Rule rule : RULES) {
      match(rule, basic, inner, whole);
      if (rule.words()) {
        match(rule, folded, inner, whole);
      }
    }
    return combinedScore(inner.sorted());
  }

  private static void encoded(String text, Collector out) {
    int budget = DECODE_BUDGET;
    Matcher m = BASE64.matcher(text);
    while (budget > 0 && m.find() && out.room(InjectionSignal.ENCODED_INSTRUCTION)) {
      int length = Math.min(m.end() - m.start(), Math.min(budget, 65_536));
      budget -= length;
      String blob = text.substring(m.start(), m.start() + length);
      String asHex = isHex(blob) ? hex(blob) : "";
      if (isReadable(asHex)) {
        report(asHex, "hex", new TextSpan(m.start(), m.end()), out);
      } else {
        report(base64(blob), "base64", new TextSpan(m.start(), m.end()), out);
      }
    }
    m = HEX.matcher(text);
    while (budget > 0 && m.find() && out.room(InjectionSignal.ENCODED_INSTRUCTION)) {
      int length = Math.min(m.end() - m.start(), Math.min(budget, 65_536));
      budget -= length;
      String decoded = hex(text.substring(m.start(), m.start() + length));
      report(decoded, "hex", new TextSpan(m.start(), m.end()), out);
    }
    m = BINARY.matcher(text);
    while (budget > 0 && m.find() && out.room(InjectionSignal.ENCODED_INSTRUCTION)) {
      int length = Math.min(m.end() - m.start(), Math.min(budget, 65_536));
      budget -= length;
      report(binary(text.substring(m.start(), m.start() + length)), "binary", new TextSpan(m.start(), m.end()), out);
    }
  }

  private static void report(String decoded, String encoding, TextSpan span, Collector out) {
    if (!isReadable(decoded)) {
      return;
    }
    double score = decodedScore(decoded);
    if (score >= 0.5) {
      out.add(InjectionSignal.ENCODED_INSTRUCTION, span, Math.max(0.8, score),
          encoding + " text that decodes to instructions");
    } else {
      out.add(InjectionSignal.ENCODED_INSTRUCTION, span, 0.3, encoding + " text that decodes to readable words");
    }
  }

  /** Decodes base64 (standard or URL alphabet, padding optional); empty when it is not base64. */
  static String base64(String blob) {
    StringBuilder s = new StringBuilder(blob.length());
    for (int i = 0; i < blob.length(); i++) {
      char c = blob.charAt(i);
      if (c == '=') {
        break;
      }
      s.append(c == '-' ? '+' : c == '_' ? '/' : c);
    }
    if (s.length() % 4 == 1) {
      s.setLength(s.length() - 1);
    }
    while (s.length() % 4 != 0) {
      s.append('=');
    }
    try {
      return utf8(Base64.getDecoder().decode(s.toString()));
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** Decodes hex in {@code \xNN}, {@code NN NN} or {@code NN:NN} form; empty when it is not hex. */
  static String hex(String blob) {
    StringBuilder digits = new StringBuilder(blob.length());
    for (int i = 0; i < blob.length(); i++) {
      char c = blob.charAt(i);
      if (Character.digit(c, 16) >= 0 && !(c == 'x' || c == 'X')) {
        digits.append(c);
      } else if (c == 'x' && i > 0 && blob.charAt(i - 1) == '\\') {
        continue;
      }
    }
    digits.setLength(digits.length() - digits.length() % 2);
    try {
      return utf8(HexFormat.of().parseHex(digits));
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static boolean isHex(String blob) {
    for (int i = 0; i < blob.length(); i++) {
      if (Character.digit(blob.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Decodes space-separated or run-together 8-bit binary groups; empty when it is not UTF-8. */
  static String binary(String blob) {
    StringBuilder bits = new StringBuilder(blob.length());
    for (int i = 0; i < blob.length(); i++) {
      char c = blob.charAt(i);
      if (c == '0' || c == '1') {
        bits.append(c);
      }
    }
    byte[] bytes = new byte[bits.length() / 8];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(bits.substring(i * 8, i * 8 + 8), 2);
    }
    return utf8(bytes);
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return "";
    }
  }

  /** Whether decoded bytes look like natural-language text: printable, with several words. */
  private static boolean isReadable(String s) {
    if (s.length() < 12) {
      return false;
    }
    int printable = 0;
    int spaces = 0;
    int letters = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        spaces++;
      }
      if (Character.isLetter(c)) {
        letters++;
      }
      if (!Character.isISOControl(c) || c == '\n' || c == '\t' || c == '\r') {
        printable++;
      }
    }
    return printable >= 0.95 * s.length() && letters >= 0.5 * s.length() && spaces >= 2;
  }

  private static void floods(String text, Collector out) {
    // ring of the last five tokens' bounds; a run for period p counts tokens equal to the token p before them
    int[] starts = new int[5];
    int[] ends = new int[5];
    int[] run = new int[5];
    int[] runStart = new int[5];
    int tokens = 0;
    List<TextSpan> spans = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i <= n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int s = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int slot = tokens % 5;
      starts[slot] = s;
      ends[slot] = i;
      for (int p = 1; p <= 4; p++) {
        boolean same = false;
        if (tokens >= p) {
          int prev = (tokens - p) % 5;
          int len = i - s;
          same = len <= MAX_FLOOD_TOKEN && len == ends[prev] - starts[prev] && !isNumber(text, s, i)
              && text.regionMatches(s, text, starts[prev], len);
        }
        if (same) {
          if (run[p] == 0) {
            runStart[p] = starts[(tokens - p) % 5];
          }
          run[p]++;
        } else {
          closeFlood(p, run, runStart, ends[(tokens + 4) % 5], tokens, spans);
          run[p] = 0;
        }
      }
      tokens++;
    }
    for (int p = 1; p <= 4; p++) {
      closeFlood(p, run, runStart, tokens == 0 ? 0 : ends[(tokens - 1) % 5], tokens, spans);
    }
    spans.sort(Comparator.comparingInt(TextSpan::start));
    TextSpan current = null;
    for (TextSpan span : spans) {
      if (current != null && span.start() <= current.end()) {
        current = new TextSpan(current.start(), Math.max(current.end(), span.end()));
      } else {
        if (current != null) {
          out.add(InjectionSignal.TOKEN_FLOOD, current, 0.6, "a short token sequence repeated many times");
        }
        current = span;
      }
    }
    if (current != null) {
      out.add(InjectionSignal.TOKEN_FLOOD, current, 0.6, "a short token sequence repeated many times");
    }
  }

  private static void closeFlood(int p, int[] run, int[] runStart, int lastEnd, int tokens, List<TextSpan> spans) {
    if (tokens > 0 && run[p] + p >= FLOOD_TOKENS && spans.size() < MAX_FINDINGS_PER_SIGNAL * 4) {
      spans.add(new TextSpan(runStart[p], lastEnd));
    }
  }

  private static boolean isNumber(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (!(Character.isDigit(c) || c == '.' || c == ',' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static void hidden(String text, Collector out) {
    for (HiddenCharacters.Run run : HiddenCharacters.find(text)) {
      if (run.kind() == HiddenCharacters.Kind.TAG_CHARACTERS) {
        String smuggled = HiddenCharacters.decodeTags(text, run.start(), run.end());
        TextSpan span = new TextSpan(run.start(), run.end());
        if (smuggled.length() >= 8 && decodedScore(smuggled) >= 0.5) {
          out.add(InjectionSignal.ENCODED_INSTRUCTION, span, 0.9, "Unicode tag characters that spell instructions");
        }
      }
      if (out.room(InjectionSignal.INVISIBLE_CHARACTERS)) {
        out.add(InjectionSignal.INVISIBLE_CHARACTERS, new TextSpan(run.start(), run.end()), run.kind().score,
            run.kind().detail);
      }
    }
  }

  /**
   * The highest score of each signal among {@code findings}, indexed by {@link InjectionSignal#ordinal()};
   * 0 for a signal without findings. Findings of other types are ignored.
   */
  public static double[] signalScores(List<Finding> findings) {
    double[] scores = new double[InjectionSignal.values().length];
    for (Finding f : findings) {
      InjectionSignal signal = signal(f.type());
      if (signal != null) {
        scores[signal.ordinal()] = Math.max(scores[signal.ordinal()], f.score());
      }
    }
    return scores;
  }

  /**
   * The rules' overall score: the noisy-or of each signal's highest score, {@code 1 - prod(1 - s)}, so that
   * independent weak indicators add up and one strong match decides.
   */
  public static double combinedScore(List<Finding> findings) {
    double none = 1;
    for (double s : signalScores(findings)) {
      none *= 1 - s;
    }
    return Math.min(1, Math.max(0, 1 - none));
  }

  private static @Nullable InjectionSignal signal(String type) {
    for (InjectionSignal s : InjectionSignal.values()) {
      if (s.name().equals(type)) {
        return s;
      }
    }
    return null;
  }

  /** Findings, at most {@link #MAX_FINDINGS_PER_SIGNAL} per signal, overlapping ones of a signal merged. */
  private static final class Collector {
    private final Map<InjectionSignal, List<Finding>> bySignal = new EnumMap<>(InjectionSignal.class);

    boolean room(InjectionSignal signal) {
      return bySignal.getOrDefault(signal, List.of()).size() < MAX_FINDINGS_PER_SIGNAL;
    }

    void add(InjectionSignal signal, TextSpan span, double score, String detail) {
      List<Finding> list = bySignal.computeIfAbsent(signal, s -> new ArrayList<>());
      for (int k = 0; k < list.size(); k++) {
        Finding f = list.get(k);
        TextSpan other = f.span();
        boolean overlaps = other != null && other.start() < Math.max(span.end(), span.start() + 1)
            && span.start() < Math.max(other.end(), other.start() + 1);
        if (overlaps) {
          if (score > f.score()) {
            list.set(k, new Finding(signal.name(), span, score, detail));
          }
          return;
        }
      }
      if (list.size() < MAX_FINDINGS_PER_SIGNAL) {
        list.add(new Finding(signal.name(), span, score, detail));
      }
    }

    List<Finding> sorted() {
      List<Finding> all = new ArrayList<>();
      bySignal.values().forEach(all::addAll);
      all.sort(Comparator.comparingInt((Finding f) -> f.span() == null ? 0 : f.span().start())
          .thenComparing(Finding::type));
      return all;
    }
  }
}
