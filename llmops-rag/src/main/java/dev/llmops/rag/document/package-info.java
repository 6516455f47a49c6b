/**
 * Documents and where they come from.
 *
 * <p>A {@link dev.llmops.rag.document.Document} is extracted text with its title, source, metadata, {@link
 * dev.llmops.rag.document.AccessControl} and the offsets where its pages and sections start. Entry points:
 *
 * <ul>
 *   <li>{@link dev.llmops.rag.document.DocumentLoader} reads one file: {@code plainText()}, {@code markdown()},
 *       {@code html()}, {@code pdf()}, or {@code byExtension()} to pick by extension; {@code withMaxBytes} sets
 *       the size limit (50 MiB by default).
 *   <li>{@link dev.llmops.rag.document.FolderLoader} loads a folder tree, with ids that are relative paths and an
 *       access-control function; {@code load} collects a {@link dev.llmops.rag.document.LoadResult}, {@code
 *       forEach} streams.
 *   <li>{@link dev.llmops.rag.document.JsonLinesCorpus} streams a BEIR-style {@code corpus.jsonl}.
 * </ul>
 *
 * <p>A file or line that cannot be read fails alone, as a {@link dev.llmops.rag.document.DocumentFailure}; a
 * single {@code load} throws {@link dev.llmops.core.InvalidRequestException} naming the file.
 *
 * <pre>{@code
 * Document manual = DocumentLoader.byExtension().load(Path.of("docs/manual.pdf"), "manual.pdf");
 *
 * LoadResult docs = FolderLoader.builder()
 *     .access(path -> path.startsWith("hr") ? AccessControl.tenant("acme").withGroups("hr") : AccessControl.PUBLIC)
 *     .build()
 *     .load(Path.of("docs"));
 * docs.failures().forEach(failure -> log.warn("not loaded: {}", failure));
 *
 * try (JsonLinesCorpus corpus = JsonLinesCorpus.open(Path.of("scifact/corpus.jsonl"))) {
 *   index.upsert(corpus);                               // a DocumentIndex reads the rows as they stream
 *   corpus.failures().forEach(failure -> log.warn("not loaded: {}", failure));
 * }
 * }</pre>
 */
@NullMarked
package dev.llmops.rag.document;

import org.jspecify.annotations.NullMarked;
