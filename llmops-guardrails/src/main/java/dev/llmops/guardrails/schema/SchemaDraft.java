package dev.llmops.guardrails.schema;

/**
 * The JSON Schema drafts a schema can be written in. A schema's own {@code $schema} keyword wins; this is the
 * draft assumed when a schema has none.
 */
public enum SchemaDraft {
  /** Draft 4. */
  DRAFT_4,
  /** Draft 6. */
  DRAFT_6,
  /** Draft 7. */
  DRAFT_7,
  /** Draft 2019-09. */
  DRAFT_2019_09,
  /** Draft 2020-12, the default. */
  DRAFT_2020_12
}
