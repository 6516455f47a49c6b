package dev.llmops.core.routing;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The partition of the {@link ResponseCache} an answer belongs to. An answer cached under one scope is never
 * served under another, neither exactly nor semantically: not to another tenant, not to a caller with another set
 * of access groups, not from another release or route. Two scopes are the same when all four components are equal;
 * the access groups compare as sets, so their order does not matter.
 *
 * @param route the route's name; not blank
 * @param release the release that produced the answers; not blank
 * @param tenant the tenant, or {@code null} for traffic without one (which is a scope of its own, not a wildcard)
 * @param accessGroups the caller's access groups; copied into an unmodifiable set that iterates in sorted order
 */
public record CacheScope(String route, String release, @Nullable String tenant, Set<String> accessGroups) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if {@code route} or {@code release} is blank, naming it
   * @throws NullPointerException if {@code route}, {@code release}, {@code accessGroups} or one of the groups is null
   */
  public CacheScope {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(release, "release");
    if (route.isBlank()) {
      throw new IllegalArgumentException("a cache scope needs a route name but got '" + route + "'");
    }
    if (release.isBlank()) {
      throw new IllegalArgumentException("a cache scope of route '" + route + "' needs a release but got '" + release + "'");
    }
    Objects.requireNonNull(accessGroups, "accessGroups");
    TreeSet<String> sorted = new TreeSet<>();
    for (String group : accessGroups) {
      sorted.add(Objects.requireNonNull(group, "an access group of the cache scope is null"));
    }
    accessGroups = Collections.unmodifiableSortedSet(sorted);
  }

  /**
   * The scope of {@code request}'s answers when {@code release} serves it: its route, tenant and access groups.
   *
   * @param request the routed call
   * @param release the release chosen for it
   * @return the scope
   * @throws IllegalArgumentException if {@code release} is blank
   */
  public static CacheScope of(RouteRequest request, String release) {
    return new CacheScope(request.route(), release, request.tenant(), request.accessGroups());
  }
}
