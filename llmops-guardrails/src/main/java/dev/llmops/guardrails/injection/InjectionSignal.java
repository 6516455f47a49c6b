package dev.llmops.guardrails.injection;

/**
 * The families of prompt-injection evidence the rules look for. Each name is also the {@code type} of the
 * {@link dev.llmops.core.guard.Finding}s the family produces, and, in this order, one extra feature of an
 * {@link InjectionClassifier} trained with rule features.
 */
public enum InjectionSignal {
  /** "Ignore / forget / disregard the previous instructions" and paraphrases ("do not follow your rules"). */
  INSTRUCTION_OVERRIDE,
  /** Jailbreak personas and role changes: DAN, developer mode, AIM, "you are now", "no ethical guidelines". */
  JAILBREAK_PERSONA,
  /** Fake system, turn or delimiter markers: {@code ### system}, {@code <|im_start|>}, {@code [INST]}, "END OF USER INPUT", a fake {@code assistant:} turn. */
  FAKE_SYSTEM_MARKER,
  /** Requests to reveal the system prompt, hidden instructions or secrets. */
  PROMPT_EXTRACTION,
  /** Dictating the model's output verbatim ("begin your reply with", "only say"); weak on its own. */
  OUTPUT_FORCING,
  /** A base64 or hex blob, or Unicode tag characters, that decode to instructions. */
  ENCODED_INSTRUCTION,
  /** The same short token or group of tokens repeated many times, used to push instructions out of context. */
  TOKEN_FLOOD,
  /** Invisible or bidirectional-control characters inside the text. */
  INVISIBLE_CHARACTERS
}
