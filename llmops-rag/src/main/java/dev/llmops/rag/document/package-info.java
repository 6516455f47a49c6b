/**
 * Documents and where they come from: {@link dev.llmops.rag.document.Document} (text, title, source, metadata,
 * {@link dev.llmops.rag.document.AccessControl}, page and section offsets) and
 * {@link dev.llmops.rag.document.DocumentFailure} for one document that could not be loaded or indexed.
 */
@NullMarked
package dev.llmops.rag.document;

import org.jspecify.annotations.NullMarked;
