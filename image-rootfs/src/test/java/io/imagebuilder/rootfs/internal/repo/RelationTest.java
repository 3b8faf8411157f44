package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.rootfs.internal.version.DebianVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelationTest {

  @Test
  void parsesADependsField() {
    List<Relation> rels =
        Relation.parseList(
            "libc6 (>= 2.34), libgcc-s1 (>= 3.0) | libgcc1,\n python3:any, debconf (>= 0.5) | debconf-2.0");
    assertEquals(4, rels.size());
    Alternative libc = rels.get(0).alternatives().get(0);
    assertEquals("libc6", libc.name());
    assertEquals(Alternative.Operator.GREATER_OR_EQUAL, libc.operator());
    assertEquals(DebianVersion.parse("2.34"), libc.version());
    assertEquals(2, rels.get(1).alternatives().size());
    assertEquals("libgcc1", rels.get(1).alternatives().get(1).name());
    assertNull(rels.get(1).alternatives().get(1).operator());
    Alternative py = rels.get(2).alternatives().get(0);
    assertEquals("python3", py.name());
    assertEquals("any", py.archQualifier());
    assertEquals("debconf (>= 0.5) | debconf-2.0", rels.get(3).toString());
  }

  @Test
  void parsesAllOperatorsAndTheObsoleteOnes() {
    assertEquals(
        Alternative.Operator.LESS, Relation.parse("a (<< 1)").alternatives().get(0).operator());
    assertEquals(
        Alternative.Operator.LESS_OR_EQUAL,
        Relation.parse("a (<= 1)").alternatives().get(0).operator());
    assertEquals(
        Alternative.Operator.EQUAL, Relation.parse("a (= 1)").alternatives().get(0).operator());
    assertEquals(
        Alternative.Operator.GREATER, Relation.parse("a (>>1)").alternatives().get(0).operator());
    assertEquals(
        Alternative.Operator.LESS_OR_EQUAL,
        Relation.parse("a (< 1)").alternatives().get(0).operator());
    assertEquals(
        Alternative.Operator.GREATER_OR_EQUAL,
        Relation.parse("a (> 1)").alternatives().get(0).operator());
  }

  @Test
  void versionConstraintsFollowDebianOrder() {
    Alternative a = Relation.parse("libapt-pkg6.0 (>= 2.6.1)").alternatives().get(0);
    assertTrue(a.acceptsVersion(DebianVersion.parse("2.6.1")));
    assertTrue(a.acceptsVersion(DebianVersion.parse("2.6.10")));
    assertFalse(a.acceptsVersion(DebianVersion.parse("2.6.1~rc1")));
    Alternative lt = Relation.parse("foo (<< 2.0~)").alternatives().get(0);
    assertTrue(lt.acceptsVersion(DebianVersion.parse("1.9")));
    assertFalse(lt.acceptsVersion(DebianVersion.parse("2.0~rc1")));
  }

  @Test
  void architectureListsRestrictAlternatives() {
    Relation r =
        Relation.parse("libc6-dev [amd64 arm64] | libc6.1-dev [!amd64 !arm64 !armhf] <!nocheck>");
    assertEquals(List.of("libc6-dev"), names(r.alternativesFor("amd64")));
    assertEquals(List.of("libc6.1-dev"), names(r.alternativesFor("riscv64")));
    assertTrue(r.alternativesFor("armhf").isEmpty());
    assertTrue(Relation.parse("foo [linux-any]").alternatives().get(0).appliesTo("arm64"));
    assertTrue(Relation.parse("foo [any-arm]").alternatives().get(0).appliesTo("armhf"));
    assertFalse(Relation.parse("foo [any-arm]").alternatives().get(0).appliesTo("arm64"));
  }

  @Test
  void dropsBuildProfilesAndTrailingCommas() {
    List<Relation> rels = Relation.parseList("a <!nocheck> <stage1 cross>, b (>= 1) <!nodoc>,");
    assertEquals(2, rels.size());
    assertEquals("a", rels.get(0).toString());
    assertEquals("b (>= 1)", rels.get(1).toString());
  }

  @Test
  void emptyFieldsHaveNoRelations() {
    assertTrue(Relation.parseList(null).isEmpty());
    assertTrue(Relation.parseList("  ").isEmpty());
  }

  @Test
  void rejectsMalformedRelationsQuotingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Relation.parseList("a (~> 1)"));
    assertTrue(e.getMessage().contains("'a (~> 1)'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Relation.parseList("a (>= )"));
    assertThrows(IllegalArgumentException.class, () -> Relation.parseList("Foo"));
    assertThrows(IllegalArgumentException.class, () -> Relation.parseList("a | , b"));
    assertThrows(IllegalArgumentException.class, () -> Relation.parseList("a [amd64 !i386]"));
    IllegalArgumentException v =
        assertThrows(IllegalArgumentException.class, () -> Relation.parseList("a (>= x1)"));
    assertTrue(v.getMessage().contains("'x1'"), v.getMessage());
  }

  @Test
  void parsesProvides() {
    List<Provide> p = Provide.parseList("awk, libfoo-abi-2 (= 2.1-1), perl-base:any");
    assertEquals("awk", p.get(0).name());
    assertNull(p.get(0).version());
    assertEquals(DebianVersion.parse("2.1-1"), p.get(1).version());
    assertThrows(IllegalArgumentException.class, () -> Provide.parseList("a (>= 1)"));
    assertThrows(IllegalArgumentException.class, () -> Provide.parseList("a | b"));
  }

  private static List<String> names(List<Alternative> alts) {
    return alts.stream().map(Alternative::name).toList();
  }
}
