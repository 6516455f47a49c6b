package dev.llmops.core.guard;

/** What every guard has: a name and a version, recorded with each verdict so lineage can name them. */
public interface Guard {

  /** A stable name, such as {@code prompt-injection}. */
  String name();

  /** The version of the guard's logic or model; changes when its decisions may change. */
  String version();
}
