package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserAccountTest {
  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9p debian@host";
  private static final String HASH =
      "$y$j9T$abcdefghijklmnopqrstu.$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef/";

  @Test
  void aUserWithAKeyAndAHashIsKept() {
    UserAccount u = new UserAccount("debian", List.of("sudo"), true, HASH, List.of(KEY));
    assertEquals(List.of(KEY), u.sshAuthorizedKeys());
    assertEquals(HASH, u.passwordHash());
  }

  @Test
  void anSshKeyWithANewlineWouldInjectASecondLineAndIsRefused() {
    String injected = "ssh-ed25519 AAAA me\nssh-rsa BBBB evil";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UserAccount("debian", List.of(), false, null, List.of(injected)));
    assertEquals(
        "invalid SSH key 'ssh-ed25519 AAAA me\\nssh-rsa BBBB evil'"
            + " of user 'debian' (expected one authorized_keys line such as 'ssh-ed25519 AAAA... comment':"
            + " no line breaks or control characters, at most 16384 characters)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new UserAccount("debian", List.of(), false, null, List.of(KEY + "\r")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new UserAccount("debian", List.of(), false, null, List.of("  ")));
  }

  @Test
  void aPasswordHashWithAColonOrNewlineIsRefusedQuotingIt() {
    IllegalArgumentException colon =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UserAccount("debian", List.of(), false, "$6$salt$hash:0:99999", List.of()));
    assertEquals(
        "invalid password hash '$6$salt$hash:0:99999' for user 'debian' (expected a crypt(3) hash such as"
            + " $y$j9T$SALT$HASH: '$' and the characters a-z A-Z 0-9 . / = , + - only, no ':' or line break)",
        colon.getMessage());
    IllegalArgumentException newline =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new UserAccount("debian", List.of(), false, "$6$salt$hash\nroot::0:0", List.of()));
    assertEquals(
        true,
        newline.getMessage().startsWith("invalid password hash '$6$salt$hash\\nroot::0:0'"),
        newline.getMessage());
  }

  @Test
  void commonCryptFormatsPass() {
    for (String h :
        List.of(
            HASH,
            "$6$rounds=5000$saltsalt$Jx0Y1fQ2/abc.DEF",
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "$1$salt$qJH7.N4xYta3aEG/dfqo/0")) {
      assertEquals(h, new UserAccount("debian", List.of(), false, h, List.of()).passwordHash());
    }
  }
}
