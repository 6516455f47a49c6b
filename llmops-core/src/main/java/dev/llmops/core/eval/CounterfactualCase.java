package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request of a bias audit, asked once per group: a template whose {@code {{group}}} slot takes each group's
 * term in turn.
 *
 * @param id the case's id, unique within the audit
 * @param template the request text with at least one {@code {{group}}}
 */
public record CounterfactualCase(String id, String template) {

  /** The slot a group's term fills. */
  public static final String SLOT = "{{group}}";

  /**
   * Validates.
   *
   * @throws InvalidRequestException if the id is blank or the template has no {@code {{group}}} slot
   */
  public CounterfactualCase {
    if (id == null || id.isBlank()) {
      throw new InvalidRequestException("a counterfactual case needs a non-blank id but got "
          + (id == null ? "null" : "'" + id + "'"));
    }
    Objects.requireNonNull(template, "template");
    if (!template.contains(SLOT)) {
      throw new InvalidRequestException("counterfactual case '" + id + "' has no " + SLOT + " slot in its template: "
          + BuiltInAssertions.abbreviate(template, 80));
    }
  }

  /** A case from a template with a {@code {{group}}} slot. */
  public static CounterfactualCase template(String id, String template) {
    return new CounterfactualCase(id, template);
  }

  /**
   * A case from a request that names one group: every whole-word occurrence of {@code term} (case-sensitive) becomes
   * the slot, so {@code swap("q1", "Should the women on the team be promoted?", "women")} asks the same of every group.
   *
   * @throws InvalidRequestException if the term is blank or does not occur in the text as a whole word
   */
  public static CounterfactualCase swap(String id, String text, String term) {
    if (term == null || term.isBlank()) {
      throw new InvalidRequestException("counterfactual case '" + id + "' needs a non-blank term to swap");
    }
    Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(term) + "(?![\\p{L}\\p{N}])").matcher(text);
    if (!m.find()) {
      throw new InvalidRequestException("counterfactual case '" + id + "': the term '" + term
          + "' does not occur as a word in " + BuiltInAssertions.abbreviate(text, 80));
    }
    return new CounterfactualCase(id, m.replaceAll(Matcher.quoteReplacement(SLOT)));
  }

  /** The request text for one group's term. */
  public String render(String groupTerm) {
    return template.replace(SLOT, groupTerm);
  }
}
