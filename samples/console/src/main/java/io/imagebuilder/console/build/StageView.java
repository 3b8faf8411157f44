package io.imagebuilder.console.build;

/**
 * One stage of a build as the library's events reported it.
 *
 * @param index its place in the plan, from 1
 * @param type the stage type, e.g. {@code rootfs.bootstrap}
 * @param id the stage id
 * @param summary what it does
 * @param status RUNNING, SUCCEEDED or FAILED
 * @param durationMillis how long it ran, or null while it runs
 * @param message why it failed, or null
 */
public record StageView(
    int index,
    String type,
    String id,
    String summary,
    String status,
    Long durationMillis,
    String message) {}
