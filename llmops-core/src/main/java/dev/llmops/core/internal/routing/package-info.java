/** Implementation of the router: statistics, limit stores, the cache's index. Not API. */
@NullMarked
package dev.llmops.core.internal.routing;

import org.jspecify.annotations.NullMarked;
