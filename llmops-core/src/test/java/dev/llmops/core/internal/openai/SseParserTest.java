package dev.llmops.core.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<String> events(String... lines) {
    SseParser parser = new SseParser();
    List<String> events = new ArrayList<>();
    for (String line : lines) {
      String data = parser.feed(line);
      if (data != null) {
        events.add(data);
      }
    }
    String last = parser.flush();
    if (last != null) {
      events.add(last);
    }
    return events;
  }

  @Test
  void aBlankLineDispatchesTheDataOfAnEvent() {
    assertThat(events("data: {\"a\":1}", "", "data: {\"b\":2}", "")).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void feedReturnsTheDataOnlyOnTheBlankLine() {
    SseParser parser = new SseParser();

    assertThat(parser.feed("data: x")).isNull();
    assertThat(parser.feed("")).isEqualTo("x");
    assertThat(parser.feed("")).as("a blank line without data dispatches nothing").isNull();
  }

  @Test
  void multipleDataLinesAreJoinedWithNewlines() {
    assertThat(events("data: first", "data: second", "data:third", "")).containsExactly("first\nsecond\nthird");
  }

  @Test
  void onlyOneLeadingSpaceIsRemoved() {
    assertThat(events("data:  two spaces", "")).containsExactly(" two spaces");
  }

  @Test
  void commentsAndOtherFieldsAreIgnored() {
    assertThat(events(": keep-alive", "", "event: message", "id: 7", "retry: 100", ":comment", "data: payload", ""))
        .containsExactly("payload");
  }

  @Test
  void aDataFieldWithoutAColonIsAnEmptyLineOfData() {
    assertThat(events("data", "data: x", "")).containsExactly("\nx");
    assertThat(events("data", "")).containsExactly("");
  }

  @Test
  void flushReturnsAPendingEventAtTheEndOfTheStreamOnce() {
    SseParser parser = new SseParser();
    parser.feed("data: [DONE]");

    assertThat(parser.flush()).isEqualTo("[DONE]");
    assertThat(parser.flush()).isNull();
  }

  @Test
  void flushWithoutDataReturnsNull() {
    SseParser parser = new SseParser();
    parser.feed(": only a comment");
    parser.feed("event: ping");

    assertThat(parser.flush()).isNull();
  }

  @Test
  void theParserIsReusableAfterADispatch() {
    assertThat(events("data: a", "data: b", "", "data: c", "", "data: d")).containsExactly("a\nb", "c", "d");
  }
}
