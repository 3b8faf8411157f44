package io.imagebuilder.api.event;

import java.time.Duration;

/**
 * A stage that ran to completion.
 *
 * @param type its type
 * @param id its id in the plan
 * @param duration how long it ran
 */
public record CompletedStage(String type, String id, Duration duration) {}
