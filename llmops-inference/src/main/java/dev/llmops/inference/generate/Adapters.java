package dev.llmops.inference.generate;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import dev.llmops.core.ConflictException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.internal.lora.OrtAdapters;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The LoRA adapters loaded into one model. Each adapter is checked against the model graph (every parameter a LoRA
 * input of the model with a matching shape) before ONNX Runtime loads it, and gets one {@code RunOptions} with it
 * active, shared by every step that runs it. An unloaded adapter is closed only once no sequence uses it any more
 * (ONNX Runtime does not keep it alive for a running step). Thread-safe.
 */
final class Adapters implements AutoCloseable {

  /** One loaded adapter and the number of sequences that hold it. */
  static final class Entry {
    final String name;
    final OrtLoraAdapter adapter;
    final OrtSession.RunOptions options;
    final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();

    Entry(String name, OrtLoraAdapter adapter, OrtSession.RunOptions options) {
      this.name = name;
      this.adapter = adapter;
      this.options = options;
    }

    void close() {
      options.close();
      adapter.close();
    }
  }

  private final String modelId;
  private final Path modelFile;
  private final ConcurrentHashMap<String, Entry> loaded = new ConcurrentHashMap<>();
  private final List<Entry> retired = new ArrayList<>();

  Adapters(String modelId, Path modelFile) {
    this.modelId = modelId;
    this.modelFile = modelFile;
  }

  /**
   * Loads {@code file} as adapter {@code name}.
   *
   * @throws ConflictException when the name is taken
   * @throws dev.llmops.core.InvalidRequestException when the adapter does not fit the model
   * @throws dev.llmops.core.CorruptDataException when the file is not an adapter file
   */
  synchronized void load(String name, Path file) {
    if (loaded.containsKey(name)) {
      throw new ConflictException("model '" + modelId + "' already has an adapter '" + name + "'");
    }
    OnnxGraph graph = OnnxFiles.read(modelFile).graph();
    OrtLoraAdapter adapter = OrtAdapters.load(file, graph);
    try {
      OrtSession.RunOptions options = new OrtSession.RunOptions();
      options.addActiveLoraAdapter(adapter);
      loaded.put(name, new Entry(name, adapter, options));
    } catch (OrtException e) {
      adapter.close();
      throw new UnavailableException("model '" + modelId + "': cannot activate adapter '" + name + "': "
          + e.getMessage(), null, e);
    }
  }

  /**
   * The adapter named {@code name} ({@code null} for {@code null}), held for one sequence until {@link #release}.
   *
   * @throws NotFoundException when no such adapter is loaded
   */
  synchronized @Nullable Entry acquire(@Nullable String name) {
    if (name == null) {
      return null;
    }
    Entry entry = loaded.get(name);
    if (entry == null) {
      throw new NotFoundException("model '" + modelId + "' has no adapter '" + name + "'; loaded: " + names());
    }
    entry.users.incrementAndGet();
    return entry;
  }

  /** Gives back what {@link #acquire} took. */
  static void release(@Nullable Entry entry) {
    if (entry != null) {
      entry.users.decrementAndGet();
    }
  }

  Set<String> names() {
    return new TreeSet<>(loaded.keySet());
  }

  /**
   * Takes {@code name} out of service: new requests no longer find it; the scheduler closes it once its last
   * sequence ends.
   *
   * @throws NotFoundException when no such adapter is loaded
   */
  synchronized void unload(String name) {
    Entry entry = loaded.remove(name);
    if (entry == null) {
      throw new NotFoundException("model '" + modelId + "' has no adapter '" + name + "'; loaded: " + names());
    }
    retired.add(entry);
  }

  /** On the scheduler thread, between steps: closes unloaded adapters that no sequence holds. */
  synchronized void closeUnused() {
    for (int i = retired.size() - 1; i >= 0; i--) {
      if (retired.get(i).users.get() == 0) {
        retired.remove(i).close();
      }
    }
  }

  /** Closes every adapter; after the scheduler stopped. */
  @Override
  public synchronized void close() {
    loaded.values().forEach(Entry::close);
    loaded.clear();
    retired.forEach(Entry::close);
    retired.clear();
  }
}
