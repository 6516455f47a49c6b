package dev.llmops.guardrails.internal;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maps spans in a rewritten text back to the text before the rewrite, so findings of guards that ran after a
 * rewriting guard still point into the caller's text. Built from the rewriting guard's findings (the replaced
 * spans); where those do not explain the change, it falls back to the one region between the common prefix and
 * suffix, which maps conservatively (a span inside a changed region maps to the whole region).
 */
public final class OffsetMap {

  /** An unchanged stretch: {@code length} characters at {@code from} in the old text and {@code to} in the new. */
  private record Segment(int from, int to, int length) {}

  private final List<Segment> segments;
  private final int oldLength;
  private final int newLength;

  private OffsetMap(List<Segment> segments, int oldLength, int newLength) {
    this.segments = segments;
    this.oldLength = oldLength;
    this.newLength = newLength;
  }

  /** The map from {@code after} back to {@code before}, given the spans of {@code before} that were replaced. */
  public static OffsetMap of(String before, String after, List<Finding> replaced) {
    List<TextSpan> spans = new ArrayList<>();
    for (Finding f : replaced) {
      if (f.span() != null && f.span().end() <= before.length()) {
        spans.add(f.span());
      }
    }
    spans.sort(Comparator.comparingInt(TextSpan::start).thenComparingInt(TextSpan::end));
    List<TextSpan> merged = new ArrayList<>();
    for (TextSpan s : spans) {
      if (!merged.isEmpty() && s.start() <= merged.get(merged.size() - 1).end()) {
        TextSpan last = merged.remove(merged.size() - 1);
        merged.add(new TextSpan(last.start(), Math.max(last.end(), s.end())));
      } else {
        merged.add(s);
      }
    }
    List<Segment> segments = align(before, after, merged);
    return new OffsetMap(segments == null ? prefixSuffix(before, after) : segments, before.length(), after.length());
  }

  private static @Nullable List<Segment> align(String before, String after, List<TextSpan> replaced) {
    List<Segment> segments = new ArrayList<>();
    int oldPos = 0;
    int newPos = 0;
    for (int i = 0; i <= replaced.size(); i++) {
      int oldEnd = i < replaced.size() ? replaced.get(i).start() : before.length();
      int length = oldEnd - oldPos;
      if (i == 0) {
        if (!after.regionMatches(0, before, 0, length)) {
          return null;
        }
        segments.add(new Segment(0, 0, length));
        newPos = length;
      } else {
        // the unchanged stretch follows the replacement; the last one must end the new text exactly
        int at = i == replaced.size() ? after.length() - length : after.indexOf(before.substring(oldPos, oldEnd), newPos);
        if (at < newPos || !after.regionMatches(at, before, oldPos, length)) {
          return null;
        }
        segments.add(new Segment(oldPos, at, length));
        newPos = at + length;
      }
      if (i < replaced.size()) {
        oldPos = replaced.get(i).end();
      }
    }
    return newPos == after.length() ? segments : null;
  }

  private static List<Segment> prefixSuffix(String before, String after) {
    int prefix = 0;
    int max = Math.min(before.length(), after.length());
    while (prefix < max && before.charAt(prefix) == after.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && before.charAt(before.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) {
      suffix++;
    }
    return List.of(new Segment(0, 0, prefix),
        new Segment(before.length() - suffix, after.length() - suffix, suffix));
  }

  /** Maps a span of the new text to the old text; a span inside a replacement maps to the whole replaced region. */
  public TextSpan toOld(TextSpan span) {
    int start = map(Math.min(span.start(), newLength), true);
    int end = map(Math.min(span.end(), newLength), false);
    return new TextSpan(start, Math.max(start, end));
  }

  private int map(int position, boolean isStart) {
    int found = -1;
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      if (position >= s.to && position <= s.to + s.length) {
        found = i;
        if (!isStart) {
          break; // an end takes the first stretch it touches, a start the last
        }
      } else if (position < s.to) {
        if (found >= 0) {
          break;
        }
        // inside the replacement before s
        if (isStart) {
          Segment previous = i == 0 ? null : segments.get(i - 1);
          return previous == null ? 0 : previous.from + previous.length;
        }
        return s.from;
      }
    }
    if (found < 0) {
      return isStart && !segments.isEmpty() ? last().from + last().length : oldLength;
    }
    Segment s = segments.get(found);
    return s.from + (position - s.to);
  }

  private Segment last() {
    return segments.get(segments.size() - 1);
  }
}
