package dev.llmops.guardrails.pii;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the originals back into an answer: every pseudonym ({@code <EMAIL_ADDRESS_1>}) that {@link PiiGuard} with
 * {@link PiiOperator#PSEUDONYMIZE} issued in the same scope is replaced by the value it stands for. The scope is
 * the request's tenant and its {@code scopeAttribute} attribute, as for {@link PiiGuard}, so a pseudonym never
 * restores in another conversation or tenant; a request without that attribute restores nothing.
 *
 * <p>Put this guard only in the output chain of callers allowed to see the originals, and after any guard that
 * should judge the answer without them. Returns {@link GuardVerdict.Rewrite} with one finding per restored
 * pseudonym (risk 0, detail without the value), or {@link GuardVerdict#pass()} when there is nothing to restore;
 * unknown and expired pseudonyms are left as they are. Immutable and safe to share.
 */
public final class PiiRestoreGuard implements OutputGuard {

  private static final Pattern PSEUDONYM = Pattern.compile("<([A-Z][A-Z0-9]{0,40}(?:_[A-Z0-9]{1,40}){0,8}?)_[0-9]{1,9}>");

  private final PiiVault vault;
  private final String scopeAttribute;

  private PiiRestoreGuard(PiiVault vault, String scopeAttribute) {
    this.vault = vault;
    this.scopeAttribute = scopeAttribute;
  }

  /**
   * A guard restoring from {@code vault}, scoped by the tenant and the {@code conversation_id} attribute.
   *
   * @param vault the vault the input guard pseudonymised into
   */
  public static PiiRestoreGuard of(PiiVault vault) {
    return of(vault, "conversation_id");
  }

  /**
   * A guard restoring from {@code vault}, scoped by the tenant and the attribute {@code scopeAttribute}; use the
   * same attribute as the {@link PiiGuard} that pseudonymised.
   *
   * @throws IllegalArgumentException for a blank attribute name
   */
  public static PiiRestoreGuard of(PiiVault vault, String scopeAttribute) {
    Objects.requireNonNull(vault, "vault");
    if (scopeAttribute.isBlank()) {
      throw new IllegalArgumentException("scopeAttribute must not be blank");
    }
    return new PiiRestoreGuard(vault, scopeAttribute);
  }

  @Override
  public String name() {
    return "pii-restore";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    String text = output.text();
    String scope = PiiGuard.scope(output.tenant(), output.attributes(), scopeAttribute);
    if (scope == null) {
      return GuardVerdict.pass(); // no conversation, so nothing of this caller's was pseudonymised
    }
    Matcher m = PSEUDONYM.matcher(text);
    StringBuilder out = null;
    List<Finding> findings = new ArrayList<>();
    int last = 0;
    while (m.find()) {
      Optional<String> original = vault.restore(scope, m.group());
      if (original.isEmpty()) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, m.start()).append(original.get());
      last = m.end();
      findings.add(new Finding(m.group(1), new TextSpan(m.start(), m.end()), 0,
          "pseudonym restored from the vault"));
    }
    if (out == null) {
      return GuardVerdict.pass();
    }
    out.append(text, last, text.length());
    return GuardVerdict.rewrite(out.toString(), 0, findings);
  }
}
