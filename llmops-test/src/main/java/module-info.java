/**
 * The llmops test kit: scripted fakes, a deterministic embedding model, a fake clock, a loopback
 * OpenAI-compatible server and AssertJ assertions, for testing code that uses llmops.
 */
@org.jspecify.annotations.NullMarked
module dev.llmops.test {
  requires transitive dev.llmops.core;
  requires transitive org.assertj.core;
  requires static transitive org.jspecify;
  requires com.fasterxml.jackson.databind;
  requires jdk.httpserver;

  exports dev.llmops.test;
}
