/** Implementation of drift detection: k-means on embeddings, the chi-square distribution, PSI. Not API. */
@NullMarked
package dev.llmops.core.internal.drift;

import org.jspecify.annotations.NullMarked;
