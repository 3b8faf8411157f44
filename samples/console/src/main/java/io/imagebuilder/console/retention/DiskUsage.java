package io.imagebuilder.console.retention;

import io.imagebuilder.api.BuildCache;
import java.util.List;
import java.util.Map;

/**
 * What uses the console's disk space.
 *
 * @param artifactBytes bytes of every build's artifacts
 * @param logBytes bytes of every build's log
 * @param artifactBytesPerAccount artifact bytes by the account that submitted them
 * @param artifactBytesPerTrigger artifact bytes by trigger ("" for builds without one)
 * @param cache the library's cache, part by part
 * @param cacheMaxBytes the cap its evictable parts are collected down to
 * @param dataDir the console's data directory
 * @param freeBytes usable space left on the data directory's file system
 * @param totalBytes that file system's size
 * @param nextRetention what the next retention run would remove
 */
public record DiskUsage(
    long artifactBytes,
    long logBytes,
    Map<String, Long> artifactBytesPerAccount,
    Map<String, Long> artifactBytesPerTrigger,
    List<BuildCache.Area> cache,
    long cacheMaxBytes,
    String dataDir,
    long freeBytes,
    long totalBytes,
    List<Retention.Pending> nextRetention) {}
