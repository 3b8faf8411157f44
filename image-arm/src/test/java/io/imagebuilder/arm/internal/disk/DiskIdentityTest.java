package io.imagebuilder.arm.internal.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class DiskIdentityTest {
  @Test
  void theSameSpecHashGivesTheSameIdsAndAnotherGivesOthers() {
    DiskIdentity a = new DiskIdentity("aa");
    assertEquals(a.filesystemUuid("root"), new DiskIdentity("aa").filesystemUuid("root"));
    assertEquals(a.mbrSignature(), new DiskIdentity("aa").mbrSignature());
    assertNotEquals(a.filesystemUuid("root"), new DiskIdentity("ab").filesystemUuid("root"));
    assertNotEquals(a.filesystemUuid("root"), a.filesystemUuid("esp"));
    assertNotEquals(a.filesystemUuid("root"), a.partitionGuid("root"));
    assertNotEquals(a.filesystemUuid("root"), a.hashSeed("root"));
  }

  @Test
  void idsAreVersion5Rfc4122Uuids() {
    UUID u = new DiskIdentity("aa").partitionGuid("esp");
    assertEquals(5, u.version());
    assertEquals(2, u.variant());
  }

  @Test
  void aFatVolumeIdIsEightHexDigitsShownAsLinuxDoes() {
    String id = new DiskIdentity("aa").fatVolumeId("esp");
    assertEquals(8, id.length());
    assertEquals(
        id.substring(0, 4).toUpperCase() + "-" + id.substring(4).toUpperCase(),
        DiskIdentity.fatUuidForm(id));
  }

  @Test
  void anEmptySpecHashIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new DiskIdentity(" "));
  }
}
