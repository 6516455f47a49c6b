/** Lineage internals: the JSON form of records and the stock sinks. Not an API. */
@NullMarked
package dev.llmops.core.internal.observe;

import org.jspecify.annotations.NullMarked;
