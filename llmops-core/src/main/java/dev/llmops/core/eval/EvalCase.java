package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One case of a golden dataset: the conversation to send, what is expected of the answer, and how it is judged.
 * Immutable; build one with {@link #builder(String)} or load many with {@link EvalDataset}.
 *
 * @param id the case's id, unique within its dataset
 * @param messages the conversation to send, with the case's vars already filled in; never empty
 * @param vars the values that were filled into {@code {{name}}} placeholders of the messages
 * @param expected the expected answer, for assertions given no value of their own, or {@code null}
 * @param context passages the answer should be grounded in and may cite
 * @param assertions the checks, with their weights
 * @param weight the case's weight in the run's weighted pass rate, positive and finite
 * @param repeat how many times the case is run, 1 to 1000; 0 to take the runner's default
 * @param tags free-form labels, for filtering and reports
 * @param line the 1-based line of the dataset file the case came from, or 0 when it was built in code
 */
public record EvalCase(
    String id, List<ChatMessage> messages, Map<String, String> vars, @Nullable String expected,
    List<ContextPassage> context, List<WeightedAssertion> assertions, double weight, int repeat, Set<String> tags,
    int line) {

  /** The most attempts one case may ask for. */
  public static final int MAX_REPEAT = 1000;

  /**
   * Checks a repeat count.
   *
   * @return {@code n}
   * @throws InvalidRequestException if {@code n} is not in [1, {@link #MAX_REPEAT}]
   */
  static int checkRepeat(int n) {
    if (n < 1 || n > MAX_REPEAT) {
      throw new InvalidRequestException("repeat must be from 1 to " + MAX_REPEAT + " but was " + n);
    }
    return n;
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}}");

  /**
   * Validates and copies.
   *
   * @throws InvalidRequestException naming the case and the bad value: a blank id, no messages, a weight that is not
   *     positive, a repeat out of range, duplicate context ids
   */
  public EvalCase {
    if (id == null || id.isBlank()) {
      throw new InvalidRequestException("a case needs a non-blank id but got " + (id == null ? "null" : "'" + id + "'"));
    }
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new InvalidRequestException("case '" + id + "' has no messages to send");
    }
    vars = Map.copyOf(vars);
    context = List.copyOf(context);
    assertions = List.copyOf(assertions);
    tags = Set.copyOf(tags);
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new InvalidRequestException("case '" + id + "' needs a positive weight but has " + weight);
    }
    if (repeat < 0 || repeat > MAX_REPEAT) {
      throw new InvalidRequestException("case '" + id + "' repeat must be 0 (the runner's default) to " + MAX_REPEAT
          + " but was " + repeat);
    }
    if (line < 0) {
      throw new InvalidRequestException("case '" + id + "' line must not be negative but was " + line);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (ContextPassage p : context) {
      if (!ids.add(p.id())) {
        throw new InvalidRequestException("case '" + id + "' has two context passages with id '" + p.id() + "'");
      }
    }
  }

  /** Starts a case with this id. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** The request sent to the target: the case's messages, with the target's own model and sampling defaults. */
  public ChatRequest request() {
    return ChatRequest.builder().messages(messages).build();
  }

  /**
   * Fills {@code {{name}}} placeholders of {@code text} from {@code vars}.
   *
   * @throws InvalidRequestException naming the placeholder that has no value
   */
  static String fill(String text, Map<String, String> vars, String caseId) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = vars.get(m.group(1));
      if (value == null) {
        throw new InvalidRequestException("case '" + caseId + "' uses {{" + m.group(1) + "}} but its vars have no '"
            + m.group(1) + "'" + (vars.isEmpty() ? "" : " (they have " + new java.util.TreeSet<>(vars.keySet()) + ")"));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static ChatMessage fill(ChatMessage message, Map<String, String> vars, String caseId) {
    if (message instanceof ChatMessage.SystemMessage s) {
      return ChatMessage.system(fill(s.text(), vars, caseId));
    }
    if (message instanceof ChatMessage.UserMessage u) {
      return ChatMessage.user(fill(u.text(), vars, caseId));
    }
    if (message instanceof ChatMessage.AssistantMessage a) {
      return new ChatMessage.AssistantMessage(fill(a.text(), vars, caseId), a.toolCalls());
    }
    ChatMessage.ToolMessage t = (ChatMessage.ToolMessage) message;
    return ChatMessage.tool(t.toolCallId(), fill(t.text(), vars, caseId));
  }

  /** Builds an {@link EvalCase}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private @Nullable String expected;
    private final List<ContextPassage> context = new ArrayList<>();
    private final List<WeightedAssertion> assertions = new ArrayList<>();
    private double weight = 1;
    private int repeat;
    private final Set<String> tags = new LinkedHashSet<>();
    private int line;

    private Builder(String id) {
      this.id = id;
    }

    /** Adds a user message. */
    public Builder prompt(String text) {
      messages.add(ChatMessage.user(text));
      return this;
    }

    /** Adds a system message. */
    public Builder system(String text) {
      messages.add(ChatMessage.system(text));
      return this;
    }

    /** Adds messages. */
    public Builder messages(List<? extends ChatMessage> more) {
      messages.addAll(more);
      return this;
    }

    /** Sets a value for {@code {{name}}} placeholders of the messages. */
    public Builder var(String name, String value) {
      vars.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The expected answer. */
    public Builder expected(@Nullable String expected) {
      this.expected = expected;
      return this;
    }

    /** Adds a context passage. */
    public Builder context(String id, String text) {
      context.add(new ContextPassage(id, text));
      return this;
    }

    /** Adds context passages with ids {@code "1"}, {@code "2"}, ... after those already added. */
    public Builder context(String... texts) {
      for (String t : texts) {
        context.add(new ContextPassage(Integer.toString(context.size() + 1), t));
      }
      return this;
    }

    /** Adds an assertion of weight 1. */
    public Builder assertion(Assertion assertion) {
      return assertion(assertion, 1);
    }

    /** Adds an assertion with a weight. */
    public Builder assertion(Assertion assertion, double weight) {
      assertions.add(new WeightedAssertion(assertion, weight));
      return this;
    }

    /** The case's weight (default 1). */
    public Builder weight(double weight) {
      this.weight = weight;
      return this;
    }

    /** How many times to run it (default 0: the runner's default). */
    public Builder repeat(int repeat) {
      this.repeat = repeat;
      return this;
    }

    /** Adds tags. */
    public Builder tags(String... more) {
      tags.addAll(List.of(more));
      return this;
    }

    /** The dataset line it came from. */
    public Builder line(int line) {
      this.line = line;
      return this;
    }

    /**
     * The case, with its vars filled into the messages.
     *
     * @throws InvalidRequestException for a placeholder without a value, or any invalid field
     */
    public EvalCase build() {
      List<ChatMessage> filled = new ArrayList<>(messages.size());
      for (ChatMessage m : messages) {
        filled.add(fill(m, vars, id));
      }
      return new EvalCase(id, filled, vars, expected, context, assertions, weight, repeat, tags, line);
    }
  }
}
