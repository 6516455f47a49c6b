/** Implementation shared by the guards; not exported. */
@NullMarked
package dev.llmops.guardrails.internal;

import org.jspecify.annotations.NullMarked;
