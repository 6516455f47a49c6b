package dev.llmops.guardrails.pii;

/**
 * A match before context scoring and overlap resolution.
 *
 * @param type the entity type
 * @param start the first character, in the text the recognizer saw
 * @param end one past the last character
 * @param score the recognizer's own confidence
 * @param how a short description of the evidence, never quoting the text (for finding details)
 */
record Candidate(String type, int start, int end, double score, String how) {}
