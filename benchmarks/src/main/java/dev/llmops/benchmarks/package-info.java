/**
 * Side-by-side measurements of llmops against the libraries a user would pick instead, run in one process on
 * one machine and reported as ratios. Entry point: {@link dev.llmops.benchmarks.Benchmarks}.
 */
@NullMarked
package dev.llmops.benchmarks;

import org.jspecify.annotations.NullMarked;
