package dev.llmops.rag.validate;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The limits a corpus must stay within for its {@link ValidationReport} to pass: the most documents, as a share of
 * all documents (0 to 1), that each check may flag, and optionally which languages must dominate or are allowed.
 * A share is exceeded when it is strictly greater than its limit, so a limit of 0 allows none.
 *
 * <p>Each share counts the documents a fix would remove or repair: for duplicate ids and exact and near
 * duplicates, every document but one of each id or group.
 *
 * <p>Immutable; {@link #defaults()}, {@link #reportOnly()}, or {@link #builder()}.
 *
 * @param maxEmptyShare documents blank after trimming; default 0, since an empty document is always a loader fault
 * @param maxShortShare non-empty documents under the validator's minimum words; default 0.05
 * @param maxDuplicateIdShare documents whose id an earlier document already has; default 0, since the index would
 *     keep only one of them
 * @param maxExactDuplicateShare documents whose normalised text equals an earlier document's; default 0.05 (boiler
 *     plate pages and mirrored files are common and harmless at that level, beyond it they crowd search results)
 * @param maxNearDuplicateShare documents in near-duplicate groups beyond one per group; default 0.05, as for exact
 *     duplicates
 * @param maxEncodingProblemShare documents with any {@link EncodingIssue}; default 0, since encoding damage is
 *     systematic (a loader reading the wrong charset) and is fixed at the source rather than tolerated
 * @param maxOutlierShare documents of outlying length; default 0.01 (three interquartile ranges on a log scale is
 *     far out, more than 1% of such documents means a loader splits or merges wrongly)
 * @param minDominantLanguageShare the least share of all documents (unknown ones included) that the most common
 *     known language must have, or {@code null} for no minimum (the default)
 * @param allowedLanguages the languages documents may be in, as the validator's {@link LanguageDetector} names them;
 *     empty (the default) allows all. Documents of unknown language are never counted against it
 * @param maxDisallowedLanguageShare documents detected in a language outside {@code allowedLanguages}; default 0.01,
 *     which leaves room for the detector's mistakes on mixed or short texts
 */
public record ValidationThresholds(
    double maxEmptyShare,
    double maxShortShare,
    double maxDuplicateIdShare,
    double maxExactDuplicateShare,
    double maxNearDuplicateShare,
    double maxEncodingProblemShare,
    double maxOutlierShare,
    @Nullable Double minDominantLanguageShare,
    Set<String> allowedLanguages,
    double maxDisallowedLanguageShare) {

  /** Validates every share and copies the languages, sorted. */
  public ValidationThresholds {
    requireShare("maxEmptyShare", maxEmptyShare);
    requireShare("maxShortShare", maxShortShare);
    requireShare("maxDuplicateIdShare", maxDuplicateIdShare);
    requireShare("maxExactDuplicateShare", maxExactDuplicateShare);
    requireShare("maxNearDuplicateShare", maxNearDuplicateShare);
    requireShare("maxEncodingProblemShare", maxEncodingProblemShare);
    requireShare("maxOutlierShare", maxOutlierShare);
    if (minDominantLanguageShare != null) {
      requireShare("minDominantLanguageShare", minDominantLanguageShare);
    }
    for (String language : allowedLanguages) {
      if (language == null || language.isBlank()) {
        throw new IllegalArgumentException("an allowed language must not be null or blank but allowedLanguages were "
            + allowedLanguages);
      }
    }
    allowedLanguages = Collections.unmodifiableSet(new TreeSet<>(allowedLanguages));
    requireShare("maxDisallowedLanguageShare", maxDisallowedLanguageShare);
  }

  /** The defaults listed with the components. */
  public static ValidationThresholds defaults() {
    return builder().build();
  }

  /** Limits that no corpus with at least one document exceeds: every check only reports. */
  public static ValidationThresholds reportOnly() {
    return new ValidationThresholds(1, 1, 1, 1, 1, 1, 1, null, Set.of(), 1);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder()
        .maxEmptyShare(maxEmptyShare)
        .maxShortShare(maxShortShare)
        .maxDuplicateIdShare(maxDuplicateIdShare)
        .maxExactDuplicateShare(maxExactDuplicateShare)
        .maxNearDuplicateShare(maxNearDuplicateShare)
        .maxEncodingProblemShare(maxEncodingProblemShare)
        .maxOutlierShare(maxOutlierShare)
        .allowedLanguages(allowedLanguages)
        .maxDisallowedLanguageShare(maxDisallowedLanguageShare);
    b.minDominantLanguageShare = minDominantLanguageShare;
    return b;
  }

  private static double requireShare(String name, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException(name + " must be a share between 0 and 1 but was " + share);
    }
    return share;
  }

  /** Builds {@link ValidationThresholds}; every setter rejects a bad value at once, naming it. Not thread-safe. */
  public static final class Builder {
    private double maxEmptyShare = 0;
    private double maxShortShare = 0.05;
    private double maxDuplicateIdShare = 0;
    private double maxExactDuplicateShare = 0.05;
    private double maxNearDuplicateShare = 0.05;
    private double maxEncodingProblemShare = 0;
    private double maxOutlierShare = 0.01;
    private @Nullable Double minDominantLanguageShare;
    private Set<String> allowedLanguages = Set.of();
    private double maxDisallowedLanguageShare = 0.01;

    private Builder() {}

    /** See {@link ValidationThresholds#maxEmptyShare()}. */
    public Builder maxEmptyShare(double share) {
      maxEmptyShare = requireShare("maxEmptyShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#maxShortShare()}. */
    public Builder maxShortShare(double share) {
      maxShortShare = requireShare("maxShortShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#maxDuplicateIdShare()}. */
    public Builder maxDuplicateIdShare(double share) {
      maxDuplicateIdShare = requireShare("maxDuplicateIdShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#maxExactDuplicateShare()}. */
    public Builder maxExactDuplicateShare(double share) {
      maxExactDuplicateShare = requireShare("maxExactDuplicateShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#maxNearDuplicateShare()}. */
    public Builder maxNearDuplicateShare(double share) {
      maxNearDuplicateShare = requireShare("maxNearDuplicateShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#maxEncodingProblemShare()}. */
    public Builder maxEncodingProblemShare(double share) {
      maxEncodingProblemShare = requireShare("maxEncodingProblemShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#maxOutlierShare()}. */
    public Builder maxOutlierShare(double share) {
      maxOutlierShare = requireShare("maxOutlierShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#minDominantLanguageShare()}. */
    public Builder minDominantLanguageShare(double share) {
      minDominantLanguageShare = requireShare("minDominantLanguageShare", share);
      return this;
    }

    /** See {@link ValidationThresholds#allowedLanguages()}; replaces the languages set so far. */
    public Builder allowedLanguages(String... languages) {
      return allowedLanguages(Arrays.asList(languages));
    }

    /** See {@link ValidationThresholds#allowedLanguages()}; replaces the languages set so far. */
    public Builder allowedLanguages(Collection<String> languages) {
      for (String language : languages) {
        if (language == null || language.isBlank()) {
          throw new IllegalArgumentException("an allowed language must not be null or blank but languages were "
              + languages);
        }
      }
      allowedLanguages = Set.copyOf(languages);
      return this;
    }

    /** See {@link ValidationThresholds#maxDisallowedLanguageShare()}. */
    public Builder maxDisallowedLanguageShare(double share) {
      maxDisallowedLanguageShare = requireShare("maxDisallowedLanguageShare", share);
      return this;
    }

    /** Builds the limits. */
    public ValidationThresholds build() {
      return new ValidationThresholds(maxEmptyShare, maxShortShare, maxDuplicateIdShare, maxExactDuplicateShare,
          maxNearDuplicateShare, maxEncodingProblemShare, maxOutlierShare, minDominantLanguageShare, allowedLanguages,
          maxDisallowedLanguageShare);
    }
  }
}
