package dev.llmops.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CorruptDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryPromptStoreTest extends PromptStoreContractTest {

  @TempDir Path dir;

  @Override
  protected PromptStore newStore(Clock clock) {
    return PromptStore.directory(dir.resolve("prompts"), clock);
  }

  private Path root() {
    return dir.resolve("prompts");
  }

  @Test
  void writesOneReadableFilePerVersionAndALabelsFile() throws Exception {
    store.create(PromptDraft.builder("greeting").text("Hello {{name}},\nwelcome.").author("ana").message("first").build());
    store.moveLabel(new LabelChange("greeting", "production", List.of(Allocation.all(1)), 0, "ana", "launch"));

    String version = Files.readString(root().resolve("greeting/v000001.json"));
    assertThat(version).contains("\"lines\" : [ \"Hello {{name}},\", \"welcome.\" ]").contains("\"author\" : \"ana\"");
    assertThat(Files.readString(root().resolve("greeting/labels.json"))).contains("\"production\"").contains("launch");
    try (var files = Files.list(root().resolve("greeting"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void aCorruptedFileIsNamedAndTheOtherPromptsStillLoad() throws Exception {
    store.create(draft("good", "fine"));
    store.create(draft("bad", "soon broken"));
    store.create(draft("bad", "second"));
    Files.writeString(root().resolve("bad/v000001.json"), "{ \"name\": \"bad\", truncated");

    assertThatThrownBy(() -> store.versions("bad")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("v000001.json").hasMessageContaining("not valid JSON");
    assertThat(store.version("bad", 2)).isPresent();
    assertThat(store.versions("good")).hasSize(1);
    assertThat(store.prompts()).containsExactly("bad", "good");

    Files.writeString(root().resolve("good/labels.json"), "{\"labels\": {\"production\": {\"revision\": 1}}}");
    assertThatThrownBy(() -> store.label("good", "production")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("labels.json");
    assertThat(store.latest("good")).isPresent();
  }

  @Test
  void strayFilesAreIgnored() throws Exception {
    store.create(draft("p", "a"));
    Files.writeString(root().resolve("p/v99999999999.json"), "{}");
    Files.writeString(root().resolve("p/.tmp-leftover.json"), "half a fi");
    Files.createDirectories(root().resolve(".git"));
    assertThat(store.prompts()).containsExactly("p");
    assertThat(store.versions("p")).hasSize(1);
  }

  @Test
  void aFileMovedToTheWrongPlaceIsReported() throws Exception {
    store.create(draft("one", "a"));
    Files.createDirectories(root().resolve("two"));
    Files.copy(root().resolve("one/v000001.json"), root().resolve("two/v000001.json"));
    assertThatThrownBy(() -> store.latest("two")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("does not match its folder");
  }

  @Test
  void twoStoresInOneJvmShareTheLocks() throws Exception {
    PromptStore second = PromptStore.directory(root(), CLOCK);
    List<Thread> threads = new ArrayList<>();
    for (PromptStore s : List.of(store, second)) {
      for (int t = 0; t < 2; t++) {
        int thread = t;
        Thread th = new Thread(() -> {
          for (int i = 0; i < 50; i++) {
            s.create(draft("shared", s.hashCode() + "-" + thread + "-" + i));
          }
        });
        threads.add(th);
        th.start();
      }
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(store.versions("shared")).hasSize(200)
        .extracting(PromptVersion::version).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 200).boxed().toList());
  }

  /** Writers in other processes: each child JVM creates versions of the same prompt while this one does too. */
  @Test
  void writersInSeveralProcessesNeverCollide() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          DirectoryWriterProcess.class.getName(), root().toString(), "child" + c, "40").inheritIO().start());
    }
    for (int i = 0; i < 40; i++) {
      store.create(draft("shared", "parent " + i));
    }
    for (Process p : children) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    List<PromptVersion> versions = store.versions("shared");
    assertThat(versions).hasSize(120);
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i).version()).isEqualTo(i + 1);
    }
    assertThat(versions.stream().map(v -> ((PromptTemplate.Text) v.template()).template()).distinct()).hasSize(120);
  }
}
