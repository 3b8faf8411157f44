package io.imagebuilder.console.account;

import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param time when
 * @param account who (the account name)
 * @param action what: login, submit, cancel, account-created, token-created
 * @param target what it was done to (a build id, an account, a token id), or ""
 * @param remoteAddress from where
 */
public record AuditEntry(
    Instant time, String account, String action, String target, String remoteAddress) {}
