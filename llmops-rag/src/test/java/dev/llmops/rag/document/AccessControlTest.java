package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessControlTest {

  @Test
  void aCallerSeesItsTenantAndSharedGroupsOnly() {
    AccessControl hr = AccessControl.tenant("acme").withGroups("hr", "legal");
    assertThat(hr.allows("acme", Set.of("legal"))).isTrue();
    assertThat(hr.allows("acme", Set.of("eng"))).isFalse();
    assertThat(hr.allows("globex", Set.of("hr"))).isFalse();
    assertThat(hr.allows(null, Set.of("hr"))).isFalse();
    assertThat(AccessControl.tenant("acme").allows("acme", Set.of())).isTrue();
    assertThat(AccessControl.PUBLIC.allows(null, Set.of())).isTrue();
    assertThat(AccessControl.PUBLIC.allows("acme", Set.of())).isFalse();
  }

  @Test
  void namesThatCouldPoseAsInternalMarkersAreRefused() {
    assertThatThrownBy(() -> AccessControl.tenant("\u0000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters");
    assertThatThrownBy(() -> AccessControl.tenant("acme").withGroups("\u0000any"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    assertThatThrownBy(() -> AccessControl.tenant(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(AccessControl.tenant("acme").withGroups("b", "a").groups()).containsExactly("a", "b");
  }
}
