package dev.llmops.inference.generate;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Hugging Face chat template: the Jinja program in a model's {@code tokenizer_config.json} that turns a
 * conversation into the prompt text the model was trained on. Rendered with Jinjava, configured as Hugging Face
 * renders templates ({@code trim_blocks} and {@code lstrip_blocks} on), with the variables {@code messages} (each a
 * map of {@code role} and {@code content}), {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and
 * the function {@code raise_exception(message)}.
 *
 * <p>Jinjava implements Jinja's syntax, filters and tests, not Python's string methods: a template that calls
 * {@code .strip()} or {@code .startswith()} on a value fails with an error that names the call; give such a model a
 * rewritten template with {@code OnnxChatModel.Builder#chatTemplate}. Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatTemplate chatMl = ChatTemplate.of("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}"
 *     + "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
 * String prompt = chatMl.render(messages, true, null, null);
 * }</pre>
 */
public final class ChatTemplate {

  private static final Jinjava JINJA = jinjava();
  /** What {@code raise_exception} was called with during the render on this thread (Jinjava wraps the throw). */
  private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

  private final String source;

  private ChatTemplate(String source) {
    this.source = source;
  }

  /**
   * A template from its Jinja source.
   *
   * @throws InvalidRequestException when the source is blank or does not parse
   */
  public static ChatTemplate of(String source) {
    Objects.requireNonNull(source, "source");
    if (source.isBlank()) {
      throw new InvalidRequestException("a chat template must not be blank");
    }
    ChatTemplate template = new ChatTemplate(source);
    template.render(List.of(new ChatMessage.UserMessage("probe")), true, null, null);
    return template;
  }

  /** The Jinja source. */
  public String source() {
    return source;
  }

  /**
   * Renders a conversation.
   *
   * @param messages the conversation, oldest first
   * @param addGenerationPrompt whether to end with the start of the assistant's turn
   * @param bosToken the text the template may use as {@code bos_token}, or {@code null} (empty)
   * @param eosToken the text the template may use as {@code eos_token}, or {@code null} (empty)
   * @return the prompt text
   * @throws InvalidRequestException when the template fails or raises an exception (for example for a role order
   *     the model does not accept); the message quotes the template's error
   */
  public String render(List<? extends ChatMessage> messages, boolean addGenerationPrompt, @Nullable String bosToken,
      @Nullable String eosToken) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ChatMessage message : messages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", message.role().name().toLowerCase(Locale.ROOT));
      m.put("content", text(message));
      if (message instanceof ChatMessage.ToolMessage tool) {
        m.put("tool_call_id", tool.toolCallId());
      }
      list.add(m);
    }
    Map<String, Object> context = new HashMap<>();
    context.put("messages", list);
    context.put("add_generation_prompt", addGenerationPrompt);
    context.put("bos_token", bosToken == null ? "" : bosToken);
    context.put("eos_token", eosToken == null ? "" : eosToken);
    RAISED.remove();
    RenderResult result;
    try {
      result = JINJA.renderForResult(source, context);
    } finally {
      String raised = RAISED.get();
      RAISED.remove();
      if (raised != null) {
        throw new InvalidRequestException("the chat template refused the conversation: " + raised);
      }
    }
    List<String> errors = new ArrayList<>();
    for (TemplateError error : result.getErrors()) {
      if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
        errors.add(error.getMessage() + (error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : ""));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException("the chat template failed: " + String.join("; ", errors));
    }
    return result.getOutput();
  }

  private static String text(ChatMessage message) {
    if (message instanceof ChatMessage.SystemMessage m) {
      return m.text();
    }
    if (message instanceof ChatMessage.UserMessage m) {
      return m.text();
    }
    if (message instanceof ChatMessage.AssistantMessage m) {
      return m.text();
    }
    return ((ChatMessage.ToolMessage) message).text();
  }

  /** Called by templates as {@code raise_exception(message)}. */
  public static String raiseException(String message) {
    RAISED.set(message);
    throw new InvalidRequestException("the chat template refused the conversation: " + message);
  }

  private static Jinjava jinjava() {
    Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
        .withFailOnUnknownTokens(false).build());
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
        "raiseException", String.class));
    return jinjava;
  }

  @Override
  public String toString() {
    return "ChatTemplate[" + source.length() + " chars]";
  }
}
