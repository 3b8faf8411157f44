package io.imagebuilder.console.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * What an image is, from the index or its embedded manifest.
 *
 * @param sha256 the hash looked up (or the uploaded file's)
 * @param source INDEX or EMBEDDED
 * @param specHash the spec's hash
 * @param spec the spec's canonical JSON: submitting it builds the image again
 * @param indexedAt when the index recorded the build, or null
 * @param manifestJson the manifest (not in the JSON answer: see the build's manifest)
 * @param build the console's build that made it, or null
 */
public record LookupView(
    String sha256,
    String source,
    String specHash,
    @JsonRawValue String spec,
    String indexedAt,
    @JsonIgnore String manifestJson,
    String build) {}
