package io.imagebuilder.api.board;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Lists and finds the boards on the classpath. */
public final class Boards {
  private Boards() {}

  /** {@return every board, sorted by id} */
  public static List<Board> all() {
    List<Board> out = new ArrayList<>();
    for (BoardProvider p : ServiceLoader.load(BoardProvider.class)) {
      out.addAll(p.boards());
    }
    out.sort(Comparator.comparing(Board::id));
    return List.copyOf(out);
  }

  /**
   * The board called {@code id}, if a provider on the classpath has it.
   *
   * @param id a board id such as {@code qemu-arm64}
   * @return the board, or empty
   */
  public static Optional<Board> lookup(String id) {
    return all().stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /**
   * The board called {@code id}.
   *
   * @param id a board id such as {@code qemu-arm64}
   * @return the board
   * @throws IllegalArgumentException naming the id and the known boards
   */
  public static Board find(String id) {
    return lookup(id)
        .orElseThrow(
            () -> {
              List<Board> all = all();
              String known =
                  all.isEmpty()
                      ? "none are on the classpath: add io.imagebuilder:image-arm"
                      : "expected one of "
                          + all.stream().map(Board::id).collect(Collectors.joining(", "));
              return new IllegalArgumentException("unknown board '" + id + "' (" + known + ")");
            });
  }
}
