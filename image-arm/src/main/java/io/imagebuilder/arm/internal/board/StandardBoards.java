package io.imagebuilder.arm.internal.board;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.BoardProvider;
import io.imagebuilder.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The boards shipped with image-arm: one JSON resource each under {@code
 * io/imagebuilder/arm/boards/}, listed in {@code index.txt} there (a jar cannot be listed).
 */
public final class StandardBoards implements BoardProvider {
  private static final String DIR = "/io/imagebuilder/arm/boards/";

  @Override
  public List<Board> boards() {
    List<Board> out = new ArrayList<>();
    for (String id : read("index.txt").split("\n")) {
      if (!id.isBlank()) {
        out.add(
            Json.read(read(id.strip() + ".json"), BoardDefinition.class, "board " + id.strip()));
      }
    }
    return out;
  }

  private static String read(String name) {
    try (InputStream in = StandardBoards.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing board resource " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read board resource " + DIR + name, e);
    }
  }
}
