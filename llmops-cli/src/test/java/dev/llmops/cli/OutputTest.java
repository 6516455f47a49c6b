package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTest {

  @TempDir Path dir;

  private String[] files() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void aFileAppearsOnlyWhenCommitted() throws IOException {
    Path target = dir.resolve("out.jsonl");
    Files.writeString(target, "earlier\n");

    try (Output output = Output.open(target.toString(), new PrintWriter(new StringWriter()))) {
      output.writer().write("half of a new file\n");
      output.flush();
      assertThat(Files.readString(target)).isEqualTo("earlier\n");
      // no commit: as when a row group fails midway
    }
    assertThat(Files.readString(target)).isEqualTo("earlier\n");
    assertThat(files()).containsExactly("out.jsonl");

    try (Output output = Output.open(target.toString(), new PrintWriter(new StringWriter()))) {
      output.writer().write("the new file\n");
      output.commit();
    }
    assertThat(Files.readString(target)).isEqualTo("the new file\n");
    assertThat(files()).containsExactly("out.jsonl");
  }

  @Test
  void aNewFileGetsTheUsualPermissionsNotOwnerOnly() throws IOException {
    if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
      return; // not a POSIX file system
    }
    Path plain = Files.createFile(dir.resolve("plain"));
    Path target = dir.resolve("sub/dir/out.jsonl");
    try (Output output = Output.open(target.toString(), new PrintWriter(new StringWriter()))) {
      output.commit();
    }
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void standardOutputIsWrittenAsItComesAndAClosedOneStopsTheRun() throws IOException {
    StringWriter stdout = new StringWriter();
    try (Output output = Output.open("-", new PrintWriter(stdout))) {
      output.writer().write("row\n");
      output.flush();
      assertThat(stdout.toString()).isEqualTo("row\n");
    }

    Writer broken = new Writer() {
      @Override
      public void write(char[] buffer, int offset, int length) throws IOException {
        throw new IOException("Broken pipe");
      }

      @Override
      public void flush() throws IOException {
        throw new IOException("Broken pipe");
      }

      @Override
      public void close() {}
    };
    try (Output output = Output.open("-", new PrintWriter(broken))) {
      output.writer().write("row\n");
      assertThatThrownBy(output::flush).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not write to standard output");
    }
  }
}
