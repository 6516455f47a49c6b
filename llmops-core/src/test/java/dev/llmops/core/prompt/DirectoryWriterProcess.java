package dev.llmops.core.prompt;

import java.nio.file.Path;

/** Run in a child JVM by {@link DirectoryPromptStoreTest}: creates N versions of prompt "shared". */
public final class DirectoryWriterProcess {

  private DirectoryWriterProcess() {}

  /** Arguments: directory, writer name, count. */
  public static void main(String[] args) {
    PromptStore store = PromptStore.directory(Path.of(args[0]));
    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
      store.create(PromptDraft.builder("shared").text(args[1] + " " + i).author(args[1]).build());
    }
  }
}
