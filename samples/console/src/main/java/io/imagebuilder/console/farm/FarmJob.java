package io.imagebuilder.console.farm;

/**
 * A job on an architecture's build queue (JSON, persistent): what a worker needs to build it.
 *
 * @param buildId the console's build id
 * @param imageType the request's image_type, or {@code spec}
 * @param architecture the Debian architecture, the queue's routing key
 * @param specJson the spec's canonical JSON
 * @param trigger the request's progress channel, or ""
 */
public record FarmJob(
    String buildId, String imageType, String architecture, String specJson, String trigger) {}
