package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.LanguageShare;
import dev.llmops.rag.validate.ValidationReport.Languages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {

  static final Map<String, String> PARAGRAPHS = Map.ofEntries(
      Map.entry("en", "The committee met on Tuesday to discuss the budget for the coming year. Most of the members "
          + "agreed that the new library should be built near the river, but there was no decision on how it would "
          + "be paid for."),
      Map.entry("de", "Der Ausschuss hat sich am Dienstag getroffen, um über den Haushalt für das kommende Jahr zu "
          + "sprechen. Die meisten Mitglieder waren sich einig, dass die neue Bibliothek in der Nähe des Flusses "
          + "gebaut werden soll, aber es gab noch keine Entscheidung über die Finanzierung."),
      Map.entry("fr", "Le comité s'est réuni mardi pour discuter du budget de l'année prochaine. La plupart des "
          + "membres étaient d'accord pour que la nouvelle bibliothèque soit construite près de la rivière, mais il "
          + "n'y a pas encore de décision sur son financement."),
      Map.entry("es", "El comité se reunió el martes para discutir el presupuesto del próximo año. La mayoría de los "
          + "miembros estuvo de acuerdo en que la nueva biblioteca se construya cerca del río, pero todavía no hay "
          + "una decisión sobre cómo se va a pagar."),
      Map.entry("it", "Il comitato si è riunito martedì per discutere il bilancio del prossimo anno. La maggior parte "
          + "dei membri era d'accordo che la nuova biblioteca sia costruita vicino al fiume, ma non c'è ancora una "
          + "decisione su come sarà pagata."),
      Map.entry("pt", "O comitê se reuniu na terça-feira para discutir o orçamento do próximo ano. A maioria dos "
          + "membros concordou que a nova biblioteca deve ser construída perto do rio, mas ainda não há uma decisão "
          + "sobre como ela será paga."),
      Map.entry("nl", "De commissie kwam op dinsdag bijeen om de begroting voor het komende jaar te bespreken. De "
          + "meeste leden waren het erover eens dat de nieuwe bibliotheek bij de rivier moet worden gebouwd, maar er "
          + "is nog geen besluit over hoe die wordt betaald."),
      Map.entry("ru", "Комитет собрался во вторник, чтобы обсудить бюджет на следующий год."),
      Map.entry("uk", "Комітет зібрався у вівторок, щоб обговорити бюджет на наступний рік. Більшість членів "
          + "погодилися, що нова бібліотека має бути збудована біля річки."),
      Map.entry("el", "Η επιτροπή συνεδρίασε την Τρίτη για να συζητήσει τον προϋπολογισμό του επόμενου έτους."),
      Map.entry("ar", "اجتمعت اللجنة يوم الثلاثاء لمناقشة ميزانية العام المقبل."),
      Map.entry("he", "הוועדה התכנסה ביום שלישי כדי לדון בתקציב של השנה הבאה."),
      Map.entry("hi", "समिति ने अगले साल के बजट पर चर्चा करने के लिए मंगलवार को बैठक की।"),
      Map.entry("zh", "委员会星期二开会讨论明年的预算。大多数成员同意在河边建造新图书馆。"),
      Map.entry("ja", "委員会は火曜日に集まり、来年の予算について話し合いました。"),
      Map.entry("ko", "위원회는 내년 예산을 논의하기 위해 화요일에 모였습니다."),
      Map.entry("th", "คณะกรรมการประชุมกันในวันอังคารเพื่อหารือเกี่ยวกับงบประมาณของปีหน้า"));

  static List<String> languages() {
    return PARAGRAPHS.keySet().stream().sorted().toList();
  }

  @ParameterizedTest
  @MethodSource("languages")
  void aParagraphIsDetected(String language) {
    assertThat(LanguageDetector.builtIn().detect(PARAGRAPHS.get(language))).isEqualTo(language);
    assertThat(LanguageDetector.builtIn().languages()).contains(language);
  }

  @Test
  void tooLittleToTellIsUnknown() {
    LanguageDetector detector = LanguageDetector.builtIn();

    assertThat(detector.detect("")).isEqualTo("unknown");
    assertThat(detector.detect("12345 67890 -- 3.14")).isEqualTo("unknown");
    assertThat(detector.detect("OK")).isEqualTo("unknown");
    assertThat(detector.detect("Lorem ipsum dolor sit amet, consectetur adipiscing elit")).isEqualTo("unknown");
    assertThat(detector.detect("Der Hund and die Katze")).as("no clear winner").isEqualTo("unknown");
    assertThat(detector.detect("你好")).as("under five letters").isEqualTo("unknown");
    assertThat(detector.detect("ሰላም ለዓለም እንዴት ነህ")).as("Ethiopic is not supported").isEqualTo("unknown");
    assertThat(detector.languages()).contains(LanguageDetector.UNKNOWN);
  }

  @Test
  void aGermanAndAFrenchParagraphAreToldApartInACorpus() {
    List<Document> docs = new ArrayList<>(Corpora.englishDocuments("en", 8, 2));
    docs.add(Document.of("german", PARAGRAPHS.get("de")));
    docs.add(Document.of("french", PARAGRAPHS.get("fr")));
    docs.add(Document.of("empty", " "));

    Languages languages = CorpusValidator.defaults().validate(docs).languages();

    assertThat(languages.distribution()).containsExactly(
        new LanguageShare("en", 8, 8 / 11.0),
        new LanguageShare("de", 1, 1 / 11.0),
        new LanguageShare("fr", 1, 1 / 11.0),
        new LanguageShare("unknown", 1, 1 / 11.0));
    assertThat(languages.dominant()).isEqualTo("en");
    assertThat(languages.dominantDocuments()).isEqualTo(8);
    assertThat(languages.dominantShare()).isEqualTo(8 / 11.0);
  }

  @Test
  void theDominantLanguageIgnoresUnknownDocuments() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      docs.add(Document.of("n" + i, "12345 " + i));
    }
    docs.add(Document.of("ja", PARAGRAPHS.get("ja")));

    Languages languages = CorpusValidator.defaults().validate(docs).languages();

    assertThat(languages.distribution().get(0)).isEqualTo(new LanguageShare("unknown", 5, 5 / 6.0));
    assertThat(languages.dominant()).isEqualTo("ja");
    assertThat(languages.dominantShare()).isEqualTo(1 / 6.0);
  }
}
