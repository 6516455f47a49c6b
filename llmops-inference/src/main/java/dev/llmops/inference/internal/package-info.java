/** Implementation of the inference module: the dynamic batcher. Not an API. */
@NullMarked
package dev.llmops.inference.internal;

import org.jspecify.annotations.NullMarked;
