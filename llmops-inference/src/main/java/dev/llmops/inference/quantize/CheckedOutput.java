package dev.llmops.inference.quantize;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxModel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a rewritten model only if it passes its check: into a temporary file next to the output, which is checked,
 * forced to disk and renamed into place, or deleted. A crash leaves at most a hidden {@code .name.*.tmp} file, never a
 * half-written or unchecked model under the output name.
 */
final class CheckedOutput {

  /** The size written and the agreement it passed. */
  record Written(long bytes, Agreement agreement) {}

  private CheckedOutput() {}

  /**
   * Fails fast on output paths that cannot work, before any reading or rewriting.
   *
   * @throws InvalidRequestException when the output is the input, a directory, or in a missing directory
   */
  static void checkPaths(Path input, Path output) {
    Path in = input.toAbsolutePath().normalize();
    Path out = output.toAbsolutePath().normalize();
    boolean same = in.equals(out);
    if (!same && Files.exists(input) && Files.exists(output)) {
      try {
        same = Files.isSameFile(input, output);
      } catch (IOException e) {
        same = false; // a file that cannot be compared is not the input as far as we can tell; the write will tell
      }
    }
    if (same) {
      throw new InvalidRequestException("the output " + output + " is the input model itself; write to another file,"
          + " so the original stays as it is");
    }
    if (Files.isDirectory(output)) {
      throw new InvalidRequestException("the output " + output + " is a directory; give the path of the model file");
    }
    Path parent = out.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InvalidRequestException("the output directory " + parent + " does not exist");
    }
  }

  /**
   * Writes {@code model} to {@code output} if {@code check} passes.
   *
   * @param rewrite names the rewrite in messages
   * @throws AgreementFailedException when the check fails; nothing is left behind
   * @throws UnavailableException when the file cannot be written
   */
  static Written write(OnnxModel model, Path input, Path output, AgreementCheck check, String rewrite) {
    Path directory = output.toAbsolutePath().normalize().getParent();
    // Not Files.createTempFile: its owner-only permissions would stay on the model after the rename.
    Path temp = directory.resolve("." + output.getFileName() + "." + UUID.randomUUID() + ".tmp");
    boolean moved = false;
    try {
      OnnxFiles.write(model, temp);
      long bytes = Files.size(temp);
      Agreement agreement = check.measure(input, temp);
      if (!agreement.passed()) {
        throw new AgreementFailedException(rewrite, input, output, agreement);
      }
      Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      syncDirectory(directory);
      return new Written(bytes, agreement);
    } catch (IOException e) {
      throw new UnavailableException("cannot write the " + rewrite + " of " + input + " to " + output + ": " + e,
          null, e);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // the rewrite already failed; its exception is the one to report, and the file is hidden and marked .tmp
        }
      }
    }
  }

  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true); // make the rename itself durable
    } catch (IOException e) {
      // some file systems (and Windows) cannot open a directory; the file itself is already on disk
    }
  }
}
