/**
 * The {@code llmops} command line. Run it with {@code bin/llmops} from the repository root, or
 * {@code java -jar llmops-cli/target/llmops.jar}. See {@link dev.llmops.cli.LlmOpsCommand}.
 */
@org.jspecify.annotations.NullMarked
module dev.llmops.cli {
  requires dev.llmops.core;
  requires dev.llmops.inference; // llmops embed, llmops classify
  requires dev.llmops.rag; // llmops index, llmops search
  requires dev.llmops.rag.solr; // llmops index --solr, llmops search --solr
  requires dev.llmops.guardrails; // llmops guard
  requires transitive info.picocli; // LlmOpsCommand.commandLine returns a picocli CommandLine
  requires com.fasterxml.jackson.databind;
  requires java.sql; // llmops prompts --jdbc
  requires static org.jspecify;

  exports dev.llmops.cli;
  opens dev.llmops.cli to info.picocli;
}
