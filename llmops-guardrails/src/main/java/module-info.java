/** Guard chains and built-in guards for llmops, implementing {@link dev.llmops.core.guard.InputGuard} and {@link dev.llmops.core.guard.OutputGuard}. The guards arrive with the guardrails issue; until then this module fixes its coordinates and module name, and exports no package. */
@org.jspecify.annotations.NullMarked
module dev.llmops.guardrails {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
}
