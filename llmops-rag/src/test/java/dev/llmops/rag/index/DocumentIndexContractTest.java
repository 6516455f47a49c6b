package dev.llmops.rag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.core.scoring.ScoringModel;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.AccessControl;
import dev.llmops.rag.document.Document;
import dev.llmops.test.DeterministicEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link DocumentIndex} must have. Subclasses say how to open an index; published as a
 * test jar so that other index modules run the same suite.
 */
public abstract class DocumentIndexContractTest {

  protected final DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
  private final List<DocumentIndex> opened = new ArrayList<>();

  /** Opens a new, empty index with these settings. */
  protected abstract DocumentIndex newIndex(IndexSettings settings);

  /** Settings with the deterministic model, a small chunk size so documents have several chunks. */
  protected IndexSettings.Builder settings() {
    return IndexSettings.builder().embeddingModel(model)
        .chunker(RecursiveChunker.builder(model.tokenCounter()).maxTokens(40).overlapTokens(8).build());
  }

  protected DocumentIndex open(IndexSettings settings) {
    DocumentIndex index = newIndex(settings);
    opened.add(index);
    return index;
  }

  protected DocumentIndex open() {
    return open(settings().build());
  }

  @AfterEach
  void closeIndexes() {
    opened.forEach(DocumentIndex::close);
  }

  static Document doc(String id, String text) {
    return Document.builder(id, text).title("Title of " + id).source("src/" + id + ".txt").build();
  }

  static List<Document> corpus(int n) {
    String[] topics = {"solar panels convert sunlight", "kidney function and dialysis", "graph databases store edges",
        "medieval castles had moats", "volcanic eruptions release ash", "neural networks learn weights"};
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(doc("d" + i, "Document " + i + " is about " + topics[i % topics.length] + ". It has the marker m" + i
          + " and talks at length. " + ("Filler sentence number " + i + " keeps going for a while. ").repeat(3)));
    }
    return docs;
  }

  private static RetrievalQuery q(String text, int k) {
    return RetrievalQuery.of(text, k);
  }

  // ---- search and citations --------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void everyModeFindsTheDocumentAndCitesIt(SearchMode mode) {
    DocumentIndex index = open();
    IngestReport report = index.upsert(corpus(30));
    assertThat(report.added()).isEqualTo(30);
    assertThat(report.failures()).isEmpty();

    List<RetrievedChunk> hits = index.search(SearchRequest.of(q("marker m17", 3), mode));

    assertThat(hits).isNotEmpty();
    RetrievedChunk top = hits.get(0);
    assertThat(top.citation().documentId()).isEqualTo("d17");
    assertThat(top.citation().title()).isEqualTo("Title of d17");
    assertThat(top.citation().source()).isEqualTo("src/d17.txt");
    assertThat(top.citation().snapshotId()).isEqualTo(report.snapshotId());
    assertThat(top.chunkId()).startsWith("d17#");
    String original = corpus(30).get(17).text();
    assertThat(top.citation().span().of(original)).isEqualTo(top.text());
    assertThat(top.text()).contains("m17");
    assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
  }

  @Test
  void pagesAreCited() {
    DocumentIndex index = open();
    String page1 = "The first page talks about apples and orchards. ".repeat(6);
    String page2 = "The second page is about submarine sonar. ".repeat(6);
    index.upsert(List.of(Document.builder("book", page1 + page2).pageStarts(List.of(0, page1.length())).build()));

    RetrievedChunk top = index.search(SearchRequest.of(q("submarine sonar", 1), SearchMode.BM25)).get(0);

    assertThat(top.citation().page()).isEqualTo(2);
    assertThat(index.search(SearchRequest.of(q("apples orchards", 1), SearchMode.BM25)).get(0).citation().page())
        .isEqualTo(1);
  }

  @Test
  void retrieveUsesTheDefaultModeAndHonoursTopK() {
    DocumentIndex index = open();
    index.upsert(corpus(40));
    List<RetrievedChunk> hits = index.retrieve(q("kidney dialysis", 5));
    assertThat(hits).hasSize(5);
    assertThat(hits).allSatisfy(h -> assertThat(h.text()).contains("kidney"));
  }

  @Test
  void onePerDocumentReturnsEachDocumentOnce() {
    DocumentIndex index = open();
    index.upsert(corpus(12));
    List<RetrievedChunk> hits = index.search(SearchRequest.builder(q("filler sentence", 10)).mode(SearchMode.BM25)
        .onePerDocument(true).build());
    assertThat(hits).hasSize(10);
    assertThat(hits.stream().map(h -> h.citation().documentId()).distinct().count()).isEqualTo(10);
    List<RetrievedChunk> chunks = index.search(SearchRequest.of(q("filler sentence", 20), SearchMode.BM25));
    assertThat(chunks).hasSize(20);
    assertThat(chunks.stream().map(h -> h.citation().documentId()).distinct().count()).isLessThanOrEqualTo(12);
  }

  @Test
  void onePerDocumentLooksDeeperWhenOneDocumentCrowdsTheCandidates() {
    DocumentIndex index = open();
    List<Document> docs = new ArrayList<>();
    docs.add(Document.of("long", "Comets comets comets orbit the sun. ".repeat(60)));
    for (int i = 0; i < 4; i++) {
      docs.add(Document.of("short" + i, "A note " + i + " that mentions comets once among many other words here."));
    }
    index.upsert(docs);
    List<RetrievedChunk> hits = index.search(SearchRequest.builder(q("comets", 3)).mode(SearchMode.BM25)
        .candidates(3).onePerDocument(true).build());
    assertThat(hits).hasSize(3);
    assertThat(hits.get(0).citation().documentId()).isEqualTo("long");
    assertThat(hits.stream().map(h -> h.citation().documentId()).distinct()).hasSize(3);
  }

  @Test
  void metadataFiltersApplyInsideTheQuery() {
    DocumentIndex index = open();
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      docs.add(Document.builder("x" + i, "shared words about rockets " + (i < 18 ? "rockets rockets" : ""))
          .metadata("lang", i < 18 ? "de" : "en").build());
    }
    index.upsert(docs);
    for (SearchMode mode : SearchMode.values()) {
      List<RetrievedChunk> hits = index.search(SearchRequest.of(
          RetrievalQuery.builder("rockets").topK(5).filter("lang", "en").build(), mode));
      assertThat(hits).extracting(h -> h.citation().documentId()).containsExactlyInAnyOrder("x18", "x19");
      assertThat(hits).allSatisfy(h -> assertThat(h.metadata()).containsEntry("lang", "en"));
    }
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void accessControlNeverLeaksAndNeverStarves(SearchMode mode) {
    DocumentIndex index = open();
    List<Document> docs = new ArrayList<>();
    Random random = new Random(7);
    String[] tenants = {null, "acme", "globex"};
    String[][] groupSets = {{}, {"hr"}, {"eng"}, {"hr", "legal"}};
    for (int i = 0; i < 120; i++) {
      String tenant = tenants[random.nextInt(tenants.length)];
      String[] groups = groupSets[random.nextInt(groupSets.length)];
      docs.add(Document.builder("acl" + i, "salary review policy " + "confidential ".repeat(random.nextInt(4)) + i)
          .access(new AccessControl(tenant, Set.of(groups))).build());
    }
    // Many secret documents match far better than the one the caller may see: it must still be found.
    for (int i = 0; i < 40; i++) {
      docs.add(Document.builder("secret" + i, "quarterly bonus bonus bonus bonus numbers " + i)
          .access(AccessControl.tenant("acme").withGroups("exec")).build());
    }
    docs.add(Document.builder("visible", "quarterly bonus numbers for everyone").access(AccessControl.tenant("acme"))
        .build());
    index.upsert(docs);

    String[] callerTenants = {null, "acme", "globex", "initech"};
    String[][] callerGroups = {{}, {"hr"}, {"eng"}, {"legal"}, {"hr", "eng"}};
    for (String tenant : callerTenants) {
      for (String[] groups : callerGroups) {
        for (String text : List.of("salary review policy", "confidential", "quarterly bonus")) {
          List<RetrievedChunk> hits = index.search(SearchRequest.of(
              RetrievalQuery.builder(text).topK(200).tenant(tenant).groups(groups).build(), mode));
          for (RetrievedChunk h : hits) {
            Document source = docs.stream().filter(d -> d.id().equals(h.citation().documentId())).findFirst()
                .orElseThrow();
            assertThat(source.access().allows(tenant, Set.of(groups)))
                .as("%s sees %s (%s) with tenant %s groups %s", mode, source.id(), source.access(), tenant,
                    List.of(groups))
                .isTrue();
          }
        }
      }
    }
    List<RetrievedChunk> hits = index.search(SearchRequest.of(
        RetrievalQuery.builder("quarterly bonus").topK(1).tenant("acme").build(), mode));
    assertThat(hits).extracting(h -> h.citation().documentId()).containsExactly("visible");
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void theFirstRestrictedDocumentStartsTheFiltering(SearchMode mode) {
    DocumentIndex index = open();
    index.upsert(List.of(Document.of("open", "canteen menu for monday")));
    RetrievalQuery asAcme = RetrievalQuery.builder("canteen menu").topK(5).tenant("acme").build();
    RetrievalQuery asNobody = RetrievalQuery.of("canteen menu", 5);
    assertThat(index.search(SearchRequest.of(asAcme, mode))).isEmpty();
    String publicOnly = index.currentSnapshot().orElseThrow().id();

    index.upsert(List.of(Document.builder("acme-menu", "canteen menu for the acme office").tenant("acme").build(),
        Document.builder("acme-hr", "canteen menu of the hr floor").tenant("acme").groups("hr").build()));

    assertThat(index.search(SearchRequest.of(asAcme, mode))).extracting(h -> h.citation().documentId())
        .containsExactly("acme-menu");
    assertThat(index.search(SearchRequest.of(asNobody, mode))).extracting(h -> h.citation().documentId())
        .containsExactly("open");
    RetrievalQuery pinned = RetrievalQuery.builder("canteen menu").topK(5).tenant("acme").snapshot(publicOnly).build();
    assertThat(index.search(SearchRequest.of(pinned, mode))).isEmpty();
  }

  // ---- ingestion and refresh -------------------------------------------------------------------------------

  @Test
  void refreshReEmbedsOnlyChangedDocuments() {
    DocumentIndex index = open();
    List<Document> docs = corpus(200);
    IngestReport first = index.refresh(docs);
    assertThat(first.added()).isEqualTo(200);
    long textsBefore = model.textCount();

    List<Document> changed = new ArrayList<>(docs);
    changed.set(3, doc("d3", "Entirely new text about zebras crossing rivers in the savanna."));
    changed.set(150, doc("d150", "Another rewrite: lighthouses guide ships at night."));
    IngestReport second = index.refresh(changed);

    assertThat(second.updated()).isEqualTo(2);
    assertThat(second.unchanged()).isEqualTo(198);
    assertThat(second.added()).isZero();
    assertThat(model.textCount() - textsBefore).isEqualTo(second.chunksEmbedded()).isEqualTo(2);
    assertThat(index.search(SearchRequest.of(q("zebras savanna", 1), SearchMode.BM25)).get(0).citation().documentId())
        .isEqualTo("d3");
    assertThat(index.search(SearchRequest.of(q("marker m3", 50), SearchMode.BM25)))
        .noneMatch(h -> h.citation().documentId().equals("d3"));
  }

  @Test
  void refreshDeletesMissingDocumentsAndUpsertDoesNot() {
    DocumentIndex index = open();
    index.upsert(corpus(10));
    IngestReport upsert = index.upsert(corpus(10).subList(0, 5));
    assertThat(upsert.deleted()).isZero();
    assertThat(upsert.newSnapshot()).isFalse();
    assertThat(index.documentIds()).hasSize(10);

    IngestReport refresh = index.refresh(corpus(10).subList(0, 5));
    assertThat(refresh.deleted()).isEqualTo(5);
    assertThat(index.documentIds()).containsExactlyInAnyOrder("d0", "d1", "d2", "d3", "d4");
    assertThat(index.search(SearchRequest.of(q("marker m7", 5), SearchMode.BM25)))
        .noneMatch(h -> h.citation().documentId().equals("d7"));

    IngestReport delete = index.delete(List.of("d0", "nope"));
    assertThat(delete.deleted()).isEqualTo(1);
    assertThat(index.documentIds()).hasSize(4);
  }

  @Test
  void badDocumentsFailAloneWithClearReasons() {
    DocumentIndex index = open(settings().maxDocumentChars(10_000).build());
    List<Document> docs = new ArrayList<>(corpus(5));
    docs.add(Document.of("empty", "   \n "));
    docs.add(doc("d1", "a second document with the id d1"));
    docs.add(Document.of("huge", "word ".repeat(3_000)));
    IngestReport report = index.upsert(docs);

    assertThat(report.added()).isEqualTo(5);
    assertThat(report.failures()).extracting(f -> f.documentId()).containsExactly("empty", "d1", "huge");
    assertThat(report.failures().get(0).reason()).contains("no text");
    assertThat(report.failures().get(1).reason()).contains("more than once");
    assertThat(report.failures().get(2).reason()).contains("15000 characters").contains("10000");
    assertThat(index.search(SearchRequest.of(q("marker m1", 1), SearchMode.BM25)).get(0).text()).contains("m1");
  }

  @Test
  void refreshKeepsTheOldVersionOfADocumentThatNowFails() {
    DocumentIndex index = open();
    index.refresh(corpus(3));
    List<Document> next = new ArrayList<>(corpus(3));
    next.set(1, Document.of("d1", ""));
    IngestReport report = index.refresh(next);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.deleted()).isZero();
    assertThat(index.documentIds()).contains("d1");

    // A loader that could not read d2 this time keeps it; d0, simply gone, is deleted.
    IngestReport unreadable = index.refresh(List.of(corpus(3).get(1)), () -> List.of("d2"), IngestListener.NONE);
    assertThat(unreadable.deleted()).isEqualTo(1);
    assertThat(index.documentIds()).containsExactlyInAnyOrder("d1", "d2");
  }

  @Test
  void aLexicalOnlyIndexRefusesDenseSearch() {
    DocumentIndex index = open(IndexSettings.builder().build());
    index.upsert(corpus(5));
    assertThat(index.retrieve(q("marker m2", 1)).get(0).citation().documentId()).isEqualTo("d2");
    assertThatThrownBy(() -> index.search(SearchRequest.of(q("marker", 1), SearchMode.DENSE)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("embedding model");
  }

  // ---- snapshots -------------------------------------------------------------------------------------------

  @Test
  void snapshotsPinRollBackAndAgeOut() {
    DocumentIndex index = open(settings().retainSnapshots(3).build());
    assertThat(index.currentSnapshot()).isEmpty();
    assertThat(index.retrieve(q("anything", 3))).isEmpty();

    String s1 = index.upsert(List.of(doc("a", "version one of alpha"))).snapshotId();
    String s2 = index.upsert(List.of(doc("a", "version two of alpha"))).snapshotId();
    assertThat(s2).isNotEqualTo(s1);
    assertThat(index.currentSnapshot().orElseThrow().id()).isEqualTo(s2);
    assertThat(index.currentSnapshot().orElseThrow().parentId()).isEqualTo(s1);

    RetrievedChunk pinned = index.search(SearchRequest.of(
        RetrievalQuery.builder("alpha").topK(1).snapshot(s1).build(), SearchMode.BM25)).get(0);
    assertThat(pinned.text()).contains("version one");
    assertThat(pinned.citation().snapshotId()).isEqualTo(s1);
    assertThat(index.retrieve(q("alpha", 1)).get(0).text()).contains("version two");

    Snapshot back = index.rollback(s1);
    assertThat(back.id()).isEqualTo(s1);
    assertThat(index.currentSnapshot().orElseThrow().id()).isEqualTo(s1);
    assertThat(index.retrieve(q("alpha", 1)).get(0).text()).contains("version one");
    assertThat(index.retrieve(q("alpha", 1)).get(0).citation().snapshotId()).isEqualTo(s1);

    // The next ingestion builds on the rolled-back content.
    String s3 = index.upsert(List.of(doc("b", "beta arrives"))).snapshotId();
    assertThat(index.documentIds()).containsExactlyInAnyOrder("a", "b");
    assertThat(index.retrieve(q("alpha", 1)).get(0).text()).contains("version one");
    String s4 = index.upsert(List.of(doc("c", "gamma arrives"))).snapshotId();

    assertThat(index.snapshots()).extracting(Snapshot::id).containsExactly(s4, s3, s2);
    assertThatThrownBy(() -> index.search(SearchRequest.of(
        RetrievalQuery.builder("alpha").topK(1).snapshot(s1).build())))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(s1);
    assertThatThrownBy(() -> index.rollback("s999-000000")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anIngestionThatChangesNothingMakesNoSnapshot() {
    DocumentIndex index = open();
    IngestReport first = index.upsert(corpus(5));
    IngestReport again = index.upsert(corpus(5));
    assertThat(again.newSnapshot()).isFalse();
    assertThat(again.unchanged()).isEqualTo(5);
    assertThat(again.snapshotId()).isEqualTo(first.snapshotId());
    assertThat(index.snapshots()).hasSize(1);
  }

  @Test
  void searchesDuringIngestionSeeWholeSnapshots() throws Exception {
    DocumentIndex index = open();
    int docs = 20;
    index.refresh(versioned(docs, 0));
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicInteger searches = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(2);
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread reader = new Thread(() -> {
        started.countDown();
        while (!done.get()) {
          List<RetrievedChunk> hits = index.search(SearchRequest.of(q("release notes", 100), SearchMode.BM25));
          long versions = hits.stream().map(h -> h.text().replaceAll(".*version (\\d+).*", "$1")).distinct().count();
          if (hits.size() != docs || versions != 1) {
            violations.add(hits.size() + " hits, " + versions + " versions");
          }
          searches.incrementAndGet();
        }
      });
      reader.start();
      readers.add(reader);
    }
    started.await(10, TimeUnit.SECONDS);
    for (int v = 1; v <= 15; v++) {
      index.refresh(versioned(docs, v));
    }
    done.set(true);
    for (Thread r : readers) {
      r.join(30_000);
    }
    assertThat(violations).isEmpty();
    assertThat(searches.get()).isPositive();
  }

  private static List<Document> versioned(int n, int version) {
    return IntStream.range(0, n)
        .mapToObj(i -> Document.of("r" + i, "release notes of item " + i + " version " + version + " ok"))
        .toList();
  }

  // ---- fusion and re-ranking -------------------------------------------------------------------------------

  @Test
  void bothFusionsRankADocumentMatchingBothWaysFirst() {
    DocumentIndex index = open();
    index.upsert(corpus(30));
    for (Fusion fusion : List.of(Fusion.reciprocalRank(), Fusion.convex(0.5), Fusion.convex(1.0))) {
      List<RetrievedChunk> hits = index.search(SearchRequest.builder(q("marker m10 volcanic eruptions", 5))
          .mode(SearchMode.HYBRID).fusion(fusion).build());
      assertThat(hits.get(0).citation().documentId()).as("%s", fusion).isEqualTo("d10");
    }
  }

  @Test
  void aRerankerDecidesTheFinalOrder() {
    ScoringModel shortestFirst = new ScoringModel() {
      @Override
      public List<Double> score(String query, List<String> passages) {
        return passages.stream().map(p -> -(double) p.length()).toList();
      }

      @Override
      public String modelId() {
        return "shortest-first";
      }
    };
    DocumentIndex index = open(settings().reranker(shortestFirst, 20).build());
    index.upsert(List.of(Document.of("long", "rivers rivers and a long text about many other things entirely"),
        Document.of("short", "rivers")));
    List<RetrievedChunk> hits = index.search(SearchRequest.of(q("rivers", 2), SearchMode.BM25));
    assertThat(hits).extracting(h -> h.citation().documentId()).containsExactly("short", "long");
    assertThat(hits.get(0).score()).isEqualTo(-6.0);
    List<RetrievedChunk> plain = index.search(SearchRequest.builder(q("rivers", 2)).mode(SearchMode.DENSE)
        .rerank(false).build());
    assertThat(plain.get(0).score()).isPositive();
  }

  @Test
  void ingestionsAndSearchesAreMetered() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DocumentIndex index = open(settings().meterRegistry(meters).build());
    List<Document> docs = new ArrayList<>(corpus(4));
    docs.add(Document.of("empty", ""));
    index.upsert(docs);
    index.upsert(corpus(4));
    index.search(SearchRequest.of(q("marker", 2), SearchMode.HYBRID));
    assertThat(meters.get("llmops.rag.ingest.documents").tag("outcome", "added").counter().count()).isEqualTo(4);
    assertThat(meters.get("llmops.rag.ingest.documents").tag("outcome", "unchanged").counter().count()).isEqualTo(4);
    assertThat(meters.get("llmops.rag.ingest.documents").tag("outcome", "failed").counter().count()).isEqualTo(1);
    assertThat(meters.get("llmops.rag.search").tag("mode", "hybrid").timer().count()).isEqualTo(1);
    assertThat(meters.get("llmops.rag.ingest.embedding").timer().count()).isPositive();
  }

  @Test
  void aClosedIndexRefusesWork() {
    DocumentIndex index = newIndex(settings().build());
    index.upsert(corpus(2));
    index.close();
    assertThatThrownBy(() -> index.retrieve(q("x", 1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.upsert(corpus(1))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmbeddingFailureThatIsNotAboutOneDocumentEndsTheIngestion() {
    AtomicBoolean spent = new AtomicBoolean();
    AtomicInteger refusedCalls = new AtomicInteger();
    EmbeddingModel metered = new EmbeddingModel() {
      @Override
      public EmbeddingResult embedAll(List<String> texts) {
        if (spent.get()) {
          refusedCalls.incrementAndGet();
          throw new QuotaExceededException("the embedding budget of account 42 is spent");
        }
        if (texts.stream().anyMatch(t -> t.contains("poison"))) {
          throw new InvalidRequestException("the model refuses a text of this batch");
        }
        return model.embedAll(texts);
      }

      @Override
      public String modelId() {
        return model.modelId();
      }
    };
    DocumentIndex index = open(settings().embeddingModel(metered).embeddingBatchSize(4).build());
    List<Document> first = new ArrayList<>(corpus(6));
    first.add(3, doc("poisoned", "this text holds poison"));
    IngestReport report = index.upsert(first);
    // A text the model refuses fails its own document only.
    assertThat(report.added()).isEqualTo(6);
    assertThat(report.failures()).extracting(f -> f.documentId()).containsExactly("poisoned");
    String before = report.snapshotId();

    // A spent quota is about every document: the ingestion ends at once and commits nothing.
    spent.set(true);
    assertThatThrownBy(() -> index.upsert(corpus(60))).isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("account 42");
    assertThat(refusedCalls.get()).isEqualTo(1);
    assertThat(index.currentSnapshot().orElseThrow().id()).isEqualTo(before);
    assertThat(index.documentIds()).hasSize(6);
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void aCallerInThousandsOfGroupsCanSearch(SearchMode mode) {
    DocumentIndex index = open();
    index.upsert(List.of(Document.builder("memo", "board memo about the merger").tenant("acme").groups("g1500").build(),
        Document.builder("other", "board memo about the merger, other group").tenant("acme").groups("g-x").build()));
    String[] groups = IntStream.range(0, 2_000).mapToObj(i -> "g" + i).toArray(String[]::new);
    List<RetrievedChunk> hits = index.search(SearchRequest.of(
        RetrievalQuery.builder("board memo merger").topK(5).tenant("acme").groups(groups).build(), mode));
    assertThat(hits).extracting(h -> h.citation().documentId()).containsExactly("memo");
  }

  @Test
  void aLongQueryWithRepeatedWordsIsSearched() {
    DocumentIndex index = open();
    index.upsert(corpus(12));
    // Some 1,200 terms after analysis, a few of them distinct: a pasted passage rather than a question.
    String passage = "marker m7 and the filler sentence keeps going. ".repeat(200);
    List<RetrievedChunk> hits = index.search(SearchRequest.of(q(passage, 3), SearchMode.BM25));
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).citation().documentId()).isEqualTo("d7");
  }

  @Test
  void aQueryWithMoreDistinctTermsThanTheClauseLimitKeepsItsMostFrequentOnes() {
    DocumentIndex index = open();
    index.upsert(corpus(12));
    // 2,000 distinct words no document has, then the two that find d7, each three times: past the 1,024-clause limit
    // of Lucene and Solr, the most frequent terms stay, not the first ones.
    String query = IntStream.range(0, 2_000).mapToObj(i -> "zq" + i + "x").collect(Collectors.joining(" "))
        + " marker m7 m7 marker m7 marker";
    List<RetrievedChunk> hits = index.search(SearchRequest.of(q(query, 3), SearchMode.BM25));
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).citation().documentId()).isEqualTo("d7");
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void aTopKBeyondTheIndexSizeReturnsEveryMatch(SearchMode mode) {
    DocumentIndex index = open();
    index.upsert(corpus(5));
    int chunks = index.currentSnapshot().orElseThrow().chunks();
    List<RetrievedChunk> all = index.search(SearchRequest.of(q("marker", Integer.MAX_VALUE), mode));
    assertThat(all).isNotEmpty().hasSizeLessThanOrEqualTo(chunks);
    if (mode == SearchMode.DENSE) {
      assertThat(all).hasSize(chunks);
    }
    List<RetrievedChunk> documents = index.search(SearchRequest.builder(q("marker", Integer.MAX_VALUE / 2)).mode(mode)
        .candidates(Integer.MAX_VALUE).onePerDocument(true).build());
    assertThat(documents).extracting(h -> h.citation().documentId()).containsExactlyInAnyOrder("d0", "d1", "d2", "d3",
        "d4");
  }

  @Test
  void reRankingOneChunkPerDocumentStillFillsTopK() {
    ScoringModel shortestFirst = new ScoringModel() {
      @Override
      public List<Double> score(String query, List<String> passages) {
        return passages.stream().map(p -> -(double) p.length()).toList();
      }

      @Override
      public String modelId() {
        return "shortest-first";
      }
    };
    DocumentIndex index = open(settings().reranker(shortestFirst, 2).build());
    List<Document> docs = new ArrayList<>();
    docs.add(Document.of("big", "The harbour harbour harbour has cranes and ships. ".repeat(40)));
    for (int i = 0; i < 5; i++) {
      docs.add(Document.of("small" + i, "A small town " + i + " with an old harbour and a market square."));
    }
    index.upsert(docs);
    // The best chunks all belong to one long document; the re-ranker must still see four documents.
    List<RetrievedChunk> hits = index.search(SearchRequest.builder(q("harbour", 4)).mode(SearchMode.BM25)
        .onePerDocument(true).build());
    assertThat(hits).hasSize(4);
    assertThat(hits).extracting(h -> h.citation().documentId()).doesNotHaveDuplicates().contains("big");
    assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
  }

  @Test
  void aReRankerScoreThatIsNotANumberIsReportedRatherThanRankedFirst() {
    ScoringModel broken = new ScoringModel() {
      @Override
      public List<Double> score(String query, List<String> passages) {
        return passages.stream().map(p -> p.contains("glitch") ? Double.NaN : 1.0).toList();
      }

      @Override
      public String modelId() {
        return "glitchy-reranker";
      }
    };
    DocumentIndex index = open(settings().reranker(broken, 10).build());
    index.upsert(List.of(Document.of("good", "rivers and lakes"), Document.of("bad", "rivers glitch")));
    assertThatThrownBy(() -> index.search(SearchRequest.of(q("rivers", 2), SearchMode.BM25)))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("glitchy-reranker")
        .hasMessageContaining("NaN");
  }
}
