/**
 * Fixture images for JUnit 5: {@link io.imagebuilder.testing.ImageFixture} declares one from an
 * {@link io.imagebuilder.api.ImageBuilder} in a line, builds it once per test run (shared by every
 * class and forked JVM that declares the same image) and reuses it across runs from the stage
 * cache; {@link io.imagebuilder.testing.FixtureRoot} runs commands inside it and reads and copies
 * its files.
 */
package io.imagebuilder.testing;
