package dev.llmops.rag.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchException;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.rag.document.AccessControl;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.Snapshot;
import dev.llmops.rag.internal.IndexStore;
import dev.llmops.rag.internal.Scope;
import dev.llmops.rag.internal.StoredChunk;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store under the engine, driven directly: failures between its steps, generations held by searches. */
class SolrStoreTest {

  static TestCluster cluster;

  @RegisterExtension
  static final BeforeAllCallback START = (ExtensionContext context) -> cluster = TestCluster.get(context);

  private static final Scope ANYONE = new Scope(null, Set.of(), Map.of());
  private final List<SolrStore> opened = new ArrayList<>();

  @AfterEach
  void drop() throws Exception {
    opened.forEach(SolrStore::close);
    cluster.cluster.deleteAllCollections();
  }

  private SolrStore open(String name, int retain) {
    IndexSettings settings = IndexSettings.builder().embeddingModel(DeterministicEmbeddingModel.create())
        .retainSnapshots(retain).build();
    SolrStore store = SolrStore.open(cluster.cluster.getSolrClient(), "test cluster", name, settings,
        CollectionLayout.single());
    opened.add(store);
    return store;
  }

  private static StoredChunk chunk(String documentId, String text) {
    return new StoredChunk(documentId, 0, text, 0, text.length(), null, "", "test", Map.of(),
        new AccessControl(null, Set.of()), null);
  }

  private static Snapshot commitOne(SolrStore store, String documentId, String text) {
    IndexStore.Writer writer = store.writer();
    writer.put(documentId, "hash-" + text.hashCode(), List.of(chunk(documentId, text)));
    return writer.commit(Map.of());
  }

  private static List<String> collections() throws Exception {
    return CollectionAdminRequest.listCollections(cluster.cluster.getSolrClient());
  }

  @Test
  void aFailureAfterTheAliasMovedLeavesTheNewGenerationLive() throws Exception {
    SolrStore store = open("moved", 2);
    Snapshot first = commitOne(store, "a", "solar panels on the roof");
    store.afterAliasMove = () -> {
      throw new UnavailableException("the alias property update failed");
    };
    IndexStore.Writer writer = store.writer();
    writer.put("b", "hash-b", List.of(chunk("b", "kidney dialysis at night")));
    Snapshot second = writer.commit(Map.of());
    writer.abort(); // what the engine does when anything after the alias move throws: must not touch the live one

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(collections()).contains(second.id());
    assertThat(store.current().orElseThrow().id()).isEqualTo(second.id());
    try (IndexStore.View view = store.view(null).orElseThrow()) {
      assertThat(view.snapshot().id()).isEqualTo(second.id());
      assertThat(view.lexical("kidney dialysis", 5, ANYONE)).hasSize(1);
      assertThat(view.lexical("solar panels", 5, ANYONE)).hasSize(1);
    }
  }

  @Test
  void aGenerationPastRetentionIsOnlyReadByTheSearchHoldingItAndGoesWhenItEnds() throws Exception {
    SolrStore store = open("pinned", 2);
    Snapshot first = commitOne(store, "a", "solar panels on the roof");
    IndexStore.View held = store.view(first.id()).orElseThrow();
    commitOne(store, "b", "kidney dialysis at night");
    Snapshot third = commitOne(store, "c", "graph databases store edges");

    // Past retention (two kept) but read: it stays for the search, and nobody else gets it.
    assertThat(collections()).contains(first.id());
    assertThat(store.snapshots()).extracting(Snapshot::id).hasSize(2).doesNotContain(first.id());
    assertThatThrownBy(() -> store.rollback(first.id())).isInstanceOf(NotFoundException.class)
        .hasMessageContaining(first.id());
    assertThatThrownBy(() -> store.view(first.id())).isInstanceOf(NotFoundException.class)
        .hasMessageContaining(first.id());
    assertThat(held.lexical("solar panels", 5, ANYONE)).hasSize(1);

    held.close();
    assertThat(collections()).doesNotContain(first.id()).contains(third.id());
    try (IndexStore.View view = store.view(null).orElseThrow()) {
      assertThat(view.snapshot().id()).isEqualTo(third.id());
      assertThat(view.lexical("graph databases", 5, ANYONE)).hasSize(1);
    }
  }

  @Test
  void aViewClosedAfterTheStoreLeavesItsGenerationToTheNextWritersRetention() throws Exception {
    SolrStore store = open("closing", 1);
    Snapshot first = commitOne(store, "a", "solar panels on the roof");
    IndexStore.View held = store.view(first.id()).orElseThrow();
    commitOne(store, "b", "kidney dialysis at night");
    store.close();
    held.close(); // must not call the cluster through a closed store
    assertThat(collections()).contains(first.id());

    SolrStore again = open("closing", 1);
    Snapshot third = commitOne(again, "c", "graph databases store edges");
    assertThat(collections()).doesNotContain(first.id()).contains(third.id());
  }

  @Test
  void tenantsAndGroupsLongerThanSolrFiltersOnAreRefusedNamingTheDocument() {
    SolrStore store = open("lengths", 2);
    String huge = "t".repeat(40_000);
    IndexStore.Writer writer = store.writer();
    StoredChunk tenant = new StoredChunk("doc-t", 0, "text", 0, 4, null, "", "test", Map.of(),
        new AccessControl(huge, Set.of()), null);
    StoredChunk group = new StoredChunk("doc-g", 0, "text", 0, 4, null, "", "test", Map.of(),
        new AccessControl(null, Set.of(huge)), null);
    assertThatThrownBy(() -> writer.put("doc-t", "h", List.of(tenant))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("document doc-t has tenant").hasMessageContaining("32766 bytes");
    assertThatThrownBy(() -> writer.put("doc-g", "h", List.of(group))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("document doc-g has group").hasMessageContaining("32766 bytes");
    // The writer goes on: the refused documents were one document's problem each.
    writer.put("ok", "h", List.of(chunk("ok", "solar panels")));
    assertThat(writer.commit(Map.of()).documents()).isEqualTo(1);
  }

  @Test
  void aMissingCollectionIsNotFoundRatherThanABadRequest() {
    SolrStore store = open("missing", 2);
    commitOne(store, "a", "solar panels on the roof");
    // What SolrJ really throws for a collection that is gone (retention, another process).
    Exception gone = catchException(() -> cluster.cluster.getSolrClient().query("missing_g000009",
        new SolrQuery("*:*")));
    assertThat(SolrStore.failure("test cluster", "read collection missing_g000009", gone))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("missing_g000009");
  }
}
