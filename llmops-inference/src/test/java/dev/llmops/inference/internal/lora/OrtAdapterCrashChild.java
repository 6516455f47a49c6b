package dev.llmops.inference.internal.lora;

import ai.onnxruntime.OrtLoraAdapter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hands the adapter file named by its argument straight to ONNX Runtime; prints "loaded" when that returns. */
final class OrtAdapterCrashChild {
  private OrtAdapterCrashChild() {}

  public static void main(String[] args) throws Exception {
    try (OrtLoraAdapter adapter = OrtLoraAdapter.create(Files.readAllBytes(Path.of(args[0])))) {
      System.out.println("loaded");
    }
  }
}
