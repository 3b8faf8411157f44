package io.imagebuilder.api.board;

import java.util.List;

/**
 * Contributes boards; found with {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.imagebuilder.api.board.BoardProvider}.
 */
public interface BoardProvider {
  /** {@return the boards this module provides} */
  List<Board> boards();
}
