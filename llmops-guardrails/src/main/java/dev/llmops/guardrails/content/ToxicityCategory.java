package dev.llmops.guardrails.content;

/** The categories of {@link ToxicityGuard}'s lexicon; the constant's name is the finding type. */
public enum ToxicityCategory {
  /** Attacks on a person: idiot, moron, asshole. */
  INSULT,
  /** Swearing not aimed at anyone in particular. */
  PROFANITY,
  /** Threats of violence, and telling someone to harm themselves. */
  THREAT,
  /** Slurs and hate against people for who they are. */
  IDENTITY_HATE,
  /** Sexually explicit language. */
  SEXUAL,
  /** First-person statements of intent to self-harm (better reported or escalated than blocked). */
  SELF_HARM
}
