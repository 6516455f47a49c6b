package dev.llmops.core.prompt;

import dev.llmops.core.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The rules for prompt names, label names and template text; every violation is an {@link InvalidRequestException}. */
public final class PromptNames {

  /** The largest template text accepted, in UTF-8 bytes (1 MiB). */
  public static final int MAX_TEMPLATE_BYTES = 1 << 20;

  private static final Pattern PROMPT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private PromptNames() {}

  /**
   * Checks a prompt name: 1 to 128 characters of lower-case letters, digits, {@code .}, {@code _} and {@code -},
   * starting with a letter or digit (it names a folder in the directory store, so no dots first and no slashes).
   */
  public static String checkPrompt(String name) {
    if (!PROMPT.matcher(name).matches() || name.contains("..")) {
      throw new InvalidRequestException("invalid prompt name '" + printable(name) + "': use 1 to 128 characters of"
          + " a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
    }
    return name;
  }

  /** Checks a label name: 1 to 64 characters of a-z, 0-9, {@code _} and {@code -}, starting with a letter. */
  public static String checkLabel(String label) {
    if (!LABEL.matcher(label).matches()) {
      throw new InvalidRequestException("invalid label name '" + printable(label) + "': use 1 to 64 characters of"
          + " a-z, 0-9, '_' and '-', starting with a letter");
    }
    return label;
  }

  /**
   * Checks free text stored with a prompt (templates, messages, authors): at most 1 MiB of UTF-8, no NUL
   * characters, no unpaired surrogates.
   *
   * @param what what the text is, for the message, such as "the template of support-answer"
   */
  public static String checkText(String what, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw new InvalidRequestException(what + " contains a NUL character at index " + i);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new InvalidRequestException(what + " contains an unpaired surrogate at index " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw new InvalidRequestException(what + " contains an unpaired surrogate at index " + i);
      }
    }
    if (text.length() > MAX_TEMPLATE_BYTES / 4 && text.getBytes(StandardCharsets.UTF_8).length > MAX_TEMPLATE_BYTES) {
      throw new InvalidRequestException(what + " is larger than 1 MiB (" + text.getBytes(StandardCharsets.UTF_8).length
          + " bytes of UTF-8)");
    }
    return text;
  }

  private static String printable(String name) {
    String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return shown.replace("\0", "\\0");
  }
}
