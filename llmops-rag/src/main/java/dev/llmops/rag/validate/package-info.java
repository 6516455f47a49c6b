/**
 * Corpus validation before indexing: the entry point is {@link dev.llmops.rag.validate.CorpusValidator}
 * ({@code CorpusValidator.defaults().validate(documents)}, or {@code start()}, {@code add(document)} for each document
 * and {@code finish()} to stream a corpus too large to hold). It checks for empty and very short documents,
 * duplicate ids, exact and near duplicates (MinHash with locality-sensitive hashing), encoding damage
 * ({@link dev.llmops.rag.validate.EncodingIssue}), length outliers and the language mix
 * ({@link dev.llmops.rag.validate.LanguageDetector}), and returns a
 * {@link dev.llmops.rag.validate.ValidationReport}: counts and example ids per check, a verdict against
 * {@link dev.llmops.rag.validate.ValidationThresholds} ({@code passed()}, {@code violations()}) for CI, a
 * {@code toText()} summary for people, and a plain record tree that serialises to JSON.
 */
@NullMarked
package dev.llmops.rag.validate;

import org.jspecify.annotations.NullMarked;
