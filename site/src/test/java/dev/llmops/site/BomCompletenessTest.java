package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llmops-bom must list every published module and nothing else (Resilience4j's BOM once dropped six). */
class BomCompletenessTest {

  @Test
  void theBomListsEveryPublishedModule() throws IOException {
    BomCheck.Result result = BomCheck.check(DocumentationSnippetsTest.root(), "llmops-bom");

    assertThat(result.missingFromBom()).as("published modules missing from llmops-bom/pom.xml").isEmpty();
    assertThat(result.listedButNotPublished()).as("llmops-bom lists artifacts the build does not publish").isEmpty();
    assertThat(result.published()).contains("llmops-core", "llmops-inference", "llmops-rag", "llmops-guardrails",
        "llmops-test", "llmops-cli").doesNotContain("benchmarks", "quickstart", "site");
  }

  @Test
  void aModuleLeftOutOfTheBomIsReported(@TempDir Path root) throws IOException {
    pom(root, "<artifactId>parent</artifactId><packaging>pom</packaging>"
        + "<modules><module>bom</module><module>a</module><module>b</module><module>examples</module></modules>");
    pom(root.resolve("bom"), "<artifactId>bom</artifactId><packaging>pom</packaging><dependencyManagement><dependencies>"
        + "<dependency><artifactId>a</artifactId></dependency><dependency><artifactId>gone</artifactId></dependency>"
        + "</dependencies></dependencyManagement>");
    pom(root.resolve("a"), "<artifactId>a</artifactId>");
    pom(root.resolve("b"), "<artifactId>b</artifactId>");
    pom(root.resolve("examples"), "<artifactId>examples</artifactId><packaging>pom</packaging>"
        + "<properties><maven.deploy.skip>true</maven.deploy.skip></properties><modules><module>one</module></modules>");
    pom(root.resolve("examples/one"), "<artifactId>one</artifactId>");

    BomCheck.Result result = BomCheck.check(root, "bom");

    assertThat(result.missingFromBom()).containsExactly("b");
    assertThat(result.listedButNotPublished()).containsExactly("gone");
    assertThat(result.published()).containsExactly("a", "b"); // "one" inherits deploy.skip from examples
  }

  private static void pom(Path dir, String body) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("pom.xml"), "<project>" + body + "</project>");
  }
}
