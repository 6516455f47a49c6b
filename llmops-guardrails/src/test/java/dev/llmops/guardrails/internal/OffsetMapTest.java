package dev.llmops.guardrails.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

  private static Finding at(int start, int end) {
    return new Finding("X", new TextSpan(start, end), 1, "");
  }

  @Test
  void mapsAroundReplacementsOfDifferentLengths() {
    String before = "call 555-1234 or mail a@b.co now";
    String after = "call <PHONE> or mail <EMAIL_ADDRESS> now";
    OffsetMap map = OffsetMap.of(before, after, List.of(at(5, 13), at(22, 28)));
    int or = after.indexOf("or");
    assertThat(map.toOld(new TextSpan(or, or + 2)).of(before)).isEqualTo("or");
    int now = after.indexOf("now");
    assertThat(map.toOld(new TextSpan(now, now + 3)).of(before)).isEqualTo("now");
    // a span inside a replacement maps to the whole replaced region
    int p = after.indexOf("PHONE");
    assertThat(map.toOld(new TextSpan(p, p + 2)).of(before)).isEqualTo("555-1234");
    assertThat(map.toOld(new TextSpan(0, after.length())).of(before)).isEqualTo(before);
  }

  @Test
  void mapsAroundDeletions() {
    String before = "ig\u200Bnore this";
    String after = "ignore this";
    OffsetMap map = OffsetMap.of(before, after, List.of(at(2, 3)));
    assertThat(map.toOld(new TextSpan(0, 6)).of(before)).isEqualTo("ig\u200Bnore");
    assertThat(map.toOld(new TextSpan(2, 6)).of(before)).isEqualTo("nore");
    assertThat(map.toOld(new TextSpan(7, 11)).of(before)).isEqualTo("this");
  }

  @Test
  void fallsBackToTheChangedRegionWhenFindingsDoNotExplainTheRewrite() {
    String before = "keep the middle part here";
    String after = "keep the MIDDLE part here";
    OffsetMap map = OffsetMap.of(before, after, List.of());
    assertThat(map.toOld(new TextSpan(0, 4)).of(before)).isEqualTo("keep");
    assertThat(map.toOld(new TextSpan(21, 25)).of(before)).isEqualTo("here");
    assertThat(map.toOld(new TextSpan(10, 12)).of(before)).isEqualTo("middle");
  }
}
