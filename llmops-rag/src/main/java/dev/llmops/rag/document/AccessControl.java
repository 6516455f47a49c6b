package dev.llmops.rag.document;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Who may retrieve a document: its tenant and the groups it is restricted to. Indexes enforce it inside the
 * query, so a caller never sees, counts or is starved by documents outside its scope.
 *
 * <p>A caller with tenant {@code t} and groups {@code G} sees a document when the document's tenant equals
 * {@code t} (a document without a tenant is seen only by callers without a tenant) and the document has no
 * groups or shares at least one with {@code G}.
 *
 * @param tenant the owning tenant, or {@code null} for a document outside every tenant; not blank, no control
 *     characters
 * @param groups the groups allowed to read it; empty means everyone in the tenant; none blank or with control
 *     characters
 */
public record AccessControl(@Nullable String tenant, Set<String> groups) {

  /** No tenant and no groups: visible to callers without a tenant. */
  public static final AccessControl PUBLIC = new AccessControl(null, Set.of());

  /** Validates and copies; groups are kept sorted. */
  public AccessControl {
    if (tenant != null && (tenant.isBlank() || hasControlCharacter(tenant))) {
      throw new IllegalArgumentException("a tenant must not be blank or contain control characters but was '"
          + tenant.replaceAll("\\p{Cntrl}", "?") + "'; use null for no tenant");
    }
    for (String g : groups) {
      if (g == null || g.isBlank() || hasControlCharacter(g)) {
        throw new IllegalArgumentException("a group must not be null, blank or contain control characters but groups "
            + "were " + String.valueOf(groups).replaceAll("\\p{Cntrl}", "?"));
      }
    }
    groups = java.util.Collections.unmodifiableSet(new TreeSet<>(groups));
  }

  /** Indexes keep internal markers that start with a control character, so no real name may contain one. */
  private static boolean hasControlCharacter(String name) {
    return name.chars().anyMatch(Character::isISOControl);
  }

  /** A document of {@code tenant} that everyone in the tenant may read. */
  public static AccessControl tenant(String tenant) {
    return new AccessControl(tenant, Set.of());
  }

  /** This scope restricted to {@code groups} (replacing any groups it had). */
  public AccessControl withGroups(String... groups) {
    return new AccessControl(tenant, Set.copyOf(Arrays.asList(groups)));
  }

  /** This scope restricted to {@code groups} (replacing any groups it had). */
  public AccessControl withGroups(Collection<String> groups) {
    return new AccessControl(tenant, Set.copyOf(groups));
  }

  /**
   * Whether a caller may read a document with this access control.
   *
   * @param callerTenant the caller's tenant, or {@code null}
   * @param callerGroups the caller's groups
   * @return true when the tenants are equal and the groups allow it
   */
  public boolean allows(@Nullable String callerTenant, Set<String> callerGroups) {
    if (!java.util.Objects.equals(tenant, callerTenant)) {
      return false;
    }
    if (groups.isEmpty()) {
      return true;
    }
    for (String g : callerGroups) {
      if (groups.contains(g)) {
        return true;
      }
    }
    return false;
  }
}
