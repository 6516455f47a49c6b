/** The quickstart: run {@link dev.llmops.samples.quickstart.Quickstart#main(String[])}. */
@NullMarked
package dev.llmops.samples.quickstart;

import org.jspecify.annotations.NullMarked;
