package io.imagebuilder.console.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An account's e-mail address: one plain address, nothing a mail header could be bent with. */
class AccountEmailTest {
  @ParameterizedTest
  @ValueSource(strings = {"erin@example.org", "e.r+builds@mail.example.co.uk", "x_1@a-b.de"})
  void aPlainAddressIsTaken(String email) {
    assertEquals(email, Account.checkEmail(email));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void blankIsNoAddress(String email) {
    assertNull(Account.checkEmail(email));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "erin",
        "erin@",
        "@example.org",
        "erin@localhost",
        "erin@example.org\r\nBcc: all@example.org",
        "erin@example.org, eve@example.org",
        "Erin <erin@example.org>",
        "er in@example.org",
        "erin@exa_mple.org",
        "erin@-example.org",
        "erin@example..org",
        "\"erin\"@example.org"
      })
  void anythingElseIsRefusedNamingTheValue(String email) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Account.checkEmail(email));
    assertTrue(e.getMessage().contains("invalid e-mail address '" + email + "'"), e.getMessage());
  }

  @Test
  void anOverlongAddressIsRefused() {
    String email = "a@" + ("b".repeat(60) + ".").repeat(5) + "org";
    assertThrows(IllegalArgumentException.class, () -> Account.checkEmail(email));
  }
}
