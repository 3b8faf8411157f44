package io.imagebuilder.console.account;

import java.time.Instant;

/**
 * An API token as the store keeps it: never the token, only its hash.
 *
 * @param id a short public id to tell the tokens apart (in the audit log, for example)
 * @param sha256 the hex sha256 of the token
 * @param createdAt when it was made
 */
public record ApiToken(String id, String sha256, Instant createdAt) {}
