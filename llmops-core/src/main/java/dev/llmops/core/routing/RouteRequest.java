package dev.llmops.core.routing;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatRequest;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One call through the {@link Router}.
 *
 * @param route the route's name, such as {@code support-bot}
 * @param request the conversation and sampling parameters; the chosen release's generation parameters are
 *     applied over it
 * @param unitId who the call is for (user, session), for sticky assignment to a release: the same unit always
 *     gets the same release while the weights stay; {@code null} assigns each call afresh
 * @param tenant the tenant, for per-tenant limits and budgets and to keep cached answers apart; or {@code null}
 * @param apiKey the caller's API key, for per-key limits (only a hash of it is stored); or {@code null}
 * @param accessGroups the caller's access groups; a cached answer is served only to the same set
 * @param cacheable whether the response cache may serve or keep this call's answer
 */
public record RouteRequest(
    String route,
    ChatRequest request,
    @Nullable String unitId,
    @Nullable String tenant,
    @Nullable String apiKey,
    Set<String> accessGroups,
    boolean cacheable) {

  /** Validates and copies. */
  public RouteRequest {
    if (route == null || route.isBlank()) {
      throw new InvalidRequestException("a route request needs a route name but got " + (route == null ? "null" : "'" + route + "'"));
    }
    Objects.requireNonNull(request, "request");
    accessGroups = Set.copyOf(new TreeSet<>(accessGroups));
  }

  /** A call to {@code route} with no unit, tenant or key. */
  public static RouteRequest of(String route, ChatRequest request) {
    return builder(route, request).build();
  }

  /** Starts a request to {@code route}. */
  public static Builder builder(String route, ChatRequest request) {
    return new Builder(route, request);
  }

  /** Builds a {@link RouteRequest}. */
  public static final class Builder {
    private final String route;
    private final ChatRequest request;
    private @Nullable String unitId;
    private @Nullable String tenant;
    private @Nullable String apiKey;
    private Set<String> accessGroups = Set.of();
    private boolean cacheable = true;

    private Builder(String route, ChatRequest request) {
      this.route = route;
      this.request = request;
    }

    /** The unit (user, session) for sticky assignment. */
    public Builder unit(@Nullable String unitId) {
      this.unitId = unitId;
      return this;
    }

    /** The tenant. */
    public Builder tenant(@Nullable String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** The caller's API key. */
    public Builder apiKey(@Nullable String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The caller's access groups. */
    public Builder accessGroups(Set<String> groups) {
      this.accessGroups = Objects.requireNonNull(groups, "groups");
      return this;
    }

    /** Whether the response cache may serve or keep this call's answer (default true). */
    public Builder cacheable(boolean cacheable) {
      this.cacheable = cacheable;
      return this;
    }

    /** The request. */
    public RouteRequest build() {
      return new RouteRequest(route, request, unitId, tenant, apiKey, accessGroups, cacheable);
    }
  }
}
